"""What waits for me: my open tasks and my notifications, each person's own only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from reminders import notices as reading
from reminders import selectors as notices
from workflow import selectors as process

from ..serializers import NotificationSerializer, TaskSerializer
from .base import ListView


@extend_schema(
    summary=_("Mina uppgifter"),
    description=_(
        "De öppna uppgifter du har (fastställa, arbeta, besluta), den som väntat längst först."
    ),
    tags=["me"],
)
class MyTasks(ListView):
    serializer_class = TaskSerializer

    def get_queryset(self):
        return process.open_tasks_of(self.request.user)

    def paginate_queryset(self, queryset):
        return process.waiting(process.with_assignments(super().paginate_queryset(queryset)))


class NotificationFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False)


@extend_schema(
    summary=_("Mina notiser"),
    description=_("Dina notiser, de nyaste först."),
    parameters=[OpenApiParameter("unread", bool, description=_("Bara olästa (true) eller lästa."))],
    tags=["me"],
)
class MyNotifications(ListView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        # a dict, not the QueryDict: REST framework reads an empty form value as none given
        wanted = NotificationFilter(data=self.request.query_params.dict())
        if not wanted.is_valid():
            raise ValidationError(wanted.errors)
        queryset = notices.notifications_of(self.request.user).order_by("-timestamp", "-pk")
        if "unread" in wanted.validated_data:
            queryset = queryset.filter(unread=wanted.validated_data["unread"])
        return queryset

    def paginate_queryset(self, queryset):
        """The page's notifications as the notification centre reads them: in the reader's
        language now (reminders.notices), not the one they were written in."""
        return reading.readable(super().paginate_queryset(queryset))
