"""The lifecycle's invariants under random acts of every role (issue 25): the state machine of
lifecycle_machine.py, 200 examples in the suite (bench/property_lifecycle.py runs 5,000)."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from .lifecycle_machine import LifecycleMachine

SETTINGS = settings(
    max_examples=200,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=False,
)


# In the full suite, not the fast lane: 200 examples take minutes.
@pytest.mark.slow
@pytest.mark.django_db
def test_the_lifecycle_keeps_its_invariants_under_random_acts():
    before = LifecycleMachine.examples
    run_state_machine_as_test(LifecycleMachine, settings=SETTINGS)
    assert LifecycleMachine.examples - before >= 200
