"""The API's tests: the demo data (seed 004) and its people, each with a personal API token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api import tokens


@pytest.fixture
def demo(db):
    """Seed 004 and its people without the generated demo assignments (those are placed
    relative to the day and would join every list): what the API's tests count on."""
    from assignments.models import Assignment
    from tests.seeding import load_demo

    load_demo("--seed-only")
    return Assignment.objects.get(
        registration_number="RS 2024-05699", state__in=Assignment.OPEN_STATES
    )


@pytest.fixture
def people(demo):
    from assignments.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def api_as(people):
    """api_as("jan.strang") is an API client holding a fresh token of that person that may act
    (api_as(..., scope="read"): one that only reads)."""

    def make(username: str, scope: str = "act", **headers) -> APIClient:
        _token, secret = tokens.issue_token(user=people[username], name="Test", scope=scope)
        client = APIClient(**headers)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
