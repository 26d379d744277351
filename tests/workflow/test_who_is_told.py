"""Who is told when who is on a draft changes (issue 29, item 4): the new commissioners of a
draft get the notice the first ones got; when no commissioner can adopt (the only one is a
contact without a login), the registrars are warned instead of the adoption waiting for
nobody."""

from notifications.models import Notification

from assignments.models import Assignment, User
from tests.workflow.test_register import (  # noqa: F401 (registrar: a fixture)
    NEW,
    management,
    page_data,
    registrar,
)

WAITING = "adoption_waiting"


def told(person: User, assignment: Assignment) -> list[dict]:
    """The adoption notices the person has about the assignment (their parameters)."""
    return [
        n.data["params"]
        for n in Notification.objects.filter(recipient=person, data__event=WAITING)
        if n.data["params"]["dnr"] == assignment.registration_number
    ]


def edit_data(client, assignment) -> dict:
    """The edit page's form as it stands, to post back."""
    form = client.get(f"/uppdrag/{assignment.pk}/redigera/").context["forms"]
    data = {k: ("" if v is None else str(v)) for k, v in form.main.initial.items()}
    for prefix, formset in form.formsets.items():
        data.update(management(prefix, len(formset.initial or []), len(formset.initial or [])))
        for i, row in enumerate(formset.initial or []):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    return data


def test_a_new_commissioner_of_a_draft_is_told_the_adoption_waits(registrar, client):  # noqa: F811
    client.post(NEW, page_data())
    draft = Assignment.objects.get(registration_number="RS 2026-00042")
    per, anders = (
        User.objects.get(username="per.albertsson"),
        User.objects.get(username="anders.kullbratt"),
    )
    assert len(told(per, draft)) == 1 and told(anders, draft) == []

    data = edit_data(client, draft)
    data.update(management("commissioners", 2, 1))
    data["commissioners-1-name"] = "Anders Kullbratt (anders.kullbratt)"
    response = client.post(f"/uppdrag/{draft.pk}/redigera/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(told(anders, draft)) == 1
    assert len(told(per, draft)) == 1  # told once, not again
    assert told(registrar, draft) == []  # someone can adopt: no warning


def test_the_registrars_are_warned_when_only_a_contact_commissions(registrar, client):  # noqa: F811
    response = client.post(
        NEW, page_data(**{"commissioners-0-name": "Läkemedelskommitténs ordförande"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Assignment.objects.get(registration_number="RS 2026-00042")
    warnings = told(registrar, draft)
    assert len(warnings) == 1
    assert warnings[0]["nobody"] == "Läkemedelskommitténs ordförande"
    page = client.get("/notiser/").content.decode()
    assert "Ingen kan fastställa: Läkemedelskommitténs ordförande kan inte logga in." in page
