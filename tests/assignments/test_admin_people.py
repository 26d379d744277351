"""The people admin: a registrar manages people, only a superuser hands out privileges."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.urls import reverse

from assignments.models import AuditEntry, OrgUnit, User
from assignments.permissions import REGISTRAR_GROUP
from tests.admin_forms import admin_form_data
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def change_url(user) -> str:
    return reverse("admin:assignments_user_change", args=[user.pk])


def password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


# -- repro 2: a registrar makes anyone a superuser --------------------------------------------


def test_registrar_cannot_make_anyone_a_superuser_or_give_groups_and_permissions(
    registrar_client,
):
    jan = User.objects.get(username="jan.strang")
    page = registrar_client.get(change_url(jan))
    assert page.status_code == 200
    data = admin_form_data(page, title="Utvecklingsledare")
    data.update(
        is_superuser="on",
        is_staff="on",
        groups=[str(AuthGroup.objects.get(name=REGISTRAR_GROUP).pk)],
        user_permissions=[str(Permission.objects.get(codename="change_assignment").pk)],
    )
    response = registrar_client.post(change_url(jan), data)
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.title == "Utvecklingsledare"  # managing people is the registrar's job
    assert (jan.is_superuser, jan.is_staff) == (False, False)
    assert not jan.groups.exists()
    assert not jan.user_permissions.exists()


def test_registrar_does_not_see_the_privilege_fields(registrar_client):
    jan = User.objects.get(username="jan.strang")
    content = registrar_client.get(change_url(jan)).content.decode()
    for name in ("is_superuser", "groups", "user_permissions", "is_staff"):
        assert f'name="{name}"' not in content, name
    for name in ("first_name", "last_name", "email", "title", "org_unit", "language", "is_active"):
        assert f'name="{name}"' in content, name


def test_registrar_cannot_open_the_admins_password_form(registrar_client):
    admin_user = User.objects.get(username="admin")
    hash_before = admin_user.password
    assert registrar_client.get(password_url(admin_user)).status_code == 403
    response = registrar_client.post(
        password_url(admin_user),
        {"password1": "ny-lösen-4711!", "password2": "ny-lösen-4711!", "usable_password": "true"},
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.password == hash_before


def test_registrar_cannot_set_another_persons_password(registrar_client):
    jan = User.objects.get(username="jan.strang")
    assert registrar_client.get(password_url(jan)).status_code == 403


def test_registrar_cannot_change_an_admin_account(registrar_client):
    """The e-mail of an admin account is the way into it (a password reset): not hers to edit."""
    admin_user = User.objects.get(username="admin")
    page = registrar_client.get(change_url(admin_user))
    assert page.status_code == 200  # she may see who the administrators are
    assert 'name="email"' not in page.content.decode()
    response = registrar_client.post(
        change_url(admin_user), {"username": "admin", "email": "rut@example.org"}
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.email != "rut@example.org"


def test_registrar_manages_names_email_title_unit_language_and_active(registrar_client, registrar):
    jan = User.objects.get(username="jan.strang")
    unit = OrgUnit.objects.get(name="Koncernkontoret")
    page = registrar_client.get(change_url(jan))
    data = admin_form_data(
        page,
        first_name="Johan",
        email="johan.strang@example.org",
        title="Strateg",
        org_unit=unit.pk,
        language="en",
        change_reason="Har bytt namn",  # a new e-mail address is told why (test_identity.py)
    )
    data.pop("is_active")
    response = registrar_client.post(change_url(jan), data)
    assert response.status_code == 302
    jan.refresh_from_db()
    assert (jan.first_name, jan.email, jan.title, jan.language, jan.is_active) == (
        "Johan",
        "johan.strang@example.org",
        "Strateg",
        "en",
        False,
    )
    entry = AuditEntry.objects.get(action="admin.changed", object_type="assignments.User")
    assert entry.actor == registrar
    assert entry.before["first_name"] == "Jan" and entry.after["first_name"] == "Johan"
    assert entry.after["is_active"] is False
    assert "password" not in entry.before and "password" not in entry.after


def test_a_person_added_by_a_registrar_has_no_password_until_they_set_one(
    registrar_client, registrar
):
    page = registrar_client.get(reverse("admin:assignments_user_add"))
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    response = registrar_client.post(
        reverse("admin:assignments_user_add"),
        {
            "username": "kim.berg",
            "first_name": "Kim",
            "last_name": "Berg",
            "email": "kim.berg@example.org",
            "password1": "känt-lösen-4711!",
            "password2": "känt-lösen-4711!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kim = User.objects.get(username="kim.berg")
    assert not kim.has_usable_password()
    assert (kim.is_staff, kim.is_superuser) == (False, False)
    entry = AuditEntry.objects.get(action="admin.created", object_type="assignments.User")
    assert entry.actor == registrar
    assert entry.after["username"] == "kim.berg"
    assert "password" not in entry.after


# -- what a superuser still does, now audited ---------------------------------------------------


def test_superuser_grants_groups_and_privileges_and_the_audit_names_them(root_client):
    jan = User.objects.get_or_create(username="jan.strang")[0]
    registrars = AuthGroup.objects.get_or_create(name=REGISTRAR_GROUP)[0]
    page = root_client.get(change_url(jan))
    assert 'name="is_superuser"' in page.content.decode()
    data = admin_form_data(page, is_staff="on", groups=[str(registrars.pk)])
    response = root_client.post(change_url(jan), data)
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.is_staff and list(jan.groups.all()) == [registrars]
    entry = AuditEntry.objects.get(action="admin.changed", object_type="assignments.User")
    assert entry.before == {"is_staff": False, "groups": []}
    assert entry.after == {"is_staff": True, "groups": [registrars.pk]}


def test_superuser_sets_a_password_and_the_audit_keeps_no_hash(root_client):
    jan = UserFactory(username="jan")
    response = root_client.post(
        password_url(jan),
        {"password1": "ny-lösen-4711!", "password2": "ny-lösen-4711!", "usable_password": "true"},
    )
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.check_password("ny-lösen-4711!")
    entry = AuditEntry.objects.get(object_type="assignments.User", object_id=str(jan.pk))
    assert entry.action == "admin.password_changed"
    assert entry.before is None and entry.after is None


def test_superuser_adds_a_person_with_a_password_and_the_audit_keeps_no_hash(root_client):
    response = root_client.post(
        reverse("admin:assignments_user_add"),
        {
            "username": "kim.berg",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kim = User.objects.get(username="kim.berg")
    assert kim.check_password(TEST_PASSWORD)
    entry = AuditEntry.objects.get(action="admin.created", object_type="assignments.User")
    assert entry.after["username"] == "kim.berg"
    assert "password" not in entry.after
    assert kim.password not in str(entry.after)
