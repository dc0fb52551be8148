"""The command-line contract: output, bad input (exit 2 with the JSON path), fuzzing, real processes."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.helpers import CASES, case, run_cli

EXAMPLES = case("examples.input.json")
# A path of the input document: `$`, `as_of`, `candidates[3].awards[0].year`, `questions[1].award`…
JSON_PATH = re.compile(r"^  (\$|as_of|candidates|questions)(\[\d+\])?[.\[:]", re.MULTILINE)
BIN = Path(sys.executable).parent


def _bad(document: Any) -> tuple[str, str]:
    code, out, err = run_cli(["check", "-"], json.dumps(document, ensure_ascii=False))
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    return err, err.splitlines()[0]


@pytest.mark.parametrize(
    ("mutate", "path", "expected"),
    [
        (
            lambda d: d["candidates"][3]["awards"].append({"award": "LDTT", "year": "2025"}),
            "candidates[3].awards[1].year",
            "số nguyên là năm",
        ),
        (
            lambda d: d["candidates"][0]["awards"][0].update(award="XYZ"),
            "candidates[0].awards[0].award",
            "mã danh hiệu",
        ),
        (
            lambda d: d["candidates"][0]["ratings"].update({"2020": "GIOI"}),
            'candidates[0].ratings["2020"]',
            "mức xếp loại",
        ),
        (
            lambda d: d["candidates"][0]["ratings"].update({"năm": "HTTNV"}),
            'candidates[0].ratings["năm"]',
            "năm",
        ),
        (
            lambda d: d["candidates"][0]["initiatives"][0].update(scope="huyen"),
            "candidates[0].initiatives[0].scope",
            "phạm vi",
        ),
        (
            lambda d: d["candidates"][6]["member_stats"]["2025"].update(ldtt=25),
            'candidates[6].member_stats["2025"].ldtt',
            "total",
        ),
        (
            lambda d: d["candidates"][4]["pending"][0].update(since="05/01/2026"),
            "candidates[4].pending[0].since",
            "YYYY-MM-DD",
        ),
        (lambda d: d["candidates"][1].pop("id"), "candidates[1].id", "thiếu trường bắt buộc"),
        (lambda d: d["candidates"].append(copy.deepcopy(d["candidates"][0])), "candidates[8].id", "trùng mã"),
        (
            lambda d: d["questions"][2].update(candidate="nobody"),
            "questions[2].candidate",
            "không có ứng viên",
        ),
        (lambda d: d["questions"][0].update(kind="thuong"), "questions[0].kind", "loại hình"),
        (lambda d: d["questions"][0].update(year=2027), "questions[0].year", "sau năm"),
        (lambda d: d.update(as_of="2026-02-30"), "as_of", "ngày có thật"),
        (lambda d: d.update(candidates={"id": "x"}), "candidates", "danh sách"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_bad_input_names_the_json_path(mutate: Any, path: str, expected: str) -> None:
    document = copy.deepcopy(EXAMPLES)
    mutate(document)
    err, first = _bad(document)
    assert "không hợp lệ" in first
    assert f"  {path}: " in err, err
    line = next(x for x in err.splitlines() if x.startswith(f"  {path}: "))
    assert expected in line, line


def test_every_error_is_reported_at_once() -> None:
    document = {"as_of": "2026-01-20", "candidates": [{"id": "a", "awards": [{"award": 1, "year": None}]}]}
    err, first = _bad(document)
    assert "(2 lỗi)" in first
    assert "candidates[0].awards[0].award" in err and "candidates[0].awards[0].year" in err


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "JSON không hợp lệ"),
        ("{", "JSON không hợp lệ"),
        ("[1, 2]", "đối tượng JSON"),
        ('{"as_of": NaN}', "NaN"),
        (b"\xff\xfe{}", "UTF-8"),
        ("[" * 100_000, "JSON"),
        ("{}", "thiếu ngày thẩm định"),
    ],
    ids=["rỗng", "cắt cụt", "mảng", "NaN", "không phải UTF-8", "lồng quá sâu", "thiếu as_of"],
)
def test_not_a_document(raw: str | bytes, fragment: str) -> None:
    code, out, err = run_cli(["check", "-"], raw)
    assert code == 2 and out == ""
    assert fragment in err and JSON_PATH.search(err), err
    assert "Traceback" not in err


def test_missing_questions_need_as_of_but_accept_empty_candidates() -> None:
    code, out, _ = run_cli(["check", "-"], '{"as_of": "2026-01-20"}')
    assert code == 0 and json.loads(out)["results"] == []


def test_question_may_carry_its_own_as_of_without_a_document_date() -> None:
    document = {
        "candidates": [{"id": "a"}],
        "questions": [{"candidate": "a", "award": "LDTT", "year": 2025, "as_of": "2025-12-20"}],
    }
    code, out, err = run_cli(["check", "-"], json.dumps(document))
    assert code == 0, err
    assert json.loads(out)["results"][0]["regime"] == "vn-2025"
    document["questions"][0].pop("as_of")
    _, _ = _bad(document)


def test_file_argument_and_compact_output(tmp_path: Path) -> None:
    code, out, err = run_cli(["check", str(CASES / "examples.input.json"), "--compact"])
    assert code == 0 and err == ""
    assert out.count("\n") == 1 and len(json.loads(out)["results"]) == 8
    code, out, err = run_cli(["check", str(tmp_path / "missing.json")])
    assert code == 2 and out == "" and "không đọc được tệp" in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["bonus", "--award", "LDTT", "--recipient", "individual"], "--date: thiếu tham số"),
        (["bonus", "--award", "LDTT", "--recipient", "team", "--date", "2025-12-01"], "--recipient"),
        (["bonus", "--award", "LDTT", "--recipient", "individual", "--date", "2025-13-01"], "--date"),
        (["bonus", "--award", "ZZZ", "--recipient", "individual", "--date", "2025-12-01"], "--award"),
        (["bonus", "--award", "LDTT", "--recipient", "collective", "--date", "2025-12-01"], "--recipient"),
        (["bonus", "--award", "LDTT", "--recipient", "individual", "--date", "2023-12-01"], "--date"),
        (["bonus", "--award", "GK", "--recipient", "collective", "--date", "2024-12-01"], "--award"),
        (
            ["bonus", "--award", "LDTT", "--recipient", "individual", "--date", "2025-12-01", "--color"],
            "--color",
        ),
        (["bonus", "--award"], "--award: thiếu giá trị"),
        (["frobnicate"], "lệnh không hợp lệ"),
        ([], "thiếu lệnh"),
        (["check"], "cần đúng một tệp"),
    ],
)
def test_bad_command_line(args: list[str], fragment: str) -> None:
    code, out, err = run_cli(args)
    assert code == 2 and out == ""
    assert fragment in err, err
    assert "Traceback" not in err


def test_help_is_vietnamese() -> None:
    code, out, _ = run_cli(["--help"])
    assert code == 0 and "Cách dùng" in out


def test_internal_error_is_exit_1_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from thidua.eligibility import engine

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("hỏng")

    monkeypatch.setattr(engine, "check", broken)
    code, out, err = run_cli(["check", "-"], json.dumps(EXAMPLES))
    assert code == 1 and out == ""
    assert "lỗi nội bộ" in err and "hỏng" in err and "Traceback" not in err


def test_bonus_decision_pays_only_the_highest_title_of_the_same_period() -> None:
    document = {
        "date": "2025-12-01",
        "recipient": "individual",
        "awards": [
            {"award": "LDTT", "year": 2025},
            {"award": "CSTDCS", "year": 2025},
            {"award": "CSTD_TINH", "year": 2025},
            {"award": "BK_TINH", "year": 2025},
        ],
    }
    code, out, err = run_cli(["bonus-decision", "-"], json.dumps(document))
    assert code == 0, err
    answer = json.loads(out)
    paid = {i["award"]: i["paid"] for i in answer["items"]}
    # NĐ 152/2025 Điều 49 khoản 5–7: LĐTT and CSTĐCS count the same year, so only CSTĐCS is paid;
    # CSTĐ tỉnh counts three years; the Bằng khen is a form, paid beside the titles.
    assert paid == {"LDTT": False, "CSTDCS": True, "CSTD_TINH": True, "BK_TINH": True}
    assert answer["total"] == 2_340_000 + 7_020_000 + 3_510_000
    document["awards"][1]["award"] = "NOPE"
    code, out, err = run_cli(["bonus-decision", "-"], json.dumps(document))
    assert code == 2 and out == "" and "awards[1].award" in err


def test_rules_command() -> None:
    code, out, err = run_cli(["rules", "--date", "2025-12-15", "--compact"])
    assert code == 0, err
    document = json.loads(out)
    assert document["regime"]["id"] == "vn-2025"
    assert document["province"]["id"] == "mau-bac-ninh"
    assert document["awards"]["TTLDTT"]["layer"] == "province:mau-bac-ninh"
    # The provincial text is in force from 15/12/2025: the day before, the Law's rules alone.
    code, out, err = run_cli(["rules", "--date", "2025-12-14", "--compact"])
    assert code == 0, err
    document = json.loads(out)
    assert document["province"] is None and document["awards"]["TTLDXS"]["layer"] == "vn-2024"


# --- fuzzing ----------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 3000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)
KEYS = [
    "as_of",
    "candidates",
    "questions",
    "id",
    "kind",
    "ratings",
    "awards",
    "award",
    "year",
    "initiatives",
    "scope",
    "type",
    "discipline",
    "from",
    "to",
    "pending",
    "since",
    "member_stats",
    "total",
    "ldtt",
    "candidate",
    "initiatives_used",
    "decision_date",
    "bloc_roles",
    "bloc_led",
    "armed_forces",
    "unit",
    "2025",
]
SHAPED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(1890, 2110)
    | st.sampled_from(
        [
            "2025-01-01",
            "LDTT",
            "HTXSNV",
            "co_so",
            "e1",
            "individual",
            "collective",
            "dot_xuat",
            "",
            "2026-13-40",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=30,
)


def _assert_contract(document_text: str) -> None:
    code, out, err = run_cli(["check", "-"], document_text)
    assert code in (0, 2), err
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert out == ""
        assert JSON_PATH.search(err), err
    else:
        assert err == ""
        assert isinstance(json.loads(out)["results"], list)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(value=st.one_of(JSON_VALUES, SHAPED))
def test_fuzz_random_json_never_tracebacks(value: Any) -> None:
    _assert_contract(json.dumps(value, ensure_ascii=False))


@FUZZ
@given(text=st.text(max_size=40))
def test_fuzz_random_text_never_tracebacks(text: str) -> None:
    _assert_contract(text)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            out.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            out.extend(_paths(child, (*prefix, i)))
    return out


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_examples_never_traceback(data: Any) -> None:
    document = copy.deepcopy(EXAMPLES)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(document)
        path = data.draw(st.sampled_from(paths[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "shaped"]))
        if action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_VALUES if action == "replace" else SHAPED)
    _assert_contract(json.dumps(document, ensure_ascii=False))


# --- real processes ---------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LANG"] = env["LC_ALL"] = "C"  # Vietnamese output must not depend on the locale.
    return env


def test_subprocess_check_from_stdin() -> None:
    completed = subprocess.run(
        [str(BIN / "thidua"), "eligibility", "check", "-"],
        input=(CASES / "examples.input.json").read_bytes(),
        capture_output=True,
        env=_env(),
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert completed.stderr == b""
    results = json.loads(completed.stdout.decode("utf-8"))["results"]
    assert [r["verdict"] for r in results] == [v["verdict"] for v in case("examples.expected.json").values()]


def test_subprocess_bonus_and_bad_input() -> None:
    completed = subprocess.run(
        [
            str(BIN / "thidua"),
            "eligibility",
            "bonus",
            "--award",
            "CO_CP",
            "--recipient",
            "collective",
            "--date",
            "2025-12-01",
        ],
        capture_output=True,
        env=_env(),
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert json.loads(completed.stdout.decode("utf-8"))["amount"] == 28_080_000
    bad = subprocess.run(
        [str(BIN / "thidua"), "eligibility", "check", "-"],
        input=json.dumps(
            {"as_of": "2026-01-20", "candidates": [{"id": "a", "awards": [{"award": "LDTT", "year": "x"}]}]}
        ).encode(),
        capture_output=True,
        env=_env(),
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stdout == b""
    message = bad.stderr.decode("utf-8")
    assert "candidates[0].awards[0].year" in message and "Traceback" not in message


def test_the_engine_never_imports_django() -> None:
    script = (
        "import sys, io\n"
        "import thidua.eligibility, thidua.eligibility.cli, thidua.eligibility.bench\n"
        "import thidua.eligibility.bonus, thidua.eligibility.parse, thidua.eligibility.conditions\n"
        "from thidua.cli import main\n"
        "sys.stdout = io.StringIO()\n"
        "assert main(['eligibility', 'bonus', '--award', 'LDTT', '--recipient', 'individual',"
        " '--date', '2025-12-01']) == 0\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, env=_env(), timeout=60)
    assert completed.returncode == 0, completed.stderr.decode()
