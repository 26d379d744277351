import pytest

from tests.factories import TEST_PASSWORD


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def demo(db):
    """The demo data of `load_demo`: seed 004 as a live assignment, seed 002 groups."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from assignments.models import Assignment

    return Assignment.objects.get(
        registration_number="RS 2024-05699", state__in=Assignment.OPEN_STATES
    )
