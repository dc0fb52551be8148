"""The benchmark runs and reports its figures (the full 50,000-person run is a command, not a test)."""

from __future__ import annotations

import pytest

from thidua.eligibility import bench


def test_small_benchmark_reports_both_paths_against_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    figures = bench.run(people=300, years=10, seed=3, explain=True, repeat=1)
    assert figures["evaluations"] == 300 * figures["awards"]
    assert sum(figures["verdicts"].values()) == figures["evaluations"]
    assert all(figures["verdicts"].values()), "the generated province yields every verdict"
    assert figures["same_verdicts"], "the three paths count the same verdicts, conditions and codes"
    # Every result read: at least the engine's own "not frozen" line for each pair not stopped at a gate.
    assert figures["conditions_read"] > figures["evaluations"] // 2
    assert sum(figures["outcomes"].values()) == figures["conditions_read"]
    assert figures["condition_codes"] > 10
    # Every text of every result rendered (explain=True), each agreeing with its outcome.
    assert figures["texts_people"] == 300 and figures["texts_rendered"] == figures["conditions_read"]
    # Times of a few milliseconds on a shared machine: the ratios are checked for shape, not size.
    assert figures["explained_ratio"] > 0 and figures["per_question_ratio"] > 0 and figures["fast_ratio"] > 0
    assert figures["meets_target"] == (figures["fast_ratio"] <= bench.TARGET_RATIO)
    assert figures["explained_meets_target"] == (
        figures["explained_ratio"] <= bench.EXPLAINED_TARGET_RATIO
        and figures["explained_seconds"] < bench.EXPLAINED_TARGET_SECONDS * 300 / 50_000
    )
    assert bench.main(["--people", "200", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Thông lượng" in printed and "vòng đọc trần" in printed and "Mục tiêu" in printed


def test_generation_is_deterministic() -> None:
    assert bench.generate(50, seed=9) == bench.generate(50, seed=9)
