import base64
import hashlib
import re
import secrets

import pytest

from assignments.models import User
from tests.settings_probe import evaluated_under, manage, production_environ

SETTINGS = "from django.conf import settings"


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def test_an_empty_database_url_means_the_embedded_default():
    engine = 'settings.DATABASES["default"]["ENGINE"]'
    assert evaluated_under({"DATABASE_URL": ""}, engine, SETTINGS) == "django.db.backends.sqlite3"
    assert (
        evaluated_under(
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}, engine, SETTINGS
        )
        == "django.db.backends.postgresql"
    )


def test_check_deploy_finds_no_issue_with_debug_off():
    result = manage(
        production_environ(DEBUG="false", ALLOWED_HOSTS="x", SECRET_KEY=strong_key()),
        "check",
        "--deploy",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


def test_check_deploy_with_a_one_letter_key_warns_only_about_the_key():
    """security.W009 judges the value given (SECRET_KEY=x is too short); it stays on."""
    result = manage(
        production_environ(DEBUG="false", ALLOWED_HOSTS="x", SECRET_KEY="x"), "check", "--deploy"
    )
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?: (")]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("?: (security.W009)")


def test_debug_off_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(production_environ(DEBUG="false", UPPDRAG_VAR_DIR=str(tmp_path)), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr
    # no key of its own that web and worker would not share
    assert not (tmp_path / "secret_key").exists()


def test_debug_on_keeps_one_generated_key_per_machine(tmp_path):
    env = production_environ(DEBUG="true", UPPDRAG_VAR_DIR=str(tmp_path))
    first = evaluated_under({}, "settings.SECRET_KEY", SETTINGS, base=env)
    assert len(first) >= 50
    assert evaluated_under({}, "settings.SECRET_KEY", SETTINGS, base=env) == first
    assert (tmp_path / "secret_key").read_text().strip() == first


SECURITY = (
    "(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS > 0, "
    "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_PROXY_SSL_HEADER)"
)


def test_https_is_required_with_debug_off():
    env = production_environ(DEBUG="false", SECRET_KEY=strong_key())
    assert evaluated_under({}, SECURITY, SETTINGS, base=env) == "(True, True, True, True, None)"


def test_make_run_serves_plain_http_with_no_configuration(tmp_path):
    env = production_environ(DEBUG="true", UPPDRAG_VAR_DIR=str(tmp_path))
    assert evaluated_under({}, SECURITY, SETTINGS, base=env) == "(False, False, False, False, None)"


def test_each_https_setting_can_be_switched_off_behind_a_tls_proxy():
    env = production_environ(
        DEBUG="false",
        SECRET_KEY=strong_key(),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="false",
    )
    assert evaluated_under({}, SECURITY, SETTINGS, base=env) == "(False, False, False, False, None)"


def test_the_proxy_ssl_header_comes_from_the_environment():
    env = production_environ(
        DEBUG="false",
        SECRET_KEY=strong_key(),
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    assert (
        evaluated_under({}, "settings.SECURE_PROXY_SSL_HEADER", SETTINGS, base=env)
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_a_malformed_proxy_ssl_header_is_refused():
    env = production_environ(
        DEBUG="false", SECRET_KEY=strong_key(), SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr


@pytest.fixture
def https_required(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_redirected_to_https(client, https_required):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_https_from_the_proxy_is_served(client, https_required, db):
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def csp_of(response) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    policy = response["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    policy = csp_of(client.get("/accounts/login/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["style-src"].startswith("'self' 'sha256-")  # no 'unsafe-inline' <style>
    assert policy["style-src-attr"] == "'unsafe-inline'"


def test_the_policy_allows_the_flow_charts_own_stylesheet_by_its_hash(client, demo):
    """viewflow's chart is an SVG document with one fixed <style> block (graph.svg)."""
    client.force_login(User.objects.get(username="registrator"))
    chart = client.get("/workflow/uppdrag/assignment/chart/")
    assert chart["Content-Type"] == "image/svg+xml"
    style = re.search(r"<style[^>]*>(.*?)</style>", chart.content.decode(), re.S).group(1)
    text = style.replace("<![CDATA[", "").replace("]]>", "")  # what the browser hashes
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp_of(chart)["style-src"].split()


def test_the_site_address_follows_the_server_unless_site_url_is_set(tmp_path):
    """`make run` passes the address it serves at as SERVER_URL (issue 17, 4); SITE_URL, in
    the environment or in .env, still decides when it is set."""
    env = production_environ(DEBUG="true", UPPDRAG_VAR_DIR=str(tmp_path))
    site_url = "settings.SITE_URL"
    assert evaluated_under({}, site_url, SETTINGS, base=env) == "http://127.0.0.1:8000"
    served = {"SERVER_URL": "http://127.0.0.1:8765"}
    assert evaluated_under(served, site_url, SETTINGS, base=env) == "http://127.0.0.1:8765"
    chosen = {**served, "SITE_URL": "https://uppdrag.example.org/"}
    assert evaluated_under(chosen, site_url, SETTINGS, base=env) == "https://uppdrag.example.org"


# -- single sign-on (issue 19) ------------------------------------------------------------------

SSO = (
    "(settings.OIDC_ENABLED, "
    "'people.sso.SingleSignOnBackend' in settings.AUTHENTICATION_BACKENDS, "
    "settings.OIDC_USE_PKCE)"
)
ENTRA = "https://login.microsoftonline.com/tenant-id"
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "uppdrag",
    "OIDC_RP_CLIENT_SECRET": "hemlighet",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{ENTRA}/oauth2/v2.0/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{ENTRA}/oauth2/v2.0/token",
    "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{ENTRA}/discovery/v2.0/keys",
}


def test_single_sign_on_is_off_unless_configured():
    env = production_environ(DEBUG="false", SECRET_KEY=strong_key())
    assert evaluated_under({}, SSO, SETTINGS, base=env) == "(False, False, True)"


def test_single_sign_on_is_on_with_the_oidc_variables():
    env = production_environ(DEBUG="false", SECRET_KEY=strong_key(), **OIDC_ENV)
    assert evaluated_under({}, SSO, SETTINGS, base=env) == "(True, True, True)"


def test_a_client_id_without_the_providers_endpoints_refuses_to_start(tmp_path):
    env = production_environ(
        DEBUG="false",
        SECRET_KEY=strong_key(),
        UPPDRAG_VAR_DIR=str(tmp_path),
        OIDC_RP_CLIENT_ID="uppdrag",
        OIDC_RP_CLIENT_SECRET="hemlighet",
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "set OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT" in result.stderr


def test_the_logout_form_may_lead_to_the_providers_end_session_endpoint():
    env = production_environ(
        DEBUG="false",
        SECRET_KEY=strong_key(),
        OIDC_OP_LOGOUT_ENDPOINT=f"{ENTRA}/oauth2/v2.0/logout",
        **OIDC_ENV,
    )
    form_action = 'settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]'
    assert evaluated_under({}, form_action, SETTINGS, base=env) == (
        "[\"'self'\", 'https://login.microsoftonline.com']"
    )


def test_metrics_are_open_to_this_machine_with_debug_on_and_to_nobody_in_production():
    networks = "','.join(str(n) for n in settings.METRICS_ALLOWED_NETWORKS)"
    assert evaluated_under({"DEBUG": "true"}, networks, SETTINGS) == "127.0.0.0/8,::1/128"
    production = production_environ(DEBUG="false", SECRET_KEY=strong_key())
    assert evaluated_under({}, networks, SETTINGS, base=production) == ""
    assert (
        evaluated_under(
            {"METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,192.168.1.5"},
            networks,
            SETTINGS,
            base=production,
        )
        == "10.0.0.0/8,192.168.1.5/32"
    )


def test_a_misspelt_metrics_network_refuses_to_start():
    env = production_environ(
        DEBUG="false", SECRET_KEY=strong_key(), METRICS_ALLOWED_NETWORKS="10.0.0.0/33"
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "METRICS_ALLOWED_NETWORKS lists networks" in result.stderr


def test_the_trusted_proxy_networks_are_read_as_networks():
    networks = evaluated_under(
        {"TRUSTED_PROXY_NETWORKS": "172.30.27.0/24,10.0.0.5"},
        "[str(n) for n in settings.TRUSTED_PROXY_NETWORKS]",
        imports="from django.conf import settings",
    )
    assert networks == "['172.30.27.0/24', '10.0.0.5/32']"


def test_the_proxy_count_is_refused_with_the_networks_named():
    """Issue 27: a deployment that still sets the count hears of the networks, rather than
    having anyone's X-Forwarded-For believed or silently ignored."""
    result = manage(production_environ(DEBUG="true", TRUSTED_PROXY_COUNT="1"), "check")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_NETWORKS" in result.stderr


def test_a_malformed_trusted_proxy_network_is_refused():
    result = manage(production_environ(DEBUG="true", TRUSTED_PROXY_NETWORKS="nätet"), "check")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_NETWORKS lists networks" in result.stderr
