"""Single sign-on (people/sso.py) against a real OpenID provider on 127.0.0.1
(tests/oidc_provider.mjs): the authorization-code flow with PKCE, matching people to accounts,
the unknown, the deactivated, and logging out of the provider too."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user

from assignments.models import AuditEntry, User
from tests.oidc import Browser, running_provider, switch_on


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("oidc"), base_urls=["http://testserver"]) as p:
        yield p


@pytest.fixture
def sso(settings, provider):
    """Single sign-on switched on, as OIDC_* variables would (config/settings.py)."""
    switch_on(settings, provider)
    return settings


@pytest.fixture
def browser(client, provider, sso):
    return Browser(client, provider)


def signed_in(client):
    return get_user(client)


def test_the_sign_in_uses_the_code_flow_with_pkce(browser, provider, demo):
    start = browser.client.get("/oidc/authenticate/")
    assert start.status_code == 302
    location = start["Location"]
    assert location.startswith(provider.discovery["authorization_endpoint"])
    query = parse_qs(urlsplit(location).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert "code_verifier" not in query  # the secret half stays with us


def test_a_person_is_matched_to_their_account_by_e_mail(browser, demo):
    people = User.objects.count()
    page = browser.sign_in("jan")
    assert page.status_code == 200
    assert page.request["PATH_INFO"] == "/"
    assert "Mina uppdrag" in page.content.decode()
    assert signed_in(browser.client).username == "jan.strang"
    assert User.objects.count() == people  # the provider's Jan.Strang@… is our jan.strang@…


def test_the_sign_in_returns_to_the_page_asked_for(browser, demo):
    page = browser.sign_in("jan", next_url=f"/uppdrag/{demo.pk}/")
    assert page.request["PATH_INFO"] == f"/uppdrag/{demo.pk}/"


def test_a_person_is_matched_by_a_configured_claim(browser, demo, settings):
    settings.OIDC_MATCH_CLAIM = "employeeid"
    jan = User.objects.get(username="jan.strang")
    jan.employee_id, jan.email = "E1001", "jan.strang@nytt-namn.example"
    jan.save(update_fields=["employee_id", "email"])
    browser.sign_in("jan")
    assert signed_in(browser.client).pk == jan.pk


def test_an_account_without_an_employee_id_is_found_by_e_mail_and_linked(browser, demo, settings):
    settings.OIDC_MATCH_CLAIM = "employeeid"
    browser.sign_in("jan")
    jan = User.objects.get(username="jan.strang")
    assert signed_in(browser.client).pk == jan.pk
    assert jan.employee_id == "E1001"
    entry = AuditEntry.objects.get(action="person.linked_by_sign_in", object_id=str(jan.pk))
    assert entry.after == {"employee_id": "E1001", "sso_subject": "jan"}


def test_a_claim_in_the_id_token_alone_matches_too(browser, demo, settings):
    """Entra ID's userinfo has no employee id; a claims-mapping policy puts it in the ID
    token."""
    settings.OIDC_MATCH_CLAIM = "employeeid"
    erica = User.objects.get(username="erica.sandberg")
    erica.employee_id = "E3003"
    erica.save(update_fields=["employee_id"])
    browser.sign_in("entra")
    assert signed_in(browser.client).pk == erica.pk


def test_an_unknown_person_gets_an_account_with_no_role(browser, demo):
    page = browser.sign_in("ny")
    assert page.request["PATH_INFO"] == "/"
    nina = User.objects.get(email="nina.nyberg@example.org")
    assert signed_in(browser.client).pk == nina.pk
    assert (nina.username, nina.first_name, nina.last_name) == ("nina.nyberg", "Nina", "Nyberg")
    assert not nina.has_usable_password()
    assert not (nina.is_staff or nina.is_superuser or nina.groups.exists())
    assert browser.client.get("/api/assignments/").json()["count"] == 0  # sees nothing
    assert AuditEntry.objects.filter(
        action="person.created_by_sign_in", object_id=str(nina.pk)
    ).exists()
    # the next time, the same account
    browser.client.logout()
    browser.sign_in("ny")
    assert User.objects.filter(email="nina.nyberg@example.org").count() == 1


def test_an_unknown_person_is_refused_when_accounts_are_not_created(browser, demo, settings):
    settings.OIDC_CREATE_USER = False
    page = browser.sign_in("ny")
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert "misslyckades" in page.content.decode()
    assert not User.objects.filter(email="nina.nyberg@example.org").exists()
    assert not signed_in(browser.client).is_authenticated


def test_a_deactivated_account_is_refused(browser, demo):
    User.objects.filter(username="jan.strang").update(is_active=False)
    people = User.objects.count()
    page = browser.sign_in("jan")
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert "Ditt konto i Uppdrag är inaktiverat" in page.content.decode()
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.count() == people  # refused, not replaced by a new account


def test_deactivating_an_account_ends_its_single_sign_on_session(browser, demo):
    browser.sign_in("jan")
    assert browser.client.get("/").status_code == 200
    User.objects.filter(username="jan.strang").update(is_active=False)
    assert not signed_in(browser.client).is_authenticated
    assert browser.client.get("/")["Location"].startswith("/accounts/login/")


def test_an_address_the_provider_has_not_verified_finds_no_account(browser, demo):
    people = User.objects.count()
    page = browser.sign_in("overifierad")  # claims per.albertsson@example.org, unverified
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.count() == people


# -- trusted claims only (issue 27): who is matched, who is linked, for good ---------------------


def test_a_sign_in_links_the_account_to_the_providers_immutable_id(browser, demo):
    browser.sign_in("jan")
    jan = User.objects.get(username="jan.strang")
    assert jan.sso_subject == "jan"  # the provider's sub
    entry = AuditEntry.objects.get(action="person.linked_by_sign_in", object_id=str(jan.pk))
    assert (entry.before["sso_subject"], entry.after["sso_subject"]) == ("", "jan")


def test_an_address_without_email_verified_opens_no_account(browser, demo):
    """Entra ID sends no email_verified: its e-mail claim finds no account, nor is a second
    account made with the address of an existing one."""
    people = User.objects.count()
    page = browser.sign_in("entra")  # claims erica.sandberg@example.org, not said verified
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert "misslyckades" in page.content.decode()
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.count() == people
    assert User.objects.get(username="erica.sandberg").sso_subject == ""


def test_a_staff_account_is_never_linked_by_a_sign_in(browser, demo):
    page = browser.sign_in("registrator")  # the registrar's own address, verified
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.get(username="registrator").sso_subject == ""


def test_a_staff_account_linked_by_an_administrator_signs_in(browser, demo):
    User.objects.filter(username="registrator").update(sso_subject="registrator")
    browser.sign_in("registrator")
    assert signed_in(browser.client).username == "registrator"


def test_a_superuser_is_never_linked_by_a_sign_in(browser, demo):
    User.objects.filter(username="jan.strang").update(is_superuser=True)
    browser.sign_in("jan")
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.get(username="jan.strang").sso_subject == ""


def test_a_linked_account_opens_to_its_own_identity_only(browser, demo):
    """Once linked, another identity at the provider with the same verified address is not
    let in, and no account is made for it."""
    browser.sign_in("jan")
    browser.client.logout()
    browser.at_provider.cookies.clear()  # another person at the same browser
    people = User.objects.count()
    page = browser.sign_in("annan-jan")
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert not signed_in(browser.client).is_authenticated
    assert User.objects.count() == people


def test_a_linked_account_is_found_by_its_id_after_its_address_changes(browser, demo):
    browser.sign_in("jan")
    browser.client.logout()
    User.objects.filter(username="jan.strang").update(email="jan.strang@nytt-namn.example")
    people = User.objects.count()
    browser.sign_in("jan")
    assert signed_in(browser.client).username == "jan.strang"
    assert User.objects.count() == people


def test_the_immutable_id_claim_is_configurable(browser, demo, settings):
    """Entra ID's object id (oid), in its ID token: the account that an administrator linked
    to it is found by it, and by nothing else."""
    settings.OIDC_ID_CLAIM = "oid"
    settings.OIDC_MATCH_CLAIM = "employeeid"
    erica = User.objects.get(username="erica.sandberg")
    erica.sso_subject = "6f1c2a9e-0000-4000-8000-000000003003"
    erica.save(update_fields=["sso_subject"])
    browser.sign_in("entra")
    assert signed_in(browser.client).pk == erica.pk


def test_employee_id_mode_links_no_account_by_an_unverified_address(browser, demo, settings):
    """In employee-id mode an account with no id yet is not given, for good, the id of whoever
    presents its address unverified."""
    settings.OIDC_MATCH_CLAIM = "employeeid"
    people = User.objects.count()
    page = browser.sign_in("entra")  # erica.sandberg@example.org, not said verified; E3003
    assert page.request["PATH_INFO"] == "/accounts/login/"
    erica = User.objects.get(username="erica.sandberg")
    assert (erica.employee_id, erica.sso_subject) == ("", "")
    assert User.objects.count() == people
    assert not AuditEntry.objects.filter(action="person.linked_by_sign_in").exists()


def test_logging_out_ends_the_providers_session_too(browser, demo):
    browser.sign_in("jan")
    assert sum('name="password"' in page for page in browser.provider_pages) == 1
    page = browser.log_out()
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert not signed_in(browser.client).is_authenticated
    # signing in again asks for the password again: the provider's session is gone
    browser.sign_in("jan")
    assert sum('name="password"' in page for page in browser.provider_pages) == 2


def test_without_our_logout_the_providers_session_lives_on(browser, demo):
    """The other side of the test above: a session that ends only here (it expired, say)
    leaves the provider's, and the next sign-in asks for no password."""
    browser.sign_in("jan")
    browser.client.logout()
    browser.sign_in("jan")
    assert signed_in(browser.client).username == "jan.strang"
    assert sum('name="password"' in page for page in browser.provider_pages) == 1


def test_a_password_login_logs_out_without_the_provider(browser, demo, password):
    jan = User.objects.get(username="jan.strang")
    jan.set_password(password)
    jan.save()
    browser.client.post("/accounts/login/", {"username": "jan.strang", "password": password})
    response = browser.client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"


def test_the_login_page_offers_single_sign_on_when_it_is_on(client, sso, db):
    page = client.get("/accounts/login/?next=/portfolj/").content.decode()
    assert 'href="/oidc/authenticate/?next=/portfolj/"' in page
    assert "Logga in med regionens konto" in page


def test_without_single_sign_on_its_addresses_are_404_and_the_page_has_no_button(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "regionens konto" not in client.get("/accounts/login/").content.decode()
