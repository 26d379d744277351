"""What every admin of ours shares: nothing is deleted, and every save writes our audit entry.

The entry holds the changed fields before and after, many-to-many fields (commissioners,
decision-makers, group members, a person's groups) and inline rows included, never a password
hash. A form may carry a `change_reason`; it becomes the entry's reason.
"""

from __future__ import annotations

from . import audit


class NoDeleteMixin:
    """Public records are archived, never deleted (DOMAIN.md)."""

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteInline:
    can_delete = False
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


def _stored(obj) -> dict:
    """The audited values of obj as they are in the database now."""
    return audit.full_snapshot(type(obj)._default_manager.get(pk=obj.pk))


def record_admin_save(request, obj, before: dict | None, reason: str = "") -> None:
    """One entry for an admin save: created with every value, or changed with only the changed
    fields (nothing when nothing changed). `before` is None for a new object."""
    after = audit.full_snapshot(obj)
    if before is None:
        audit.record(
            actor=request.user, action="admin.created", obj=obj, after=after, reason=reason
        )
        return
    audit.record_change(
        actor=request.user,
        action="admin.changed",
        obj=obj,
        before=before,
        after=after,
        reason=reason,
    )


class AuditedAdminMixin(NoDeleteMixin):
    """Writes our audit entry for every admin save: the object, its many-to-many fields and
    each inline row it saves. The admin wraps a change in one transaction, so an entry and
    its change are saved together or not at all."""

    def save_model(self, request, obj, form, change):
        # Read before the save: the form has already put the new values on obj.
        form.audit_before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # ModelAdmin.save_related, with the object's entry written once its many-to-many
        # fields are saved and before its inline rows' entries.
        form.save_m2m()
        reason = (getattr(form, "cleaned_data", {}).get("change_reason") or "").strip()
        record_admin_save(request, form.instance, form.audit_before, reason)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        saved = []
        for instance in formset.save(commit=False):  # new and changed rows (none deleted)
            before = _stored(instance) if instance.pk is not None else None
            instance.save()
            saved.append((instance, before))
        formset.save_m2m()
        for instance, before in saved:
            record_admin_save(request, instance, before)
