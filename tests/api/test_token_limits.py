"""Issue 27, reproduction 2: an API token has an expiry and a scope, ends with its person's
ways in (password change or reset, deactivation, e-mail change) for good, and is created only
after the person has shown again that it is them, with a mail to them about it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from api import tokens
from api.models import PersonalToken
from assignments.models import AuditEntry, MilestoneUpdate
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "ett-annat-lösenord-456"  # noqa: S105 - test-only credential


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def works(secret: str) -> bool:
    status = bearer(secret).get("/api/me/tasks/").status_code
    assert status in (200, 401), status
    return status == 200


# -- an expiry ------------------------------------------------------------------------------------


def test_a_token_stops_working_when_it_expires(people, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
        assert works(secret)
    lifetime = dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    with time_machine.travel(start + lifetime - dt.timedelta(minutes=1)):
        assert works(secret)
    with time_machine.travel(start + lifetime + dt.timedelta(minutes=1)):
        response = bearer(secret).get("/api/me/tasks/")
        assert response.status_code == 401
        assert "gått ut" in response.json()["detail"]
        assert not tokens.active_tokens_of(people["jan.strang"]).exists()


def test_no_token_outlives_the_longest_expiry(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    with time_machine.travel(start + dt.timedelta(days=400)):
        assert not works(secret)


def test_an_expiry_is_chosen_up_to_the_maximum(people, settings):
    jan = people["jan.strang"]
    token, _secret = tokens.issue_token(user=jan, name="Kort", days=7)
    assert dt.timedelta(days=7) - (token.expires_at - token.created_at) < dt.timedelta(seconds=1)
    for days in (0, settings.API_TOKEN_MAX_DAYS + 1):
        with pytest.raises(tokens.ValidationError, match="mellan 1 och"):
            tokens.issue_token(user=jan, name="Fel", days=days)


# -- a scope --------------------------------------------------------------------------------------


def test_a_read_token_reads_but_cannot_change_a_milestone(demo, people):
    _token, secret = tokens.issue_token(
        user=people["jan.strang"], name="Power BI", scope=PersonalToken.Scope.READ
    )
    client = bearer(secret)
    assert client.get(f"/api/assignments/{demo.pk}/").status_code == 200
    milestone = demo.milestones.order_by("position").first()
    for path, data in [
        (f"milestones/{milestone.pk}/status/", {"to_status": "in_progress", "comment": "Start."}),
        (f"milestones/{milestone.pk}/due/", {"new_due": "2030-01-30", "reason": "Försenad."}),
    ]:
        response = client.post(f"/api/assignments/{demo.pk}/{path}", data, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "token_scope"
        assert "bara läsa" in response.json()["detail"]
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()


def test_a_read_token_of_a_decision_maker_cannot_approve(demo, people):
    from workflow import services

    services.submit_delivery(assignment=demo, actor=people["jan.strang"], summary="Slutrapport.")
    _token, secret = tokens.issue_token(
        user=people["per.albertsson"], name="Power BI", scope=PersonalToken.Scope.READ
    )
    response = bearer(secret).post(f"/api/assignments/{demo.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="delivery.approved").exists()
    _token, act = tokens.issue_token(
        user=people["per.albertsson"], name="Diariet", scope=PersonalToken.Scope.ACT
    )
    assert bearer(act).post(f"/api/assignments/{demo.pk}/approve/", {}).status_code == 201


def test_a_read_tokens_refusal_is_in_english_when_asked(demo, people):
    _token, secret = tokens.issue_token(
        user=people["jan.strang"], name="Power BI", scope=PersonalToken.Scope.READ
    )
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(f"/api/assignments/{demo.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


# -- the ways in change: the person's tokens end, for good ------------------------------------


@pytest.fixture
def jan(people):
    """Jan with a password he knows, and a token issued after it was set."""
    person = people["jan.strang"]
    person.set_password(TEST_PASSWORD)
    person.save()
    return person


def test_a_password_change_ends_the_persons_tokens(jan):
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    browser = Client()
    browser.force_login(jan)
    response = browser.post(
        "/accounts/password_change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not works(secret)
    revoked = AuditEntry.objects.filter(action="api_token.revoked", reason__icontains="lösenord")
    assert revoked.exists()


def test_a_password_reset_ends_the_persons_tokens(jan):
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    uid = urlsafe_base64_encode(force_bytes(jan.pk))
    link = f"/accounts/reset/{uid}/{default_token_generator.make_token(jan)}/"
    browser = Client()
    form = browser.get(link, follow=True)
    assert form.status_code == 200
    response = browser.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.check_password(NEW_PASSWORD)
    assert not works(secret)


def test_a_deactivated_persons_tokens_stay_dead_after_reactivation(jan):
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    jan.is_active = False
    jan.save()
    assert not works(secret)
    jan.is_active = True
    jan.save()
    assert not works(secret)
    assert not tokens.active_tokens_of(jan).exists()
    _new, new_secret = tokens.issue_token(user=jan, name="Diariet")
    assert works(new_secret)


def test_an_e_mail_change_ends_tokens_for_good_even_if_changed_back(jan):
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    old = jan.email
    jan.email = "jan.strang@nya.example"
    jan.save()
    assert not works(secret)
    jan.email = old
    jan.save()
    assert not works(secret)


def test_a_token_survives_what_leaves_the_ways_in_alone(jan):
    token, secret = tokens.issue_token(user=jan, name="Diariet")
    jan.title = "Utvecklingschef"
    jan.save()
    signed_in = Client().post(
        "/accounts/login/", {"username": jan.username, "password": TEST_PASSWORD}
    )  # a login saves last_login
    assert signed_in.status_code == 302
    assert works(secret)
    token.refresh_from_db()
    assert token.revoked_at is None


# -- creating one: the password again, and a mail to the owner ---------------------------------


def test_creating_a_token_needs_the_password_again_and_tells_the_owner(
    jan, settings, django_capture_on_commit_callbacks
):
    browser = Client()
    browser.force_login(jan)
    later = timezone.now() + dt.timedelta(minutes=settings.REAUTHENTICATION_MINUTES + 1)
    with time_machine.travel(later):
        response = browser.post(
            "/installningar/api-nycklar/", {"name": "Diariet", "scope": "read", "days": "30"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/bekrafta/?next=")
        assert not PersonalToken.objects.filter(user=jan).exists()

        wrong = browser.post(response["Location"], {"password": "fel-lösenord"})
        assert wrong.status_code == 400
        assert "Lösenordet stämmer inte" in wrong.content.decode()
        confirmed = browser.post(response["Location"], {"password": TEST_PASSWORD})
        assert confirmed.status_code == 302
        assert confirmed["Location"] == "/installningar/api-nycklar/"

        with django_capture_on_commit_callbacks(execute=True):
            created = browser.post(
                "/installningar/api-nycklar/", {"name": "Diariet", "scope": "read", "days": "30"}
            )
        assert created.status_code == 200
    token = PersonalToken.objects.get(user=jan)
    assert token.scope == PersonalToken.Scope.READ
    [notice] = mail.outbox
    assert notice.to == [jan.email]
    assert "API-nyckel" in notice.subject
    assert "Diariet" in notice.body and token.prefix in notice.body
    assert "bara läsa" in notice.body
    secret = next(w for w in created.content.decode().split('"') if w.startswith("upd_"))
    assert secret not in notice.body


def test_the_mail_about_a_new_token_is_in_english_for_those_who_chose_english(
    jan, django_capture_on_commit_callbacks
):
    jan.language = "en"
    jan.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        tokens.issue_token(user=jan, name="Power BI", scope=PersonalToken.Scope.ACT)
    [notice] = mail.outbox
    assert "API token" in notice.subject
    assert "read and act" in notice.body and "Power BI" in notice.body
