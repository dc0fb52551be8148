"""The registration deadline of a year (hạn đăng ký thi đua).

Where the provincial layer of the rulebook sets it, it is read from there: a `[[deadlines]]` entry with
`code = "dang_ky_thi_dua"`, a `day` and a `month` of the registration year, and its `basis` (the article
that sets it). No text we hold sets one: the Law of 2022 removed registration as a basis for a title
(old Điều 10; /work/shared/docs/legal-rules.md §1.1 and §4.3, "no legal deadline was found"), and neither
the model provincial regulation nor the founding directive (item 2 asks every body to register, without a
date) gives a day. Until the province's rulebook does, the product's default is 31 March of the year,
marked unconfirmed on every page that shows it: the end of the first quarter is when the provinces'
yearly plans usually ask for registrations, to be confirmed by the province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

RULEBOOK_CODE = "dang_ky_thi_dua"
DEFAULT_MONTH, DEFAULT_DAY = 3, 31


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    basis: str
    confirmed: bool


def _province() -> Any:
    from thidua.eligibility.engine import default_evaluator

    return default_evaluator().library.province


def deadline_for(year: int) -> Deadline:
    province = _province()
    for entry in getattr(province, "deadlines", None) or ():
        if entry.get("code") == RULEBOOK_CODE and entry.get("day") and entry.get("month"):
            return Deadline(
                dt.date(year, int(entry["month"]), int(entry["day"])), str(entry.get("basis", "")), True
            )
    return Deadline(
        dt.date(year, DEFAULT_MONTH, DEFAULT_DAY),
        _(
            "Mặc định của hệ thống (chưa xác nhận): chưa văn bản nào đang áp dụng quy định hạn đăng ký thi "
            "đua; tỉnh quy định thì ghi vào quy định cấp tỉnh."
        ),
        False,
    )


def open_year(today: dt.date) -> int:
    """The year units register for on `today`: the current year, and the next one once the province's
    year-end season has opened (from then units plan the coming year; the season's opening day is the
    rulebook's, see `[year_end]`)."""
    from thidua.eligibility.engine import default_evaluator

    season_open = default_evaluator().library.review_year(today) == today.year
    return today.year + 1 if season_open else today.year
