"""The lifecycle's invariants under random acts of every role (issue 25): the state machine of
lifecycle_machine.py, 200 examples in the suite, new ones each run (bench/property_lifecycle.py
runs 5,000; each bug either found is kept in test_property_regressions.py)."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from .lifecycle_machine import LifecycleMachine

EXAMPLES = 200  # about 100 s of one worker; the bench's 5,000 take the long look
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=False,
)


# In the full suite, not the fast lane: a minute of random examples.
@pytest.mark.long
@pytest.mark.slow
@pytest.mark.django_db
def test_the_lifecycle_keeps_its_invariants_under_random_acts():
    before = LifecycleMachine.examples
    run_state_machine_as_test(LifecycleMachine, settings=SETTINGS)
    assert LifecycleMachine.examples - before >= EXAMPLES
