"""Logins (issue 15, reproduction 6): guessing a password is not free, reset mails are throttled,
and the reset pages are ours.

Failures lock an account from every address and an address for every account (django-axes),
for a cool-off; a person's own successful login clears only their own failures from that
address, so a colleague logging in cannot wipe the failures against someone else's account.
"""

import datetime as dt
import ipaddress
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from people import logins
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "för många misslyckade inloggningsförsök"
THROTTLED = "för många begäranden om nytt lösenord"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The reset throttle counts in the cache, which tests share."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person():
    return UserFactory(username="per.albertsson", email="per.albertsson@example.org")


def _login(client, username, password, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username, times, address="10.0.0.1", url=LOGIN):
    for _ in range(times):
        response = _login(client, username, "fel-lösenord", address, url)
    return response


# -- lockout -----------------------------------------------------------------------------------


def test_forty_wrong_passwords_and_then_the_right_one_does_not_log_in(client, person):
    _fail(client, person.username, 40)
    response = _login(client, person.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)


def test_an_account_is_locked_after_failures_from_different_addresses(client, person):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, person.username, 1, address=f"10.0.1.{n}")
    response = _login(client, person.username, TEST_PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert not _logged_in(client)


def test_an_address_is_locked_after_failures_on_different_accounts(client, person):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"gissning{n}", 1, address="10.0.3.1")
    assert _login(client, person.username, TEST_PASSWORD, address="10.0.3.1").status_code == 429
    assert not _logged_in(client)
    # the account itself is not locked: from another address it logs in
    assert _login(client, person.username, TEST_PASSWORD, address="10.0.3.2").status_code == 302
    assert _logged_in(client)


def test_failures_below_the_limit_still_let_the_right_password_in(client, person):
    _fail(client, person.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, person.username, TEST_PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_page_is_swedish_in_our_layout(client, person):
    response = _fail(client, person.username, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} minuter" in page
    assert "Hoppa till innehållet" in page  # our shell (templates/base.html)
    assert "Django" not in page
    # the password is not echoed back, and the reset link is offered
    assert "fel-lösenord" not in page
    assert reverse("password_reset") in page


def test_the_lock_opens_after_the_cool_off(client, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, person.username, settings.AXES_FAILURE_LIMIT)
        assert _login(client, person.username, TEST_PASSWORD).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=30)):
        assert _login(client, person.username, TEST_PASSWORD).status_code == 429
        assert not _logged_in(client)
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)):
        assert _login(client, person.username, TEST_PASSWORD).status_code == 302
        assert _logged_in(client)


def test_a_successful_login_clears_the_persons_own_failures(client, person):
    _fail(client, person.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, person.username, TEST_PASSWORD).status_code == 302
    client.logout()
    _fail(client, person.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, person.username, TEST_PASSWORD).status_code == 302


def test_a_colleagues_login_does_not_clear_the_failures_against_another_account(client, person):
    """An insider on the same address must not reset the count by logging in themself."""
    colleague = UserFactory(username="jan.strang")
    _fail(client, person.username, settings.AXES_FAILURE_LIMIT - 1, address="10.0.4.1")
    assert _login(client, colleague.username, TEST_PASSWORD, address="10.0.4.1").status_code == 302
    client.logout()
    _fail(client, person.username, 1, address="10.0.4.1")
    assert _login(client, person.username, TEST_PASSWORD, address="10.0.4.2").status_code == 429
    assert not _logged_in(client)


def test_the_admin_login_is_locked_too(client, person):
    person.is_staff = True
    person.save()
    _fail(client, person.username, settings.AXES_FAILURE_LIMIT, url=ADMIN_LOGIN)
    response = _login(client, person.username, TEST_PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)
    # and the same account is locked on our own login page
    assert _login(client, person.username, TEST_PASSWORD).status_code == 429


# -- behind a proxy: its network, not a count of hops (issue 27, reproduction 4) ---------------

PROXY = "172.30.27.2"  # in docker-compose's network


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("172.30.27.0/24")]


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, person, behind_a_proxy):
    """Failures through the proxy lock the client's address, not the proxy's, and a client
    cannot choose its address by writing X-Forwarded-For itself."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"gissning{n}", "password": "fel"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
        )
    credentials = {"username": person.username, "password": TEST_PASSWORD}
    spoofed = client.post(
        LOGIN, credentials, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7"
    )
    assert spoofed.status_code == 429
    other = client.post(LOGIN, credentials, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302


def test_a_client_past_the_proxy_cannot_escape_the_lockout(client, person, behind_a_proxy):
    """Straight at the app port, five failures "from" 10.9.9.9 and then the right password
    "from" 10.9.9.10: the lock is on the real address, and holds."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "gissning", "password": "fel"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        )
    credentials = {"username": person.username, "password": TEST_PASSWORD}
    response = client.post(
        LOGIN, credentials, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.9.9.10"
    )
    assert response.status_code == 429
    assert not _logged_in(client)


def test_a_client_past_the_proxy_cannot_aim_a_lock_at_another_address(
    client, person, behind_a_proxy
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "gissning", "password": "fel"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR="198.51.100.20",  # someone else's address
        )
    # that someone, through the proxy, still logs in
    response = client.post(
        LOGIN,
        {"username": person.username, "password": TEST_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302


def test_a_client_past_the_proxy_cannot_escape_the_reset_throttle(client, person, behind_a_proxy):
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        client.post(
            reverse("password_reset"),
            {"email": f"okand{n}@example.org"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )
    response = client.post(
        reverse("password_reset"),
        {"email": "okand-till@example.org"},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="10.9.9.250",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("peer", "forwarded", "client_is"),
    [
        ("203.0.113.9", "10.0.0.1", "203.0.113.9"),  # not a proxy of ours: the header is ignored
        (PROXY, "", PROXY),
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "10.9.9.9, 198.51.100.7", "198.51.100.7"),  # the left is the client's word
        (PROXY, "198.51.100.7, 172.30.27.9", "198.51.100.7"),  # two proxies of ours
        (PROXY, "172.30.27.8, 172.30.27.9", "172.30.27.8"),
        (PROXY, "inte-en-adress", PROXY),
        (PROXY, "198.51.100.7, inte-en-adress", PROXY),
    ],
)
def test_the_client_address_is_the_right_most_outside_the_proxies(
    rf, behind_a_proxy, peer, forwarded, client_is
):
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert logins.client_address(request) == client_is


# -- the password change counts for the lockout (issue 27) ---------------------------------------


def _change_password(client, old, address="10.0.0.1"):
    new = "ett-annat-lösenord-2026"
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
    )


def test_wrong_old_passwords_on_the_password_change_lock_the_account(client, person):
    """A stolen session could guess the password there without end."""
    client.force_login(person)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _change_password(client, "fel-lösenord").status_code == 200
    assert _change_password(client, "fel-lösenord").status_code == 429  # the last one locks
    locked = _change_password(client, TEST_PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
    # and the account is locked on the login page too
    assert _login(Client(), person.username, TEST_PASSWORD, "10.0.0.2").status_code == 429


def test_the_right_old_password_changes_it(client, person):
    client.force_login(person)
    _change_password(client, "fel-lösenord")
    assert _change_password(client, TEST_PASSWORD).status_code == 302
    person.refresh_from_db()
    assert person.check_password("ett-annat-lösenord-2026")


# -- password reset ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reset_mail_in_this_process(celery_eager):
    """The reset mail is a worker's task, queued when the request commits: here it runs in this
    process, so that the tests below read it in mail.outbox."""


def _request_reset(client, email, address="10.0.0.1"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_reset_mail_is_sent_after_the_answer_not_in_it(client, person):
    """Issue 27: the answer to a known address took 2-3 times as long as to an unknown one
    (the mail was sent in the request). Now both answers only look the address up; a known
    one's mail is queued for a worker once the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=False) as known:
        answer = client.post(reverse("password_reset"), {"email": person.email})
    assert answer.status_code == 302
    assert mail.outbox == []  # nothing sent while the person waited
    with TestCase.captureOnCommitCallbacks(execute=False) as unknown:
        client.post(reverse("password_reset"), {"email": "ingen.alls@example.org"})
    assert (len(known), len(unknown)) == (1, 0)
    known[0]()  # the queued task, run here as a worker would
    [message] = mail.outbox
    assert message.to == [person.email]
    assert re.search(r"/accounts/reset/\S+/", message.body)


def test_reset_mails_to_one_address_are_throttled(client, person):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert _request_reset(client, person.email).status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    # another address, other letter case: the same e-mail all the same
    response = _request_reset(client, person.email.upper(), address="10.0.5.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert THROTTLED in page
    assert 'value="PER.ALBERTSSON@EXAMPLE.ORG"' in page  # what was typed is kept
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def test_reset_requests_from_one_address_are_throttled(client, person):
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        assert _request_reset(client, f"okand{n}@example.org").status_code == 302
    response = _request_reset(client, person.email)
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert mail.outbox == []
    assert _request_reset(client, person.email, address="10.0.6.1").status_code == 302
    assert len(mail.outbox) == 1


def test_the_throttled_answer_does_not_tell_whether_the_email_exists(client, person):
    unknown = "ingen.alls@example.org"
    answers = {}
    for email in (person.email, unknown):
        statuses = [
            _request_reset(client, email).status_code
            for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1)
        ]
        page = _request_reset(client, email).content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        answers[email] = (statuses, page.replace(email, "EMAIL"))
    assert answers[person.email] == answers[unknown]
    assert answers[unknown][0][-1] == 429


def test_the_reset_throttle_opens_after_its_window(client, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
            _request_reset(client, person.email)
        assert _request_reset(client, person.email).status_code == 429
    later = start + dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert _request_reset(client, person.email).status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL + 1


# -- the reset and change pages are ours -------------------------------------------------------


def _assert_ours(response, title):
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Hoppa till innehållet" in page, "not in our layout"
    assert "Django" not in page
    assert title in page


def test_the_login_page_links_to_the_password_reset(client):
    page = client.get(LOGIN).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Glömt lösenordet?" in page


def test_a_forgotten_password_is_reset_through_our_pages(client, person):
    _assert_ours(client.get(reverse("password_reset")), "Glömt lösenordet?")
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(reverse("password_reset"), {"email": person.email}, follow=True)
    _assert_ours(done, "Kolla din e-post")

    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "lösenord" in message.subject.lower()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    form = client.get(path, follow=True)
    _assert_ours(form, "Välj ett nytt lösenord")
    new_password = "ett-nytt-lösenord-för-per-2026"
    mismatch = client.post(
        form.request["PATH_INFO"], {"new_password1": new_password, "new_password2": "annat"}
    )
    assert mismatch.status_code == 200
    assert "De två lösenordsfälten" in mismatch.content.decode()
    complete = client.post(
        form.request["PATH_INFO"],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    _assert_ours(complete, "Lösenordet är bytt")
    assert _login(client, person.username, new_password).status_code == 302


def test_a_used_reset_link_says_so_in_swedish(client, person):
    _assert_ours(
        client.get(reverse("password_reset_confirm", args=["MQ", "fel-token"])),
        "Länken fungerar inte",
    )


def test_the_password_change_pages_are_ours(client, person):
    client.force_login(person)
    _assert_ours(client.get(reverse("password_change")), "Byt lösenord")
    new_password = "ett-annat-lösenord-2026"
    done = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
        follow=True,
    )
    _assert_ours(done, "Lösenordet är bytt")


# -- passwords for superusers only (issue 19) ----------------------------------------------------


@pytest.fixture
def passwords_for_superusers_only(settings):
    settings.PASSWORD_LOGIN_SUPERUSERS_ONLY = True


def test_with_passwords_for_superusers_only_others_are_refused_here_and_in_the_admin(
    client, person, passwords_for_superusers_only
):
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    response = _login(client, person.username, TEST_PASSWORD)
    assert response.status_code == 200  # the form again, with the usual error
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert not _logged_in(client)
    _login(client, person.username, TEST_PASSWORD, url=ADMIN_LOGIN)
    assert not _logged_in(client)


def test_with_passwords_for_superusers_only_a_superuser_still_logs_in(
    client, passwords_for_superusers_only
):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    response = _login(client, "admin", TEST_PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_refused_password_login_counts_towards_the_lockout(
    client, person, passwords_for_superusers_only
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, person.username, TEST_PASSWORD)
    assert _login(client, person.username, TEST_PASSWORD).status_code == 429


def test_the_login_page_says_passwords_are_for_administrators(
    client, passwords_for_superusers_only
):
    page = client.get(LOGIN).content.decode()
    assert "Inloggning med lösenord gäller bara systemets administratörer." in page


def test_passwords_work_for_everyone_by_default(client, person):
    assert not settings.PASSWORD_LOGIN_SUPERUSERS_ONLY
    assert _login(client, person.username, TEST_PASSWORD).status_code == 302
