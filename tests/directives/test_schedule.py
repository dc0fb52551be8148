"""Due dates and standings worked by hand (the calendar: 15/11/2025 is a Saturday, 15/11/2026 a Sunday;
Tết 2026 is off from Monday 16 to Friday 20 February)."""

from __future__ import annotations

import datetime as dt

from thidua.directives.schedule import Recurrence, TaskStatus, deadline, remind_from, status, yearly_date

D = dt.date


def test_yearly_due_dates_up_to_the_next_one() -> None:
    rule = Recurrence(day=15, month=11, start_year=2024)
    assert rule.occurrences(until=D(2026, 12, 7)) == [
        D(2024, 11, 15),
        D(2025, 11, 15),
        D(2026, 11, 15),
        D(2027, 11, 15),
    ]
    # On the due day itself the list stops there.
    assert rule.occurrences(until=D(2025, 11, 15)) == [D(2024, 11, 15), D(2025, 11, 15)]
    closed = Recurrence(day=15, month=11, start_year=2024, end_year=2025)
    assert closed.occurrences(until=D(2026, 12, 7)) == [D(2024, 11, 15), D(2025, 11, 15)]
    assert closed.in_year(2026) == [] and closed.in_year(2025) == [D(2025, 11, 15)]
    assert Recurrence(once=D(2026, 6, 30)).in_year(2026) == [D(2026, 6, 30)]


def test_29_february_falls_on_the_28th_in_a_common_year() -> None:
    assert yearly_date(2027, 2, 29) == D(2027, 2, 28)
    assert yearly_date(2028, 2, 29) == D(2028, 2, 29)


def test_a_deadline_on_a_rest_day_ends_with_the_next_working_day() -> None:
    assert deadline(D(2024, 11, 15)) == D(2024, 11, 15)  # a Friday
    assert deadline(D(2025, 11, 15)) == D(2025, 11, 17)  # Saturday -> Monday
    assert deadline(D(2026, 11, 15)) == D(2026, 11, 16)  # Sunday -> Monday
    assert deadline(D(2026, 2, 18)) == D(2026, 2, 23)  # Tết: Wednesday 18/02 -> Monday 23/02
    assert deadline(D(2026, 1, 1)) == D(2026, 1, 5)  # 1/1 Thursday, 2/1 swapped off, then the weekend


def test_standing_on_both_sides_of_the_deadline() -> None:
    due = D(2026, 11, 15)  # deadline Monday 16/11
    assert status(due, None, D(2026, 11, 16)) == TaskStatus.NOT_DUE
    assert status(due, None, D(2026, 11, 17)) == TaskStatus.OVERDUE
    assert status(due, D(2026, 11, 16), D(2026, 12, 7)) == TaskStatus.ON_TIME
    assert status(due, D(2026, 11, 17), D(2026, 12, 7)) == TaskStatus.LATE
    assert status(due, D(2026, 10, 1), D(2026, 10, 2)) == TaskStatus.ON_TIME


def test_reminders_begin_n_working_days_before_across_tet() -> None:
    # Tuesday 24/02/2026, 3 working days before: Monday 23/02, then Tết and the weekend, Friday 13/02,
    # Thursday 12/02.
    assert remind_from(D(2026, 2, 24), 3) == D(2026, 2, 12)
    # Thursday 10/12/2026: Wednesday 9, Tuesday 8, Monday 7.
    assert remind_from(D(2026, 12, 10), 3) == D(2026, 12, 7)
    # A working Saturday counts: 10/01/2026 was worked for Friday 02/01.
    assert remind_from(D(2026, 1, 12), 1) == D(2026, 1, 10)
    assert remind_from(D(2026, 12, 10), 0) == D(2026, 12, 10)
