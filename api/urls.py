"""The API under /api/: its schema and documentation, assignments, the acts on them, and what
waits for me. Routes are written out, one per endpoint, as the access matrix lists them."""

from django.urls import path

from .views import actions, archive, assignments, docs, mine

app_name = "api"

urlpatterns = [
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.SwaggerUI.as_view(), name="docs"),
    path("assignments/", assignments.AssignmentList.as_view(), name="assignments"),
    path("assignments/<int:pk>/", assignments.AssignmentDetail.as_view(), name="assignment"),
    path(
        "assignments/<int:pk>/milestones/<int:milestone_pk>/status/",
        actions.MilestoneStatus.as_view(),
        name="milestone_status",
    ),
    path(
        "assignments/<int:pk>/milestones/<int:milestone_pk>/due/",
        actions.MilestoneDue.as_view(),
        name="milestone_due",
    ),
    path("assignments/<int:pk>/deliveries/", actions.SubmitDelivery.as_view(), name="deliveries"),
    path("assignments/<int:pk>/approve/", actions.Approve.as_view(), name="approve"),
    path("assignments/<int:pk>/return/", actions.Return.as_view(), name="return"),
    path("assignments/<int:pk>/e-arkiv/", archive.ArchivePackage.as_view(), name="archive_package"),
    path("me/tasks/", mine.MyTasks.as_view(), name="my_tasks"),
    path("me/notifications/", mine.MyNotifications.as_view(), name="my_notifications"),
]
