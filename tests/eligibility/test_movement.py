"""The movement a question names (issue 10, item 3): a chuyên đề dossier points to its movement, and the
engine reads the movement's kind and dates for the routes that require a thematic movement of N years
(Cờ thi đua tỉnh, Luật Thi đua, khen thưởng 2022 Điều 26 khoản 2). Leading the movement stays a
person's judgment."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.eligibility.helpers import check_document, evaluator, run_cli
from thidua.eligibility.conditions import Names, describe, movement_years
from thidua.eligibility.model import Candidate, MovementFacts
from thidua.eligibility.parse import InputError, parse_check
from thidua.eligibility.rulebook import Citation, ConditionSpec

LAW_26_2 = "Luật Thi đua, khen thưởng 2022, Điều 26 khoản 2"
MOVEMENT = "phong_trao_chuyen_de_3_nam"
LEADS = "dan_dau_phong_trao_chuyen_de"


def _movement(kind: str, start: str, end: str) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end, "title": "Chung tay vì người nghèo"}


def ask_co_tinh(
    movement: dict[str, Any] | None, year: int = 2026, as_of: str = "2026-12-07"
) -> dict[str, Any]:
    question: dict[str, Any] = {"candidate": "u", "award": "CO_TINH", "year": year, "kind": "chuyen_de"}
    if movement is not None:
        question["movement"] = movement
    document = {"as_of": as_of, "candidates": [{"id": "u", "kind": "collective"}], "questions": [question]}
    result: dict[str, Any] = check_document(document)["results"][0]
    return result


# (id, movement, year, as_of, the movement condition's outcome, verdict, a fragment of its text)
ROWS: list[tuple[str, dict[str, Any] | None, int, str, bool | None, str, str]] = [
    (
        "Luật 2022 Điều 26 khoản 2 – chuyên đề 01/01/2026–31/12/2028 (03 năm): đạt, người xét việc dẫn đầu",
        _movement("thematic", "2026-01-01", "2028-12-31"),
        2026,
        "2026-12-07",
        True,
        "needs_review",
        "từ 01/01/2026 đến 31/12/2028 (03 năm)",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – chuyên đề 01/01/2026–30/12/2028 (thiếu một ngày): tuyến đóng",
        _movement("thematic", "2026-01-01", "2028-12-30"),
        2026,
        "2026-12-07",
        False,
        "ineligible",
        "(02 năm), không phải phong trào thi đua theo chuyên đề có thời gian từ 03 năm trở lên",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – chuyên đề 02 năm (2025–2026): tuyến đóng",
        _movement("thematic", "2025-01-01", "2026-12-31"),
        2026,
        "2026-12-07",
        False,
        "ineligible",
        "(02 năm)",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – phong trào thường xuyên 03 năm: tuyến đóng",
        _movement("regular", "2026-01-01", "2028-12-31"),
        2026,
        "2026-12-07",
        False,
        "ineligible",
        "là phong trào thường xuyên",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – hồ sơ không gắn phong trào: chưa rõ, cần chọn phong trào",
        None,
        2026,
        "2026-12-07",
        None,
        "needs_review",
        "chưa gắn với phong trào thi đua nào của hệ thống (yêu cầu: phong trào thi đua theo chuyên đề có "
        "thời gian từ 03 năm trở lên): cần chọn phong trào",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – trước quy định của tỉnh (15/01/2025), chuyên đề 2022–2024: đạt",
        _movement("thematic", "2022-01-01", "2024-12-31"),
        2024,
        "2025-01-15",
        True,
        "needs_review",
        "(03 năm)",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – trước quy định của tỉnh (15/01/2025), chuyên đề 2023–2024: tuyến đóng",
        _movement("thematic", "2023-01-01", "2024-12-31"),
        2024,
        "2025-01-15",
        False,
        "ineligible",
        "(02 năm)",
    ),
]


@pytest.mark.parametrize(
    ("movement", "year", "as_of", "met", "verdict", "fragment"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_co_thi_dua_tinh_reads_the_movement(
    movement: dict[str, Any] | None, year: int, as_of: str, met: bool | None, verdict: str, fragment: str
) -> None:
    result = ask_co_tinh(movement, year, as_of)
    assert result["verdict"] == verdict
    by_code = {c["code"]: c for c in result["conditions"]}
    cond = by_code[MOVEMENT]
    assert (cond["met"], cond["mechanical"], cond["basis"]) == (met, True, LAW_26_2)
    assert fragment in cond["text"]
    # Leading the movement is a person's judgment, whatever the movement.
    assert by_code[LEADS]["met"] is None and not by_code[LEADS]["mechanical"]
    if met:
        # The mechanical part is settled: only the leadership is left to a person.
        assert [c for c, v in by_code.items() if v["met"] is None] == [LEADS]


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2026, 1, 1), date(2028, 12, 31), 3),
        (date(2026, 1, 1), date(2028, 12, 30), 2),
        (date(2026, 3, 15), date(2029, 3, 14), 3),
        (date(2026, 3, 15), date(2029, 3, 13), 2),
        (date(2026, 1, 1), date(2026, 1, 1), 0),
        (date(2026, 1, 1), date(2026, 12, 31), 1),
        # From 29/02: the anniversary in a year without one is 01/03, so the span ends on 28/02.
        (date(2024, 2, 29), date(2027, 2, 28), 3),
        (date(2024, 2, 29), date(2027, 2, 27), 2),
        (date(2024, 2, 29), date(2028, 2, 28), 4),
        (date(2026, 1, 1), date(2020, 1, 1), 0),
    ],
)
def test_how_long_a_movement_lasts(start: date, end: date, years: int) -> None:
    assert movement_years(start, end) == years


def test_the_rulebook_page_describes_the_condition() -> None:
    names = Names({}, {}, {})
    spec = ConditionSpec("m", "movement", {"kind": "thematic", "min_years": 3}, Citation(LAW_26_2))
    assert describe(spec, names) == (
        "Hồ sơ gắn với phong trào thi đua theo chuyên đề có thời gian từ 03 năm trở lên (tính từ ngày bắt "
        "đầu đến ngày kết thúc phong trào, kể cả hai ngày đó)"
    )
    plain = ConditionSpec("m", "movement", {"kind": "regular"}, Citation(LAW_26_2))
    assert describe(plain, names) == "Hồ sơ gắn với phong trào thi đua thường xuyên"


def test_two_questions_about_one_candidate_naming_different_movements_share_no_reading() -> None:
    """The movement belongs to the question: one cache handed from one question to the next (as the
    dossier's appraisal and `check` do) never answers the second with the first one's movement."""
    ev = evaluator()
    candidate = Candidate("u", kind="collective")
    as_of = date(2026, 12, 7)
    long = MovementFacts("thematic", date(2026, 1, 1), date(2028, 12, 31))
    short = MovementFacts("thematic", date(2026, 1, 1), date(2027, 12, 31))
    histories: dict[Any, Any] = {}
    answers = [
        ev.evaluate(candidate, "CO_TINH", 2026, as_of, "chuyen_de", histories, movement)
        for movement in (long, short, None, long)
    ]
    alone = [
        ev.evaluate(candidate, "CO_TINH", 2026, as_of, "chuyen_de", movement=movement)
        for movement in (long, short, None, long)
    ]
    assert [r.as_dict() for r in answers] == [r.as_dict() for r in alone]
    assert [r.verdict for r in answers] == ["needs_review", "ineligible", "needs_review", "needs_review"]
    for movement, verdict in ((long, "needs_review"), (short, "ineligible"), (None, "needs_review")):
        assert ev.verdicts(candidate, ["CO_TINH"], 2026, as_of, "chuyen_de", movement) == [(verdict, None)]
        [explained] = ev.explain(candidate, ["CO_TINH"], 2026, as_of, "chuyen_de", movement)
        assert explained.verdict == verdict


def _parse(question_extra: dict[str, Any]) -> Any:
    document = {
        "as_of": "2026-12-07",
        "candidates": [{"id": "u", "kind": "collective"}],
        "questions": [
            {"candidate": "u", "award": "CO_TINH", "year": 2026, "kind": "chuyen_de", **question_extra}
        ],
    }
    library = evaluator().library
    return parse_check(document, library.catalogue, lambda cands, as_of: [])


def test_a_question_may_name_its_movement() -> None:
    request = _parse({"movement": _movement("thematic", "2026-01-01", "2028-12-31")})
    assert request.questions[0].movement == MovementFacts(
        "thematic", date(2026, 1, 1), date(2028, 12, 31), "Chung tay vì người nghèo"
    )
    # Without it (or null), as before.
    assert _parse({}).questions[0].movement is None
    assert _parse({"movement": None}).questions[0].movement is None
    untitled = _parse({"movement": {"kind": "regular", "start": "2026-01-01", "end": "2026-12-31"}})
    assert untitled.questions[0].movement == MovementFacts("regular", date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("movement", "path", "fragment"),
    [
        (
            {"kind": "chuyen_de", "start": "2026-01-01", "end": "2028-12-31"},
            "questions[0].movement.kind",
            "thematic",
        ),
        ({"kind": "thematic", "end": "2028-12-31"}, "questions[0].movement.start", "thiếu trường bắt buộc"),
        (
            {"kind": "thematic", "start": "2026-01-01", "end": "2028-02-30"},
            "questions[0].movement.end",
            "ngày có thật",
        ),
        (
            {"kind": "thematic", "start": "2026-01-01", "end": "2025-12-31"},
            "questions[0].movement.end",
            "trước ngày",
        ),
        (
            {"kind": "thematic", "start": "2026-01-01", "end": "2028-12-31", "title": 3},
            "questions[0].movement.title",
            "chuỗi",
        ),
        ("2026-2028", "questions[0].movement", "đối tượng JSON"),
    ],
)
def test_a_bad_movement_names_its_json_path(movement: Any, path: str, fragment: str) -> None:
    with pytest.raises(InputError) as raised:
        _parse({"movement": movement})
    assert any(p == path and fragment in message for p, message in raised.value.errors), raised.value.errors


def test_the_command_line_reads_the_movement() -> None:
    document = {
        "as_of": "2026-12-07",
        "candidates": [{"id": "u", "kind": "collective"}],
        "questions": [
            {
                "candidate": "u",
                "award": "CO_TINH",
                "year": 2026,
                "kind": "chuyen_de",
                "movement": _movement("thematic", "2026-01-01", "2028-12-31"),
            },
            {"candidate": "u", "award": "CO_TINH", "year": 2026, "kind": "chuyen_de"},
        ],
    }
    code, out, err = run_cli(["check", "-"], json.dumps(document, ensure_ascii=False))
    assert (code, err) == (0, "")
    first, second = json.loads(out)["results"]
    assert {c["code"]: c["met"] for c in first["conditions"]}[MOVEMENT] is True
    assert {c["code"]: c["met"] for c in second["conditions"]}[MOVEMENT] is None
    document["questions"][0]["movement"] = {"kind": "thematic", "start": "2026-01-01"}  # type: ignore[index]
    code, out, err = run_cli(["check", "-"], json.dumps(document, ensure_ascii=False))
    assert code == 2 and out == ""
    assert "questions[0].movement.end" in err
