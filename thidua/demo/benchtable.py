"""The figures every benchmark writes for `make bench-all`, and the one table that gathers them.

Each benchmark (the pages, the dossiers, the engine, the load test) measures a figure against a target,
and where the target is a ratio, against the floor it is a ratio of (a bare view, a bare loop). It writes
its rows as JSON; `scripts/bench_all.py` prints them as one table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def row(
    suite: str,
    label: str,
    *,
    measured: str,
    target: str,
    ratio: float | None,
    passed: bool,
    floor: str = "",
) -> dict[str, Any]:
    return {
        "suite": suite,
        "label": label,
        "measured": measured,
        "floor": floor,
        "ratio": ratio,
        "target": target,
        "passed": passed,
    }


def write_verdicts(path: str | Path, suite: str, verdicts: Iterable[Any]) -> None:
    """The verdicts of a bench command (label, target, measured, ratio, passed; floor if it has one)."""
    rows = [
        row(
            suite,
            v.label,
            measured=v.measured,
            target=v.target,
            ratio=v.ratio,
            passed=v.passed,
            floor=getattr(v, "floor", ""),
        )
        for v in verdicts
    ]
    write_rows(path, rows)


def write_rows(path: str | Path, rows: Sequence[dict[str, Any]]) -> None:
    Path(path).write_text(json.dumps(list(rows), ensure_ascii=False, indent=2), encoding="utf-8")


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    return list(json.loads(Path(path).read_text(encoding="utf-8")))


def render(rows: Sequence[dict[str, Any]]) -> str:
    header = ("Bộ đo", "Chỉ tiêu", "Đo được", "Mức sàn", "Tỉ lệ", "Mục tiêu", "Kết quả")
    body = [
        (
            r["suite"],
            r["label"],
            r["measured"],
            r.get("floor") or "",
            "" if r["ratio"] is None else f"{r['ratio']:.2f}".replace(".", ","),
            r["target"],
            "thông tin" if r.get("info") else "ĐẠT" if r["passed"] else "KHÔNG ĐẠT",
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in (header, *body)) for i in range(len(header))]
    out = ["  ".join(str(cell).ljust(w) for cell, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out.extend("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)) for line in body)
    # A row marked `info` is a figure reported beside a target (no target of its own): not counted.
    counted = [r for r in rows if not r.get("info")]
    passed = sum(1 for r in counted if r["passed"])
    out.append(f"{passed}/{len(counted)} chỉ tiêu đạt")
    return "\n".join(out)
