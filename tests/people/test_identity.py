"""Identity belongs to its person (issue 25): the e-mail address, user name,
employee id and password of an account that decides, commissions or administers change only by
a superuser, on every path; every change of an e-mail address is told to the old address and
ends that person's sessions and API tokens."""

import re

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from api import tokens
from assignments import history
from assignments.models import AuditEntry, User
from assignments.permissions import (
    REGIONAL_DIRECTOR_GROUP,
    REGISTRAR_GROUP,
    holds_authority,
    may_change_identity,
    may_set_password,
)
from people import identity
from people.sso import SingleSignOnBackend
from tests.admin_forms import admin_form_data
from tests.factories import AssignmentFactory, UserFactory
from workflow import services

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RUTS_OWN_ADDRESS = "rut.privat@example.net"


def change_url(user) -> str:
    return reverse("admin:assignments_user_change", args=[user.pk])


# -- issue 25, reproduction 3: the registrar takes over a decision-maker's account ------------


def test_a_registrar_cannot_take_over_a_decision_makers_account(
    demo, registrar_client, celery_eager
):
    """As `registrator`: put her own address on Per's account, ask "Glömt lösenordet?" for it,
    follow the link, choose a password, log in as Per. His decision page offered her the
    approve form."""
    per = User.objects.get(username="per.albertsson")
    jan = User.objects.get(username="jan.strang")
    services.submit_delivery(assignment=demo, actor=jan, summary="Förslag")  # Per's to decide

    page = registrar_client.get(change_url(per))
    changed = registrar_client.post(change_url(per), admin_form_data(page, email=RUTS_OWN_ADDRESS))

    stranger = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the reset mail, sent by a worker
        stranger.post(reverse("password_reset"), {"email": RUTS_OWN_ADDRESS})
    links = [
        re.search(r"/accounts/reset/\S+/", message.body).group(0)
        for message in mail.outbox
        if message.to == [RUTS_OWN_ADDRESS]
    ]
    for link in links:  # what she would do with a link, had she got one
        form = stranger.get(link, follow=True)
        chosen = "rut-tar-over-per-2026"
        stranger.post(form.request["PATH_INFO"], {"new_password1": chosen, "new_password2": chosen})
        stranger.post(LOGIN, {"username": per.username, "password": chosen})
    decision = stranger.get(reverse("workflow:decision", args=[demo.pk]))

    assert 'id="approve"' not in decision.content.decode()
    assert links == []
    assert changed.status_code == 403
    assert "Bara en administratör" in changed.content.decode()
    per.refresh_from_db()
    assert per.email == "per.albertsson@example.org"


# -- the rule: whose ways in a registrar may change --------------------------------------------

PROTECTED_KINDS = (
    "decision_maker",
    "commissioner",
    "registrar",
    "regional_director",
    "staff",
    "superuser",
)


def protected_person(kind: str) -> User:
    """A person who holds authority of one kind, and no other."""
    person = UserFactory(
        username=f"skyddad.{kind}",
        employee_id=f"E-{kind}",
        is_staff=kind == "staff",
        is_superuser=kind == "superuser",
    )
    if kind == "decision_maker":
        AssignmentFactory(decision_makers=[person])
    elif kind == "commissioner":
        AssignmentFactory(commissioners=[person])
    elif kind in ("registrar", "regional_director"):
        name = REGISTRAR_GROUP if kind == "registrar" else REGIONAL_DIRECTOR_GROUP
        person.groups.add(AuthGroup.objects.get_or_create(name=name)[0])
    return person


@pytest.mark.parametrize("kind", PROTECTED_KINDS)
def test_each_kind_of_authority_protects_the_account(kind, demo, registrar):
    person = protected_person(kind)
    assert holds_authority(person)
    assert not may_change_identity(registrar, person)
    assert not may_set_password(registrar, person)


def test_an_ordinary_persons_identity_is_the_registrars_to_correct_not_the_password(
    demo, registrar
):
    ordinary = UserFactory(username="vanlig.person")
    assignee_only = AssignmentFactory().assignee  # carrying out an assignment is no authority
    for person in (ordinary, assignee_only):
        assert not holds_authority(person)
        assert may_change_identity(registrar, person)
        assert not may_set_password(registrar, person)  # nobody else ever knows a password


def test_a_superuser_changes_anyones_and_a_person_their_own(demo, registrar):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    per = User.objects.get(username="per.albertsson")
    assert may_change_identity(root, per) and may_set_password(root, per)
    assert may_change_identity(per, per) and may_set_password(per, per)
    jan = User.objects.get(username="jan.strang")
    assert not may_change_identity(jan, UserFactory(username="vem.som.helst"))


# -- the admin: read-only, and a forged POST refused whole ------------------------------------


def test_a_registrar_sees_a_decision_makers_ways_in_read_only(demo, registrar_client):
    per = User.objects.get(username="per.albertsson")
    page = registrar_client.get(change_url(per)).content.decode()
    for name in ("email", "username", "employee_id"):
        assert f'name="{name}"' not in page, name
    assert "per.albertsson@example.org" in page  # shown, not editable
    for name in ("first_name", "last_name", "title", "org_unit", "language", "is_active"):
        assert f'name="{name}"' in page, name


FORGED = {
    "email": RUTS_OWN_ADDRESS,
    "username": "rut.som.per",
    "employee_id": "E-RUT",
    "password": "md5$salt$00000000000000000000000000000000",
}


@pytest.mark.parametrize("field", list(FORGED))
@pytest.mark.parametrize("kind", PROTECTED_KINDS)
def test_a_registrars_forged_post_is_refused_whole(kind, field, demo, registrar_client):
    person = protected_person(kind)
    stored = User.objects.values(*FORGED, "first_name").get(pk=person.pk)
    page = registrar_client.get(change_url(person))
    data = admin_form_data(
        page, first_name="Ändrad", change_reason="Rättelse", **{field: FORGED[field]}
    )
    response = registrar_client.post(change_url(person), data)
    assert response.status_code == 403
    assert "Bara en administratör kan ändra e-postadress" in response.content.decode()
    assert User.objects.values(*FORGED, "first_name").get(pk=person.pk) == stored
    assert not AuditEntry.objects.filter(object_type="assignments.User", object_id=str(person.pk))


def test_a_registrars_forged_password_is_refused_for_anyone(demo, registrar_client):
    jan = User.objects.get(username="jan.strang")  # no authority: his e-mail is hers to correct
    stored = jan.password
    page = registrar_client.get(change_url(jan))
    response = registrar_client.post(
        change_url(jan), admin_form_data(page, password=FORGED["password"], first_name="Johan")
    )
    assert response.status_code == 403
    assert "Bara en administratör kan byta någon annans lösenord." in response.content.decode()
    jan.refresh_from_db()
    assert (jan.password, jan.first_name) == (stored, "Jan")


def test_the_save_asks_the_rule_again_whatever_the_form_let_through(demo, registrar):
    per = User.objects.get(username="per.albertsson")
    per.email = RUTS_OWN_ADDRESS
    with pytest.raises(PermissionDenied):
        identity.save_person(person=per, actor=registrar, reason="Rättelse")
    assert User.objects.get(pk=per.pk).email == "per.albertsson@example.org"


def test_the_registrar_may_not_set_a_decision_makers_password(demo, registrar_client):
    per = User.objects.get(username="per.albertsson")
    url = reverse("admin:auth_user_password_change", args=[per.pk])
    response = registrar_client.post(
        url, {"password1": "rut-vet-det-4711", "password2": "rut-vet-det-4711"}
    )
    assert response.status_code == 403
    assert "Bara en administratör kan byta någon annans lösenord." in response.content.decode()


# -- an e-mail change: told to the old address, sessions and tokens end ----------------------


def test_a_registrar_changes_an_ordinary_persons_address_which_is_told_and_ends_the_rest(
    demo, registrar, registrar_client, django_capture_on_commit_callbacks
):
    jan = User.objects.get(username="jan.strang")
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    jans_browser = Client()
    jans_browser.force_login(jan)
    assert get_user(jans_browser).pk == jan.pk

    page = registrar_client.get(change_url(jan))
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            change_url(jan),
            admin_form_data(page, email="jan.strang@nya.example", change_reason="Ny förvaltning"),
        )
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.email == "jan.strang@nya.example"

    [notice] = mail.outbox
    assert notice.to == ["jan.strang@example.org"]  # the old address
    assert notice.subject == "Din e-postadress i Uppdrag är ändrad"
    assert "från jan.strang@example.org till jan.strang@nya.example" in notice.body
    assert "Ändringen gjordes av Rut Registrator." in notice.body
    assert "utloggad överallt" in notice.body and "API-nycklar" in notice.body

    entry = AuditEntry.objects.get(action="person.email_changed", object_id=str(jan.pk))
    assert entry.actor == registrar
    assert (entry.before, entry.after) == (
        {"email": "jan.strang@example.org"},
        {"email": "jan.strang@nya.example"},
    )
    assert entry.reason == "Ny förvaltning"

    assert get_user(jans_browser).is_anonymous  # his session ended
    assert tokens.token_for(secret) is None  # and his token
    assert not tokens.active_tokens_of(jan).exists()


def test_an_address_changes_only_with_a_reason(demo, registrar_client):
    jan = User.objects.get(username="jan.strang")
    page = registrar_client.get(change_url(jan))
    response = registrar_client.post(
        change_url(jan), admin_form_data(page, email="jan.strang@nya.example")
    )
    assert response.status_code == 200
    assert "Ange varför e-postadress, användarnamn eller anställnings-id ändras." in (
        response.content.decode()
    )
    jan.refresh_from_db()
    assert jan.email == "jan.strang@example.org"
    assert mail.outbox == []


def test_the_notice_is_in_english_for_a_person_who_chose_english(
    demo, root_client, django_capture_on_commit_callbacks
):
    per = User.objects.get(username="per.albertsson")
    per.language = "en"
    per.save(update_fields=["language"])
    page = root_client.get(change_url(per))
    with django_capture_on_commit_callbacks(execute=True):
        root_client.post(
            change_url(per),
            admin_form_data(page, email="per@nya.example", change_reason="Ny adress"),
        )
    [notice] = mail.outbox
    assert notice.to == ["per.albertsson@example.org"]
    assert notice.subject == "Your e-mail address in Uppdrag has changed"
    assert "from per.albertsson@example.org to per@nya.example" in notice.body


def test_a_superuser_changes_a_decision_makers_ways_in_and_the_same_follows(
    demo, root_client, django_capture_on_commit_callbacks
):
    per = User.objects.get(username="per.albertsson")
    _token, secret = tokens.issue_token(user=per, name="Diariet")
    pers_browser = Client()
    pers_browser.force_login(per)
    page = root_client.get(change_url(per))
    assert 'name="email"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = root_client.post(
            change_url(per),
            admin_form_data(
                page,
                email="per.albertsson@nya.example",
                username="per.a",
                employee_id="E-4711",
                change_reason="Ny förvaltning, nytt konto i katalogen",
            ),
        )
    assert response.status_code == 302
    per.refresh_from_db()
    assert (per.email, per.username, per.employee_id) == (
        "per.albertsson@nya.example",
        "per.a",
        "E-4711",
    )
    assert [m.to for m in mail.outbox] == [["per.albertsson@example.org"]]
    assert get_user(pers_browser).is_anonymous
    assert tokens.token_for(secret) is None
    entry = AuditEntry.objects.get(action="person.email_changed", object_id=str(per.pk))
    assert entry.reason == "Ny förvaltning, nytt konto i katalogen"


def test_a_change_of_address_on_any_path_ends_the_sessions(demo):
    """The session hash covers the address: no path has to remember to end the sessions."""
    per = User.objects.get(username="per.albertsson")
    browser = Client()
    browser.force_login(per)
    User.objects.filter(pk=per.pk).update(email="per@annan.example")
    assert get_user(browser).is_anonymous


def test_a_reset_link_sent_before_the_change_no_longer_works(demo, celery_eager):
    per = User.objects.get(username="per.albertsson")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the reset mail, sent by a worker
        Client().post(reverse("password_reset"), {"email": per.email})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    User.objects.filter(pk=per.pk).update(email="per@annan.example")
    assert "Länken fungerar inte" in Client().get(link, follow=True).content.decode()


def test_a_sessions_hash_still_follows_the_password_and_the_secret_key_fallbacks(demo, settings):
    per = User.objects.get(username="per.albertsson")
    browser = Client()
    browser.force_login(per)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "en-ny-nyckel-" + "x" * 50
    assert get_user(browser).pk == per.pk  # a rotated key keeps the session (Django's rule)
    per.set_password("ett-nytt-lösenord-2026")
    per.save(update_fields=["password"])
    assert get_user(browser).is_anonymous


def test_the_history_tells_the_change_of_address(demo, registrar):
    jan = User.objects.get(username="jan.strang")
    jan.email = "jan.strang@nya.example"
    identity.save_person(person=jan, actor=registrar, reason="Ny förvaltning")
    entry = AuditEntry.objects.select_related("actor").get(action="person.email_changed")
    with translation.override("sv"):
        [line] = history.describe([entry])
    assert line.text == (
        "Rut Registrator ändrade e-postadressen för Jan Sträng från jan.strang@example.org till "
        "jan.strang@nya.example; den gamla adressen fick besked, inloggningarna och "
        "API-nycklarna upphörde: ”Ny förvaltning”"
    )


# -- single sign-on: linking is the person's own act, and never rewrites the address ----------


def test_single_sign_on_links_a_decision_maker_to_their_employee_id(demo, settings):
    settings.OIDC_MATCH_CLAIM = "employeeid"
    per = User.objects.get(username="per.albertsson")
    claims = {"sub": "per", "employeeid": "E-PER", "email": "Per.Albertsson@region.example"}
    SingleSignOnBackend().update_user(per, claims)
    per.refresh_from_db()
    assert per.employee_id == "E-PER"
    assert per.email == "per.albertsson@example.org"  # a sign-in never rewrites the address
    assert not AuditEntry.objects.filter(action="person.email_changed").exists()
