import datetime as dt

import pytest

from reminders import calendar

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2025, 6, 20), "midsommarafton"),
        (D(2026, 6, 19), "midsommarafton"),
        (D(2027, 6, 25), "midsommarafton"),
        (D(2025, 12, 24), "julafton"),
        (D(2026, 12, 31), "nyårsafton"),
        (D(2026, 1, 6), "trettondedag jul"),
        (D(2026, 4, 3), "långfredag"),
        (D(2026, 4, 6), "annandag påsk"),
        (D(2026, 5, 1), "första maj"),
        (D(2026, 5, 14), "kristi himmelsfärd"),
    ],
)
def test_swedish_holidays_and_eves_are_not_working_days(day, name):
    assert not calendar.is_working_day(day), name


def test_holidays_on_a_weekend_are_not_moved_to_monday():
    # The national day 2027 is a Sunday; Sweden gives no day off in lieu.
    assert calendar.is_working_day(D(2027, 6, 7))


def test_ordinary_weekdays_are_working_days():
    assert calendar.is_working_day(D(2026, 6, 18))
    assert calendar.is_working_day(D(2025, 11, 28))


def test_weekends_are_not_working_days():
    assert not calendar.is_working_day(D(2025, 11, 29))
    assert not calendar.is_working_day(D(2025, 11, 30))


def test_due_on_saturday_moves_to_friday():
    assert calendar.working_day_on_or_before(D(2025, 11, 29)) == D(2025, 11, 28)


def test_due_on_midsummer_eve_moves_to_thursday():
    assert calendar.working_day_on_or_before(D(2026, 6, 19)) == D(2026, 6, 18)


def test_next_working_day_skips_christmas_and_the_weekend():
    assert calendar.next_working_day(D(2025, 12, 23)) == D(2025, 12, 29)


def test_add_working_days_forward_and_back_over_easter():
    assert calendar.add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert calendar.add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)


def test_ten_and_three_working_days_before_compilation_of_seed_004():
    due = D(2025, 11, 30)  # "Nov 2025" ends on a Sunday
    assert calendar.working_days_before(due, 10) == D(2025, 11, 14)
    assert calendar.working_days_before(due, 3) == D(2025, 11, 25)
    assert calendar.working_days_before(due, 0) == D(2025, 11, 28)


def test_working_days_between_counts_only_working_days():
    assert calendar.working_days_between(D(2025, 12, 19), D(2025, 12, 29)) == 3
