"""schemathesis against the live schema: every operation of /api/schema/, called through the
whole Django stack (config.wsgi) with generated requests, valid and invalid, as a person with
data (Jan Sträng, the assignee of seed 004, through a personal API token).

0 server errors, and every answer conforms to the schema: its status code, content type,
headers and body are the ones documented. A bounded number of examples per operation and mode,
from a fixed seed, so that a run is repeatable.

The operations are listed when the tests are collected (drf-spectacular's generator, the code
behind /api/schema/), one test each; each test loads the schema the running app serves and
fails if the operation is not in it. (schemathesis' own pytest loader, `from_fixture`, cannot
run on pytest 9: it sets a private attribute of pytest's test items.)
"""

from __future__ import annotations

import hypothesis
import hypothesis.strategies as st
import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis import GenerationMode

from api import tokens

SEED = 19
EXAMPLES = 25  # per operation and mode
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
]


def _operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


OPERATIONS = _operations()


def config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": EXAMPLES,
                "database": "none",  # no .hypothesis/ folder: every run starts from the seed
                "with-security-parameters": False,  # our token, not generated ones
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Requests through the WSGI application share the test's database connection, as Django's
    test client's do: no closing of "old" connections when a request ends."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def live_schema(demo, settings, tmp_path, wsgi_in_the_test_transaction):
    """The schema as /api/schema/ serves it, loaded through the app."""
    from config.wsgi import application

    settings.MEDIA_ROOT = tmp_path
    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=config())


def token_of(person) -> str:
    _token, secret = tokens.issue_token(user=person, name="schemathesis", scope="act")
    return secret


def test_every_operation_served_is_tested(live_schema):
    served = sorted(
        (operation.ok().method.upper(), operation.ok().path)
        for operation in live_schema.get_all_operations()
    )
    assert served == sorted(OPERATIONS)


def run(live_schema, demo, method: str, path: str, token: str) -> None:
    """EXAMPLES valid and EXAMPLES invalid requests to one operation, checked."""
    operation = live_schema[path][method]
    # now and then a real object (seed 004 and its first milestone), to get past the 404
    real = {"id": demo.pk, "milestone_pk": demo.milestones.order_by("pk").first().pk}
    real = {name: value for name, value in real.items() if "{" + name + "}" in path}
    headers = {"Authorization": f"Bearer {token}"}

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        cases = st.one_of(
            operation.as_strategy(generation_mode=mode),
            operation.as_strategy(generation_mode=mode, path_parameters=real or None),
        )

        @hypothesis.seed(SEED)
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=cases)
        def call(case):
            # while seed 004 is worked on: its milestones and delivery can be acted on
            with time_machine.travel("2025-09-15 10:00 +02:00", tick=False):
                case.call_and_validate(headers=headers)

        call()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_conforms_to_its_schema(live_schema, demo, method, path):
    """As the assignee of seed 004: reads, milestones and the delivery succeed, a decision on
    his own delivery is refused."""
    run(live_schema, demo, method, path, token_of(demo.assignee))


DECISIONS = [(m, p) for m, p in OPERATIONS if p.endswith(("/approve/", "/return/"))]


@pytest.mark.parametrize(("method", "path"), DECISIONS, ids=[f"{m} {p}" for m, p in DECISIONS])
def test_the_answers_conform_as_a_decision_maker(live_schema, demo, method, path):
    """As Per Albertsson, with seed 004's delivery waiting for his answer."""
    from workflow import services

    services.submit_delivery(assignment=demo, actor=demo.assignee, summary="Slutrapport.")
    run(
        live_schema,
        demo,
        method,
        path,
        token_of(demo.decision_makers.get(username="per.albertsson")),
    )
