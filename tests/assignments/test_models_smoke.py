import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MilestoneFactory


@pytest.mark.django_db
def test_milestone_due_before_start_is_rejected():
    milestone = MilestoneFactory.build(start=dt.date(2025, 9, 1), due=dt.date(2025, 8, 1))
    with pytest.raises(ValidationError) as error:
        milestone.clean()
    assert "due" in error.value.message_dict
