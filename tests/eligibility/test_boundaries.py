"""Regime boundaries: the day before and the day a new regime takes effect."""

from __future__ import annotations

from typing import Any

import pytest

from tests.eligibility.helpers import ask, conditions

# HTXSNV without an initiative: enough from 2024 (Luật 2022 Điều 23 khoản 2), not before
# (NĐ 91/2017 Điều 9 khoản 3 điểm b: the initiative was required).
CSTDCS_WITHOUT_INITIATIVE: dict[str, Any] = {
    "ratings": {"2023": "HTXSNV"},
    "awards": [{"award": "LDTT", "year": 2023}],
}

# A prior provincial Bằng khen given as đột xuất: usable for Bằng khen Thủ tướng until 30/6/2025, not
# from 1/7/2025 (NĐ 152/2025 Điều 4 khoản 3).
BK_TTG_ON_DOT_XUAT: dict[str, Any] = {
    "ratings": {str(y): "HTTNV" for y in range(2020, 2025)},
    "awards": [
        {"award": "BK_TINH", "year": 2019, "kind": "dot_xuat"},
        {"award": "CSTDCS", "year": 2020},
        {"award": "CSTDCS", "year": 2022},
        {"award": "CSTDCS", "year": 2024},
    ],
}

# The old Bằng khen Thủ tướng route: 5 years HTXSNV + 5 initiatives, no CSTĐCS
# (NĐ 91/2017 Điều 38 khoản 1 điểm c), replaced by HTTNV + 3× CSTĐCS (Luật 2022 Điều 73 khoản 1 điểm b).
BK_TTG_OLD_ROUTE: dict[str, Any] = {
    "ratings": {str(y): "HTXSNV" for y in range(2019, 2024)},
    "awards": [{"award": "BK_TINH", "year": 2018}],
    "initiatives": [{"id": f"s{y}", "year": y, "scope": "co_so"} for y in range(2019, 2024)],
}


@pytest.mark.parametrize(
    ("as_of", "regime", "verdict"),
    [("2023-12-31", "vn-2013", "ineligible"), ("2024-01-01", "vn-2024", "eligible")],
    ids=["31/12/2023: NĐ 91/2017 Điều 9 khoản 3 điểm b", "01/01/2024: Luật 2022 Điều 23 khoản 2"],
)
def test_cstdcs_initiative_requirement_ends_2024(as_of: str, regime: str, verdict: str) -> None:
    result = ask(CSTDCS_WITHOUT_INITIATIVE, "CSTDCS", 2023, as_of)
    assert (result["regime"], result["verdict"]) == (regime, verdict)


@pytest.mark.parametrize(
    ("as_of", "regime", "verdict"),
    [("2023-12-31", "vn-2013", "eligible"), ("2024-01-01", "vn-2024", "needs_review")],
    ids=["31/12/2023: NĐ 91/2017 Điều 38 khoản 1 điểm c", "01/01/2024: Luật 2022 Điều 73 khoản 1 điểm b"],
)
def test_bk_ttg_route_changes_2024(as_of: str, regime: str, verdict: str) -> None:
    result = ask(BK_TTG_OLD_ROUTE, "BK_TTG", 2023, as_of)
    assert (result["regime"], result["verdict"]) == (regime, verdict)


@pytest.mark.parametrize(
    ("as_of", "regime", "basis"),
    [
        ("2025-06-30", "vn-2024", "Nghị định 98/2023/NĐ-CP, Điều 4 khoản 3"),
        ("2025-07-01", "vn-2025", "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 3"),
    ],
    ids=["30/06/2025: NĐ 98/2023 Điều 4 khoản 3", "01/07/2025: NĐ 152/2025 Điều 4 khoản 3"],
)
def test_dot_xuat_does_not_count_under_either_decree(as_of: str, regime: str, basis: str) -> None:
    """The exclusion is already in Nghị định 98/2023 (from 01/01/2024), not only in Nghị định 152/2025."""
    result = ask(BK_TTG_ON_DOT_XUAT, "BK_TTG", 2024, as_of)
    # Point b is closed; the routes a person judges (Điều 73 khoản 1 điểm a, c, d; khoản 2) stay open.
    assert (result["regime"], result["verdict"]) == (regime, "needs_review")
    prior = next(c for c in result["conditions"] if c["code"] == "prior_bk_tinh")
    assert prior["met"] is False and basis in prior["text"]


@pytest.mark.parametrize(
    ("as_of", "basis", "confirmed"),
    [
        ("2025-06-30", "Nghị định 98/2023/NĐ-CP, Điều 4 khoản 4", True),
        ("2025-07-01", "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 4", True),
    ],
    ids=["30/06/2025: NĐ 98/2023 Điều 4 khoản 4", "01/07/2025: NĐ 152/2025 Điều 4 khoản 4"],
)
def test_freeze_citation_changes_july_2025(as_of: str, basis: str, confirmed: bool) -> None:
    candidate = {
        "ratings": {"2024": "HTTNV"},
        "pending": [{"reason": "Đang xem xét kỷ luật", "since": "2025-01-01"}],
    }
    result = ask(candidate, "LDTT", 2024, as_of)
    assert result["verdict"] == "ineligible"
    frozen = next(c for c in result["conditions"] if c["code"] == "not_frozen")
    assert basis in frozen["basis"]
    assert frozen["confirmed"] is confirmed


@pytest.mark.parametrize(
    ("as_of", "regime"),
    [
        ("2010-05-01", "vn-2013"),
        ("2023-12-31", "vn-2013"),
        ("2024-01-01", "vn-2024"),
        ("2025-06-30", "vn-2024"),
        ("2025-07-01", "vn-2025"),
        ("2030-01-01", "vn-2025"),
    ],
)
def test_regime_by_date(as_of: str, regime: str) -> None:
    result = ask({"ratings": {"2009": "HTTNV"}}, "LDTT", 2009, as_of)
    assert result["regime"] == regime
    assert conditions(result)
