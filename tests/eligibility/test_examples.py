"""The worked examples of the contract: eight verdicts and three bonus amounts."""

from __future__ import annotations

import json

import pytest

from tests.eligibility.helpers import case, check_document, run_cli

INPUT = case("examples.input.json")
EXPECTED = case("examples.expected.json")
BONUS = case("bonus.expected.json")


def _results() -> dict[str, dict]:
    return {r["candidate"]: r for r in check_document(INPUT)["results"]}


@pytest.mark.parametrize("candidate", sorted(EXPECTED), ids=lambda c: f"{c}: {EXPECTED[c]['why'][:60]}")
def test_worked_example_verdict(candidate: str) -> None:
    result = _results()[candidate]
    assert result["verdict"] == EXPECTED[candidate]["verdict"], [c["text"] for c in result["conditions"]]
    assert result["conditions"], "every verdict explains itself"
    for condition in result["conditions"]:
        assert condition["text"] and condition["basis"]


def test_worked_examples_through_the_command_line() -> None:
    code, out, err = run_cli(["check", "-"], json.dumps(INPUT, ensure_ascii=False))
    assert code == 0, err
    assert err == ""
    results = json.loads(out)["results"]
    # One result per question, in the order of the questions.
    assert [r["candidate"] for r in results] == [q["candidate"] for q in INPUT["questions"]]
    assert {r["candidate"]: r["verdict"] for r in results} == {k: v["verdict"] for k, v in EXPECTED.items()}


def test_worked_examples_explain_the_deciding_article() -> None:
    results = _results()
    by_code = {c: {x["code"]: x for x in r["conditions"]} for c, r in results.items()}
    assert by_code["e1"]["streak_cstd_tinh"]["basis"] == "Luật Thi đua, khen thưởng 2022, Điều 21"
    assert by_code["e2"]["streak_cstd_tinh"]["met"] is False
    assert "thiếu: 2022" in by_code["e2"]["streak_cstd_tinh"]["text"]
    assert results["e3"]["regime"] == "vn-2024" and results["e3"]["route"] == "htxsnv"
    assert results["e4"]["regime"] == "vn-2013"
    assert by_code["e4"]["initiative_co_so"]["met"] is False
    assert by_code["e5"]["not_frozen"]["met"] is False
    assert by_code["e5"]["not_frozen"]["basis"] == "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 4"
    assert results["e6"]["route"] == "bk_tinh_5_nam"
    assert by_code["e6"]["count_cstdcs"]["basis"] == "Luật Thi đua, khen thưởng 2022, Điều 73 khoản 1 điểm b"
    # The model provincial layer cites its article as the model's, never another province's regulation;
    # its source tag (S19) says which text the model was written from.
    assert by_code["e7"]["ldtt_ratio"]["basis"] == "Quy định mẫu cấp tỉnh, Điều 3 khoản 2 điểm b"
    assert by_code["e7"]["ldtt_ratio"]["sources"] == ["S19"]
    assert by_code["e8"]["ldtt_ratio"]["met"] is False
    assert "12/20" in by_code["e8"]["ldtt_ratio"]["text"]


@pytest.mark.parametrize("row", BONUS, ids=lambda r: f"{r['award']}-{r['recipient']}-{r['amount']}")
def test_worked_example_bonus(row: dict) -> None:
    code, out, err = run_cli(
        ["bonus", "--award", row["award"], "--recipient", row["recipient"], "--date", row["date"]]
    )
    assert code == 0, err
    answer = json.loads(out)
    assert answer["amount"] == row["amount"]
    assert answer["regime"] == "vn-2025"
    assert answer["base_salary"] == 2_340_000


def test_contract_bonus_example_exactly() -> None:
    code, out, _ = run_cli(["bonus", "--award", "LDTT", "--recipient", "individual", "--date", "2025-12-01"])
    assert code == 0
    answer = json.loads(out)
    expected = {
        "award": "LDTT",
        "recipient": "individual",
        "date": "2025-12-01",
        "regime": "vn-2025",
        "coefficient": 0.3,
        "base_salary": 2340000,
        "amount": 710000,
        "basis": "Nghị định 152/2025/NĐ-CP, Điều 50; Nghị định 73/2024/NĐ-CP",
    }
    assert {k: answer[k] for k in expected} == expected


def test_contract_check_example() -> None:
    """The input example of the contract: a pending review freezes p1; the CSTĐ tỉnh streak is short."""
    document = {
        "as_of": "2026-01-20",
        "candidates": [
            {
                "id": "p1",
                "kind": "individual",
                "gender": "female",
                "ratings": {"2023": "HTXSNV", "2024": "HTTNV", "2025": "HTXSNV"},
                "awards": [
                    {"award": "LDTT", "year": 2025},
                    {
                        "award": "CSTDCS",
                        "year": 2024,
                        "decision_date": "2025-01-15",
                        "kind": "cong_trang",
                        "initiatives_used": ["i1"],
                    },
                ],
                "initiatives": [{"id": "i1", "year": 2024, "scope": "co_so"}],
                "discipline": [{"from": "2021-03-01", "to": "2022-03-01", "level": "khien_trach"}],
                "pending": [{"reason": "Đang xem xét kỷ luật", "since": "2025-12-01"}],
            }
        ],
        "questions": [
            {"candidate": "p1", "award": "CSTD_TINH", "year": 2025},
            {
                "candidate": "p1",
                "award": "BK_TINH",
                "year": 2025,
                "kind": "cong_trang",
                "as_of": "2026-02-01",
            },
        ],
    }
    first, second = check_document(document)["results"]
    assert (first["award"], first["regime"], first["verdict"]) == ("CSTD_TINH", "vn-2025", "ineligible")
    assert second["as_of"] == "2026-02-01"
    streak = next(c for c in first["conditions"] if c["code"] == "streak_cstdcs")
    assert streak["text"] == (
        "Chưa đủ 03 lần liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở (có: 2024; thiếu: 2023, 2025)"
    )
    assert streak["basis"] == "Luật Thi đua, khen thưởng 2022, Điều 22"
