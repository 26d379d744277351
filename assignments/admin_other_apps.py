"""Other apps' admins on our site: superusers' tools, whatever permissions a group is given.

Auth groups hold permissions, periodic tasks run code, notifications are personal mail, login
records are about people: a registrar needs none of them. The process's own tables (viewflow's
processes and tasks: who holds an approval, for which decision-maker) are read only for
superusers too; they move only through workflow.services, which audit.
"""

from django.apps import apps
from django.contrib import admin

# Our apps' admins state their own rules; every other app's admin is closed by this module.
OUR_APPS = frozenset({"assignments", "reminders", "records"})
PROCESS_APPS = frozenset({"viewflow"})


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


def restrict(model, mixin, site=admin.site) -> None:
    """Register model again with its own admin class, restricted by mixin."""
    model_admin = type(site.get_model_admin(model))
    if issubclass(model_admin, mixin):
        return
    site.unregister(model)
    site.register(model, type(model_admin.__name__, (mixin, model_admin), {}))


def restrict_other_apps(site=admin.site) -> None:
    """Close every registered admin of an app not ours (called once the admin has discovered
    them all, from AssignmentsConfig.ready, so an app added later is closed too)."""
    for model in apps.get_models():
        label = model._meta.app_label
        if label in OUR_APPS or not site.is_registered(model):
            continue
        restrict(model, ReadOnlyMixin if label in PROCESS_APPS else SuperusersOnlyMixin, site)
