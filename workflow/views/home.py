"""The start page "Mina uppdrag": what waits for the person across every assignment they have a
part in. It lives with the process, whose tasks it lists first; the registry's own pages
(portfolio, groups, settings) stay in assignments/views.py."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import desk, selectors


@transaction.non_atomic_requests  # reads only: no BEGIN and COMMIT around its queries
@login_required
def home(request):
    context = selectors.start_page(request.user, timezone.localdate())
    context.update(desk.registrar_desk(request, timezone.localdate(), timezone.now()))
    context["page_title"] = _("Mina uppdrag")
    return render(request, "assignments/home.html", context)
