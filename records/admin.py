"""The registrar's tools for records: gallring rules (each with its decision), legal holds, the
gallring preview and disposal, the permanent gallringslogg with its export, and the
accessibility statement. Saves are audited; nothing here can be deleted."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from assignments import exports
from assignments.admin_audit import AuditedAdminMixin, NoDeleteMixin

from . import gallring
from .models import (
    AccessibilityAssessment,
    AccessibilityStatement,
    GallringLogEntry,
    GallringRule,
    LegalHold,
)


@admin.register(GallringRule)
class GallringRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "kind",
        "retention_months",
        "decision_body",
        "decision_reference",
        "decision_paragraph",
        "decided_on",
        "is_active",
    )
    list_filter = ("is_active", "kind")
    change_list_template = "records/admin/gallringrule_changelist.html"

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("gallra/", preview, name="records_gallring_preview"), *super().get_urls()]

    def preview_view(self, request):
        """The dry run as a page; POST disposes of what the rules name at that moment (for
        whoever may change the rules: a registrar, a superuser)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            logged = gallring.dispose(actor=request.user)
            messages.success(
                request,
                _("%(count)d handlingar gallrade och loggade i gallringsloggen.")
                % {"count": len(logged)},
            )
            return redirect(reverse("admin:records_gallringlogentry_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Gallring: vad som skulle gallras nu"),
            "candidates": gallring.find(),
            "may_dispose": self.has_change_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "records/admin/gallring_preview.html", context)


@admin.register(LegalHold)
class LegalHoldAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("assignment", "reason", "placed_at", "lifted_at")
    list_filter = ("lifted_at",)
    search_fields = ("assignment__registration_number", "assignment__title", "reason")
    autocomplete_fields = ("assignment",)


@admin.register(GallringLogEntry)
class GallringLogEntryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("disposed_at", "kind", "description", "registration_number", "decision")
    list_filter = ("kind", "disposed_at")
    search_fields = ("description", "registration_number", "decision")
    change_list_template = "records/admin/gallringlog_changelist.html"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("export.<str:fmt>", export, name="records_gallringlog_export"),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt: str):
        """The whole gallringslogg as CSV (formulas neutralised) or JSON."""
        if not self.has_view_permission(request) or fmt not in ("csv", "json"):
            raise PermissionDenied
        entries = GallringLogEntry.objects.select_related("performed_by").order_by("id")
        rows = list(gallring.log_rows(entries))
        if fmt == "csv":
            return exports.csv_response("gallringslogg", gallring.LOG_HEADER, rows)
        body = json.dumps(
            [dict(zip(gallring.LOG_HEADER, row, strict=True)) for row in rows],
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="gallringslogg.json"'
        return response


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "compliance", "published_on", "updated_on")


@admin.register(AccessibilityAssessment)
class AccessibilityAssessmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("assessed_at", "tool", "pages", "violations")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
