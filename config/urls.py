from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application, Site

from workflow.flows import AssignmentFlow
from workflow.viewsets import AssignmentFlowViewset

admin.site.site_header = "Uppdrag"
admin.site.site_title = "Uppdrag"
admin.site.index_title = "Administration"

site = Site(
    title="Uppdrag",
    viewsets=[
        Application(
            title=_("Uppdrag"),
            icon="assignment",
            app_name="uppdrag",
            viewsets=[AssignmentFlowViewset(AssignmentFlow, icon="assignment")],
        ),
    ],
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("uppdrag/", include("workflow.urls")),
    path("workflow/", site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", RedirectView.as_view(url="/workflow/", permanent=False), name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
