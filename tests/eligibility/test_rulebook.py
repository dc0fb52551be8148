"""Rules as data: the shipped files are valid and cited; a new regime or province is a data change."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.eligibility.helpers import case, run_cli
from thidua.eligibility import engine
from thidua.eligibility.model import COMMENDATION_KINDS, RECIPIENT_KINDS, Candidate
from thidua.eligibility.parse import parse_check
from thidua.eligibility.rulebook import DATA_DIR, PROVINCE_SETTING, RulebookError, load_library

LIBRARY = load_library("mau-bac-ninh")


def _all_conditions(lib=LIBRARY):  # type: ignore[no-untyped-def]
    for regime in lib.regimes:
        rules = lib.rules_of(regime)
        for award in rules.awards.values():
            for spec in award.conditions:
                yield regime.id, award.code, None, spec
            for route in award.routes:
                for spec in route.conditions:
                    yield regime.id, award.code, route.id, spec


def test_every_plan_compiles() -> None:
    evaluator = engine.Evaluator(LIBRARY)
    count = 0
    for regime in LIBRARY.regimes:
        rules = LIBRARY.rules_of(regime)
        for code in LIBRARY.catalogue:
            for recipient in RECIPIENT_KINDS:
                for kind in COMMENDATION_KINDS:
                    evaluator.plan(rules, code, recipient, kind)
                    count += 1
    assert count == 3 * 19 * 3 * 7


def test_every_condition_has_a_citation_and_known_sources() -> None:
    known = set(LIBRARY.sources)
    for regime_id, code, route, spec in _all_conditions():
        where = f"{regime_id} {code} {route} {spec.code}"
        assert spec.citation.basis.strip(), where
        assert "Điều" in spec.citation.basis or "Công văn" in spec.citation.basis, where
        assert set(spec.citation.sources) <= known, where
        if not spec.citation.confirmed:
            assert spec.citation.note, f"{where}: an unconfirmed rule says why"


def test_unconfirmed_flags_follow_the_research() -> None:
    rules_2024 = LIBRARY.rules_for(date(2024, 6, 1))
    rules_2025 = LIBRARY.rules_for(date(2025, 7, 1))
    rules_2013 = LIBRARY.rules_for(date(2020, 1, 1))
    # ND 152 Điều 4.4 and ND 98 Điều 4.4 were read; the old law's narrower form (ND 91/2017 Điều 3.2) was not.
    assert rules_2025.principle("freeze").citation.confirmed  # type: ignore[union-attr]
    assert rules_2024.principle("freeze").citation.confirmed  # type: ignore[union-attr]
    assert not rules_2013.principle("freeze").citation.confirmed  # type: ignore[union-attr]
    # The đột xuất / chuyên đề exclusion is already ND 98 Điều 4.3, from 01/01/2024.
    assert rules_2025.principle("merit_only") is not None and rules_2024.principle("merit_only") is not None
    assert rules_2013.principle("merit_only") is None
    # Collective titles: Luật 2022 Điều 26 and 28 are modelled from texts that apply them (the Law's own
    # wording not read), so they are flagged.
    assert rules_2024.regime.awards["TTLDTT"].modelled
    assert not rules_2024.regime.awards["TTLDTT"].citation.confirmed
    assert not rules_2024.regime.awards["CO_TINH"].citation.confirmed
    # The provincial layer applies only from its own text's day (QĐ 86/2025 Bắc Ninh: 15/12/2025).
    assert rules_2024.awards["TTLDTT"].layer == "vn-2024"
    assert LIBRARY.rules_for(date(2025, 12, 15)).awards["TTLDTT"].layer == "province:mau-bac-ninh"
    # Tập thể lao động xuất sắc: the Law's own criteria (Điều 27) before it.
    assert rules_2024.awards["TTLDXS"].modelled and rules_2024.awards["TTLDXS"].layer == "vn-2024"
    assert rules_2013.awards["TTLDTT"].layer == "vn-2013"
    # Old-regime initiative scope for CSTĐ tỉnh was not read word for word.
    route = rules_2013.awards["CSTD_TINH"].routes[0]
    assert {c.code: c.citation.confirmed for c in route.conditions} == {
        "streak_cstdcs": True,
        "initiative_tinh": False,
    }
    # Base salary: ND 73/2024 confirmed; ND 161/2026 reported by one secondary site only.
    salaries = {p.valid_from: p.citation.confirmed for p in LIBRARY.salaries}
    assert salaries[date(2024, 7, 1)] is True and salaries[date(2026, 7, 1)] is False
    # ND 98 vote thresholds are historical: carried into vn-2025 as an unconfirmed parameter.
    assert rules_2025.council["votes_citation"]["confirmed"] is False
    assert rules_2024.council["votes_citation"]["basis"] == "Nghị định 98/2023/NĐ-CP, Điều 30 khoản 7"
    # The quorum is the province's own (Bắc Ninh Điều 8 khoản 4), a confirmed full text, from its own day.
    with_province = LIBRARY.rules_for(date(2025, 12, 15))
    assert with_province.council["citation"]["confirmed"] is True
    assert with_province.council["award_session_attendance_ratio"] == 0.8


def test_regimes_follow_each_other_without_gaps() -> None:
    regimes = LIBRARY.regimes
    assert [r.id for r in regimes] == ["vn-2013", "vn-2024", "vn-2025"]
    assert regimes[0].valid_to == date(2023, 12, 31)
    assert regimes[1].valid_to == date(2025, 6, 30)
    assert regimes[2].valid_to is None


NEW_REGIME = """
[regime]
id = "vn-2026"
valid_from = 2026-10-01
extends = "vn-2025"
title = "Thử nghiệm: luật sửa đổi 2026"

[awards.CSTDCS]
kinds = ["cong_trang"]
basis = "Luật sửa đổi 2026 (thử nghiệm)"
confirmed = false
note = "Chỉ dùng trong kiểm thử."

[[awards.CSTDCS.routes]]
id = "htxs_va_sang_kien"
title = "Hoàn thành xuất sắc nhiệm vụ và có sáng kiến"

[[awards.CSTDCS.routes.conditions]]
code = "rating_htxsnv"
check = "yearly_run"
min_rating = "HTXSNV"

[[awards.CSTDCS.routes.conditions]]
code = "initiative_co_so"
check = "initiatives"
min_scope = "co_so"
count = 1
window = 1
"""


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_new_regime_is_a_data_change(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "regime-vn-2026.toml").write_text(NEW_REGIME, encoding="utf-8")
    library = load_library("mau-bac-ninh", data_dir=data)
    evaluator = engine.Evaluator(library)
    person = Candidate("a", ratings={2026: "HTXSNV"}, awards=())
    before = evaluator.evaluate(person, "CSTDCS", 2026, date(2026, 9, 30))
    after = evaluator.evaluate(person, "CSTDCS", 2026, date(2026, 10, 1))
    # Until 30/9/2026 HTXSNV alone is enough (Luật 2022 Điều 23); the test regime also wants an initiative.
    assert (before.regime, before.verdict) == ("vn-2025", "eligible")
    assert after.regime == "vn-2026"
    assert library.regimes[2].valid_to == date(2026, 9, 30)
    # Everything not rewritten is inherited: LĐTT keeps the vn-2025 rules.
    assert evaluator.evaluate(person, "LDTT", 2026, date(2026, 10, 1)).verdict == "eligible"
    assert after.verdict == "ineligible"
    assert {c.code for c in after.conditions} >= {"initiative_co_so", "rating_htxsnv"}


def test_province_layer_by_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    e8 = {"as_of": "2026-01-20", "candidates": [case("examples.input.json")["candidates"][7]]}
    e8["questions"] = [{"candidate": "e8", "award": "TTLDTT", "year": 2025}]
    document = json.dumps(e8)

    monkeypatch.setenv(PROVINCE_SETTING, "none")
    code, out, err = run_cli(["check", "-"], document)
    assert code == 0, err
    # No provincial rule: the Law's own route (Điều 28 khoản 1 điểm c, at least 70% LĐTT) refuses 12/20.
    national = json.loads(out)["results"][0]
    assert national["verdict"] == "ineligible"
    ratio = next(c for c in national["conditions"] if c["code"] == "ldtt_ratio")
    assert ratio["basis"] == "Luật Thi đua, khen thưởng 2022, Điều 28 khoản 1 điểm c"

    source = (DATA_DIR / "province-mau-bac-ninh.toml").read_text(encoding="utf-8")
    lowered = source.replace('id = "mau-bac-ninh"', 'id = "thu-nghiem"').replace("min = 0.7\n", "min = 0.6\n")
    custom = tmp_path / "province-thu-nghiem.toml"
    custom.write_text(lowered, encoding="utf-8")
    monkeypatch.setenv(PROVINCE_SETTING, str(custom))
    code, out, err = run_cli(["check", "-"], document)
    assert code == 0, err
    output = json.loads(out)
    assert output["province"] == "thu-nghiem"
    assert output["results"][0]["verdict"] == "eligible"  # 12/20 = 60% meets a 60% threshold

    monkeypatch.setenv(PROVINCE_SETTING, "khong-co-tinh-nay")
    code, out, err = run_cli(["check", "-"], document)
    assert code == 2 and out == "" and PROVINCE_SETTING in err


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda s: s.replace('check = "streak"', 'check = "streek"', 1), "streek"),
        (lambda s: s.replace("count = 3\n", 'count = "ba"\n', 1), "count"),
        (lambda s: s.replace('min_rating = "HTTNV"', 'min_rating = "GIOI"', 1), "GIOI"),
        (lambda s: s.replace("[awards.LDTT]\n", "[awards.LDTT]\nfoo = 1\n", 1), "foo"),
        (lambda s: s.replace('award = "CSTDCS"', 'award = "KHONG_CO"', 1), "KHONG_CO"),
        (lambda s: s.replace("valid_from = 2024-01-01", "valid_from = 2024-01-01T00:00:00", 1), "valid_from"),
        (lambda s: s + "\n[[awards.GK.routes]]\nid = 'x'\n", "GK"),
        (lambda s: s.replace("[regime]", "[regime", 1), "TOML"),
    ],
)
def test_bad_rulebook_is_refused_with_file_and_key(tmp_path: Path, edit, fragment: str) -> None:  # type: ignore[no-untyped-def]
    data = _copy_data(tmp_path)
    path = data / "regime-vn-2024.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RulebookError) as raised:
        load_library("mau-bac-ninh", data_dir=data)
    assert fragment in str(raised.value)
    assert "regime-vn-2024.toml" in str(raised.value)


def test_parse_uses_the_catalogue() -> None:
    request = parse_check(
        {"as_of": "2026-01-20", "candidates": [{"id": "a"}]},
        LIBRARY.catalogue,
        lambda cands, as_of: engine.default_questions(cands, as_of, LIBRARY),
    )
    assert request.derived_questions
    assert {q.award for q in request.questions} == {
        c for c, e in LIBRARY.catalogue.items() if "individual" in e.recipients
    }
