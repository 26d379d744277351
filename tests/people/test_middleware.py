import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_swedish_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert "Användarnamn" in response.content.decode()


def test_language_switch_cookie_selects_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"


def test_the_persons_own_setting_wins(client, settings):
    client.force_login(UserFactory(language="en"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
