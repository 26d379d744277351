from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from api import pages as api_pages
from assignments import views as pages
from config import health
from people import confirm, logins, sso
from reminders import views as notices
from reports import views as report_pages
from workflow.flows import AssignmentFlow
from workflow.views import absence as absence_pages
from workflow.views import calendar as calendar_pages
from workflow.views import home
from workflow.viewsets import AssignmentFlowViewset

admin.site.site_header = "Uppdrag"
admin.site.site_title = "Uppdrag"
admin.site.index_title = "Administration"


def favicon(request):
    """Browsers ask for /favicon.ico wherever a page names no icon (the admin, a flow chart
    opened on its own): the icon every other page names."""
    return redirect(static("viewflow/img/favicon.png"))


site = Site(
    title="Uppdrag",
    viewsets=[
        Application(
            title=_("Uppdrag"),
            icon="assignment",
            app_name="uppdrag",
            viewsets=[AssignmentFlowViewset(AssignmentFlow, icon="assignment")],
            base_template_name="base.html",
        ),
    ],
)

# viewflow's pages answer an anonymous visitor with 403; send them to the login page instead
handler403 = pages.permission_denied
# JSON under /api/, the usual pages elsewhere
handler404 = "config.handlers.page_not_found"
handler500 = "config.handlers.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("uppdrag/", include("workflow.urls")),
    path("workflow/", site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # before Django's own, which it replaces: the reset request is throttled
    path(
        "accounts/password_reset/",
        logins.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # before Django's own, which they replace: the login page offers single sign-on, and logging
    # out ends the provider's session too (people/sso.py)
    path("accounts/login/", logins.LoginView.as_view(), name="login"),
    # before Django's own, which it replaces: a wrong old password counts for the lockout
    path(
        "accounts/password_change/",
        logins.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/logout/", sso.logout, name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # "is it you?" before creating a token or a calendar address, or changing an address
    path("konto/bekrafta/", confirm.confirm_identity, name="confirm_identity"),
    # single sign-on (404 unless OIDC_RP_CLIENT_ID is set)
    path("oidc/authenticate/", sso.authentication_request, name="oidc_authentication_init"),
    path("oidc/callback/", sso.callback, name="oidc_authentication_callback"),
    path("api/", include("api.urls")),
    path("", include("records.urls")),
    path("", home.home, name="home"),
    path("portfolj/", pages.portfolio, name="portfolio"),
    path("aterrapportering/", report_pages.report, name="report"),
    path("grupper/", pages.group_list, name="group_list"),
    path("grupper/<int:pk>/", pages.group_detail, name="group_detail"),
    path("installningar/", notices.user_settings, name="user_settings"),
    path("installningar/api-nycklar/", api_pages.create_token, name="api_token_create"),
    path(
        "installningar/api-nycklar/<int:pk>/aterkalla/",
        api_pages.revoke_token,
        name="api_token_revoke",
    ),
    # the calendar feed's address (workflow/views/calendar.py): renewed on "Inställningar",
    # read without a login by the person's calendar program
    path("installningar/kalender/", calendar_pages.renew, name="calendar_feed_renew"),
    # an absence and its stand-in (workflow/views/absence.py)
    path("installningar/franvaro/", absence_pages.absence_page, name="absence"),
    path("installningar/franvaro/<int:pk>/avsluta/", absence_pages.end_absence, name="absence_end"),
    path("kalender/<str:token>.ics", calendar_pages.feed, name="calendar_feed"),
    path("sprak/", pages.set_language, name="language"),
    path("notiser/", notices.notification_list, name="notification_list"),
    path("notiser/<int:pk>/", notices.notification_open, name="notification_open"),
    path("notiser/<int:pk>/last/", notices.notification_mark_read, name="notification_read"),
    path("notiser/alla-lasta/", notices.notification_mark_all_read, name="notification_read_all"),
    path("favicon.ico", favicon),
    # for operations, outside the logins (config/health.py)
    path("healthz", health.healthz, name="healthz"),
    path("metrics", health.metrics, name="metrics"),
]
