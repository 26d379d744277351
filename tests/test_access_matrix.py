"""The access matrix (issue #15): every URL the app serves × every kind of visitor × GET and each
POST form, against the table of expected outcomes in tests/access_matrix.py.

`test_every_route_has_a_row` compares the real URL resolver (walked recursively, and once more
in a child process with DEBUG on) with the table: a new URL without a row fails, and so does a
row for a URL that no longer exists. `test_access_matrix` sends every row's requests as every
role, each inside a savepoint that is rolled back, and lists every mismatch at once.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests import access_matrix as table

BASE_DIR = Path(__file__).resolve().parent.parent


# -- the routes -----------------------------------------------------------------------------------


def _normalise(route: str) -> str:
    """The admin's app-list route spells out every app with an admin; the row does not."""
    return re.sub(r"\(\?P<app_label>[^)]*\)", "(?P<app_label>…)", route)


def url_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URL resolver, as its full pattern (the table's keys)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += url_routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            routes.append(_normalise(prefix + str(entry.pattern)))
    return routes


def _routes_with_debug_on() -> list[str]:
    """The routes when DEBUG is on (make run), read by a child process: URLconfs are read once."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "SECRET_KEY": "access-matrix-probe",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django, json; django.setup(); "
        "from tests.test_access_matrix import url_routes; print(json.dumps(url_routes()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_route_has_a_row():
    routes = set(url_routes()) | set(_routes_with_debug_on())
    rows = set(table.ROWS)
    forbidden = sorted(routes & set(table.FORBIDDEN_ROUTES))
    missing = sorted(routes - rows - set(table.FORBIDDEN_ROUTES))
    stale = sorted(rows - routes)
    problems = []
    if forbidden:
        problems.append("routes that must not exist:")
        problems += [f"  {r}  ({table.FORBIDDEN_ROUTES[r]})" for r in forbidden]
    if missing:
        problems.append("routes without a row in tests/access_matrix.py:")
        problems += [f"  {r}" for r in missing]
    if stale:
        problems.append("rows without a route (renamed or removed?):")
        problems += [f"  {r}" for r in stale]
    assert not problems, "\n".join(problems)


# -- the world the requests run in ----------------------------------------------------------------


@dataclass
class Scene:
    assignment: object
    process: object
    milestone: object | None


class World:
    """The demo data driven to where every kind of task exists, and the people playing roles."""

    def __init__(self, demo):
        from django.contrib.auth.models import Group as AuthGroup
        from django.core.files.base import ContentFile
        from django_celery_beat.models import ClockedSchedule, SolarSchedule
        from notifications.models import Notification

        from assignments.models import Assignment, Distribution, User
        from assignments.permissions import REGISTRAR_GROUP
        from tests.factories import (
            AssignmentFactory,
            DistributionFactory,
            MilestoneFactory,
            UserFactory,
            WorkingGroupMemberFactory,
        )
        from workflow import services

        people = {u.username: u for u in User.objects.all()}
        self.users = {
            table.ANONYMOUS: None,
            table.NO_ROLE: UserFactory(username="ingen.roll", first_name="Ingen", last_name="Roll"),
            table.READER: people["ann-charlotte.jarnstrom"],
            table.MEMBER: people["erica.sandberg"],
            table.ASSIGNEE: people["jan.strang"],
            table.DECISION_MAKER: people["per.albertsson"],
            table.REGISTRAR: people["registrator"],
            table.SUPERUSER: people["admin"],
        }
        jan, per = self.users[table.ASSIGNEE], self.users[table.DECISION_MAKER]
        erica, reader = self.users[table.MEMBER], self.users[table.READER]
        self.registrar_group = AuthGroup.objects.get(name=REGISTRAR_GROUP)

        # seed 004: jan submits the final delivery; Anders and Per each get an approval task
        self.delivery = services.submit_delivery(
            assignment=demo, actor=jan, summary="Slutrapport med förslag.", document=table.pdf()
        )
        self.seed = Assignment.objects.get(pk=demo.pk)
        # the file an import kept as its source document (#18)
        self.seed.source_document_name = "uppdragshandling.txt"
        self.seed.source_document.save(
            "uppdragshandling.txt", ContentFile(b"Uppdragshandling\n"), save=True
        )
        approvals = {t.data["decision_maker"]: t for t in services.open_tasks(self.seed)}
        self.per_task = approvals[per.pk]
        self.anders = people["anders.kullbratt"]
        self.anders_task = approvals[self.anders.pk]

        def like_seed(number: str):
            """The seed's roles in a smaller assignment: Per commissions and decides, Jan carries
            it out, Erica is in the working group (responsible for its milestone), Ann-Charlotte
            reads."""
            assignment = AssignmentFactory(
                registration_number=number,
                title=f"Testuppdrag {number}",
                issuing_unit=demo.issuing_unit,
                assignee=jan,
                project_lead=jan,
                state=Assignment.State.DRAFT,
                commissioners=[per],
                decision_makers=[per],
            )
            WorkingGroupMemberFactory(assignment=assignment, person=erica, role="Utvecklingschef")
            DistributionFactory(
                assignment=assignment, person=erica, purpose=Distribution.Purpose.EXECUTION
            )
            DistributionFactory(
                assignment=assignment, person=reader, purpose=Distribution.Purpose.INFORMATION
            )
            MilestoneFactory(assignment=assignment, title="Sammanställning", responsible=erica)
            services.start_process(assignment=assignment)
            return assignment

        draft = like_seed("RS 2099-00001")
        working = like_seed("RS 2099-00002")
        services.adopt_assignment(assignment=working, actor=per)
        decided = like_seed("RS 2099-00003")
        services.adopt_assignment(assignment=decided, actor=per)
        delivery = services.submit_delivery(assignment=decided, actor=jan, summary="Slutrapport.")
        services.approve_delivery(delivery=delivery, decided_by=per)
        self.draft = Assignment.objects.get(pk=draft.pk)
        self.working = Assignment.objects.get(pk=working.pk)
        self.decided = Assignment.objects.get(pk=decided.pk)
        assert self.decided.state == Assignment.State.DECIDED

        self.scenes = {
            name: Scene(
                assignment=assignment,
                process=services.current_process(assignment),
                milestone=assignment.milestones.order_by("pk").first(),
            )
            for name, assignment in [
                ("seed", self.seed),
                ("draft", self.draft),
                ("working", self.working),
                ("decided", self.decided),
            ]
        }
        self.notification = Notification.objects.filter(recipient=per).order_by("-pk").first()
        # one row of each celery-beat schedule, so that every admin change form has an object
        ClockedSchedule.objects.get_or_create(clocked_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        SolarSchedule.objects.get_or_create(event="sunrise", latitude=57.70, longitude=11.97)
        self.group = self.seed.relations.exclude(target_group=None).first().target_group
        from api.tokens import issue_token

        self.api_token, _secret = issue_token(user=per, name="Diariet")
        from workflow.calendar_tokens import renew_calendar_token

        # a calendar address works for whoever holds it, without a login: the person with no
        # role's (an empty calendar, nothing to leak); Per's first address, renewed, is dead
        _token, self.calendar_secret = renew_calendar_token(user=self.users[table.NO_ROLE])
        _token, self.renewed_calendar_secret = renew_calendar_token(user=per)
        renew_calendar_token(user=per)
        from workflow.services import set_absence

        # Per's own absence, with no stand-in: only he ends it (anyone else's is a 404)
        self.absence = set_absence(
            person=per, starts=dt.date.today(), ends=dt.date.today() + dt.timedelta(days=30)
        )
        from reminders.watch_dates import set_watch_date

        self.watch_date = set_watch_date(
            person=jan, assignment=self.seed, day=dt.date.today() + dt.timedelta(days=7)
        )

    # -- what the table's rows ask for --

    def task(self, scene: str, node: str):
        if scene == "seed" and node == "approve":
            return self.per_task
        process = self.scenes[scene].process
        return process.task_set.filter(flow_task=getattr(process.flow_class, node)).first()

    def admin_object(self, app_label: str, model_name: str):
        from django.apps import apps

        from assignments.models import AuditEntry

        chosen = {
            ("auth", "group"): lambda: self.registrar_group,
            ("viewflow", "process"): lambda: self.scenes["seed"].process,
            ("viewflow", "task"): lambda: self.per_task,
            ("notifications", "notification"): lambda: self.notification,
            ("assignments", "assignment"): lambda: self.seed,
            ("assignments", "milestone"): lambda: self.seed.milestones.order_by("pk").first(),
            ("assignments", "orgunit"): lambda: self.seed.issuing_unit,
            ("assignments", "user"): lambda: self.users[table.ASSIGNEE],
            ("assignments", "group"): lambda: self.group,
            ("assignments", "delivery"): lambda: self.delivery,
            ("assignments", "decision"): lambda: self.decided.decision,
            ("assignments", "auditentry"): lambda: AuditEntry.objects.filter(
                assignment=self.seed
            ).latest("pk"),
        }
        if (app_label, model_name) in chosen:
            return chosen[(app_label, model_name)]()
        return apps.get_model(app_label, model_name).objects.order_by("pk").first()

    def content_type_id_of(self, obj) -> int:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(obj).pk

    def media_url_of_delivery(self) -> str:
        # where Django's static() would serve it; MEDIA_URL itself is gone
        return "/media/" + self.delivery.document.name

    def delivery_document_url(self) -> str:
        return reverse(
            "workflow:delivery_document", args=[self.delivery.assignment_id, self.delivery.number]
        )

    def leak_pattern(self) -> re.Pattern:
        """What a visitor who may see no assignment must never be shown: any assignment's
        registration number or address, any process's address, any task as viewflow labels it
        ("#<process>/<task>")."""
        from viewflow.workflow.models import Task

        from assignments.models import Assignment

        markers = set()
        for pk, number in Assignment.objects.values_list("pk", "registration_number"):
            markers |= {number, f"/uppdrag/{pk}/"}
        for pk, process_pk in Task.objects.values_list("pk", "process_id"):
            markers |= {f"#{process_pk}/{pk}", f"/assignment/{process_pk}/"}
        alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
        return re.compile(f"(?:{alternatives})(?!\\d)")


# -- filling the URLs -----------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
NODE_IN_ROUTE = re.compile(r"<int:process_pk>/(\w+)/<int:task_pk>/")
ADMIN_MODEL_IN_ROUTE = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/")


def _default_parameters(route: str, row: table.Row, world: World) -> dict:
    scene = world.scenes[row.on]
    values = {}
    if route.startswith(("uppdrag/", "api/assignments/")):
        values["pk"] = scene.assignment.pk
    elif route.startswith("grupper/"):
        values["pk"] = world.group.pk
    elif route.startswith("notiser/"):
        values["pk"] = world.notification.pk
    if "<int:milestone_pk>" in route:
        values["milestone_pk"] = scene.milestone.pk
    if "<int:process_pk>" in route:
        values["process_pk"] = scene.process.pk
    if node := NODE_IN_ROUTE.search(route):
        values["task_pk"] = world.task(row.on, node[1]).pk
    if model := ADMIN_MODEL_IN_ROUTE.match(route):
        obj = world.admin_object(model[1], model[2])
        values["object_id"] = obj.pk if obj is not None else 0
    return values


def url_of(route: str, row: table.Row, case: table.Case, world: World) -> str:
    if row.path is not None:
        url = row.path(world)
    else:
        values = {
            **_default_parameters(route, row, world),
            **{k: f(world) for k, f in row.params.items()},
            **{k: f(world) for k, f in case.params.items()},
        }
        url = "/" + PARAMETER.sub(lambda m: str(values[m[1]]), route)
    query = case.query or (row.query if case.data is None else "")
    return f"{url}?{query}" if query else url


# -- the admin's own forms ------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would submit from the admin's change form (`<form id="…_form">`)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # a browser drops the newline that follows <textarea>
            self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def admin_form_data(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: the superuser's form is a {response.status_code}"
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {
        k: v if len(v) != 1 else v[0] for k, v in parser.data.items() if k != "csrfmiddlewaretoken"
    }


# -- outcomes -------------------------------------------------------------------------------------


def _is_login(response) -> bool:
    location = response.get("Location", "")
    return location.startswith(settings.LOGIN_URL) or location.startswith(reverse("admin:login"))


def _redirects(response) -> bool:
    return 300 <= response.status_code < 400 and not _is_login(response)


MATCHES = {
    "ok": lambda r: 200 <= r.status_code < 300 or _redirects(r),
    "saved": _redirects,
    "redirect": _redirects,
    "login": lambda r: 300 <= r.status_code < 400 and _is_login(r),
    "denied": lambda r: r.status_code in (403, 404),
    "notfound": lambda r: r.status_code == 404,
    "bad": lambda r: r.status_code == 400,
    "allowed": lambda r: r.status_code in (200, 400) or _redirects(r),
    "refused": lambda r: r.status_code in (400, 403, 404),
    "away": lambda r: r.status_code in (403, 404) or _redirects(r),
    "method": lambda r: r.status_code == 405,
    "download": lambda r: (
        r.status_code == 200
        and r.get("Content-Disposition", "").startswith("attachment")
        and r.get("X-Content-Type-Options") == "nosniff"
    ),
    "any": lambda r: r.status_code < 500 and not (300 <= r.status_code < 400 and _is_login(r)),
    "unauthorized": lambda r: (
        r.status_code == 401 and r.get("WWW-Authenticate", "").startswith("Bearer")
    ),
    "forbidden": lambda r: r.status_code == 403,
    "conflict": lambda r: r.status_code == 409,
    "health": lambda r: r.status_code in (200, 503) and r["Content-Type"] == "application/json",
}
assert set(MATCHES) == set(table.OUTCOMES)


def describe(response) -> str:
    text = str(response.status_code)
    if 300 <= response.status_code < 400:
        text += f" → {response.get('Location', '')[:70]}"
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        error = response.exc_info[1]
        text += f" {type(error).__name__}: {str(error)[:80]}"
    return text


def _body(response) -> str:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


@dataclass
class Mismatch:
    route: str
    request: str
    role: str
    expected: str
    got: str


# -- the matrix -----------------------------------------------------------------------------------


@pytest.fixture
def world(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # every client logs in once, before the walk, however long the walk takes on a busy machine
    settings.REAUTHENTICATION_MINUTES = 24 * 60
    return World(demo)


def _cases(row: table.Row) -> list[table.Case]:
    cases = [table.Case("GET", row.get)]
    if row.post is not None:
        cases.append(table.Case("POST (empty)", row.post, data={}))
    return cases + list(row.cases)


def _post_data(case, world, user, route, url, superuser_client, forms):
    if isinstance(case.data, table.AdminForm):
        if url not in forms:
            forms[url] = admin_form_data(superuser_client, url)
        data = dict(forms[url])
        for name, value in case.data.changes.items():
            data[name] = value(world) if callable(value) else value
        return data
    if callable(case.data):
        return case.data(world, user)
    return dict(case.data)


def _run(route, row, case, role, world, clients, forms, markers) -> str | None:
    """One request in a savepoint that is rolled back; None if it went as the table says."""
    from assignments.models import AuditEntry

    client, user = clients[role], world.users[role]
    expected = case.expect[role]
    try:
        url = url_of(route, row, case, world)
    except LookupError as error:
        return f"no URL: {error}"
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                if case.before is not None:
                    case.before(world, user)
            except Exception as error:  # the forged state itself was refused: fine if expected
                transaction.set_rollback(True)
                return None if expected == "refused" else f"blocked: {error!r}"[:120]
            frozen = case.frozen(world) if case.frozen and role in case.frozen_for else None
            cache.clear()  # throttles count in the cache, which no savepoint rolls back
            audits = AuditEntry.objects.count()
            if case.data is None:
                response = client.get(url)
            else:
                data = _post_data(case, world, user, route, url, clients[table.SUPERUSER], forms)
                response = client.post(url, data)
            found = []  # what went wrong besides the status
            sees_nothing = role in (table.ANONYMOUS, table.NO_ROLE)
            if sees_nothing and (shown := sorted(set(markers.findall(_body(response))))):
                found.append(f"showing {', '.join(shown[:4])}")
            if frozen is not None and (now := case.frozen(world)) != frozen:
                found.append(f"changed {frozen} → {now}")
            if (
                role in case.audited_for
                and _redirects(response)
                and AuditEntry.objects.count() == audits
            ):
                found.append("no audit entry")
            status_ok = MATCHES[expected](response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    if status_ok and not found:
        return None
    return " and ".join([describe(response), *found])


@pytest.mark.long
def test_access_matrix(world):
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        if user is not None:
            clients[role].force_login(user)
    markers = world.leak_pattern()
    forms: dict[str, dict] = {}
    routes = set(url_routes())
    mismatches = []
    for route, row in {**table.ROWS, **table.PATHS}.items():
        if route not in routes and route not in table.PATHS and row.path is None:
            continue  # listed by test_every_route_has_a_row
        for case in _cases(row):
            assert set(case.expect) == set(table.ROLES), f"{route} {case.name}: not every role"
            for role in table.ROLES:
                got = _run(route, row, case, role, world, clients, forms, markers)
                if got is not None:
                    mismatches.append(Mismatch(route, case.name, role, case.expect[role], got))
    assert not mismatches, _report(mismatches)


def test_access_matrix_with_tokens(world):
    """Every API row as every logged-in role holding a personal token of each scope, expected as
    tests/access_matrix.with_token derives from the session's column."""
    from dataclasses import replace

    from api import tokens

    markers = world.leak_pattern()
    routes = set(url_routes())
    mismatches = []
    for scope in table.TOKEN_SCOPES:
        clients = {}
        for role in table.LOGGED_IN:
            _token, secret = tokens.issue_token(user=world.users[role], name=scope, scope=scope)
            clients[role] = Client(
                raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}"
            )
        for route, row in table.API.items():
            if route in ("api/schema/", "api/docs/"):
                continue
            assert route in routes, route
            for case in _cases(row):
                method = "GET" if case.data is None else "POST"
                expect = {
                    role: table.with_token(scope, method, case.expect[role])
                    for role in table.LOGGED_IN
                }
                token_case = replace(case, expect=expect)
                for role in table.LOGGED_IN:
                    got = _run(route, row, token_case, role, world, clients, {}, markers)
                    if got is not None:
                        request = f"{case.name}, {scope} token"
                        mismatches.append(Mismatch(route, request, role, expect[role], got))
    assert not mismatches, _report(mismatches)


def _report(mismatches: list[Mismatch]) -> str:
    """One line per request and result, naming every role that got it."""
    lines = [f"{len(mismatches)} requests did not go as tests/access_matrix.py says:"]
    grouped: dict[tuple, list[str]] = {}
    for m in mismatches:
        grouped.setdefault((m.route, m.request, m.expected, m.got), []).append(m.role)
    for (route, request, expected, got), roles in grouped.items():
        lines.append(f"  {route}  [{request}]  {', '.join(roles)}: expected {expected}, got {got}")
    return "\n".join(lines)
