"""Every page each demo role reaches, in Chromium, with the console recorded: no Content Security
Policy violation and no error on any of them (issue 15). One browser context per person."""

from __future__ import annotations

from assignments.models import Group, User
from workflow import services
from workflow.models import AssignmentProcess

from .conftest import Console, login

FLOW = "/workflow/uppdrag/assignment"


def _person(username: str) -> User:
    return User.objects.get(username=username)


def test_no_page_violates_the_content_security_policy_or_logs_an_error(site, new_page):
    assignment = site.assignment
    process = AssignmentProcess.of(assignment).first()
    group = Group.objects.filter(is_archived=False).order_by("name").first()
    decision = f"/uppdrag/{assignment.pk}/beslut/"
    everyone = [
        "/",
        "/notiser/",
        "/grupper/",
        f"/grupper/{group.pk}/",
        "/installningar/",
        f"{FLOW}/inbox/",
        f"{FLOW}/queue/",
        f"{FLOW}/archive/",
    ]
    on_the_assignment = [
        f"/uppdrag/{assignment.pk}/",
        f"/uppdrag/{assignment.pk}/process/",
        f"/uppdrag/{assignment.pk}/audit/",
    ]
    registry = [
        "/portfolj/",
        "/portfolj/?state=adopted&sort=title",
        f"{FLOW}/",  # the dashboard, with the flow chart in a dialog
        f"{FLOW}/flows/",
        f"{FLOW}/tasks/",
        f"{FLOW}/{process.pk}/",
        "/admin/",
        "/admin/assignments/assignment/",
        f"/admin/assignments/assignment/{assignment.pk}/change/",
    ]
    # while the assignment is in progress: the milestone buttons and the delivery form
    before_the_delivery = {
        "jan.strang": everyone + on_the_assignment,
        "erica.sandberg": everyone + on_the_assignment,
        "ann-charlotte.jarnstrom": everyone + on_the_assignment,
        "regiondirektor": everyone + ["/portfolj/"],
    }
    # once delivered: the decision page for the decision-makers, the record for the registry
    after_the_delivery = {
        "per.albertsson": everyone + on_the_assignment + ["/portfolj/", decision],
        "anders.kullbratt": everyone + [decision],
        "registrator": everyone + on_the_assignment + registry,
        "admin": [
            *registry,
            f"/admin/assignments/user/{_person('jan.strang').pk}/change/",
            "/admin/auth/group/",
        ],
    }
    # the flow chart on its own: the flow's, and this process's for those who take part in it
    charts = {
        "jan.strang": [f"{FLOW}/chart/", f"{FLOW}/{process.pk}/chart/"],
        "per.albertsson": [f"{FLOW}/chart/", f"{FLOW}/{process.pk}/chart/"],
        "registrator": [f"{FLOW}/chart/", f"{FLOW}/{process.pk}/chart/"],
    }

    consoles = [anonymous := Console(new_page())]
    anonymous.walk(site, ["/", "/accounts/password_reset/"])  # "/" leads to the login page

    def walk_as(username: str, paths: list[str]) -> None:
        consoles.append(console := Console(new_page()))
        login(console.page, site, username)  # the login page too, in this person's session
        console.walk(site, paths)
        for chart in charts.get(username, []):
            console.open_alone(site, chart)

    for username, paths in before_the_delivery.items():
        walk_as(username, paths)
    services.submit_delivery(
        assignment=assignment, actor=_person("jan.strang"), summary="Förslag, version 1"
    )
    for username, paths in after_the_delivery.items():
        walk_as(username, paths)

    violations = [line for console in consoles for line in console.violations]
    errors = [line for console in consoles for line in console.errors]
    report = "\n".join(["CSP violations:", *violations, "errors:", *errors])
    assert not violations and not errors, report
    assert sum(len(console.walked) for console in consoles) >= 90
