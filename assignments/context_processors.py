"""What every page's shell needs: the navigation, the unread-notification count and whether
the person may see the portfolio.

Each is computed only when a template uses it, so a page that does not render the shell
(CSV, JSON) pays nothing.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import permissions
from .models import Assignment, User


def _flags(request) -> dict:
    """Unread count and "is a commissioner" in one query, once per request."""
    cached = getattr(request, "_uppdrag_flags", None)
    if cached is None:
        user = request.user
        cached = (
            User.objects.filter(pk=user.pk)
            .annotate(
                unread=Count(
                    "notifications",
                    filter=Q(notifications__unread=True, notifications__deleted=False),
                ),
                commissions=Exists(Assignment.objects.filter(commissioners=OuterRef("pk"))),
            )
            .values("unread", "commissions")
            .first()
        ) or {"unread": 0, "commissions": False}
        user._uppdrag_is_commissioner = cached["commissions"]
        request._uppdrag_flags = cached
    return cached


def _may_see_portfolio(request) -> bool:
    _flags(request)  # knows already whether the person is a commissioner
    return permissions.may_see_portfolio(request.user)


def _may_register(request) -> bool:
    _flags(request)  # knows already whether the person is a commissioner
    return permissions.may_register_assignments(request.user)


def _may_take_tasks(request) -> bool:
    """Commissioners and the regional director: the adoptions wait in their queue."""
    return _flags(request)["commissions"] or permissions.is_regional_director(request.user)


def _navigation(request) -> list[dict]:
    user = request.user
    items = [
        ("home", _("Mina uppdrag"), "home", True),
        ("uppdrag:assignment:inbox", _("Inkorg"), "inbox", True),
        (
            "uppdrag:assignment:queue",
            _("Lediga uppgifter"),
            "move_to_inbox",
            _may_take_tasks(request),
        ),
        ("uppdrag:assignment:archive", _("Avslutade uppgifter"), "archive", True),
        ("portfolio", _("Portfölj"), "view_list", _may_see_portfolio(request)),
        ("report", _("Återrapportering"), "assessment", _may_see_portfolio(request)),
        ("workflow:new", _("Nytt uppdrag"), "note_add", _may_register(request)),
        ("records", _("Arkiv"), "inventory_2", permissions.is_registrar(user)),
        ("group_list", _("Grupper"), "groups", True),
        ("notification_list", _("Notiser"), "notifications", True),
        ("user_settings", _("Inställningar"), "settings", True),
        ("admin:index", _("Administration"), "admin_panel_settings", user.is_staff),
    ]
    path = request.path
    result = []
    for name, title, icon, allowed in items:
        if not allowed:
            continue
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        result.append({"url": url, "title": title, "icon": icon, "current": current})
    return result


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "unread_notifications": SimpleLazyObject(lambda: _flags(request)["unread"]),
        "may_see_portfolio": SimpleLazyObject(lambda: _may_see_portfolio(request)),
    }
