from django.urls import path

from .views import assignment, audit, decision, document, register, versions, watch

app_name = "workflow"

urlpatterns = [
    path("nytt/", register.new_assignment, name="new"),
    path("nytt/period/", register.period_dates, name="period"),
    path("nytt/importera/", register.import_upload, name="import_upload"),
    path("nytt/inlasning/<str:token>/", register.import_progress, name="import_progress"),
    path("nytt/granska/<str:token>/", register.import_review, name="import_review"),
    path(
        "nytt/granska/<str:token>/sida-<int:number>.png",
        register.import_page_image,
        name="import_page_image",
    ),
    path("<int:pk>/redigera/", register.edit_assignment, name="edit"),
    path("<int:pk>/kalldokument/", register.source_document, name="source_document"),
    path("<int:pk>/", assignment.process_page, name="assignment"),
    path("<int:pk>/beslut/", decision.decision_page, name="decision"),
    path("<int:pk>/process/", assignment.process_page, name="process"),
    path("<int:pk>/adopt/", assignment.adopt, name="adopt"),
    path("<int:pk>/delivery/", assignment.submit, name="submit"),
    path("<int:pk>/approve/", decision.approve, name="approve"),
    path("<int:pk>/return/", decision.return_for_revision, name="return"),
    path(
        "<int:pk>/leveranser/<int:number>/dokument/",
        assignment.delivery_document,
        name="delivery_document",
    ),
    path("<int:pk>/cancel/", assignment.cancel, name="cancel"),
    path("<int:pk>/reassign/", assignment.reassign, name="reassign"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/status/",
        assignment.milestone_status,
        name="milestone_status",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/due/",
        assignment.milestone_due,
        name="milestone_due",
    ),
    path("<int:pk>/uppdragshandling.pdf", document.document_pdf, name="document_pdf"),
    path("<int:pk>/uppdragshandling.docx", document.document_docx, name="document_docx"),
    path("<int:pk>/ny-version/", versions.new_version, name="new_version"),
    path("<int:pk>/versioner/", versions.version_diff_page, name="versions"),
    path("<int:pk>/audit/", audit.audit_log, name="audit"),
    path("<int:pk>/paminn-mig/", watch.watch_page, name="watch"),
    path("bevakningar/<int:pk>/ta-bort/", watch.cancel_watch, name="cancel_watch"),
    path("<int:pk>/audit.csv", audit.audit_csv, name="audit_csv"),
]
