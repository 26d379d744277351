"""The replies that came in, read only: what each said and what became of it."""

from django.contrib import admin

from .models import InboundReply


@admin.register(InboundReply)
class InboundReplyAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "outcome", "person"]
    list_filter = ["outcome"]
    search_fields = ["sender", "subject", "message_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
