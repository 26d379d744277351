"""A JSON body nested deeper than Python's json module reads is bad input (api/parsers.py)."""

import pytest

from assignments.models import MilestoneUpdate

pytestmark = pytest.mark.django_db

DEPTH = 100_000


def test_a_deeply_nested_json_body_is_a_400_in_swedish(demo, api_as):
    """Issue 27: it was a RecursionError, a 500."""
    milestone = demo.milestones.first()
    updates = MilestoneUpdate.objects.count()
    response = api_as("jan.strang").post(
        f"/api/assignments/{demo.pk}/milestones/{milestone.pk}/status/",
        "[" * DEPTH + "]" * DEPTH,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON-innehållet är för djupt nästlat."
    assert MilestoneUpdate.objects.count() == updates


def test_the_message_follows_the_language_asked_for(demo, api_as):
    response = api_as("jan.strang", HTTP_ACCEPT_LANGUAGE="en").post(
        f"/api/assignments/{demo.pk}/milestones/{demo.milestones.first().pk}/status/",
        '{"a":' * DEPTH + "1" + "}" * DEPTH,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON body is nested too deeply."
