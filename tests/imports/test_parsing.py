from __future__ import annotations

import datetime as dt

import pytest

from thidua.imports.parsing import CellError, parse_amount, parse_date, parse_identity_number, parse_year

TODAY = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/1985", dt.date(1985, 3, 5)),
        ("5/3/1985", dt.date(1985, 3, 5)),
        ("05-03-1985", dt.date(1985, 3, 5)),
        ("1985-03-05", dt.date(1985, 3, 5)),
        (dt.datetime(1985, 3, 5), dt.date(1985, 3, 5)),
        (dt.date(1985, 3, 5), dt.date(1985, 3, 5)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_are_read_day_first(value: object, expected: dt.date | None) -> None:
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/1985", "không có thật"),
        ("1985", "dd/mm/yyyy"),
        (31110, "dd/mm/yyyy"),  # a bare number is not taken for a date serial
        ("01/07/2025", "tương lai"),
        ("01/01/1850", "quá xa"),
    ],
)
def test_bad_dates_say_why(value: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        parse_date(value, today=TODAY)


def test_years() -> None:
    assert parse_year(2024, today=TODAY) == 2024
    assert parse_year(2024.0, today=TODAY) == 2024
    assert parse_year(" 1945 ", today=TODAY) == 1945
    for bad, reason in (
        (1944, "trước năm 1945"),
        (2026, "tương lai"),
        ("24", "4 chữ số"),
        (2024.5, "4 chữ số"),
    ):
        with pytest.raises(CellError, match=reason):
            parse_year(bad, today=TODAY)


def test_identity_numbers_keep_or_regain_leading_zeros() -> None:
    assert parse_identity_number("012345678901") == "012345678901"
    assert parse_identity_number("0123 4567 8901") == "012345678901"
    # Excel turned the text into a number and dropped the province code's leading zero.
    assert parse_identity_number(12345678901) == "012345678901"
    assert parse_identity_number(12345678901.0) == "012345678901"
    for bad in ("12345678901", "01234567890a", "0123456789012", 1234567890123):
        with pytest.raises(CellError, match="12 chữ số"):
            parse_identity_number(bad)


def test_amounts() -> None:
    assert parse_amount("1.500.000") == 1_500_000
    assert parse_amount("1,500,000 đồng") == 1_500_000
    assert parse_amount(500000.0) == 500_000
    assert parse_amount("") is None
    assert parse_amount(0) == 0
    for bad in (-1, "-1", 12.5, "một triệu"):
        with pytest.raises(CellError):
            parse_amount(bad)
