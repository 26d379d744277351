"""Other apps' admins: superusers' tools only; the process's own tables are read only for all."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.urls import reverse
from viewflow.workflow.models import Task

from assignments.admin_other_apps import OUR_APPS
from assignments.permissions import REGISTRAR_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def overgranted_registrar_client(registrar_client, registrar):
    """A Registrator group someone has given every permission of the other apps by hand."""
    group = AuthGroup.objects.get(name=REGISTRAR_GROUP)
    group.permissions.add(*Permission.objects.exclude(content_type__app_label__in=OUR_APPS))
    return registrar_client


def an_approval_task() -> Task:
    return Task.objects.filter(flow_task_type="HUMAN").order_by("pk").first()


def other_apps_admins() -> list[str]:
    """The changelist of every admin on the site that is not one of our apps'."""
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in apps.get_models()
        if admin.site.is_registered(model) and model._meta.app_label not in OUR_APPS
    ]


def test_the_other_apps_admins_are_all_found():
    assert {
        "admin:viewflow_process_changelist",
        "admin:viewflow_task_changelist",
        "admin:notifications_notification_changelist",
        "admin:django_celery_beat_periodictask_changelist",
        "admin:auth_group_changelist",
    } <= set(other_apps_admins())


@pytest.mark.parametrize("changelist", other_apps_admins())
def test_other_apps_admins_are_closed_to_a_registrar_whatever_her_permissions(
    overgranted_registrar_client, changelist
):
    assert overgranted_registrar_client.get(reverse(changelist)).status_code == 403


def test_registrar_cannot_rewrite_a_workflow_task(overgranted_registrar_client, registrar):
    task = an_approval_task()
    url = reverse("admin:viewflow_task_change", args=[task.pk])
    assert overgranted_registrar_client.get(url).status_code == 403
    response = overgranted_registrar_client.post(
        url, {"owner": registrar.pk, "status": "NEW", "data": '{"decision_maker": 1}'}
    )
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).data == task.data


def test_registrar_cannot_give_her_own_group_more_permissions(overgranted_registrar_client):
    group = AuthGroup.objects.get(name=REGISTRAR_GROUP)
    url = reverse("admin:auth_group_change", args=[group.pk])
    before = set(group.permissions.values_list("pk", flat=True))
    response = overgranted_registrar_client.post(
        url,
        {"name": REGISTRAR_GROUP, "permissions": [p.pk for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_superuser_reads_workflow_tasks_but_cannot_change_or_delete_them(root_client, demo):
    task = an_approval_task()
    url = reverse("admin:viewflow_task_change", args=[task.pk])
    page = root_client.get(url)
    assert page.status_code == 200
    assert 'name="data"' not in page.content.decode()
    assert root_client.post(url, {"data": '{"decision_maker": 1}'}).status_code == 403
    assert Task.objects.get(pk=task.pk).data == task.data
    process_url = reverse("admin:viewflow_process_delete", args=[task.process_id])
    assert root_client.post(process_url, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


def test_superuser_still_manages_periodic_tasks_and_groups(root_client, demo):
    for changelist in (
        "admin:django_celery_beat_periodictask_changelist",
        "admin:auth_group_changelist",
        "admin:notifications_notification_changelist",
    ):
        assert root_client.get(reverse(changelist)).status_code == 200, changelist
