"""viewflow's inbox, queue, archive and task list say which assignment each task is about and
link to its page; the task is named once; every heading is translated (issue 17, item 10)."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assignments.models import Assignment
from workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    return seed004


@pytest.fixture
def decided(adopted, people):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    delivery = adopted.deliveries.get()
    for person in (people.anders_kullbratt, people.per_albertsson):
        services.approve_delivery(delivery=delivery, decided_by=person)
    adopted.refresh_from_db()
    assert adopted.state == Assignment.State.DECIDED
    return adopted


def _table(content: bytes) -> str:
    html = content.decode()
    return html[html.index("<table") : html.index("</table>")]


def _headers(table: str) -> list[str]:
    heads = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", head).strip() for head in heads]


def test_the_inbox_names_and_links_the_assignment_and_the_task_once(client, adopted, people):
    client.force_login(people.jan_strang)
    response = client.get(reverse("uppdrag:assignment:inbox"))
    table = _table(response.content)
    link = reverse("workflow:assignment", args=[adopted.pk])
    assert f'href="{link}">RS 2024-05699 {escape(adopted.title)}</a>' in table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody", 1)[1], re.S)
    assert len(rows) == 1  # seed 004's work task, once
    assert all(row.count("Genomför uppdraget och lämna slutleverans") == 1 for row in rows)
    assert _headers(table) == ["Uppdrag", "Uppgift", "Skapad"]
    assert "Sammanfattning" not in table
    assert not re.search(r">#\d+/\d+<", table)  # viewflow's process/task numbers


def test_the_archive_names_the_assignment_and_has_no_untranslated_heading(client, decided, people):
    client.force_login(people.per_albertsson)
    response = client.get(reverse("uppdrag:assignment:archive"))
    html = response.content.decode()
    table = _table(response.content)
    assert "Avslutade uppgifter" in html
    assert "Arkiv" not in html
    assert "RS 2024-05699" in table
    assert "Beslut om slutleverans" in table
    assert _headers(table) == ["Uppdrag", "Uppgift", "Skapad", "Avslutad"]
    assert "Process summary" not in html


def test_the_lists_read_in_english(client, decided, people):
    reader = people.per_albertsson
    reader.language = "en"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    html = client.get(reverse("uppdrag:assignment:archive")).content.decode()
    assert "Completed tasks" in html
    assert _headers(_table(html.encode())) == ["Assignment", "Task", "Created", "Finished"]
    assert "Decision on final delivery" in html


def test_the_registrars_task_list_names_every_step_in_words(client, decided, people):
    client.force_login(people.registrator)
    html = client.get(reverse("uppdrag:assignment:task_list")).content.decode()
    table = _table(html.encode())
    assert "Processen avslutad" in table
    assert "Registrering" in table
    assert ">End<" not in table and "Record Decision" not in table
    assert "Process summary" not in html
    assert _headers(table) == ["Uppdrag", "Uppgift", "Skapad", "Ansvarig"]


def test_the_registrars_process_list_summarises_each_process_by_its_assignment(
    client, adopted, people
):
    client.force_login(people.registrator)
    html = client.get(reverse("uppdrag:assignment:process_list")).content.decode()
    assert f"RS 2024-05699 {escape(adopted.title)}" in html
    assert "Från registrering via fastställelse" not in html


def test_the_queue_reads_the_assignments_of_a_page_at_once(
    client, adopted, people, django_assert_max_num_queries
):
    from tests.factories import AssignmentFactory

    def waiting_drafts(n: int) -> None:
        for _i in range(n):  # drafts waiting for Anders to adopt them
            draft = AssignmentFactory(
                state=Assignment.State.DRAFT, commissioners=[people.anders_kullbratt]
            )
            services.start_process(assignment=draft)

    client.force_login(people.anders_kullbratt)
    url = reverse("uppdrag:assignment:queue")  # the adoptions wait there for any commissioner
    waiting_drafts(1)
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    waiting_drafts(8)
    with django_assert_max_num_queries(40) as nine:
        response = client.get(url)
    assert response.content.decode().count("Fastställ uppdraget") == 9
    assert len(nine.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    ("language", "name", "other_names"),
    [
        ("sv", "Beslut om slutleverans", ["Besluta om slutleveransen"]),
        ("en", "Decision on final delivery", ["Decide on the final delivery"]),
    ],
)
def test_the_decision_has_one_name_on_the_start_page_inbox_and_decision_page(
    client, adopted, people, language, name, other_names
):
    services.submit_delivery(assignment=adopted, actor=people.jan_strang, summary="Förslag")
    per = people.per_albertsson
    per.language = language
    per.save(update_fields=["language"])
    client.force_login(per)
    for url in (
        reverse("home"),
        reverse("uppdrag:assignment:inbox"),
        reverse("workflow:decision", args=[adopted.pk]),
    ):
        html = client.get(url).content.decode()
        assert name in html, url
        assert not any(other in html for other in other_names), url


@pytest.mark.parametrize(
    ("language", "name", "other_name"),
    [("sv", "Avslutade uppgifter", "Arkiv"), ("en", "Completed tasks", "Archive")],
)
def test_the_archive_has_the_menus_name(client, adopted, people, language, name, other_name):
    anders = people.anders_kullbratt
    anders.language = language
    anders.save(update_fields=["language"])
    client.force_login(anders)
    html = client.get(reverse("uppdrag:assignment:archive")).content.decode()
    menu = html[html.index('class="uppdrag-nav"') :]
    assert name in menu[: menu.index("</ul>")]
    heading = re.search(r'<h1 class="vf-card__title">(.*?)</h1>', html, re.S).group(1)
    assert heading.strip() == name
    assert other_name not in html


def test_the_adoption_waits_in_the_queue_and_on_the_start_page_of_every_commissioner(
    client, seed004, people
):
    """Issue #17, 7: not only in the first commissioner's inbox."""
    link = reverse("workflow:assignment", args=[seed004.pk])
    for username in ("anders.kullbratt", "per.albertsson"):
        client.force_login(people[username])
        queue = client.get(reverse("uppdrag:assignment:queue")).content.decode()
        assert f'href="{link}">RS 2024-05699' in queue, username
        # found from the menu, by the page's own name
        menu = f'href="{reverse("uppdrag:assignment:queue")}"'
        assert menu in queue and queue.count("Lediga uppgifter") >= 2, username
        home = client.get(reverse("home")).content.decode()
        waiting = home[home.index('id="waiting-heading"') :]
        assert "Fastställ uppdraget" in waiting[: waiting.index("</section>")], username
    for username in ("jan.strang", "erica.sandberg", "registrator", "admin"):
        client.force_login(people[username])
        queue = client.get(reverse("uppdrag:assignment:queue")).content.decode()
        assert "RS 2024-05699" not in queue, username
        home = client.get(reverse("home")).content.decode()
        assert "Lediga uppgifter" not in home, username  # nothing to take: not in the menu
