"""The province's yearly targets for the shares of awards the founding directive cares about (the reports'
dashboard reads the year's awards against them): set by the Board's specialist through the reports'
service, so they carry their audit row like any target a real Board sets."""

from __future__ import annotations

from thidua.accounts.models import User
from thidua.reports.services import targets_set

# Percent of the year's awards: direct workers (Chỉ thị 02/CT-UBND of Lai Châu, point 6, asks to favour
# them), women, ethnic minorities, border and highland areas, awards citing an initiative. Illustrative
# demo figures, not a province's decision.
TARGETS = {
    "direct_worker": "30",
    "women": "45",
    "ethnic_minority": "50",
    "border_highland": "40",
    "innovator": "5",
}
YEARS = (2024, 2025, 2026)


def demo_targets() -> dict[str, int]:
    board = User.objects.select_related("authority").get(username="chuyenvien")
    assert board.authority is not None, "the demo's Board specialist works for the province"
    written = 0
    for year in YEARS:
        written += len(targets_set(actor=board, authority=board.authority, year=year, values=TARGETS))
    return {"reports_targets": written}
