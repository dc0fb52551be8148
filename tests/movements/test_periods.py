"""Report periods and their due dates, counted in working days over holidays, Tết and working Saturdays
(core/data/holidays-vn.toml). Every expected date is counted by hand from the published schedules."""

from __future__ import annotations

import datetime as dt

from thidua.movements.periods import schedule

d = dt.date


def test_a_monthly_and_a_quarterly_criterion_share_the_quarter_end_report() -> None:
    periods = schedule(
        start=d(2026, 1, 1), end=d(2026, 3, 31), criteria=[(1, "month"), (2, "quarter")], due_days=5
    )
    assert [(p.end, p.label, p.criteria) for p in periods] == [
        (d(2026, 1, 31), "Tháng 1/2026", (1,)),
        (d(2026, 2, 28), "Tháng 2/2026", (1,)),
        (d(2026, 3, 31), "Tháng 3/2026", (1, 2)),
    ]
    # The March report covers the quarterly criterion's whole quarter.
    assert periods[-1].start == d(2026, 1, 1)


def test_periods_are_cut_to_a_thematic_movement() -> None:
    periods = schedule(
        start=d(2026, 3, 15), end=d(2026, 11, 20), criteria=[(1, "half_year"), (2, "year")], due_days=5
    )
    assert [(p.start, p.end, p.label) for p in periods] == [
        (d(2026, 3, 15), d(2026, 6, 30), "6 tháng đầu năm 2026"),
        # The yearly criterion's period ends here too, so the report spans it (its value is cumulative).
        (d(2026, 3, 15), d(2026, 11, 20), "6 tháng cuối năm 2026"),
    ]
    assert [p.criteria for p in periods] == [(1,), (1, 2)]


def test_due_dates_skip_tet_and_holidays_and_count_a_working_saturday() -> None:
    # January 2026 ends on Saturday 31/1. Fifteen working days: 2–6/2 (5), 9–13/2 (10); 16–20/2 is Tết
    # Nguyên đán; 23–27/2 (15).
    january = schedule(start=d(2026, 1, 1), end=d(2026, 1, 31), criteria=[(1, "month")], due_days=15)
    assert january[0].due == d(2026, 2, 27)
    # 2025 ends on Wednesday 31/12. 1/1/2026 is Tết Dương lịch, 2/1 swapped off, then 5–9/1 (5) and
    # Saturday 10/1, worked in exchange for 2/1 (6).
    year = schedule(start=d(2025, 1, 1), end=d(2025, 12, 31), criteria=[(1, "year")], due_days=6)
    assert year[0].due == d(2026, 1, 10)
    # Q4/2026 ends on Thursday 31/12; 1/1/2027 is a holiday: 4–8/1/2027.
    q4 = schedule(start=d(2026, 10, 1), end=d(2026, 12, 31), criteria=[(1, "quarter")], due_days=5)
    assert q4[0].due == d(2027, 1, 8)
    # January 2027 (31/1 a Sunday), ten working days, Tết 2027 (5/2 and 8–11/2, estimated) skipped:
    # 1–5/2 less 5/2 (4), 12/2 (5), 15–19/2 (10).
    tet = schedule(start=d(2027, 1, 1), end=d(2027, 1, 31), criteria=[(1, "month")], due_days=10)
    assert tet[0].due == d(2027, 2, 19)
