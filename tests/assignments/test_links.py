"""Where the app sends people: the process page's address, and a form's way back (`next`),
which every form that has one checks the same way."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from notifications.signals import notify

from assignments import links
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_process_url_is_absolute_for_mail_and_a_path_for_redirects(settings):
    settings.SITE_URL = "https://uppdrag.example.org"
    assert links.process_url(7) == "https://uppdrag.example.org/uppdrag/7/process/"
    assert links.process_url(7, 3) == "https://uppdrag.example.org/uppdrag/7/process/#milestone-3"
    assert links.process_url(7, absolute=False) == "/uppdrag/7/process/"


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [
        ("/uppdrag/1/", False, "/uppdrag/1/"),
        ("/uppdrag/1/", True, "/uppdrag/1/"),
        ("http://testserver/uppdrag/1/", False, "http://testserver/uppdrag/1/"),
        ("https://testserver/uppdrag/1/", True, "https://testserver/uppdrag/1/"),
        ("http://testserver/uppdrag/1/", True, "/fallback/"),  # no step down from https
        ("https://evil.example/", False, "/fallback/"),
        ("//evil.example/", False, "/fallback/"),
        ("", False, "/fallback/"),
    ],
)
def test_next_url_only_leads_back_into_this_site(target, secure, expected):
    request = RequestFactory().post("/", {"next": target}, secure=secure)
    assert links.next_url(request, "/fallback/") == expected


@pytest.fixture
def over_https(client):
    """A logged-in person who browses over https and has a notification, an assignment and a
    milestone of their own."""
    person = UserFactory()
    milestone = MilestoneFactory(assignment=AssignmentFactory(assignee=person))
    notification = notify.send(person, recipient=person, verb="Notis")[0][1][0]
    client.force_login(person)
    return client, notification, milestone


def test_every_way_back_refuses_plain_http_from_an_https_page(over_https):
    """The language switch, the assignment page's forms and the notification centre all check
    `next` one way (the notification centre used to let an https page send its visitor to
    plain http)."""
    client, notification, milestone = over_https
    downgrade = "http://testserver/uppdrag/"

    response = client.post(
        reverse("notification_read", args=[notification.pk]), {"next": downgrade}, secure=True
    )
    assert response["Location"] == reverse("notification_list")

    response = client.post(reverse("language"), {"language": "sv", "next": downgrade}, secure=True)
    assert response["Location"] == "/"

    assignment = milestone.assignment
    response = client.post(
        reverse("workflow:milestone_status", args=[assignment.pk, milestone.pk]),
        {"to_status": "in_progress", "comment": "", "next": downgrade},
        secure=True,
    )
    # back to the milestone's card on the assignment page, never to the plain-http address
    assert response["Location"] == (
        reverse("workflow:process", args=[assignment.pk]) + f"#milestone-{milestone.pk}"
    )
