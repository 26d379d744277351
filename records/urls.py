"""The records pages: /tillganglighet/ for everyone, /arkiv/ for registrars."""

from django.urls import path

from . import views

urlpatterns = [
    path("tillganglighet/", views.accessibility_statement, name="accessibility_statement"),
    path("arkiv/", views.records_page, name="records"),
    path("arkiv/granskningslogg.<str:fmt>", views.audit_trail_export, name="audit_trail_export"),
    path("arkiv/uppdrag/<int:pk>/e-arkiv.zip", views.assignment_package, name="assignment_package"),
]
