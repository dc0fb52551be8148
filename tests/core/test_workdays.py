"""The working-day calendar: the packaged schedules, the fallback year, the counting, the file checks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.core.workdays import DATA_FILE, Calendar, CalendarError, default_calendar

CAL = default_calendar()

MINIMAL_2025 = """
[2025]
confirmed = true
basis = "Thử nghiệm"
days_off = [
  { date = 2025-01-01, name = "Tết Dương lịch" },
  { date = 2025-04-30, name = "Ngày Chiến thắng" },
  { date = 2025-05-01, name = "Ngày Quốc tế Lao động" },
  { date = 2025-09-02, name = "Quốc khánh" },
]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lich-thu.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_tet_2026_pushes_a_five_day_limit_to_the_end_of_february() -> None:
    received = date(2026, 2, 13)  # Friday before the Tết break 14/02–22/02/2026
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
        assert CAL.holiday_name(date(2026, 2, day)) == "Tết Nguyên đán"
    assert CAL.add_working_days(received, 5) == date(2026, 2, 27)
    assert CAL.working_days_between(received, date(2026, 2, 27)) == 5
    assert CAL.working_days_between(received, date(2026, 2, 22)) == 0


def test_weekends_are_not_working_days() -> None:
    saturday, sunday, friday = date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 7)
    assert not CAL.is_working_day(saturday)
    assert not CAL.is_working_day(sunday)
    assert CAL.is_working_day(friday)
    assert CAL.add_working_days(friday, 1) == date(2025, 3, 10)
    assert CAL.add_working_days(saturday, 1) == date(2025, 3, 10)
    assert CAL.holiday_name(saturday) is None
    assert CAL.add_working_days(friday, 0) == friday


def test_a_swapped_saturday_is_a_working_day() -> None:
    # Thứ Hai 29/4/2024 off, made up on thứ Bảy 04/5/2024.
    assert not CAL.is_working_day(date(2024, 4, 29))
    assert CAL.is_working_day(date(2024, 5, 4))
    assert CAL.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.is_working_day(date(2026, 1, 10))
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.working_saturdays(2024) == {date(2024, 5, 4): "Làm bù cho thứ Hai 29/4/2024"}


def test_a_holiday_on_a_weekend_is_taken_on_the_next_working_day() -> None:
    # Giỗ Tổ Hùng Vương 2026 is Sunday 26/4; 01/5/2027 is a Saturday.
    assert CAL.holiday_name(date(2026, 4, 26)) == "Giỗ Tổ Hùng Vương"
    assert not CAL.is_working_day(date(2026, 4, 27))
    assert "Nghỉ bù Giỗ Tổ Hùng Vương" in (CAL.holiday_name(date(2026, 4, 27)) or "")
    assert not CAL.is_working_day(date(2027, 5, 3))
    assert CAL.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_the_fallback_compensates_fixed_holidays() -> None:
    # 30/4/2022 is a Saturday and 01/5/2022 a Sunday: two compensation days, Monday and Tuesday.
    assert not CAL.is_known(2022)
    off = CAL.days_off(2022)
    assert date(2022, 5, 2) in off and date(2022, 5, 3) in off
    assert off[date(2022, 5, 3)].startswith("Nghỉ bù Ngày Quốc tế Lao động")
    assert CAL.is_working_day(date(2022, 5, 4))
    assert CAL.holiday_name(date(2022, 4, 30)) == "Ngày Chiến thắng"


def test_a_year_not_in_the_file_is_flagged_unknown() -> None:
    assert CAL.known_years == (2024, 2025, 2026, 2027)
    assert CAL.is_known(2025) and not CAL.is_known(2030)
    info = CAL.year_info(2030)
    assert (info.known, info.confirmed) == (False, False)
    assert info.warning is not None and "Lịch nghỉ năm 2030 chưa được cập nhật" in info.warning
    assert not CAL.is_working_day(date(2030, 1, 1))
    assert not CAL.is_working_day(date(2030, 9, 2))
    assert CAL.is_working_day(date(2030, 9, 3))
    assert CAL.year_info(2025).warning is None


def test_unconfirmed_dates_are_listed_and_explained() -> None:
    assert CAL.year_info(2024).confirmed and CAL.year_info(2025).confirmed
    # 01/9/2026 is the statutory adjacent day (Bộ luật Lao động 2019 Điều 112) and the swap of Monday 31/8
    # with Saturday 22/8 was approved (reported 13/10/2025): the year is confirmed.
    assert CAL.year_info(2026).confirmed and CAL.year_info(2026).unconfirmed_dates == ()
    assert CAL.year_info(2027).unconfirmed_dates == (
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 10),
        date(2027, 2, 11),
        date(2027, 9, 3),
    )
    for year in CAL.known_years:
        info = CAL.year_info(year)
        assert info.basis.strip()
        if not info.confirmed:
            assert info.note and info.warning and "chưa được xác nhận" in info.warning


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_every_known_year_gives_the_eleven_statutory_days(year: int) -> None:
    # Điều 112 khoản 1: 1 + 5 + 1 + 1 + 2 + 1 days; a weekend one is compensated, a swap is made up.
    assert len(CAL.days_off(year)) - len(CAL.working_saturdays(year)) == 11


def test_between_is_antisymmetric_and_zero_on_the_same_day() -> None:
    a, b = date(2025, 1, 20), date(2025, 2, 10)
    assert CAL.working_days_between(a, a) == 0
    assert CAL.working_days_between(b, a) == -CAL.working_days_between(a, b)
    # 21–24/01 and 03–07/02, 10/02: Tết 27–31/01 is off.
    assert CAL.working_days_between(a, b) == 10


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="không âm"):
        CAL.add_working_days(date(2025, 1, 2), -1)


_DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@given(start=_DAYS, n=st.integers(min_value=0, max_value=60))
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    assert n == 0 or CAL.is_working_day(end)


@given(start=_DAYS, n=st.integers(min_value=0, max_value=60))
def test_subtract_undoes_add_on_a_working_day(start: date, n: int) -> None:
    while not CAL.is_working_day(start):
        start += timedelta(days=1)
    assert CAL.subtract_working_days(CAL.add_working_days(start, n), n) == start


def test_between_matches_a_day_by_day_count() -> None:
    start, end = date(2023, 12, 15), date(2028, 1, 15)
    day, expected = start, 0
    while day < end:
        day += timedelta(days=1)
        expected += CAL.is_working_day(day)
    assert CAL.working_days_between(start, end) == expected


def test_another_file_can_be_given(tmp_path: Path) -> None:
    calendar = Calendar(_write(tmp_path, MINIMAL_2025))
    assert calendar.known_years == (2025,)
    assert calendar.is_working_day(date(2025, 1, 29))  # this file has no Tết
    assert Calendar(DATA_FILE).known_years == CAL.known_years


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (
            lambda s: s.replace("2025-09-02, name", "2025-09-06, name"),
            ["2025.days_off[3]", "thứ Bảy 06/09/2025", "ngày nghỉ hằng tuần"],
        ),
        (lambda s: s.replace("2025-04-30", "2025-02-30"), ["không đúng cú pháp TOML"]),
        (lambda s: s.replace("date = 2025-04-30", 'date = "30/4/2025"'), ["2025.days_off[1].date"]),
        (lambda s: s.replace("basis =", "nguon ="), ["khóa không được hỗ trợ: nguon"]),
        (
            lambda s: s.replace('  { date = 2025-04-30, name = "Ngày Chiến thắng" },\n', ""),
            ["2025.days_off", "thiếu ngày lễ Ngày Chiến thắng"],
        ),
        (
            lambda s: s.replace('name = "Quốc khánh" }', 'name = "Quốc khánh", confirmed = false }'),
            ["2025.days_off[3]", "confirmed = false"],
        ),
        (
            lambda s: s + 'working_saturdays = [{ date = 2025-04-27, name = "x" }]\n',
            ["2025.working_saturdays[0]", "không phải thứ Bảy"],
        ),
        (lambda s: s.replace("confirmed = true", "confirmed = false"), ["thiếu khóa `note`"]),
        (lambda s: s.replace("[2025]", "[nam2025]"), ["nam2025", "4 chữ số"]),
        (lambda s: s.replace("2025-01-01, name", "2024-01-01, name"), ["không thuộc năm 2025"]),
        (
            lambda s: s.replace("2025-05-01, name", "2025-04-30, name"),
            ["trùng ngày"],
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_vietnamese_message(tmp_path: Path, edit, fragments: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, edit(MINIMAL_2025))
    with pytest.raises(CalendarError) as raised:
        Calendar(path)
    message = str(raised.value)
    assert "lich-thu.toml" in message
    for fragment in fragments:
        assert fragment in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="Không tìm thấy tệp lịch nghỉ"):
        Calendar(tmp_path / "khong-co.toml")


def test_the_2026_national_day_break_runs_29_august_to_2_september() -> None:
    """Quốc khánh 2026: five days off from Saturday 29/8 to Wednesday 2/9, Monday 31/8 swapped for Saturday
    22/8 (Bộ luật Lao động 2019 Điều 112; Bộ Nội vụ's notice on the 2026 holidays)."""
    assert [CAL.is_working_day(date(2026, 8, d)) for d in (28, 29, 30, 31)] == [True, False, False, False]
    assert not CAL.is_working_day(date(2026, 9, 1)) and not CAL.is_working_day(date(2026, 9, 2))
    assert CAL.is_working_day(date(2026, 9, 3))
    assert CAL.is_working_day(date(2026, 8, 22)), "the Saturday worked in exchange"
