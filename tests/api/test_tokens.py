"""Personal API tokens (api/tokens.py, api/authentication.py): shown once, kept as a hash,
revoked for good, and only ever the person's own rights."""

from __future__ import annotations

import hashlib

import pytest
import time_machine
from rest_framework.test import APIClient

from api import tokens
from api.models import PersonalToken
from assignments.models import AuditEntry, User


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_a_hash_of_the_token_is_stored(people):
    token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    stored = PersonalToken.objects.values().get(pk=token.pk)
    assert secret.startswith("upd_") and len(secret) > 40
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored)
    assert stored["prefix"] == secret[:12]
    entry = AuditEntry.objects.get(action="api_token.created", object_id=str(token.pk))
    assert entry.actor == people["jan.strang"]
    assert secret not in str(entry.after) and secret not in entry.object_repr


def test_a_token_acts_as_its_person(people, demo):
    _token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    response = bearer(secret).get("/api/me/tasks/")
    assert response.status_code == 200
    assert [t["assignment"]["id"] for t in response.json()["results"]] == [demo.pk]


def test_a_token_notes_when_it_was_last_used_at_most_every_five_minutes(people):
    token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False):
        bearer(secret).get("/api/me/tasks/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with time_machine.travel("2026-03-02 09:03 +01:00", tick=False):
        bearer(secret).get("/api/me/tasks/")
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel("2026-03-02 09:06 +01:00", tick=False):
        bearer(secret).get("/api/me/tasks/")
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.parametrize(
    "header",
    [
        "Bearer upd_fel",
        "Bearer nagot-helt-annat",
        "Bearer två delar",
        "Bearer",
    ],
)
def test_a_wrong_token_is_a_401_naming_bearer(people, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    response = client.get("/api/assignments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "authentication_failed"


def test_no_credentials_is_a_401_in_swedish(db):
    response = APIClient().get("/api/assignments/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Autentiseringsuppgifter ej tillhandahållna.",
        "code": "not_authenticated",
    }


def test_a_revoked_token_stops_working_at_once(people):
    token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    assert bearer(secret).get("/api/me/tasks/").status_code == 200
    tokens.revoke_token(token=token, actor=people["jan.strang"])
    response = bearer(secret).get("/api/me/tasks/")
    assert response.status_code == 401
    assert "återkallad" in response.json()["detail"]
    assert PersonalToken.objects.filter(pk=token.pk).exists()  # revoked, never deleted
    assert AuditEntry.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()


def test_the_token_of_a_deactivated_person_stops_working(people):
    jan = people["jan.strang"]
    _token, secret = tokens.issue_token(user=jan, name="Diariet")
    jan.is_active = False
    jan.save(update_fields=["is_active"])
    assert bearer(secret).get("/api/me/tasks/").status_code == 401


def test_nobody_revokes_anyone_elses_token(people):
    token, _secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    with pytest.raises(PersonalToken.DoesNotExist):
        tokens.revoke_token(token=token, actor=people["per.albertsson"])
    token.refresh_from_db()
    assert token.is_active


def test_a_token_needs_a_name_and_a_person_has_at_most_25(people):
    jan = people["jan.strang"]
    with pytest.raises(tokens.ValidationError):
        tokens.issue_token(user=jan, name="  ")
    for number in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.issue_token(user=jan, name=f"Nyckel {number}")
    with pytest.raises(tokens.ValidationError, match="25 aktiva nycklar"):
        tokens.issue_token(user=jan, name="En till")


# -- the settings page ---------------------------------------------------------------------------


def test_the_settings_page_creates_a_token_and_shows_it_once(client, people):
    client.force_login(people["jan.strang"])
    response = client.post("/installningar/api-nycklar/", {"name": "Diariet", "scope": "act"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = PersonalToken.objects.get(user=people["jan.strang"], name="Diariet")
    page = response.content.decode()
    secret = next(word for word in page.split('"') if word.startswith("upd_"))
    assert tokens.digest_of(secret) == token.digest
    assert "visas bara den här gången" in page

    settings_page = client.get("/installningar/").content.decode()
    assert "Diariet" in settings_page and token.prefix in settings_page
    assert secret not in settings_page


def test_a_token_without_a_name_is_refused_with_the_form_again(client, people):
    client.force_login(people["jan.strang"])
    response = client.post("/installningar/api-nycklar/", {"name": ""})
    assert response.status_code == 400
    assert "Ge nyckeln ett namn" in response.content.decode()
    assert not PersonalToken.objects.exists()


def test_the_settings_page_revokes_a_token(client, people):
    token, secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    client.force_login(people["jan.strang"])
    response = client.post(f"/installningar/api-nycklar/{token.pk}/aterkalla/")
    assert response.status_code == 302
    assert response["Location"] == "/installningar/#api-tokens"
    token.refresh_from_db()
    assert not token.is_active
    page = client.get("/installningar/").content.decode()
    assert "API-nyckeln ”Diariet” är återkallad." in page
    assert token.prefix not in page and "Du har inga API-nycklar." in page
    assert bearer(secret).get("/api/me/tasks/").status_code == 401


def test_someone_elses_token_cannot_be_revoked_on_the_page(client, people):
    token, _secret = tokens.issue_token(user=people["jan.strang"], name="Diariet")
    client.force_login(people["per.albertsson"])
    assert client.post(f"/installningar/api-nycklar/{token.pk}/aterkalla/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_token_section_is_in_english_for_those_who_chose_english(client, people):
    jan = people["jan.strang"]
    jan.language = "en"
    jan.save(update_fields=["language"])
    client.force_login(jan)
    page = client.get("/installningar/").content.decode()
    assert "API tokens" in page and "Create API token" in page and "API-nyckel" not in page


# -- a token is bound to its person's e-mail address (people/identity.py) ------------------


def test_a_change_of_e_mail_address_on_any_path_ends_the_persons_tokens(people, demo):
    jan = people["jan.strang"]
    token, secret = tokens.issue_token(user=jan, name="Diariet")
    assert bearer(secret).get("/api/me/tasks/").status_code == 200
    User.objects.filter(pk=jan.pk).update(email="jan.strang@nya.example")
    assert bearer(secret).get("/api/me/tasks/").status_code == 401
    assert not tokens.active_tokens_of(jan).exists()
    token.refresh_from_db()
    assert not token.is_active


def test_a_token_issued_after_the_change_works(people, demo):
    jan = people["jan.strang"]
    _old, old_secret = tokens.issue_token(user=jan, name="Diariet")
    jan.email = "jan.strang@nya.example"
    jan.save(update_fields=["email"])
    new, new_secret = tokens.issue_token(user=jan, name="Diariet")
    assert bearer(new_secret).get("/api/me/tasks/").status_code == 200
    assert bearer(old_secret).get("/api/me/tasks/").status_code == 401
    assert list(tokens.active_tokens_of(jan)) == [new]
    assert new.email_at_issue == "jan.strang@nya.example"
