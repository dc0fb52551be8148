"""The reporting periods of a movement and their due dates.

Each criterion is reported monthly, quarterly, half-yearly or yearly; its periods are the calendar's
(January, Quý I, 6 tháng đầu năm, năm 2026), cut to the movement's dates. A report is made for each day
on which some criterion's period ends, and carries every criterion whose period ends that day: with a
monthly and a quarterly criterion, the March report holds both, the January one only the monthly one.
A report is due `report_due_days` working days after its period ends (core.workdays: holidays and Tết
are not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from thidua.core.workdays import Calendar, default_calendar

# From the finest to the coarsest: a report is named after the finest period ending on its day.
ORDER = ("month", "quarter", "half_year", "year")
_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date
    label: str
    due: dt.date
    # The criteria (ids) whose period ends on `end`.
    criteria: tuple[int, ...]

    @property
    def key(self) -> str:
        return self.end.isoformat()


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _calendar_periods(kind: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """The calendar periods of `kind` that meet [start, end], cut to it: (start, end, label)."""
    step = _MONTHS[kind]
    out = []
    year, month = start.year, ((start.month - 1) // step) * step + 1
    while True:
        first = dt.date(year, month, 1)
        if first > end:
            break
        last_month = month + step - 1
        last = _month_end(year, last_month)
        out.append((max(first, start), min(last, end), _label(kind, year, month)))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return out


def _label(kind: str, year: int, month: int) -> str:
    if kind == "month":
        return _("Tháng {month}/{year}").format(month=month, year=year)
    if kind == "quarter":
        return _("Quý {q}/{year}").format(q=_ROMAN[(month - 1) // 3], year=year)
    if kind == "half_year":
        if month == 1:
            return _("6 tháng đầu năm {year}").format(year=year)
        return _("6 tháng cuối năm {year}").format(year=year)
    return _("Năm {year}").format(year=year)


@dataclass
class _Slot:
    start: dt.date
    labels: dict[str, str]
    ids: set[int]


def schedule(
    *,
    start: dt.date,
    end: dt.date,
    criteria: Iterable[tuple[int, str]],
    due_days: int,
    calendar: Calendar | None = None,
) -> list[ReportPeriod]:
    """The movement's report periods, earliest first, from its dates and its criteria's (id, period)."""
    calendar = calendar or default_calendar()
    by_end: dict[dt.date, _Slot] = {}
    for criterion_id, kind in criteria:
        for first, last, label in _calendar_periods(kind, start, end):
            slot = by_end.setdefault(last, _Slot(first, {}, set()))
            slot.start = min(slot.start, first)
            slot.labels[kind] = label
            slot.ids.add(criterion_id)
    periods = []
    for last in sorted(by_end):
        slot = by_end[last]
        finest = next(k for k in ORDER if k in slot.labels)
        periods.append(
            ReportPeriod(
                start=slot.start,
                end=last,
                label=slot.labels[finest],
                due=calendar.add_working_days(last, due_days),
                criteria=tuple(sorted(slot.ids)),
            )
        )
    return periods
