"""Identity belongs to its person (DOMAIN.md, issue 25 D5): the e-mail address, user name,
employee id and password of an account that decides, commissions or administers change only by
a superuser, on every path; every change of an e-mail address is told to the old address and
ends that person's sessions and API tokens."""

import re

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.test import Client
from django.urls import reverse

from assignments.models import User

pytestmark = pytest.mark.django_db


# -- sessions: a change of address ends them ------------------------------------------------


def test_a_change_of_address_on_any_path_ends_the_sessions(demo):
    """The session hash covers the address: no path has to remember to end the sessions."""
    per = User.objects.get(username="per.albertsson")
    browser = Client()
    browser.force_login(per)
    User.objects.filter(pk=per.pk).update(email="per@annan.example")
    assert get_user(browser).is_anonymous


def test_a_reset_link_sent_before_the_change_no_longer_works(demo):
    per = User.objects.get(username="per.albertsson")
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
