"""When a task is due and how it stands (plain Python, no database).

Readings chosen (docs/directives.md):

- A task is due once (a date), or every year on a day and month ("báo cáo trước ngày 15/11 hằng năm")
  from a first year to a last year, or with no last year. Its due instances (occurrences) are computed,
  not stored; what is stored is what happens to them: the reports and the reminders sent.
- 29/02 every year falls on 28/02 in a year that has no 29 February.
- The date written in the text is the deadline, and a report made on that day is on time. When that day
  is a weekend or a holiday, the deadline ends with the next working day (Bộ luật Dân sự 2015, Điều 148
  khoản 5: "Khi ngày cuối cùng của thời hạn là ngày nghỉ cuối tuần hoặc ngày nghỉ lễ thì thời hạn kết thúc
  tại thời điểm kết thúc ngày làm việc tiếp theo ngày nghỉ đó"); the page shows both days.
- Status of a unit for an occurrence, on a day: a report made on or before the deadline: đúng hạn; after
  it: trễ hạn; no report and the deadline not passed: chưa đến hạn; passed: quá hạn chưa báo cáo.
- A reminder is due from the N-th working day before the written date (core.workdays: weekends,
  holidays, Tết and compensation days skipped, a working Saturday counts) until the deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.workdays import Calendar, default_calendar


class TaskStatus(models.TextChoices):
    NOT_DUE = "not_due", _("Chưa đến hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    OVERDUE = "overdue", _("Quá hạn chưa báo cáo")


STATUS_ORDER = (TaskStatus.NOT_DUE, TaskStatus.ON_TIME, TaskStatus.LATE, TaskStatus.OVERDUE)


def yearly_date(year: int, month: int, day: int) -> dt.date:
    """The day and month in `year`; 29/02 becomes 28/02 in a common year."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last))


def valid_day_month(day: int, month: int) -> bool:
    if not 1 <= month <= 12:
        return False
    # 2000 is a leap year: the longest each month can be.
    return 1 <= day <= calendar.monthrange(2000, month)[1]


def deadline(due: dt.date, cal: Calendar | None = None) -> dt.date:
    """The last day a report is on time: the written date, or the next working day after it when it is a
    weekend or a holiday (BLDS 2015, Điều 148 khoản 5)."""
    cal = cal or default_calendar()
    day = due
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def remind_from(due: dt.date, working_days: int, cal: Calendar | None = None) -> dt.date:
    """The day reminders for the occurrence due on `due` begin: N working days before it."""
    cal = cal or default_calendar()
    return cal.subtract_working_days(due, working_days)


@dataclass(frozen=True)
class Recurrence:
    """A task's due rule: `once` (one date) or yearly (day, month, from `start_year` to `end_year`)."""

    once: dt.date | None = None
    day: int | None = None
    month: int | None = None
    start_year: int | None = None
    end_year: int | None = None

    def occurrences(self, *, until: dt.date) -> list[dt.date]:
        """Every due date up to the first one on or after `until` (past ones and the next)."""
        if self.once is not None:
            return [self.once]
        assert self.day and self.month and self.start_year
        out: list[dt.date] = []
        year = self.start_year
        while self.end_year is None or year <= self.end_year:
            due = yearly_date(year, self.month, self.day)
            out.append(due)
            if due >= until:
                break
            year += 1
        return out

    def in_year(self, year: int) -> list[dt.date]:
        if self.once is not None:
            return [self.once] if self.once.year == year else []
        assert self.day and self.month and self.start_year
        if year < self.start_year or (self.end_year is not None and year > self.end_year):
            return []
        return [yearly_date(year, self.month, self.day)]


def status(due: dt.date, submitted_on: dt.date | None, today: dt.date, cal: Calendar | None = None) -> str:
    last = deadline(due, cal)
    if submitted_on is not None:
        return TaskStatus.ON_TIME if submitted_on <= last else TaskStatus.LATE
    return TaskStatus.NOT_DUE if today <= last else TaskStatus.OVERDUE
