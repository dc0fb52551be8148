"""Procedure in the provincial layer: processing time limits and public comment, in working days."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from thidua.core.workdays import default_calendar
from thidua.eligibility.model import COMMENDATION_KINDS
from thidua.eligibility.rulebook import (
    DATA_DIR,
    PROCESSING_STAGES,
    ProvinceLayer,
    RulebookError,
    load_library,
    processing_days,
    processing_rule,
    public_comment_rule,
)

LIBRARY = load_library("mau-bac-ninh")
PROVINCE_FILE = "province-mau-bac-ninh.toml"
# A route of BK_TINH has the same `kinds` line; this one is the urgent processing rule's.
URGENT_KINDS = 'working_days = 5\nkinds = ["dot_xuat"]'


def _layer() -> ProvinceLayer:
    assert LIBRARY.province is not None
    return LIBRARY.province


def test_the_model_province_sets_the_processing_time_limits() -> None:
    layer = _layer()
    receive = processing_rule(layer, "cong_trang", "receive")
    assert receive is not None and receive.working_days == 5 and receive.kinds is None
    assert "311/QĐ-BNV" in receive.citation.basis
    assert not receive.citation.confirmed and receive.citation.note
    appraise = processing_rule(layer, "cong_trang", "appraise")
    assert appraise is not None and appraise.working_days == 20
    assert appraise.citation.sources == ("S24",)
    assert "20 ngày làm việc" in appraise.text
    urgent = processing_rule(layer, "dot_xuat", "appraise")
    assert urgent is not None and urgent.working_days == 5 and urgent.kinds == ("dot_xuat",)
    assert urgent.citation.note == "Thời hạn 05 ngày là tham số do tỉnh quy định, chưa có văn bản"
    assert processing_days(layer, "dot_xuat", "appraise") is urgent


def test_every_kind_has_one_time_limit_per_stage() -> None:
    layer = _layer()
    for stage in PROCESSING_STAGES:
        for kind in COMMENDATION_KINDS:
            matching = [rule for rule in layer.processing if rule.stage == stage and rule.applies_to(kind)]
            assert len(matching) == 1, (stage, kind)


def test_the_public_comment_rule_names_its_awards() -> None:
    layer = _layer()
    for code in ("AHLD", "CSTD_TQ", "HCLD1", "HCLD2", "HCLD3"):
        rule = public_comment_rule(layer, code)
        assert rule is not None and rule.working_days == 10, code
        assert "lấy ý kiến Nhân dân" in rule.text
        assert "Điều 84 khoản 5" in rule.citation.basis
        assert "Điều 46 khoản 1" in rule.citation.basis
        assert not rule.citation.confirmed
    assert public_comment_rule(layer, "GK") is None
    assert public_comment_rule(layer, "LDTT") is None


def test_procedure_citations_are_explained_and_their_sources_exist() -> None:
    layer = _layer()
    known = set(LIBRARY.sources)
    citations = [rule.citation for rule in layer.processing] + [
        rule.citation for rule in layer.public_comment
    ]
    assert len(citations) == 4
    for citation in citations:
        assert citation.basis.strip()
        assert set(citation.sources) <= known
        if not citation.confirmed:
            assert citation.note


def test_a_time_limit_is_counted_in_working_days() -> None:
    # Received on Friday 13/02/2026, before the Tết break 14/02–22/02/2026.
    rule = processing_rule(_layer(), "cong_trang", "appraise")
    assert rule is not None
    assert default_calendar().add_working_days(date(2026, 2, 13), rule.working_days) == date(2026, 3, 20)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _load_edited(tmp_path: Path, edit: Callable[[str], str]) -> ProvinceLayer | None:
    data = _copy_data(tmp_path)
    path = data / PROVINCE_FILE
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return load_library("mau-bac-ninh", data_dir=data).province


def test_a_layer_without_the_sections_sets_no_limit(tmp_path: Path) -> None:
    layer = _load_edited(tmp_path, lambda s: s[: s.index("[[processing]]")])
    assert layer is not None
    assert layer.processing == () and layer.public_comment == ()
    assert processing_rule(layer, "cong_trang", "receive") is None
    assert public_comment_rule(layer, "AHLD") is None


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (lambda s: s.replace("working_days = 5\n", "working_days = 0\n", 1), ["processing[0].working_days"]),
        (
            lambda s: s.replace("working_days = 5\n", "working_days = true\n", 1),
            ["processing[0].working_days"],
        ),
        (lambda s: s.replace('stage = "receive"', 'stage = "review"', 1), ["processing[0].stage", "review"]),
        (
            lambda s: s.replace(URGENT_KINDS, 'working_days = 5\nkinds = ["tet"]', 1),
            ["processing[2].kinds", "tet"],
        ),
        (lambda s: s.replace(URGENT_KINDS, "working_days = 5\nkinds = []", 1), ["processing[2].kinds"]),
        (lambda s: s.replace('code = "tham_dinh_dot_xuat"', 'code = "tham_dinh"', 1), ["trùng mã"]),
        (
            lambda s: s.replace('kinds = ["cong_trang", "chuyen_de", "cong_hien"', 'kinds = ["dot_xuat"', 1),
            ["processing[2]", "trùng thời hạn", "dot_xuat"],
        ),
        (lambda s: s.replace('code = "kiem_tra_ho_so"', 'code = "kiem_tra_ho_so"\nhan = 1', 1), ["han"]),
        (
            lambda s: s.replace('awards = ["AHLD", "CSTD_TQ"', 'awards = ["AHLD", "KHONG_CO"', 1),
            ["public_comment[0].awards", "KHONG_CO"],
        ),
        (
            lambda s: s.replace("working_days = 10\n", "working_days = -3\n", 1),
            ["public_comment[0].working_days"],
        ),
        (
            lambda s: (
                s + '\n[[public_comment]]\nawards = ["HCLD1"]\nworking_days = 5\ntext = "x"\nbasis = "y"\n'
            ),
            ["public_comment[1].awards", "HCLD1"],
        ),
        (
            lambda s: s.replace('\nawards = ["AHLD"', '\nawards = [] # ["AHLD"', 1),
            ["public_comment[0]", "awards"],
        ),
    ],
)
def test_a_bad_procedure_section_is_refused_with_the_path(
    tmp_path: Path, edit: Callable[[str], str], fragments: list[str]
) -> None:
    with pytest.raises(RulebookError) as raised:
        _load_edited(tmp_path, edit)
    message = str(raised.value)
    assert PROVINCE_FILE in message
    for fragment in fragments:
        assert fragment in message
