"""Working days of Vietnamese public bodies, for time limits counted "trong N ngày làm việc".

A public body works Monday to Friday (Quyết định 188/1999/QĐ-TTg). The public holidays are those of
Bộ luật Lao động 2019, Điều 112 khoản 1; a holiday that falls on a weekly rest day is taken on the next
working day (Điều 111 khoản 3), and each year the Government sets the Tết and Quốc khánh days and swaps
some working days with Saturdays (Điều 112 khoản 3). Those yearly schedules cannot be computed, so they
are data: `data/holidays-vn.toml`, one table per year (see the comments of that file).

A year missing from the file falls back to the weekends and the fixed solar-calendar holidays (1/1,
30/4, 1/5, 2/9) with the Điều 111 khoản 3 compensation; Tết Nguyên đán and Giỗ Tổ Hùng Vương follow the
lunar calendar and are then missing, so `year_info(year).known` is False and pages should warn that the
year's schedule has not been entered.

Plain Python (no Django), so the eligibility tools and the tests can use it alone.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "holidays-vn.toml"

SATURDAY = 5
_ONE_DAY = timedelta(days=1)

BASIS = "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ); Bộ luật Lao động 2019, Điều 111 khoản 3, Điều 112"

# Bộ luật Lao động 2019, Điều 112 khoản 1 điểm a, c, d, đ: the holidays fixed in the solar calendar.
FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "Tết Dương lịch"),
    (4, 30, "Ngày Chiến thắng"),
    (5, 1, "Ngày Quốc tế Lao động"),
    (9, 2, "Quốc khánh"),
)

_YEAR_KEYS = {"confirmed", "basis", "note", "days_off", "working_saturdays", "weekend_holidays"}
_ENTRY_KEYS = {"date", "name", "confirmed", "note"}
_WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class CalendarError(Exception):
    """The holiday file is missing or wrong; the message is Vietnamese and names the file and key."""


@dataclass(frozen=True, slots=True)
class YearInfo:
    """How far the schedule of one year can be trusted."""

    year: int
    known: bool
    confirmed: bool
    basis: str
    note: str | None
    unconfirmed_dates: tuple[date, ...] = ()

    @property
    def warning(self) -> str | None:
        """The sentence a page shows next to a date counted in this year, or None when confirmed."""
        if not self.known:
            return f"Lịch nghỉ năm {self.year} chưa được cập nhật; {self.note}"
        if not self.confirmed:
            return f"Lịch nghỉ năm {self.year} chưa được xác nhận: {self.note}"
        return None


@dataclass(frozen=True, slots=True)
class _Year:
    info: YearInfo
    days_off: Mapping[date, str]
    working_saturdays: Mapping[date, str]
    weekend_holidays: Mapping[date, str]


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 01/01/0001 (a Monday) to `day` included."""
    ordinal = day.toordinal()
    return ordinal // 7 * 5 + min(ordinal % 7, 5)


def _fmt(day: date) -> str:
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year}"


class Calendar:
    """The working-day calendar read from a holiday file (the packaged one by default)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else DATA_FILE
        self._known: dict[int, _Year] = _read(self.path)
        self._fallback: dict[int, _Year] = {}

    # -- years ---------------------------------------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._known))

    def is_known(self, year: int) -> bool:
        return year in self._known

    def year_info(self, year: int) -> YearInfo:
        return self._year(year).info

    def _year(self, year: int) -> _Year:
        known = self._known.get(year)
        if known is not None:
            return known
        cached = self._fallback.get(year)
        if cached is None:
            cached = self._fallback[year] = _fallback_year(year)
        return cached

    # -- days ----------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        year = self._year(day.year)
        if day.weekday() >= SATURDAY:
            return day in year.working_saturdays
        return day not in year.days_off

    def holiday_name(self, day: date) -> str | None:
        """The Vietnamese name of a holiday or day off ("Tết Nguyên đán", "Nghỉ bù …"), else None."""
        year = self._year(day.year)
        return year.days_off.get(day) or year.weekend_holidays.get(day)

    def days_off(self, year: int) -> dict[date, str]:
        """The weekdays off in `year` (holidays, compensations, swaps), by date, with their names."""
        return dict(sorted(self._year(year).days_off.items()))

    def working_saturdays(self, year: int) -> dict[date, str]:
        return dict(sorted(self._year(year).working_saturdays.items()))

    # -- counting ------------------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is not counted, so with n = 0 it is returned.

        This is how "trong thời hạn N ngày làm việc kể từ ngày nhận hồ sơ" ends: on the returned day.
        """
        if n < 0:
            raise ValueError(f"Số ngày làm việc phải không âm (nhận được {n})")
        day = start
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def subtract_working_days(self, start: date, n: int) -> date:
        """The n-th working day before `start` (not counted); with n = 0, `start` itself.

        For "công khai … 10 ngày làm việc trước khi xét": the latest day the publication may begin.
        """
        if n < 0:
            raise ValueError(f"Số ngày làm việc phải không âm (nhận được {n})")
        day = start
        while n:
            day -= _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_through(end) - _weekdays_through(start)
        for year_number in range(start.year, end.year + 1):
            year = self._year(year_number)
            count -= sum(1 for day in year.days_off if start < day <= end)
            count += sum(1 for day in year.working_saturdays if start < day <= end)
        return count


@lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """The packaged calendar, read once per process."""
    return Calendar()


# ---------------------------------------------------------------------------------------------------
# The fallback for a year without a published schedule


def _fallback_year(year: int) -> _Year:
    days_off: dict[date, str] = {}
    weekend: dict[date, str] = {}
    fixed = [(date(year, month, day), name) for month, day, name in FIXED_HOLIDAYS]
    for day, name in fixed:
        if day.weekday() < SATURDAY:
            days_off[day] = name
    # Bộ luật Lao động 2019, Điều 111 khoản 3: a holiday on a weekly rest day is taken on the next
    # working day; 30/4 and 1/5 on one weekend give two compensation days.
    for day, name in fixed:
        if day.weekday() >= SATURDAY:
            weekend[day] = name
            substitute = day + _ONE_DAY
            while substitute.weekday() >= SATURDAY or substitute in days_off:
                substitute += _ONE_DAY
            days_off[substitute] = f"Nghỉ bù {name} ({_fmt(day)})"
    info = YearInfo(
        year=year,
        known=False,
        confirmed=False,
        basis=BASIS,
        note=(
            "chỉ tính thứ Bảy, Chủ nhật và các ngày lễ dương lịch cố định (01/01, 30/4, 01/5, 02/9) "
            "kèm ngày nghỉ bù; chưa có Tết Nguyên đán, Giỗ Tổ Hùng Vương, ngày nghỉ liền kề Quốc khánh "
            "và các ngày hoán đổi."
        ),
    )
    return _Year(info, days_off, {}, weekend)


# ---------------------------------------------------------------------------------------------------
# Reading and validating the holiday file


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> CalendarError:
        return CalendarError(f"Tệp lịch nghỉ {self.path.name}, mục `{where}`: {message}")


def _read(path: Path) -> dict[int, _Year]:
    r = _Reader(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CalendarError(f"Không tìm thấy tệp lịch nghỉ {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        # A malformed date such as 2025-02-30 is a TOML error too.
        raise CalendarError(
            f"Tệp lịch nghỉ {path.name} không đúng cú pháp TOML (kiểm tra các ngày dạng 2025-01-01): {exc}"
        ) from exc
    years: dict[int, _Year] = {}
    for key, value in raw.items():
        if not (key.isdigit() and len(key) == 4):
            raise r.fail(key, "khóa gốc phải là một năm có 4 chữ số, ví dụ [2025]")
        years[int(key)] = _read_year(r, int(key), value)
    return years


def _read_year(r: _Reader, year: int, raw: Any) -> _Year:
    where = str(year)
    if not isinstance(raw, dict):
        raise r.fail(where, "cần một bảng (table)")
    unknown = sorted(set(raw) - _YEAR_KEYS)
    if unknown:
        raise r.fail(where, f"khóa không được hỗ trợ: {', '.join(unknown)}")
    confirmed = raw.get("confirmed")
    if not isinstance(confirmed, bool):
        raise r.fail(f"{where}.confirmed", "cần true hoặc false")
    basis = _text(r, raw, "basis", where, required=True)
    note = _text(r, raw, "note", where, required=not confirmed)
    unconfirmed: list[date] = []

    def entries(key: str, check: str) -> dict[date, str]:
        out: dict[date, str] = {}
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise r.fail(f"{where}.{key}", "cần một danh sách các bảng { date = …, name = … }")
        for i, item in enumerate(items):
            ew = f"{where}.{key}[{i}]"
            day, name, sure = _read_entry(r, item, ew, year)
            if check == "weekday" and day.weekday() >= SATURDAY:
                raise r.fail(ew, f"{_fmt(day)} là ngày nghỉ hằng tuần, không ghi vào `{key}`")
            if check == "saturday" and day.weekday() != SATURDAY:
                raise r.fail(ew, f"{_fmt(day)} không phải thứ Bảy")
            if check == "weekend" and day.weekday() < SATURDAY:
                raise r.fail(ew, f"{_fmt(day)} không phải thứ Bảy, Chủ nhật; ngày nghỉ ghi vào `days_off`")
            if day in out:
                raise r.fail(ew, f"trùng ngày {_fmt(day)}")
            if not sure:
                if confirmed:
                    raise r.fail(ew, "ngày chưa xác nhận thì cả năm phải có `confirmed = false`")
                unconfirmed.append(day)
            out[day] = name
        return out

    days_off = entries("days_off", "weekday")
    working = entries("working_saturdays", "saturday")
    weekend = entries("weekend_holidays", "weekend")
    # Điều 112 khoản 1: a fixed holiday on a weekday is always off; its absence is a typing slip.
    for month, day_number, name in FIXED_HOLIDAYS:
        day = date(year, month, day_number)
        if day.weekday() < SATURDAY and day not in days_off:
            raise r.fail(f"{where}.days_off", f"thiếu ngày lễ {name} {_fmt(day)}")
    info = YearInfo(
        year=year,
        known=True,
        confirmed=confirmed,
        basis=basis or BASIS,
        note=note,
        unconfirmed_dates=tuple(sorted(unconfirmed)),
    )
    return _Year(info, days_off, working, weekend)


def _read_entry(r: _Reader, item: Any, where: str, year: int) -> tuple[date, str, bool]:
    if not isinstance(item, dict):
        raise r.fail(where, 'cần một bảng { date = 2025-01-01, name = "…" }')
    unknown = sorted(set(item) - _ENTRY_KEYS)
    if unknown:
        raise r.fail(where, f"khóa không được hỗ trợ: {', '.join(unknown)}")
    day = item.get("date")
    if not isinstance(day, date) or hasattr(day, "hour"):
        raise r.fail(f"{where}.date", "cần một ngày dạng 2025-01-01 (không đặt trong dấu nháy, không có giờ)")
    if day.year != year:
        raise r.fail(f"{where}.date", f"ngày {_fmt(day)} không thuộc năm {year}")
    name = _text(r, item, "name", where, required=True)
    sure = item.get("confirmed", True)
    if not isinstance(sure, bool):
        raise r.fail(f"{where}.confirmed", "cần true hoặc false")
    _text(r, item, "note", where, required=False)
    assert name is not None
    return day, name, sure


def _text(r: _Reader, table: Mapping[str, Any], key: str, where: str, required: bool) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise r.fail(where, f"thiếu khóa `{key}`")
        return None
    if not isinstance(value, str) or not value.strip():
        raise r.fail(f"{where}.{key}", "cần một chuỗi không rỗng")
    return value
