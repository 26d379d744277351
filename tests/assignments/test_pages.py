"""The everyday pages over HTTP: start page, portfolio and its exports, groups, settings."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import Assignment, AuditEntry, Group
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory
from workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(demo):
    return demo


def people(username):
    from assignments.models import User

    return User.objects.get(username=username)


def test_start_page_shows_what_waits_my_milestones_and_commissioned(client, adopted):
    services.submit_delivery(
        assignment=adopted, actor=people("jan.strang"), summary="Förslag till organisering"
    )
    client.force_login(people("per.albertsson"))
    page = client.get(reverse("home")).content.decode()
    assert "Beslut om slutleverans" in page
    assert reverse("workflow:decision", args=[adopted.pk]) in page
    # Per commissioned RS 2024-05699; its late milestones make it overdue
    assert "Uppdrag jag beställt" in page and adopted.title in page
    assert "försenat" in page
    # the in-app notification of the waiting decision
    assert "Väntar på ditt beslut" in page


def test_start_page_lists_overdue_milestones_in_red_for_the_responsible(client, adopted):
    client.force_login(people("jan.strang"))
    page = client.get(reverse("home")).content.decode()
    late = adopted.milestones.order_by("due").first()
    assert late.due < dt.date.today()
    assert f"#milestone-{late.pk}" in page
    assert 'class="uppdrag-overdue"' in page


def test_start_page_with_nothing_says_so_once_without_empty_sections(client, db):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert page.count('class="uppdrag-empty"') == 1
    assert "Inget väntar på dig just nu" in page
    assert "<h2" not in page.split('id="main"')[1]


def test_the_readers_start_page_opens_with_what_she_follows(client, adopted):
    """Issue 29, item 9: no empty sections before (or after) what she follows."""
    client.force_login(people("ann-charlotte.jarnstrom"))
    page = client.get(reverse("home")).content.decode().split('id="main"')[1]
    headings = re.findall(r"<h2 id=\"([a-z-]+)\"", page)
    assert headings[0] == "followed-heading", headings
    assert 'class="uppdrag-empty"' not in page


def test_an_open_milestone_of_a_decided_assignment_is_not_planned_forever(client, db):
    """Issue 29, item 9: the stored status stays (the record), the page says what it is."""
    decided = AssignmentFactory(state=Assignment.State.DECIDED, is_public=True)
    open_one = MilestoneFactory(assignment=decided, title="Aldrig klarmarkerad")
    MilestoneFactory(assignment=decided, title="Klarmarkerad", status="done")
    client.force_login(UserFactory())
    page = client.get(reverse("workflow:assignment", args=[decided.pk])).content.decode()
    row = page.split(f'id="milestone-{open_one.pk}"')[1].split("</tr>")[0]
    assert "Ej klarmarkerad vid beslutet" in row and "Planerad" not in row
    open_one.refresh_from_db()
    assert open_one.status == "planned"


def test_portfolio_is_for_registrars_and_commissioners(client, adopted):
    client.force_login(people("jan.strang"))  # assignee, not a commissioner
    assert client.get(reverse("portfolio")).status_code == 403
    client.force_login(people("per.albertsson"))
    assert client.get(reverse("portfolio")).status_code == 200


def test_portfolio_filters_sorts_and_shows_only_visible_assignments(client, adopted):
    commissioner = people("per.albertsson")
    hidden = AssignmentFactory(title="Hemligt uppdrag", is_public=False)
    own = AssignmentFactory(title="Eget uppdrag", delivery_due=dt.date(2030, 1, 1))
    own.commissioners.add(commissioner)
    client.force_login(commissioner)
    url = reverse("portfolio")

    page = client.get(url).content.decode()
    assert adopted.title in page and "Eget uppdrag" in page
    assert "Hemligt uppdrag" not in page

    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert adopted.title in overdue and "Eget uppdrag" not in overdue

    by_state = client.get(url, {"state": "adopted"}).content.decode()
    assert adopted.title in by_state and "Eget uppdrag" not in by_state

    search = client.get(url, {"q": "2024-05699"}).content.decode()
    assert adopted.title in search and "Eget uppdrag" not in search

    newest_first = client.get(url, {"sort": "-due"}).content.decode()
    assert newest_first.index("Eget uppdrag") < newest_first.index(adopted.title)

    # the registrar sees everything
    client.force_login(people("registrator"))
    assert hidden.title in client.get(url).content.decode()


def test_portfolio_bad_filter_is_a_400_in_swedish(client, adopted):
    client.force_login(people("registrator"))
    response = client.get(reverse("portfolio"), {"state": "nonsense"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_portfolio_exports_the_filtered_list_as_csv_and_excel(client, adopted):
    AssignmentFactory(title="Annat uppdrag", state=Assignment.State.DECIDED)
    client.force_login(people("registrator"))
    url = reverse("portfolio")

    response = client.get(url, {"state": "adopted", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Diarienummer", "Uppdrag", "Status"]
    titles = [r[1] for r in rows[1:]]
    assert adopted.title in titles and "Annat uppdrag" not in titles
    assert {r[2] for r in rows[1:]} == {"Fastställd"}
    assert rows[1 + titles.index(adopted.title)][7] == "Ja"

    response = client.get(url, {"state": "adopted", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Diarienummer"
    assert [v[1] for v in values[1:]] == titles


def test_group_catalogue_shows_seed_002_groups_and_their_assignments(client, adopted):
    client.force_login(people("ann-charlotte.jarnstrom"))
    page = client.get(reverse("group_list")).content.decode()
    assert Group.objects.count() > 5
    group = Group.objects.filter(related_assignments__assignment=adopted).first()
    assert group.name in page
    assert group.get_mandate_display() in page
    detail = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    assert adopted.title in detail


def test_group_page_lists_only_assignments_the_reader_may_see(client, adopted):
    group = Group.objects.filter(related_assignments__assignment=adopted).first()
    Assignment.objects.filter(pk=adopted.pk).update(is_public=False)
    client.force_login(UserFactory())
    detail = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    assert adopted.title not in detail
    client.force_login(people("registrator"))
    detail = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    assert adopted.title in detail


def test_settings_change_language_and_digest_with_an_audit_entry(client, db):
    person = UserFactory()
    client.force_login(person)
    # answering reminders by mail kept on (a checkbox left out would turn it off)
    response = client.post(reverse("user_settings"), {"language": "en", "answers_by_mail": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en" and person.wants_digest is False
    entry = AuditEntry.objects.get(action="settings_changed")
    # one who commissions nothing is not offered the monthly report: that choice stays
    kept = {"wants_monthly_report": True, "answers_by_mail": True}
    assert entry.before == {"language": "", "wants_digest": True, **kept}
    assert entry.after == {"language": "en", "wants_digest": False, **kept}
    bad = client.post(reverse("user_settings"), {"language": "xx", "wants_digest": "on"})
    assert bad.status_code == 400
    person.refresh_from_db()
    assert person.wants_digest is False


def test_language_switch_remembers_choice_and_refuses_foreign_redirects(client, db):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    person.refresh_from_db()
    assert person.language == "en"
    english = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in english and "My assignments" in english
    assert client.post(reverse("language"), {"language": "xx"}).status_code == 404


def test_pages_need_login(client, db):
    for name in ["home", "portfolio", "group_list", "user_settings", "notification_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_milestone_due_soon_is_on_the_start_page_but_not_one_far_away(client, db):
    person = UserFactory()
    assignment = AssignmentFactory(assignee=person)
    today = dt.date.today()
    soon = MilestoneFactory(
        assignment=assignment, title="Snart klar", start=today, due=today + dt.timedelta(days=7)
    )
    MilestoneFactory(
        assignment=assignment, title="Långt bort", start=today, due=today + dt.timedelta(days=90)
    )
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    assert soon.title in page and "Långt bort" not in page


def test_portfolio_filters_by_commissioner_and_assignee_name(client, adopted):
    client.force_login(people("registrator"))
    url = reverse("portfolio")
    by_commissioner = client.get(url, {"commissioner": "Per Albertsson"}).content.decode()
    assert adopted.title in by_commissioner
    by_assignee = client.get(url, {"assignee": "sträng"}).content.decode()
    assert adopted.title in by_assignee
    nobody = client.get(url, {"assignee": "Ingen Alls"}).content.decode()
    assert adopted.title not in nobody and "Inga uppdrag matchar filtret" in nobody


def test_portfolio_pages_keep_the_filter(client, db):
    registrar = UserFactory()
    from django.contrib.auth.models import Group as AuthGroup

    registrar.groups.add(AuthGroup.objects.get_or_create(name="Registrator")[0])
    for _i in range(55):
        AssignmentFactory(state=Assignment.State.ADOPTED)
    AssignmentFactory(state=Assignment.State.DECIDED, title="Beslutat uppdrag")
    client.force_login(registrar)
    first = client.get(reverse("portfolio"), {"state": "adopted"}).content.decode()
    assert "Sida 1 av 2" in first and "?state=adopted&amp;page=2" in first
    second = client.get(reverse("portfolio"), {"state": "adopted", "page": "2"}).content.decode()
    assert "Sida 2 av 2" in second and "Beslutat uppdrag" not in second
    assert len(re.findall(r'href="/uppdrag/\d+/"', second)) == 5  # 55 rows, 50 a page


def test_a_drafts_late_milestones_make_nobodys_start_page_say_late(client, db):
    """Issue 17, 11: neither the assignee nor the commissioner of a draft whose tidplan has
    dates in the past sees it as late; once adopted, both do."""
    assignee, commissioner = UserFactory(), UserFactory()
    draft = AssignmentFactory(
        state=Assignment.State.DRAFT,
        assignee=assignee,
        commissioners=[commissioner],
        delivery_due=dt.date.today() + dt.timedelta(days=100),
    )
    yesterday = dt.date.today() - dt.timedelta(days=1)
    late = MilestoneFactory(assignment=draft, start=yesterday, due=yesterday)
    for person in (assignee, commissioner):
        client.force_login(person)
        page = client.get(reverse("home")).content.decode()
        assert draft.title in page
        assert "försenat" not in page and f"#milestone-{late.pk}" not in page
    client.force_login(assignee)
    page = client.get(reverse("workflow:assignment", args=[draft.pk])).content.decode()
    assert "(försenad)" not in page
    assert f'id="milestone-{late.pk}" class="uppdrag-overdue"' not in page

    Assignment.objects.filter(pk=draft.pk).update(state=Assignment.State.ADOPTED)
    page = client.get(reverse("workflow:assignment", args=[draft.pk])).content.decode()
    assert f'id="milestone-{late.pk}" class="uppdrag-overdue"' in page
    for person in (assignee, commissioner):
        client.force_login(person)
        assert "försenat" in client.get(reverse("home")).content.decode()


def test_the_readers_start_page_lists_what_she_follows(client, adopted):
    """Issue 17, 6: Ann-Charlotte is sent RS 2024-05699 "för kännedom": her start page shows
    it, its state and its next deadline (the earliest open one, here a milestone)."""
    client.force_login(people("ann-charlotte.jarnstrom"))
    first = adopted.milestones.order_by("due").first()
    with time_machine.travel(first.due - dt.timedelta(days=20)):  # its first deadline to come
        page = client.get(reverse("home")).content.decode()
    section = page.split('id="followed-heading"', 1)[1].split("</section>", 1)[0]
    assert "Uppdrag jag följer" in page
    assert adopted.title in section and adopted.registration_number in section
    assert "Fastställd" in section and "för kännedom" in section
    assert f'Nästa tidpunkt: <time datetime="{first.due.isoformat()}">' in section
    assert f"</time> – {first.title}" in section
    # Per is sent it "för kännedom" too, but commissioned it: listed once, there
    client.force_login(people("per.albertsson"))
    assert 'id="followed-heading"' not in client.get(reverse("home")).content.decode()
