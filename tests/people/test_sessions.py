"""How long a sign-in counts (people/sessions.py, issue 27's lows): an idle timeout, an absolute
limit, and a recent authentication before a lasting key is made or an address is changed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments.models import User
from people import sessions
from tests.admin_forms import admin_form_data
from tests.factories import TEST_PASSWORD, UserFactory
from workflow.models import CalendarFeedToken

pytestmark = pytest.mark.django_db

SETTINGS_PAGE = "/installningar/"


def signed_in_at(moment, user=None) -> tuple[Client, User]:
    """A browser that logged in with the password at `moment` (the clock stays there)."""
    user = user or UserFactory()
    browser = Client()
    with time_machine.travel(moment, tick=False):
        response = browser.post(
            "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
        )
    assert response.status_code == 302
    return browser, user


def is_signed_in(browser: Client) -> bool:
    response = browser.get(SETTINGS_PAGE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


# -- the session's lifetime -----------------------------------------------------------------------


def test_a_session_ends_after_the_idle_timeout(settings):
    start = timezone.now()
    browser, _user = signed_in_at(start)
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    with time_machine.travel(start + idle - dt.timedelta(minutes=1), tick=False):
        assert is_signed_in(browser)
    # counted from the last request, not from the login
    with time_machine.travel(start + 2 * idle - dt.timedelta(minutes=3), tick=False):
        assert is_signed_in(browser)
    with time_machine.travel(start + 3 * idle, tick=False):
        response = browser.get(SETTINGS_PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_busy_session_still_ends_at_the_absolute_limit(settings):
    start = timezone.now()
    browser, _user = signed_in_at(start)
    step = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 5)
    moment = start
    limit = start + dt.timedelta(hours=settings.SESSION_MAX_HOURS)
    while moment + step < limit:
        moment += step
        with time_machine.travel(moment, tick=False):
            assert is_signed_in(browser)
    with time_machine.travel(limit + dt.timedelta(minutes=1), tick=False):
        response = browser.get(SETTINGS_PAGE, follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/")
        assert get_user(browser).is_anonymous
        assert f"Du har varit inloggad i {settings.SESSION_MAX_HOURS} timmar" in (
            response.content.decode()
        )


def test_the_session_is_written_at_most_once_a_minute_by_requests_alone():
    from django.contrib.sessions.models import Session

    start = timezone.now()
    browser, _user = signed_in_at(start)
    key = browser.cookies["sessionid"].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        browser.get(SETTINGS_PAGE)
    first = expiry()
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        browser.get(SETTINGS_PAGE)
    assert expiry() == first
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        browser.get(SETTINGS_PAGE)
    assert expiry() > first


# -- recent authentication ----------------------------------------------------------------------


def test_a_calendar_address_needs_a_recent_authentication(settings):
    start = timezone.now()
    browser, user = signed_in_at(start)
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert browser.post("/installningar/kalender/").status_code == 200
    later = start + dt.timedelta(minutes=settings.REAUTHENTICATION_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = browser.post("/installningar/kalender/")
        assert response.status_code == 302
        assert response["Location"] == sessions.confirm_url(SETTINGS_PAGE)
        assert CalendarFeedToken.objects.filter(user=user).count() == 1  # the first one only
        confirmed = browser.post(response["Location"], {"password": TEST_PASSWORD})
        assert confirmed["Location"] == SETTINGS_PAGE
        assert browser.post("/installningar/kalender/").status_code == 200
    assert CalendarFeedToken.objects.filter(user=user).count() == 2


def test_the_confirmation_goes_nowhere_outside_the_site():
    browser, _user = signed_in_at(timezone.now())
    page = reverse("confirm_identity") + "?next=https://elak.example/"
    response = browser.post(page, {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_PAGE


def test_wrong_passwords_at_the_confirmation_lock_the_account_as_logins_do(settings):
    settings.AXES_FAILURE_LIMIT = 4
    browser, user = signed_in_at(timezone.now())
    page = sessions.confirm_url(SETTINGS_PAGE)
    answers = [browser.post(page, {"password": "fel"}).status_code for _ in range(5)]
    assert answers[0] == 400 and answers[-1] == 429  # axes' lockout page, as a login's
    locked = browser.post(page, {"password": TEST_PASSWORD})
    assert locked.status_code == 429
    other = Client()
    refused = other.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert refused.status_code == 429


def test_a_person_without_a_password_is_asked_to_sign_in_again(settings):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    browser = Client()
    browser.force_login(person)
    page = browser.get(reverse("confirm_identity"))
    assert page.status_code == 200
    assert 'type="password"' not in page.content.decode()
    response = browser.post(reverse("confirm_identity"), {"password": "vad som helst"})
    assert response.status_code == 400
    settings.OIDC_ENABLED = True
    assert (
        "Logga in igen med regionens konto"
        in browser.get(reverse("confirm_identity")).content.decode()
    )


def test_changing_ones_own_address_needs_a_recent_authentication(settings):
    start = timezone.now()
    root = UserFactory(username="rot", is_staff=True, is_superuser=True)
    browser, _root = signed_in_at(start, root)
    url = reverse("admin:assignments_user_change", args=[root.pk])
    later = start + dt.timedelta(minutes=settings.REAUTHENTICATION_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        page = browser.get(url)
        assert page.status_code == 200
        assert "bekräftat att det är du" in page.content.decode()
        assert page.context["adminform"].form.fields["email"].disabled
        data = admin_form_data(page, change_reason="Ny adress")
        data["email"] = "rot@ny.example"
        response = browser.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == sessions.confirm_url(url)
        root.refresh_from_db()
        assert root.email != "rot@ny.example"

        browser.post(response["Location"], {"password": TEST_PASSWORD})
        page = browser.get(url)
        assert not page.context["adminform"].form.fields["email"].disabled
        saved = browser.post(url, admin_form_data(page, email="rot@ny.example", change_reason="Ny"))
        assert saved.status_code == 302
    root.refresh_from_db()
    assert root.email == "rot@ny.example"
