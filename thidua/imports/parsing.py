"""Turning one Excel cell into one typed value, with the Vietnamese reason when it cannot be done."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

FIRST_YEAR = 1945  # The Democratic Republic of Viet Nam, and its first commendations, date from 1945.


class CellError(ValueError):
    """A cell whose content cannot be used; the message is shown to the user as is."""


_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DIGITS = re.compile(r"^\d+$")
_AMOUNT_SEPARATORS = re.compile(r"[.,\s]")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Text of a cell with spaces collapsed; a whole number typed into a text column loses no ".0"."""
    if value.__class__ is str:
        # split() also drops non-breaking spaces, which pasted text often carries.
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def parse_date(value: Any, *, today: dt.date) -> dt.date | None:
    """A date from an Excel date cell or from "dd/mm/yyyy" text; never in the future."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, str):
        result = _date_from_text(value.strip())
    else:
        # A bare number is ambiguous (a year typed alone would read as a day of 1905): refuse it.
        raise CellError(_("Ngày «{value}» không hợp lệ; ghi theo dạng dd/mm/yyyy.").format(value=text(value)))
    if result > today:
        raise CellError(_("Ngày {date} ở tương lai.").format(date=result.strftime("%d/%m/%Y")))
    if result.year < 1900:
        raise CellError(_("Ngày {date} quá xa trong quá khứ.").format(date=result.strftime("%d/%m/%Y")))
    return result


def _date_from_text(raw: str) -> dt.date:
    match = _DATE_TEXT.match(raw)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_DATE_TEXT.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("Ngày «{value}» không có thật.").format(value=raw)) from None
    raise CellError(_("Ngày «{value}» không hợp lệ; ghi theo dạng dd/mm/yyyy.").format(value=raw))


def parse_year(value: Any, *, today: dt.date) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 9999:
        raise CellError(
            _("Năm «{value}» không hợp lệ; ghi năm 4 chữ số, ví dụ 2024.").format(value=text(value))
        )
    if value > today.year:
        raise CellError(_("Năm {year} ở tương lai.").format(year=value))
    if value < FIRST_YEAR:
        raise CellError(_("Năm {year} trước năm {first}.").format(year=value, first=FIRST_YEAR))
    return value


def parse_identity_number(value: Any) -> str:
    """A CCCD number. A number cell has lost its leading zeros (every province code starts with 0),
    so a whole number of up to 12 digits is padded back; text must be exactly 12 digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12:
        return f"{value:012d}"
    raw = text(value).replace(" ", "")
    if not re.fullmatch(r"\d{12}", raw):
        raise CellError(
            _("Số CCCD «{value}» không hợp lệ: phải gồm đúng 12 chữ số.").format(value=text(value))
        )
    return raw


def parse_amount(value: Any) -> int | None:
    """A non-negative whole amount of đồng; "1.500.000" and "1,500,000" are read as written."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        raw = _AMOUNT_SEPARATORS.sub("", value.strip().removesuffix("đ").removesuffix("đồng").strip())
        if _DIGITS.match(raw):
            value = int(raw)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CellError(
            _("Tiền thưởng «{value}» không hợp lệ: ghi số đồng, số nguyên không âm.").format(
                value=text(value)
            )
        )
    if value < 0:
        raise CellError(_("Tiền thưởng không được âm."))
    return value
