"""Bonus amounts by regime, recipient and date (NĐ 152/2025 Điều 49–54; NĐ 73/2024)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thidua.eligibility.bonus import BonusError, DecisionItem, bonus, decision_bonus, round_up
from thidua.eligibility.rulebook import load_library

LIBRARY = load_library("mau-bac-ninh")
DAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    ("award", "recipient", "coefficient", "amount"),
    [
        ("CSTD_TQ", "individual", "4.5", 10_530_000),
        ("CSTD_TINH", "individual", "3.0", 7_020_000),
        ("CSTDCS", "individual", "1.0", 2_340_000),
        ("LDTT", "individual", "0.3", 710_000),
        ("TTLDXS", "collective", "1.5", 3_510_000),
        ("TTLDTT", "collective", "0.8", 1_880_000),
        ("XA_TIEU_BIEU", "collective", "2.0", 4_680_000),
        ("THON_VH", "collective", "1.5", 3_510_000),
        ("CO_CP", "collective", "12.0", 28_080_000),
        ("CO_TINH", "collective", "8.0", 18_720_000),
        ("BK_TTG", "individual", "3.5", 8_190_000),
        ("BK_TTG", "collective", "7.0", 16_380_000),
        ("BK_TINH", "individual", "1.5", 3_510_000),
        ("BK_TINH", "collective", "3.0", 7_020_000),
        ("GK", "collective", "0.6", 1_410_000),
        ("HCLD3", "collective", "9.0", 21_060_000),
        ("AHLD", "collective", "31.0", 72_540_000),
    ],
    ids=lambda v: str(v),
)
def test_nd_152_2025_coefficients(award: str, recipient: str, coefficient: str, amount: int) -> None:
    answer = bonus(LIBRARY, award, recipient, DAY)
    assert answer.coefficient == Decimal(coefficient)
    assert answer.amount == amount
    assert answer.regime == "vn-2025"
    assert "Nghị định 152/2025/NĐ-CP, Điều 5" in answer.basis


@pytest.mark.parametrize(
    ("award", "individual", "household"),
    [("BK_TINH", 3_510_000, 5_270_000), ("BK_TTG", 8_190_000, 12_290_000)],
    ids=[
        "NĐ 152/2025 Điều 54 – hộ gia đình Bằng khen tỉnh",
        "NĐ 152/2025 Điều 54 – hộ gia đình Bằng khen Thủ tướng",
    ],
)
def test_household_is_one_and_a_half_times_an_individual(award: str, individual: int, household: int) -> None:
    answer = bonus(LIBRARY, award, "household", DAY)
    assert answer.individual_amount == individual
    assert answer.amount == household
    assert answer.as_dict()["household_multiplier"] == 1.5


@pytest.mark.parametrize(
    ("day", "salary", "confirmed"),
    [
        # vn-2024: NĐ 98/2023 Điều 53 khoản 2 (rounding up) and Điều 54 khoản 1 điểm c were read.
        (date(2024, 3, 1), 1_800_000, True),
        (date(2024, 6, 30), 1_800_000, True),
        (date(2024, 7, 1), 2_340_000, True),
        (date(2025, 7, 1), 2_340_000, True),
        (date(2026, 6, 30), 2_340_000, True),
        (date(2026, 7, 1), 2_530_000, False),
    ],
    ids=lambda v: str(v),
)
def test_base_salary_in_force_on_the_decision_date(day: date, salary: int, confirmed: bool) -> None:
    answer = bonus(LIBRARY, "CSTDCS", "individual", day)
    assert answer.base_salary == salary
    assert answer.amount == round_up(Decimal(salary), 10_000)
    assert answer.confirmed is confirmed
    if not confirmed:
        assert answer.as_dict()["notes"]


def test_round_up_to_ten_thousand() -> None:
    assert round_up(Decimal("702000"), 10_000) == 710_000
    assert round_up(Decimal("1404000"), 10_000) == 1_410_000
    assert round_up(Decimal("3510000"), 10_000) == 3_510_000
    assert round_up(Decimal("0.3") * 2_340_000, 10_000) == 710_000


def test_unknown_amounts_are_refused_not_guessed() -> None:
    with pytest.raises(BonusError) as raised:
        bonus(LIBRARY, "LDTT", "individual", date(2023, 12, 31))
    assert raised.value.path == "--date" and "vn-2013" in raised.value.message
    # Giấy khen for a collective under Nghị định 98/2023: not read (the individual's 0,15 was), so the
    # amount is refused rather than carried over from Nghị định 152/2025.
    with pytest.raises(BonusError) as raised:
        bonus(LIBRARY, "GK", "collective", date(2024, 12, 1))
    assert raised.value.path == "--award"
    # Nor the Bằng khen rows of its Điều 58: the later decree raised amounts, so none is carried back.
    for award in ("BK_TINH", "BK_TTG"):
        for recipient in ("individual", "collective"):
            with pytest.raises(BonusError) as raised:
                bonus(LIBRARY, award, recipient, date(2024, 12, 1))
            assert raised.value.path == "--award"
    with pytest.raises(BonusError):
        bonus(LIBRARY, "LDTT", "household", DAY)


def test_same_time_same_achievement_pays_only_the_highest() -> None:
    """NĐ 152/2025 Điều 49 khoản 5, 6, 7."""
    answer = decision_bonus(
        LIBRARY,
        "individual",
        DAY,
        [
            DecisionItem("LDTT", 2025),
            DecisionItem("CSTDCS", 2025),
            DecisionItem("BK_TINH", 2025, "dự án A"),
            DecisionItem("BK_TTG", 2025, "dự án A"),
            DecisionItem("BK_TINH", 2025, "phong trào B"),
        ],
    )
    paid = [(i["award"], i["paid"]) for i in answer["items"]]
    assert paid == [("LDTT", False), ("CSTDCS", True), ("BK_TINH", True), ("BK_TTG", True), ("BK_TINH", True)]
    # BK_TTG counts five years (2021–2025), the provincial Bằng khen one: different periods, both paid.
    assert answer["total"] == 2_340_000 + 3_510_000 + 8_190_000 + 3_510_000
    same = decision_bonus(
        LIBRARY, "individual", DAY, [DecisionItem("BK_TINH", 2025), DecisionItem("BK_TINH", 2025)]
    )
    assert [i["paid"] for i in same["items"]] == [True, False]
    assert "Điều 49" in same["rule"]["basis"]


@pytest.mark.parametrize(
    ("award", "coefficient"),
    [
        pytest.param("GK", "0.3", id="NĐ 152-2025 Điều 54.1 Giấy khen cá nhân 0,3"),
        pytest.param("HCLD1", "9.0", id="NĐ 152-2025 Điều 51.1 Huân chương Lao động hạng Nhất cá nhân 9,0"),
        pytest.param("HCLD2", "7.5", id="NĐ 152-2025 Điều 51.1 Huân chương Lao động hạng Nhì cá nhân 7,5"),
        pytest.param("HCLD3", "4.5", id="NĐ 152-2025 Điều 51.1 Huân chương Lao động hạng Ba cá nhân 4,5"),
    ],
)
def test_individual_forms_of_decree_152(award: str, coefficient: str) -> None:
    import math
    from decimal import Decimal

    answer = bonus(LIBRARY, award, "individual", DAY)
    base = 2_340_000  # Nghị định 73/2024/NĐ-CP, from 01/07/2024
    assert answer.amount == math.ceil(Decimal(coefficient) * base / 10_000) * 10_000
    assert "Nghị định 152/2025/NĐ-CP" in answer.basis
