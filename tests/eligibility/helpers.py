"""Shared helpers of the eligibility tests: run the engine or the command line on plain dicts."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

from thidua.eligibility import engine
from thidua.eligibility.cli import main as cli_main
from thidua.eligibility.parse import parse_check
from thidua.eligibility.rulebook import load_library

CASES = Path(__file__).resolve().parent / "cases"


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@cache
def evaluator() -> engine.Evaluator:
    # The model province, whatever the environment says: the expected verdicts depend on it.
    return engine.Evaluator(load_library("mau-bac-ninh"))


def check_document(document: dict[str, Any], ev: engine.Evaluator | None = None) -> dict[str, Any]:
    ev = ev or evaluator()
    library = ev.library
    request = parse_check(
        document, library.catalogue, lambda cands, as_of: engine.default_questions(cands, as_of, library)
    )
    return engine.check(request, ev)


def ask(
    candidate: dict[str, Any], award: str, year: int, as_of: str, kind: str = "cong_trang"
) -> dict[str, Any]:
    """One question about one candidate; the candidate's id defaults to 'x'."""
    candidate = {"id": "x", **candidate}
    document = {
        "as_of": as_of,
        "candidates": [candidate],
        "questions": [{"candidate": candidate["id"], "award": award, "year": year, "kind": kind}],
    }
    result: dict[str, Any] = check_document(document)["results"][0]
    return result


def conditions(result: dict[str, Any]) -> dict[str, Any]:
    """code -> met, for the conditions of a result."""
    return {c["code"]: c["met"] for c in result["conditions"]}


def run_cli(args: list[str], stdin: str | bytes = "") -> tuple[int, str, str]:
    """The command line in-process: (exit status, stdout, stderr)."""
    source: io.IOBase = io.BytesIO(stdin) if isinstance(stdin, bytes) else io.StringIO(stdin)
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(args, stdin=source, stdout=out, stderr=err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()
