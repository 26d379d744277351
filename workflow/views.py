"""HTTP for the process: thin views that parse input, call one service and render.

Every view checks object-level permission through assignments.permissions; an assignment the
user may not see answers 404, an action they may not take answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView

from assignments import documents, exports, permissions, timeline
from assignments import services as registry
from assignments.models import (
    Approval,
    Assignment,
    AssignmentItem,
    AuditEntry,
    Delivery,
    Distribution,
    Milestone,
    MilestoneUpdate,
    User,
    named_with_stand_in,
)

from . import forms, services
from . import permissions as task_rules


def _visible_assignment(request, pk, queryset=None) -> Assignment:
    """The assignment, if the user may read it (can_view_assignment, as one query); else 404."""
    queryset = queryset if queryset is not None else Assignment.objects.all()
    assignment = get_object_or_404(queryset, pk=pk)
    if not permissions.visible_assignments(request.user).filter(pk=assignment.pk).exists():
        raise Http404
    return assignment


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def process_url(assignment: Assignment) -> str:
    return reverse("workflow:process", args=[assignment.pk])


def _page_context(request, assignment: Assignment) -> dict:
    """What the assignment page and the decision page both show; a fixed number of queries."""
    user = request.user
    tasks = list(services.open_tasks(assignment).order_by("pk"))
    deliveries = list(
        assignment.deliveries.select_related("submitted_by")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=Approval.objects.select_related("decision_maker", "acted_by").order_by(
                    "pk"
                ),
            )
        )
        .order_by("-number")
    )
    # commissioners and decision-makers in one query, each side through its index
    commissioning = Assignment.commissioners.through.objects.filter(assignment=assignment)
    deciding = Assignment.decision_makers.through.objects.filter(assignment=assignment)
    people = list(
        User.objects.filter(
            Q(pk__in=commissioning.values("user_id")) | Q(pk__in=deciding.values("user_id"))
        )
        .annotate(
            commissions=Exists(commissioning.filter(user=OuterRef("pk"))),
            decides=Exists(deciding.filter(user=OuterRef("pk"))),
        )
        .order_by("last_name", "first_name", "pk")
    )
    commissioners = [p for p in people if p.commissions]
    decision_makers = [p for p in people if p.decides]
    me = task_rules.standing(user, assignment)
    return {
        "me": me,
        "commissioners": commissioners,
        "user_is_commissioner": any(c.pk == user.pk for c in commissioners),
        "assignment": assignment,
        "tasks": tasks,
        "deliveries": deliveries,
        "latest_delivery": deliveries[0] if deliveries else None,
        "decision_makers": decision_makers,
        "may_decide": any(task_rules.may_answer(t, me) for t in tasks),
        "today": timezone.localdate(),
    }


@login_required
def process_page(request, pk, errors=None, status=200, delivery_form=None):
    """The assignment page: the whole uppdragshandling, its timeline and its process.
    After a refused delivery it shows that form again, bound, so nothing typed is lost."""
    assignment = _visible_assignment(
        request,
        pk,
        Assignment.objects.select_related(
            "issuing_unit", "assignee", "project_lead", "supersedes", "decision"
        ),
    )
    user = request.user
    context = _page_context(request, assignment)
    today = context["today"]
    milestones = list(
        assignment.milestones.select_related("responsible", "assignment__assignee").order_by(
            "position", "start"
        )
    )
    working_group = list(
        assignment.working_group.filter(is_active=True)
        .select_related("person")
        .order_by("position", "pk")
    )
    distribution = list(assignment.distribution.select_related("person").order_by("position", "pk"))
    for_execution = [d for d in distribution if d.purpose == Distribution.Purpose.EXECUTION]
    is_assignee = permissions.is_assignee(user, assignment)

    def in_group() -> bool:
        return permissions.is_working_group_member_in(user, working_group, distribution)

    last_updates = {}
    for update in (
        MilestoneUpdate.objects.filter(milestone__assignment=assignment)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        last_updates[update.milestone_id] = update
    for milestone in milestones:
        milestone.user_may_update = permissions.may_update_milestone(
            user, assignment, milestone, in_group
        )
        milestone.overdue = milestone.is_overdue(today)
        milestone.last_update = last_updates.get(milestone.pk)
    items = list(assignment.items.order_by("kind", "position", "pk"))
    tasks = context["tasks"]
    is_commissioner = context["user_is_commissioner"]
    _offer_stand_ins(tasks, context["me"], assignment)
    context.update(
        {
            "page_title": f"{assignment.registration_number} {assignment.title}",
            "milestones": milestones,
            "timeline": timeline.build(milestones, assignment.delivery_due, today),
            "delivery_overdue": assignment.is_delivery_overdue(today),
            "scope": [i for i in items if i.kind == AssignmentItem.Kind.SCOPE],
            "requirements": [i for i in items if i.kind == AssignmentItem.Kind.REQUIREMENT],
            "working_group": working_group,
            "relations": list(
                assignment.relations.select_related("target_assignment", "target_group").order_by(
                    "position", "pk"
                )
            ),
            "for_execution": for_execution,
            "for_information": [
                d for d in distribution if d.purpose == Distribution.Purpose.INFORMATION
            ],
            "audit_entries": _naming_stand_ins(
                AuditEntry.objects.filter(assignment=assignment)
                .select_related("actor")
                .order_by("-occurred_at", "-pk")[:15]
            ),
            "errors": errors or [],
            "may_adopt": assignment.state == Assignment.State.DRAFT
            and permissions.can_adopt_assignment(user, assignment),
            "may_submit": is_assignee and any(t.flow_task.name == "work" for t in tasks),
            "may_cancel": assignment.is_open and is_commissioner,
            "due_form": forms.MilestoneDueForm(),
            "delivery_form": delivery_form or forms.DeliveryForm(),
            "reason_form": forms.ReasonForm(),
        }
    )
    return render(request, "workflow/process.html", context, status=status)


def _offer_stand_ins(tasks, me: task_rules.Standing, assignment: Assignment) -> None:
    """Mark each task the person may hand on with whom they may hand it to (one query for
    everyone, whatever the number of people)."""
    for task in tasks:
        task.may_hand_on = task_rules.may_hand_on(task, me)
        task.stand_ins = []
    if not any(task.may_hand_on for task in tasks):
        return
    people = task_rules.standings(
        assignment, User.objects.filter(is_active=True).order_by("last_name", "first_name", "pk")
    )
    for task in tasks:
        if task.may_hand_on:
            task.stand_ins = [
                person
                for person, standing in people
                if person.pk != task.owner_id and task_rules.may_hand_to(task, me, standing)
            ]


def _naming_stand_ins(entries) -> list[AuditEntry]:
    """The entries, each with `who` acted: an answer given by a stand-in names the
    decision-maker it was given for too."""
    entries = list(entries)
    for_someone = [
        e
        for e in entries
        if e.action in ("delivery.approved", "delivery.returned")
        and isinstance(e.after, dict)
        and e.after.get("decision_maker") not in (None, e.actor_id)
    ]
    decision_makers = User.objects.in_bulk({e.after["decision_maker"] for e in for_someone})
    for entry in entries:
        entry.who = entry.actor
    for entry in for_someone:
        if entry.after["decision_maker"] in decision_makers:
            entry.who = named_with_stand_in(
                decision_makers[entry.after["decision_maker"]], entry.actor
            )
    return entries


@login_required
def decision_page(request, pk, errors=None, status=200):
    """One page for a decision-maker: the delivery, the others' answers so far, and the choice."""
    assignment = _visible_assignment(
        request, pk, Assignment.objects.select_related("assignee", "decision")
    )
    context = _page_context(request, assignment)
    context.update(
        {
            "page_title": _("Beslut: %(title)s") % {"title": assignment.title},
            "errors": errors or [],
            "approve_form": forms.ApproveForm(request.POST if errors else None)
            if "decided_on" in request.POST
            else forms.ApproveForm(),
            "return_form": forms.ReturnForm(request.POST if errors else None)
            if "comment" in request.POST
            else forms.ReturnForm(),
        }
    )
    return render(request, "workflow/decision.html", context, status=status)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _act(request, assignment, action, page=None, **page_context):
    """Run a service; its Swedish errors re-render the page, nothing saved: 400 for bad
    input, 403 for an act the person may not take."""
    try:
        action()
    except ValidationError as error:
        return (page or process_page)(
            request, assignment.pk, errors=_errors(error), status=400, **page_context
        )
    except PermissionDenied as error:
        errors = [str(error) or _("Du får inte göra det här.")]
        return (page or process_page)(
            request, assignment.pk, errors=errors, status=403, **page_context
        )
    messages.success(request, _("Sparat."))
    return HttpResponseRedirect(_next_url(request, process_url(assignment)))


def _bound(form_class, request, assignment):
    return _cleaned(form_class(request.POST, request.FILES))


def _cleaned(form):
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label}: {e}" if f in form.fields else e
            for f, es in form.errors.items()
            for e in es
        ]
        raise ValidationError(errors)
    return form.cleaned_data


def _milestone_to_update(request, pk, milestone_pk):
    """The assignment and its milestone, if the user may update that milestone (else 403)."""
    assignment = _visible_assignment(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, assignment=assignment)
    if not permissions.can_update_milestone(request.user, milestone):
        raise PermissionDenied
    return assignment, milestone


@require_POST
@login_required
def milestone_status(request, pk, milestone_pk):
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)

    def action():
        data = _bound(forms.MilestoneStatusForm, request, assignment)
        registry.change_milestone_status(
            milestone=milestone,
            actor=request.user,
            to_status=data["to_status"],
            comment=data["comment"],
        )

    return _act(request, assignment, action)


@require_POST
@login_required
def milestone_due(request, pk, milestone_pk):
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)

    def action():
        data = _bound(forms.MilestoneDueForm, request, assignment)
        registry.move_milestone_due(
            milestone=milestone, actor=request.user, new_due=data["new_due"], reason=data["reason"]
        )

    return _act(request, assignment, action)


@require_POST
@login_required
def adopt(request, pk):
    assignment = _visible_assignment(request, pk)

    def action():
        data = _bound(forms.OptionalReasonForm, request, assignment)
        services.adopt_assignment(assignment=assignment, actor=request.user, reason=data["reason"])

    return _act(request, assignment, action)


@require_POST
@login_required
def submit(request, pk):
    assignment = _visible_assignment(request, pk)
    if not permissions.can_submit_delivery(request.user, assignment):
        raise PermissionDenied
    form = forms.DeliveryForm(request.POST, request.FILES)

    def action():
        data = _cleaned(form)
        services.submit_delivery(
            assignment=assignment,
            actor=request.user,
            summary=data["summary"],
            document=data["document"],
        )

    return _act(request, assignment, action, delivery_form=form)


@require_safe
def delivery_document(request, pk, number):
    """A delivery's document, to whoever may see the assignment page (404 for anyone else,
    anonymous included: a private document's existence is not told), always as a download."""
    assignment = _visible_assignment(request, pk)
    delivery = get_object_or_404(
        Delivery.objects.exclude(document=""), assignment=assignment, number=number
    )
    try:
        return documents.download_response(delivery.document, delivery.document_name)
    except FileNotFoundError as error:
        raise Http404 from error


def _delivery(assignment):
    delivery = assignment.deliveries.order_by("-number").first()
    if delivery is None:
        raise ValidationError(_("Det finns ingen slutleverans som väntar på beslut."))
    return delivery


def _refuse_unless_a_task_allows(request, assignment, rule) -> task_rules.Standing:
    """403 before the form is read when no open task of the assignment lets the person act
    (`rule` is task_rules.may_answer or may_hand_on): only those who may act hear about bad
    input. A decision-maker of record passes, so that the service can say why they may not
    answer (they have answered already)."""
    me = task_rules.standing(request.user, assignment)
    if not me.decides and not any(rule(task, me) for task in services.open_tasks(assignment)):
        raise PermissionDenied
    return me


@require_POST
@login_required
def approve(request, pk):
    assignment = _visible_assignment(request, pk)
    _refuse_unless_a_task_allows(request, assignment, task_rules.may_answer)

    def action():
        data = _bound(forms.ApproveForm, request, assignment)
        services.approve_delivery(
            delivery=_delivery(assignment),
            decided_by=request.user,
            decided_on=data["decided_on"],
            paragraph_reference=data["paragraph_reference"],
        )

    return _act(request, assignment, action, page=decision_page)


@require_POST
@login_required
def return_for_revision(request, pk):
    assignment = _visible_assignment(request, pk)
    _refuse_unless_a_task_allows(request, assignment, task_rules.may_answer)

    def action():
        data = _bound(forms.ReturnForm, request, assignment)
        services.return_delivery(
            delivery=_delivery(assignment), decided_by=request.user, comment=data["comment"]
        )

    return _act(request, assignment, action, page=decision_page)


@require_POST
@login_required
def cancel(request, pk):
    assignment = _visible_assignment(request, pk)
    if not permissions.can_cancel_assignment(request.user, assignment):
        raise PermissionDenied

    def action():
        data = _bound(forms.ReasonForm, request, assignment)
        services.cancel_assignment(assignment=assignment, actor=request.user, reason=data["reason"])

    return _act(request, assignment, action)


@require_POST
@login_required
def reassign(request, pk):
    assignment = _visible_assignment(request, pk)
    _refuse_unless_a_task_allows(request, assignment, task_rules.may_hand_on)

    def action():
        data = _bound(forms.ReassignForm, request, assignment)
        task = services.open_tasks(assignment).filter(pk=data["task"]).first()
        if task is None:
            raise ValidationError(_("Uppgiften finns inte."))
        services.reassign_task(
            task=task, actor=request.user, new_owner=data["new_owner"], reason=data["reason"]
        )

    return _act(request, assignment, action)


# -- audit ---------------------------------------------------------------------------------------


def _audit_entries(assignment):
    return (
        AuditEntry.objects.filter(assignment=assignment)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )


@login_required
def audit_log(request, pk):
    assignment = _visible_assignment(request, pk)
    return render(
        request,
        "workflow/audit.html",
        {"assignment": assignment, "entries": _naming_stand_ins(_audit_entries(assignment))},
    )


@login_required
def audit_csv(request, pk):
    assignment = _visible_assignment(request, pk)
    header = [
        _("Tidpunkt"),
        _("Utförd av"),
        _("Händelse"),
        _("Objekt"),
        _("Före"),
        _("Efter"),
        _("Motivering"),
    ]
    rows = (
        [
            entry.occurred_at.isoformat(),
            str(entry.actor or ""),
            entry.action,
            entry.object_repr,
            entry.before if entry.before is not None else "",
            entry.after if entry.after is not None else "",
            entry.reason,
        ]
        for entry in _audit_entries(assignment)
    )
    return exports.csv_response(f"granskningslogg-{assignment.pk}", header, rows)


# -- viewflow task views (inbox → task) ------------------------------------------------------


@method_decorator(login_required, name="dispatch")
class _TaskFormView(FormView):
    """A viewflow task page: the form posts to the same service the assignment page uses."""

    template_name = "workflow/task.html"

    @property
    def assignment(self) -> Assignment:
        return self.request.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Uppgiften är klar."))
        return HttpResponseRedirect(process_url(self.assignment))


class AdoptTaskView(_TaskFormView):
    form_class = forms.OptionalReasonForm

    def perform(self, data):
        services.adopt_assignment(
            assignment=self.assignment, actor=self.request.user, reason=data["reason"]
        )


class SubmitDeliveryTaskView(_TaskFormView):
    form_class = forms.DeliveryForm

    def perform(self, data):
        services.submit_delivery(
            assignment=self.assignment,
            actor=self.request.user,
            summary=data["summary"],
            document=data["document"],
        )


class DecideTaskView(_TaskFormView):
    """Approve (with a decision date) or return (with a comment), as one form."""

    form_class = forms.ApproveForm

    def get(self, request, *args, **kwargs):
        """From the inbox to the decision page: the delivery, the others' answers, the choice."""
        return HttpResponseRedirect(reverse("workflow:decision", args=[self.assignment.pk]))

    def post(self, request, *args, **kwargs):
        if "return" in request.POST:
            form = forms.ReturnForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            return self.form_valid_with(
                form,
                lambda d: services.return_delivery(
                    delivery=_delivery(self.assignment),
                    decided_by=request.user,
                    comment=d["comment"],
                ),
            )
        return super().post(request, *args, **kwargs)

    def form_valid_with(self, form, perform):
        self.perform = perform
        return self.form_valid(form)

    def perform(self, data):
        services.approve_delivery(
            delivery=_delivery(self.assignment),
            decided_by=self.request.user,
            decided_on=data["decided_on"],
            paragraph_reference=data["paragraph_reference"],
        )
