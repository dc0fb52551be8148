"""Benchmark: every individual of a province, ten years of history, every title and form.

    .venv/bin/python -m thidua.eligibility.bench [--people 50000] [--years 10] [--seed 7] [--explain]

Prints the time to evaluate every (person, award) pair, the throughput, and the ratio to a bare loop
that only reads the same histories (the floor: nothing can be faster than reading the data once).
`--explain` also times turning every result into its JSON-ready form with the Vietnamese texts.
The histories are generated in memory (deterministic for a seed), so the figures measure the engine,
not JSON parsing.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from thidua.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, Evaluator
from thidua.eligibility.model import AwardRecord, Candidate, Discipline, Initiative, Pending

AS_OF = date(2026, 1, 20)
LAST_YEAR = 2025


def generate(people: int, years: int = 10, seed: int = 7) -> list[Candidate]:
    """A fictional province: ratings every year, the titles they lead to, some initiatives and forms."""
    rng = random.Random(seed)
    first = LAST_YEAR - years + 1
    out: list[Candidate] = []
    for n in range(people):
        ratings: dict[int, str] = {}
        awards: list[AwardRecord] = []
        initiatives: list[Initiative] = []
        cstdcs_run = 0
        for year in range(first, LAST_YEAR + 1):
            roll = rng.random()
            rating = (
                "HTXSNV" if roll < 0.25 else "HTTNV" if roll < 0.85 else "HTNV" if roll < 0.97 else "KHTNV"
            )
            ratings[year] = rating
            used: tuple[str, ...] = ()
            if rng.random() < 0.3:
                scope_roll = rng.random()
                scope = "co_so" if scope_roll < 0.8 else "tinh" if scope_roll < 0.95 else "toan_quoc"
                iid = f"n{n}-{year}"
                initiatives.append(
                    Initiative(iid, year, scope, "sang_kien" if rng.random() < 0.85 else "de_tai")
                )
                if rng.random() < 0.5:
                    used = (iid,)
            if rating in ("HTXSNV", "HTTNV") and rng.random() < 0.9:
                awards.append(AwardRecord("LDTT", year))
                if rating == "HTXSNV" and rng.random() < 0.6:
                    awards.append(AwardRecord("CSTDCS", year, initiatives_used=used))
                    cstdcs_run += 1
                    if cstdcs_run >= 3 and rng.random() < 0.3:
                        awards.append(AwardRecord("CSTD_TINH", year))
                        cstdcs_run = 0
                else:
                    cstdcs_run = 0
            else:
                cstdcs_run = 0
            if rng.random() < 0.1:
                awards.append(AwardRecord("GK", year, "dot_xuat" if rng.random() < 0.2 else "cong_trang"))
            if rng.random() < 0.05:
                awards.append(
                    AwardRecord("BK_TINH", year, "chuyen_de" if rng.random() < 0.2 else "cong_trang")
                )
            if rng.random() < 0.005:
                awards.append(AwardRecord("BK_TTG", year))
        discipline: tuple[Discipline, ...] = ()
        if rng.random() < 0.01:
            start = date(rng.randrange(first, LAST_YEAR), rng.randrange(1, 13), 1)
            discipline = (Discipline(start, date(start.year + 1, start.month, 1), "khien_trach"),)
        pending: tuple[Pending, ...] = ()
        if rng.random() < 0.005:
            pending = (Pending("Đang xác minh đơn thư", date(2025, 12, 1)),)
        out.append(
            Candidate(
                id=f"p{n}",
                gender="female" if rng.random() < 0.5 else "male",
                unit=f"u{n % 2000}",
                ratings=ratings,
                awards=tuple(awards),
                initiatives=tuple(initiatives),
                discipline=discipline,
                pending=pending,
            )
        )
    return out


def floor_loop(candidates: Sequence[Candidate]) -> int:
    """Read every record of every history once and nothing else."""
    total = 0
    for candidate in candidates:
        for record in candidate.awards:
            total += record.year + len(record.award) + len(record.initiatives_used)
        for year, rating in candidate.ratings.items():
            total += year + len(rating)
        for initiative in candidate.initiatives:
            total += initiative.year + len(initiative.scope)
        total += len(candidate.discipline) + len(candidate.pending)
    return total


def run(people: int, years: int, seed: int, explain: bool) -> dict[str, Any]:
    candidates = generate(people, years, seed)
    evaluator = Evaluator()
    codes = [code for code, entry in evaluator.library.catalogue.items() if "individual" in entry.recipients]
    year = AS_OF.year - 1

    gc.collect()
    started = time.perf_counter()
    floor_loop(candidates)
    floor = time.perf_counter() - started

    counts = {ELIGIBLE: 0, INELIGIBLE: 0, NEEDS_REVIEW: 0}
    kept: list[Any] = []
    evaluate = evaluator.evaluate
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for candidate in candidates:
            histories: dict[int | None, Any] = {}
            for code in codes:
                result = evaluate(candidate, code, year, AS_OF, "cong_trang", histories)
                counts[result.verdict] += 1
                if explain:
                    kept.append(result)
        engine_time = time.perf_counter() - started
    finally:
        gc.enable()

    explain_time = None
    if explain:
        started = time.perf_counter()
        for result in kept:
            result.as_dict()
        explain_time = time.perf_counter() - started

    evaluations = len(candidates) * len(codes)
    return {
        "people": len(candidates),
        "years": years,
        "awards": len(codes),
        "evaluations": evaluations,
        "seconds": engine_time,
        "per_second": evaluations / engine_time if engine_time else float("inf"),
        "floor_seconds": floor,
        "ratio_to_floor": engine_time / floor if floor else float("inf"),
        "verdicts": counts,
        "explain_seconds": explain_time,
    }


def _vn(number: float, digits: int = 2) -> str:
    text = f"{number:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m thidua.eligibility.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="also time the JSON-ready explanations")
    args = parser.parse_args(argv)
    figures = run(args.people, args.years, args.seed, args.explain)
    print(
        f"Người: {_vn(figures['people'], 0)}; {figures['years']} năm lịch sử; "
        f"{figures['awards']} danh hiệu, hình thức mỗi người"
    )
    print(f"Lượt đánh giá: {_vn(figures['evaluations'], 0)} trong {_vn(figures['seconds'])} s")
    print(f"Thông lượng: {_vn(figures['per_second'], 0)} lượt/s (một lõi)")
    print(
        f"Vòng đọc trần (chỉ đọc lịch sử): {_vn(figures['floor_seconds'], 3)} s; "
        f"tỉ lệ so với vòng đọc trần: {_vn(figures['ratio_to_floor'], 1)}×"
    )
    verdicts = figures["verdicts"]
    print(
        f"Kết quả: {_vn(verdicts[ELIGIBLE], 0)} đủ điều kiện, {_vn(verdicts[INELIGIBLE], 0)} không đủ, "
        f"{_vn(verdicts[NEEDS_REVIEW], 0)} cần xem xét"
    )
    if figures["explain_seconds"] is not None:
        print(f"Dựng giải thích (JSON, tiếng Việt) cho mọi kết quả: {_vn(figures['explain_seconds'])} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
