"""Other apps' admins on our site: superusers' tools, whatever permissions a group is given.

Auth groups hold permissions, periodic tasks run code, notifications are personal mail: a
registrar needs none of them. The process's own tables (viewflow's processes and tasks: who
holds an approval, for which decision-maker) are read only for superusers too; they move
only through workflow.services, which audit.
"""

from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from notifications.models import Notification
from viewflow.workflow.models import Process, Task


class SuperusersOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ReadOnlyMixin(SuperusersOnlyMixin):
    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def restrict(model, mixin) -> None:
    """Register model again with its own admin class, restricted by mixin."""
    model_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (mixin, model_admin), {}))


for model in (Process, Task):
    restrict(model, ReadOnlyMixin)
for model in (
    AuthGroup,
    Notification,
    PeriodicTask,
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
):
    restrict(model, SuperusersOnlyMixin)
