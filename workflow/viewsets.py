"""viewflow's inbox, queue and archive for AssignmentFlow; the all-process lists are the
registrar's only, since they would otherwise show every assignment to everyone."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from viewflow.workflow.flow import FlowAppViewset, views

from assignments import permissions


class _RegistrarOnly:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_registrar(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProcessListView(_RegistrarOnly, views.DashboardProcessListView):
    def get_queryset(self):
        # viewflow's annotate() drops the model's ordering; pages need a stable order
        return super().get_queryset().order_by("-pk")


class TaskListView(_RegistrarOnly, views.DashboardTaskListView):
    pass


class DashboardView(views.DashboardView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_registrar(request.user):
            return HttpResponseRedirect(self.viewset.reverse("inbox"))
        return super().dispatch(request, *args, **kwargs)


class AssignmentFlowViewset(FlowAppViewset):
    dashboard_view_class = DashboardView
    process_list_view_class = ProcessListView
    task_list_view_class = TaskListView
