"""The real OpenID provider the single sign-on tests sign in through: tests/oidc_provider.mjs
(panva's oidc-provider from npm) in a Node process on 127.0.0.1, and what a test needs to drive
a sign-in through it without a browser.

`running_provider(...)` starts it and waits until it has said where it listens and its discovery
document answers (no sleeping); `provider_settings(...)` are the OIDC_* settings our app takes
from the environment, pointed at it; `sign_in(...)` goes through the authorization-code flow as
a browser would: our app (Django's test client) → the provider's login and consent pages
(requests) → back to our callback.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc_provider.mjs"
CLIENT_ID = "uppdrag"
CLIENT_SECRET = "test-klienthemlighet"  # noqa: S105 - a test provider's client
PASSWORD = "regionens-lösenord"  # noqa: S105 - the test provider's accounts

# People the region's identity provider knows: login name → claims.
ACCOUNTS = {
    "jan": {
        "email": "Jan.Strang@example.org",  # the registry has jan.strang@example.org
        "email_verified": True,
        "given_name": "Jan",
        "family_name": "Sträng",
        "preferred_username": "jan.strang@region.example",
        "employeeid": "E1001",
    },
    "ny": {
        "email": "nina.nyberg@example.org",
        "email_verified": True,
        "given_name": "Nina",
        "family_name": "Nyberg",
        "preferred_username": "nina.nyberg@region.example",
        "employeeid": "E2002",
    },
    # claims as Entra ID gives them: no email_verified; the login name, the employee id and the
    # object id (oid) in the ID token only
    "entra": {
        "email": "erica.sandberg@example.org",
        "given_name": "Erica",
        "family_name": "Sandberg",
        "_id_token": {
            "preferred_username": "erica.sandberg@region.example",
            "employeeid": "E3003",
            "oid": "6f1c2a9e-0000-4000-8000-000000003003",
        },
    },
    # another person at the provider who has been given Jan's address (a reused address, or a
    # provider that lets people choose theirs): verified, but not Jan
    "annan-jan": {
        "email": "jan.strang@example.org",
        "email_verified": True,
        "given_name": "Jan",
        "family_name": "Annan",
        "preferred_username": "jan.annan@region.example",
        "employeeid": "E9009",
    },
    # the registrar's address, verified: their account is staff
    "registrator": {
        "email": "registrator@example.org",
        "email_verified": True,
        "given_name": "Rebecka",
        "family_name": "Registrator",
        "preferred_username": "registrator@region.example",
    },
    "overifierad": {
        "email": "per.albertsson@example.org",
        "email_verified": False,
        "given_name": "Inte",
        "family_name": "Per",
        "preferred_username": "inte.per@annan.example",
    },
}


@dataclass
class Provider:
    issuer: str
    discovery: dict


@contextlib.contextmanager
def running_provider(tmp_path: Path, *, base_urls: list[str], accounts=ACCOUNTS, timeout=30):
    """The provider, with our app at each of `base_urls` as its client, until the block ends."""
    config = tmp_path / "oidc-provider.json"
    config.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{base}/oidc/callback/" for base in base_urls],
                    "post_logout_redirect_uris": [f"{base}/accounts/login/" for base in base_urls],
                },
                "accounts": {
                    login: {
                        "password": PASSWORD,
                        "claims": {k: v for k, v in claims.items() if k != "_id_token"},
                        "id_token_claims": claims.get("_id_token", {}),
                    }
                    for login, claims in accounts.items()
                },
            }
        )
    )
    process = subprocess.Popen(
        ["node", str(SCRIPT), str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the provider listens, or exits
        if not line:
            raise RuntimeError(f"the OpenID provider did not start: {process.stderr.read()}")
        issuer = json.loads(line)["issuer"]
        yield Provider(issuer=issuer, discovery=_discovery(issuer, timeout))
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def _discovery(issuer: str, timeout: float) -> dict:
    """The discovery document, asked for until it answers (it does at once: the provider
    prints its address when it handles requests) or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise


def provider_settings(provider: Provider, **extra) -> dict:
    """The settings config/settings.py makes of OIDC_* variables naming this provider."""
    d = provider.discovery
    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": d["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": d["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": d["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": d["jwks_uri"],
        "OIDC_OP_LOGOUT_ENDPOINT": d["end_session_endpoint"],
        **extra,
    }


def switch_on(settings, provider: Provider, **extra) -> None:
    """Single sign-on on, in pytest-django's `settings`, as config/settings.py would turn it on
    from the environment: the OIDC_* settings, the backend, and the provider's origin as a place
    the logout form may lead (the CSP's form-action)."""
    for name, value in provider_settings(provider, **extra).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "people.sso.SingleSignOnBackend",
    ]
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.issuer)
    settings.CONTENT_SECURITY_POLICY = policy


# -- a browser's way through the flow, without a browser -----------------------------------------

FORM = re.compile(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"')


def _form(html: str) -> tuple[str, dict]:
    action, body = FORM.search(html).groups()
    return unescape(action), {name: unescape(value) for name, value in HIDDEN.findall(body)}


class Browser:
    """Our app through Django's test client (its address: http://testserver), the provider
    through a requests session that keeps the provider's cookies (its session)."""

    def __init__(self, client, provider: Provider):
        self.client = client
        self.provider = provider
        self.at_provider = requests.Session()
        self.provider_pages: list[str] = []  # the provider's pages the person saw

    def follow(self, response):
        """Follow redirects on both sides until a page is shown (returned: our response or the
        provider's)."""
        while True:
            if isinstance(response, requests.Response):
                if not response.is_redirect:
                    return response
                location = urljoin(response.url, response.headers["Location"])
            else:
                if response.status_code not in (301, 302, 303):
                    return response
                location = urljoin("http://testserver/", response["Location"])
            if location.startswith(self.provider.issuer):
                response = self.at_provider.get(location, allow_redirects=False, timeout=10)
            else:
                parts = urlsplit(location)
                response = self.client.get(
                    f"{parts.path}?{parts.query}" if parts.query else parts.path
                )

    def provider_form(self, response, **fields):
        """Submit the provider page's form with `fields`."""
        self.provider_pages.append(response.text)
        action, data = _form(response.text)
        return self.at_provider.post(
            urljoin(response.url, action),
            data={**data, **fields},
            allow_redirects=False,
            timeout=10,
        )

    def sign_in(self, login: str, password: str = PASSWORD, next_url: str = ""):
        """Start at our "Logga in med regionens konto"; log in and consent at the provider when
        it asks; our last response (normally a redirect followed to its page)."""
        start = "/oidc/authenticate/" + (f"?next={next_url}" if next_url else "")
        response = self.follow(self.client.get(start))
        while isinstance(response, requests.Response):
            if 'name="password"' in response.text:
                response = self.provider_form(response, login=login, password=password)
            elif "Godkänn" in response.text:
                response = self.provider_form(response)
            else:
                raise AssertionError(
                    f"the provider answered {response.status_code}: {response.text}"
                )
            response = self.follow(response)
        return response

    def log_out(self):
        """Our "Logga ut"; confirm at the provider when asked; our last response."""
        response = self.follow(self.client.post("/accounts/logout/"))
        while isinstance(response, requests.Response):
            response = self.follow(self.provider_form(response, logout="yes"))
        return response
