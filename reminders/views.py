"""The notification centre (the `notifications` library's data, in our pages) and the settings
page, where a person chooses their language, the daily digest and what they are told about.

A person sees and changes only their own notifications and settings; anyone else's answers 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assignments import audit, links
from assignments.forms import SettingsForm

from . import notices, preferences, selectors
from .forms import NotificationChoicesForm

PAGE_SIZE = 30


def _mine(request):
    return selectors.notifications_of(request.user)


@login_required
def notification_list(request):
    only_unread = request.GET.get("olasta") == "1"
    queryset = _mine(request).select_related("actor_content_type").order_by("-timestamp", "-pk")
    if only_unread:
        queryset = queryset.filter(unread=True)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = notices.readable(page.object_list)  # in the reader's language
    for notification in page:
        notification.url = selectors.target_url(notification)
    return render(
        request,
        "reminders/notifications.html",
        {"page_title": _("Notiser"), "page": page, "only_unread": only_unread},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notification_open(request, pk):
    """A notification: GET shows it, POST marks it read and follows it to its object. A GET
    changes nothing: a link previewer, a prefetching browser or a crawler that follows the
    address must not mark it read."""
    notification = get_object_or_404(_mine(request), pk=pk)
    if request.method == "POST":
        if notification.unread:
            notification.mark_as_read()
        return HttpResponseRedirect(selectors.target_url(notification))
    (notification,) = notices.readable([notification])
    notification.url = selectors.target_url(notification)
    return render(
        request,
        "reminders/notification.html",
        {"page_title": notification.text, "n": notification},
    )


def _back(request):
    return HttpResponseRedirect(links.next_url(request, reverse("notification_list")))


@require_POST
@login_required
def notification_mark_read(request, pk):
    notification = get_object_or_404(_mine(request), pk=pk)
    if request.POST.get("unread") == "1":
        notification.mark_as_unread()
    else:
        notification.mark_as_read()
    return _back(request)


@require_POST
@login_required
def notification_mark_all_read(request):
    count = _mine(request).filter(unread=True).update(unread=False)
    messages.success(
        request,
        ngettext(
            "%(count)d notis markerad som läst.", "%(count)d notiser markerade som lästa.", count
        )
        % {"count": count},
    )
    return _back(request)


# -- the person's own settings -----------------------------------------------------------------

SETTINGS_FIELDS = ["language", "wants_digest", "wants_monthly_report", "answers_by_mail"]


@login_required
def user_settings(request):
    """Language, the daily digest, the monthly report, and which events the person is told
    about in the app and by e-mail (reminders of their own deadlines and escalations always):
    each change audited."""
    user = request.user
    choices = preferences.choices_of(user)
    if request.method == "POST":
        before = audit.snapshot(user, SETTINGS_FIELDS)  # is_valid() mutates user
        form = SettingsForm(request.POST, instance=user)
        told = NotificationChoicesForm(request.POST, choices=choices)
        if form.is_valid() and told.is_valid():
            form.save()
            audit.record(
                actor=user,
                obj=user,
                action="settings_changed",
                before=before,
                after=audit.snapshot(user, SETTINGS_FIELDS),
            )
            preferences.set_choices(person=user, choices=told.chosen())
            messages.success(request, _("Inställningarna är sparade."))
            response = HttpResponseRedirect(reverse("user_settings"))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language or settings.LANGUAGE_CODE,
                samesite="Lax",
            )
            return response
        status = 400
    else:
        form = SettingsForm(instance=user)
        told = NotificationChoicesForm(choices=choices)
        status = 200
    return render(
        request,
        "reminders/settings.html",
        {"page_title": _("Inställningar"), "form": form, "told": told},
        status=status,
    )
