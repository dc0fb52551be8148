"""The rulebooks' change log (data/corrections.toml): checked against the rulebooks when read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thidua.eligibility.corrections import corrections_of, read_corrections
from thidua.eligibility.engine import default_evaluator
from thidua.eligibility.rulebook import DATA_DIR, RulebookError

ENTRY = """
[[corrections]]
id = "x"
date = 2026-12-06
regimes = {regimes}
awards = {awards}
title = "t"
before = "b"
after = "a"
effect = "e"
basis = "Luật Thi đua, khen thưởng 2022, Điều 27"
sources = {sources}
"""


def _log(tmp_path: Path, *entries: str) -> Path:
    # The loader names the provincial layers from the files beside the log.
    for layer in DATA_DIR.glob("province-*.toml"):
        shutil.copy(layer, tmp_path / layer.name)
    path = tmp_path / "corrections.toml"
    path.write_text("".join(entries), encoding="utf-8")
    return path


def test_the_shipped_log_reads_and_names_the_issue_9_readings() -> None:
    log = corrections_of(default_evaluator().library)
    ids = [c.id for c in log]
    assert len(ids) == len(set(ids))
    # Each reading corrected in the review of December 2026 has its entry (legal-rules §11).
    for wanted in (
        "period_since_award",
        "next_period",
        "alternative_routes",
        "principles_nd98",
        "collective_national_criteria",
        "bloc_leading_unit",
        "province_layer_dates",
    ):
        assert wanted in ids
    period = next(c for c in log if c.id == "period_since_award")
    assert period.awards == ("BK_TTG", "HCLD3")
    assert "Điều 73 khoản 1 điểm b" in period.basis


@pytest.mark.parametrize(
    ("regimes", "awards", "sources", "complaint"),
    [
        ('["vn-1999"]', '["BK_TTG"]', '["R14"]', "giá trị không hợp lệ: vn-1999"),
        ('["vn-2025"]', '["BK_XYZ"]', '["R14"]', "giá trị không hợp lệ: BK_XYZ"),
        ('["vn-2025"]', '["BK_TTG"]', '["R999"]', "giá trị không hợp lệ: R999"),
        ('["vn-2025"]', '["BK_TTG"]', "[]", "cần ít nhất một nguồn"),
        ("[]", '["BK_TTG"]', '["R14"]', "cần ít nhất một chế độ"),
    ],
)
def test_an_entry_naming_what_the_rulebooks_do_not_have_is_refused(
    tmp_path: Path, regimes: str, awards: str, sources: str, complaint: str
) -> None:
    path = _log(tmp_path, ENTRY.format(regimes=regimes, awards=awards, sources=sources))
    with pytest.raises(RulebookError, match=complaint):
        read_corrections(default_evaluator().library, path)


def test_a_duplicate_id_and_an_unknown_key_are_refused(tmp_path: Path) -> None:
    entry = ENTRY.format(regimes='["vn-2025"]', awards="[]", sources='["R14"]')
    with pytest.raises(RulebookError, match="bị trùng"):
        read_corrections(default_evaluator().library, _log(tmp_path, entry, entry))
    with pytest.raises(RulebookError, match="khóa không được hỗ trợ: verdict"):
        read_corrections(default_evaluator().library, _log(tmp_path, entry + 'verdict = "eligible"\n'))


def test_a_layer_only_entry_is_accepted(tmp_path: Path) -> None:
    entry = ENTRY.format(regimes="[]", awards="[]", sources='["S19"]') + 'layers = ["mau-bac-ninh"]\n'
    (only,) = read_corrections(default_evaluator().library, _log(tmp_path, entry))
    assert only.layers == ("mau-bac-ninh",) and only.regimes == ()
