from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("<int:pk>/", views.process_page, name="assignment"),
    path("<int:pk>/beslut/", views.decision_page, name="decision"),
    path("<int:pk>/process/", views.process_page, name="process"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/delivery/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_for_revision, name="return"),
    path(
        "<int:pk>/leveranser/<int:number>/dokument/",
        views.delivery_document,
        name="delivery_document",
    ),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/status/",
        views.milestone_status,
        name="milestone_status",
    ),
    path("<int:pk>/milestones/<int:milestone_pk>/due/", views.milestone_due, name="milestone_due"),
    path("<int:pk>/audit/", views.audit_log, name="audit"),
    path("<int:pk>/audit.csv", views.audit_csv, name="audit_csv"),
]
