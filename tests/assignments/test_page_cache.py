"""The whole-page cache: a repeated GET is served from the cache, and every committed write
(a milestone, a notification, a bulk mark-read, a group membership) is seen at once."""

import pytest
from django.urls import reverse
from notifications.signals import notify

from assignments.models import Milestone, User
from workflow.services import change_milestone_status

pytestmark = pytest.mark.django_db(transaction=True)  # writes commit, as in production


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def person(username):
    return User.objects.get(username=username)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_repeated_get_is_a_hit_and_a_write_is_seen_at_once(client, demo):
    jan = person("jan.strang")
    client.force_login(jan)
    url = reverse("workflow:assignment", args=[demo.pk])
    first = get(client, url)  # sets the CSRF cookie
    assert "X-Page-Cache" not in first
    get(client, url)
    hit = get(client, url)
    assert hit["X-Page-Cache"] == "hit"

    milestone = demo.milestones.get(kind=Milestone.Kind.COMPILATION)
    change_milestone_status(
        milestone=milestone, actor=jan, to_status=Milestone.Status.DONE, comment="Klart nu"
    )
    after = get(client, url)
    assert "X-Page-Cache" not in after
    assert "Klart nu" in after.content.decode()


def test_each_person_gets_their_own_page(client, demo):
    url = reverse("home")
    client.force_login(person("jan.strang"))
    get(client, url)
    jan_page = get(client, url).content.decode()
    client.force_login(person("per.albertsson"))
    get(client, url)
    per_page = get(client, url).content.decode()
    assert "Jan Sträng" in jan_page and "Per Albertsson" in per_page
    assert jan_page != per_page


def test_new_notification_and_mark_all_read_update_the_bell(client, demo):
    per = person("per.albertsson")
    client.force_login(per)
    url = reverse("home")
    get(client, url)
    before = get(client, url).content.decode()
    unread = per.notifications.unread().count()
    assert f'uppdrag-bell__count--zero">{unread}<' in before or f">{unread}</span>" in before

    notify.send(per, recipient=per, verb="Ny notis i testet")
    page = get(client, url).content.decode()
    assert "Ny notis i testet" in page and f">{unread + 1}</span>" in page

    client.post(reverse("notification_read_all"))  # a bulk update(), no signals
    page = get(client, url).content.decode()
    assert 'uppdrag-bell__count--zero">0</span>' in page


def test_a_notification_changes_only_its_recipients_pages(demo):
    """A reminder burst writes one notification per recipient: everyone else's pages stay
    cached, the recipient's bell changes at once, and so does reading it."""
    from django.test import Client
    from notifications.models import Notification

    per, jan = person("per.albertsson"), person("jan.strang")
    url = reverse("home")
    pers, jans = Client(), Client()
    pers.force_login(per)
    jans.force_login(jan)
    for browser in (pers, jans):
        get(browser, url)  # sets the CSRF cookie
        get(browser, url)

    notify.send(jan, recipient=[per], verb="Bara till Per")
    assert "Bara till Per" in get(pers, url).content.decode()
    assert get(jans, url)["X-Page-Cache"] == "hit"

    assert get(pers, url)["X-Page-Cache"] == "hit"
    notification = Notification.objects.get(recipient=per, verb="Bara till Per")
    notification.mark_as_read()  # a save(): the recipient's version, not everyone's
    assert "X-Page-Cache" not in get(pers, url)
    assert get(jans, url)["X-Page-Cache"] == "hit"


def test_a_message_is_shown_once_and_never_cached(client, demo):
    jan = person("jan.strang")
    client.force_login(jan)
    url = reverse("workflow:assignment", args=[demo.pk])
    get(client, url)
    milestone = demo.milestones.get(kind=Milestone.Kind.COMPILATION)
    client.post(
        reverse("workflow:milestone_status", args=[demo.pk, milestone.pk]),
        {"to_status": "done", "comment": "Klart"},
    )
    shown = get(client, url)
    assert "Sparat." in shown.content.decode() and "X-Page-Cache" not in shown
    again = get(client, url)
    assert "Sparat." not in again.content.decode()


def test_losing_a_role_is_seen_at_once(client, demo):
    registrar = person("registrator")
    client.force_login(registrar)
    url = reverse("portfolio")
    get(client, url)  # sets the CSRF cookie
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    registrar.groups.clear()
    assert client.get(url).status_code == 403


def test_pages_and_writes_work_while_the_cache_server_is_down(client, demo, settings):
    """A dead Redis must not turn pages or writes into 500s: pages render uncached."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]  # nothing listens here once the socket is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port}/0",
        }
    }
    jan = person("jan.strang")
    client.force_login(jan)
    url = reverse("workflow:assignment", args=[demo.pk])
    get(client, url)
    assert "X-Page-Cache" not in get(client, url)
    milestone = demo.milestones.get(kind=Milestone.Kind.COMPILATION)
    response = client.post(
        reverse("workflow:milestone_status", args=[demo.pk, milestone.pk]),
        {"to_status": "done", "comment": "Utan cache"},
    )
    assert response.status_code == 302
    assert "Utan cache" in get(client, url).content.decode()
