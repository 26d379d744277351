"""viewflow's inbox, queue, archive, chart and bulk pages for AssignmentFlow, each answering only
what the person may see: the all-process lists are the registrar's only, a process chart is
for those who may view that assignment, and the bulk pages list only tasks the person may act
on (viewflow's own would otherwise show every assignment to everyone).

The task lists say which assignment each task is about (its diarienummer and title, linked to
its page) and name the task once, as a link to it, instead of viewflow's "#process/task"
number, the task's title twice (as "Task" and as "Summary") and the process description.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.utils import viewprop
from viewflow.workflow import STATUS
from viewflow.workflow.flow import FlowAppViewset, views
from viewflow.workflow.models import Task

from assignments import permissions
from assignments.models import Assignment

from . import selectors


class AssignmentColumns:
    """List columns of a task list: the task's assignment and the task itself, both links.
    The assignments of a page are read with one query (the process's artifact, prefetched)."""

    def get_queryset(self):
        return super().get_queryset().prefetch_related("process__artifact")

    def assignment(self, task):
        assignment = task.process.artifact
        if not isinstance(assignment, Assignment):
            return "–"
        return format_html(
            '<a href="{}">{} {}</a>',
            reverse("workflow:assignment", args=[assignment.pk]),
            assignment.registration_number,
            assignment.title,
        )

    assignment.short_description = pgettext_lazy("task list", "Uppdrag")

    def task(self, task):
        return format_html(
            '<a href="{}">{}</a>',
            task.flow_task.reverse("index", args=[task.process_id, task.pk]),
            task.title,
        )

    task.short_description = _("Uppgift")


# The lists' titles are the menu's (assignments/context_processors.py): one name per page.


class InboxView(AssignmentColumns, views.FlowInboxListView):
    title = _("Inkorg")
    columns = ("assignment", "task", "created")


class QueueView(AssignmentColumns, views.FlowQueueListView):
    """The tasks the person may take (the adoptions of the drafts they commission): viewflow's
    own queue lists a task to whoever has its permission in the database (nobody here) and
    every task to a superuser."""

    title = _("Lediga uppgifter")
    columns = ("assignment", "task", "created")

    @viewprop
    def queryset(self):
        tasks = selectors.queued_for(self.request.user).filter(process__flow_class=self.flow_class)
        return tasks.select_related("process").order_by("-created")


class ArchiveView(AssignmentColumns, views.FlowArchiveListView):
    title = _("Avslutade uppgifter")
    columns = ("assignment", "task", "created", "finished")


class _RegistrarOnly:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_registrar(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProcessListView(_RegistrarOnly, views.DashboardProcessListView):
    def get_queryset(self):
        # viewflow's annotate() drops the model's ordering; pages need a stable order. The
        # process summary names the assignment (AssignmentFlow.process_summary_template).
        return super().get_queryset().order_by("-pk").prefetch_related("artifact")


class TaskListView(_RegistrarOnly, AssignmentColumns, views.DashboardTaskListView):
    columns = ("assignment", "task", "created", "owner")


class DashboardView(views.DashboardView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_registrar(request.user):
            return HttpResponseRedirect(self.viewset.reverse("inbox"))
        return super().dispatch(request, *args, **kwargs)


# How far a process has come in a step, from the state of the step's latest task.
STEP_STATES = {
    STATUS.NEW: _("Väntar"),
    STATUS.ASSIGNED: _("Väntar"),
    STATUS.SCHEDULED: _("Väntar"),
    STATUS.STARTED: _("Pågår"),
    STATUS.DONE: _("Klar"),
    STATUS.CANCELED: _("Avbruten"),
    STATUS.REVIVED: _("Pågår"),
    STATUS.ERROR: _("Fel"),
}


class ChartView(views.FlowChartView):
    """The flow's chart for everyone logged in; one process's chart (where it stands) only for
    those who may view its assignment, as viewflow's own process page asks.

    viewflow answers with the SVG alone, which its pages show as an image. A person who opens
    the chart's address in the browser gets a page of our layout instead (menu, heading, the
    steps as a list for a screen reader, where the process stands in each, the BPMN file):
    the browser's Accept header tells the two apart, `?format=svg` asks for the image."""

    process = None

    def dispatch(self, request, *args, **kwargs):
        if "process_pk" in kwargs:
            processes = self.flow_class.process_class._default_manager.filter(
                flow_class=self.flow_class
            )
            self.process = get_object_or_404(processes, pk=kwargs["process_pk"])
            if not self.flow_class.instance.has_view_permission(request.user, obj=self.process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        page = "format" not in request.GET and (
            request.get_preferred_type(["image/svg+xml", "text/html"]) == "text/html"
        )
        response = self.page(request) if page else super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    def page(self, request):
        reached = {}
        if self.process is not None:
            for task in Task.objects.filter(process=self.process).order_by("created", "pk"):
                reached[task.flow_task.name] = STEP_STATES.get(task.status, task.status)
        steps = [
            {"title": node.task_title, "state": reached.get(node.name, _("Inte påbörjad"))}
            for node in self.flow_class.instance.nodes()
            if node.task_title
        ]
        artifact = self.process.artifact if self.process is not None else None
        context = {
            "page_title": _("Processens flödesschema"),
            "steps": steps,
            "process": self.process,
            "assignment": artifact if isinstance(artifact, Assignment) else None,
            "image_url": f"{request.path}?format=svg",
            "bpmn_url": f"{request.path}?format=bpmn",
        }
        return render(request, "workflow/chart.html", context)


def _only(tasks, may_act_on):
    """The tasks the person may act on, as a queryset for viewflow's bulk page."""
    return Task.objects.filter(pk__in=[t.pk for t in tasks if may_act_on(t)]).order_by("pk")


class BulkAssignTasksView(views.BulkAssignTasksActionView):
    """Lists (select_all included) only this flow's queued tasks the person may take: viewflow's
    own starts from every task of every process."""

    flow_class = None

    def get_queryset(self):
        if self.queryset is None:
            user = self.request.user
            queue = selectors.queued_for(user).filter(process__flow_class=self.flow_class)
            self.queryset = _only(queue, lambda task: task.flow_task.can_assign(user, task))
        return super().get_queryset()


class BulkUnassignTasksView(views.BulkUnassignTasksActionView):
    """Lists only this flow's tasks in the person's inbox that they may give up."""

    flow_class = None

    def get_queryset(self):
        if self.queryset is None:
            user = self.request.user
            inbox = Task.objects.inbox([self.flow_class], user)
            self.queryset = _only(inbox, lambda task: task.flow_task.can_unassign(user, task))
        return super().get_queryset()


class AssignmentFlowViewset(FlowAppViewset):
    # viewflow's pages in our layout through the same template as ours (favicon included)
    base_template_name = "base.html"
    dashboard_view_class = DashboardView
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    process_list_view_class = ProcessListView
    task_list_view_class = TaskListView
    chart_view_class = ChartView
    tasks_assign_view_class = BulkAssignTasksView
    tasks_unassign_view_class = BulkUnassignTasksView
