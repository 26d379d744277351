import pytest

from assignments import demo_data
from tests.factories import OrgUnitFactory, UserFactory


@pytest.fixture
def accounts(db):
    """An account for everyone seed 004 names (as load_demo makes them), by username."""
    return {
        username: UserFactory(username=username, first_name=first, last_name=last)
        for username, (first, last, *_rest) in demo_data.PEOPLE.items()
    }


@pytest.fixture
def central_office(db):
    return OrgUnitFactory(name="Koncernkontoret")
