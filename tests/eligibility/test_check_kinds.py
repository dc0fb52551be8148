"""Each kind of check is one `CheckKind` (conditions.CHECKS): the parameters it takes, how it is evaluated
and explained, and its description for the rulebook page. A kind without a description is refused when
it is defined, and a condition its kind cannot describe is refused when the rulebook is loaded."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.helpers import evaluator
from tests.eligibility.test_fast_path import _AWARD, CHECK_PARAMS, around
from thidua.eligibility import rulebook
from thidua.eligibility.conditions import (
    CHECKS,
    CheckKind,
    CheckKindError,
    EvalContext,
    History,
    Names,
    compile_check,
    describe,
    register,
)
from thidua.eligibility.model import AwardRecord, Candidate, MemberStats
from thidua.eligibility.rulebook import Citation, ConditionSpec, RulebookError, load_library

MODEL = evaluator()
NAMES = MODEL.names  # award names, no principles: no citation is added to the texts below


def test_a_kind_of_check_without_a_description_is_refused() -> None:
    armed = CHECKS["armed_forces"]
    with pytest.raises(CheckKindError, match=r"armed_forces_again.*mô tả"):
        CheckKind("armed_forces_again", armed.schema, armed.compile, cast(Any, None))
    with pytest.raises(CheckKindError, match="cách tính"):
        CheckKind("armed_forces_again", armed.schema, cast(Any, None), armed.describe)
    registry: dict[str, CheckKind] = {}
    register(CheckKind("x", {}, armed.compile, armed.describe), registry)
    with pytest.raises(CheckKindError, match="đã được khai báo"):
        register(CheckKind("x", {}, armed.compile, armed.describe), registry)
    assert list(registry) == ["x"] and "x" not in CHECKS


def _undescribable(spec: ConditionSpec, names: Names) -> str:
    raise KeyError("min_rating")


def _blank(spec: ConditionSpec, names: Names) -> str:
    return ""


@pytest.mark.parametrize("broken", [_undescribable, _blank])
def test_a_condition_its_check_cannot_describe_stops_the_load(
    monkeypatch: pytest.MonkeyPatch, broken: Any
) -> None:
    monkeypatch.setitem(CHECKS, "yearly_run", replace(CHECKS["yearly_run"], describe=broken))
    # The cached loader is bypassed: the library of the other tests stays as it was loaded.
    with pytest.raises(RulebookError, match=r"regime-vn-2013\.toml, mục `awards\.\w+.*`yearly_run`"):
        rulebook._load.__wrapped__("none", str(rulebook.DATA_DIR))


def _conditions(library: rulebook.Library) -> list[tuple[str, ConditionSpec]]:
    out = []
    for regime in library.regimes:
        for with_province in (False, True):
            rules = library.rules_of(regime, with_province=with_province)
            for award in rules.awards.values():
                for spec in (*award.conditions, *(c for r in award.routes for c in r.conditions)):
                    out.append((f"{rules.key} {award.code}.{spec.code}", spec))
    return out


@pytest.mark.parametrize("province", ["mau-bac-ninh", "lai-chau", "none"])
def test_every_condition_of_every_rulebook_is_described(province: str) -> None:
    """Every regime, with and without the provincial layer: a sentence, never the condition's code."""
    library = load_library(province)
    names = Names(
        {c: e.name for c, e in library.catalogue.items()},
        {c: e.category for c, e in library.catalogue.items()},
    )
    conditions = _conditions(library)
    assert len(conditions) > 100
    for where, spec in conditions:
        text = describe(spec, names)
        assert text and text != spec.code, where
        assert text[0].isupper() or text[0].isdigit(), (where, text)
    used = {spec.check for _where, spec in conditions}
    assert used <= set(CHECKS)
    if province == "mau-bac-ninh":
        assert {"yearly_run", "streak", "initiatives", "period_run", "judgment"} <= used


@settings(max_examples=300, deadline=None)
@given(check=st.sampled_from(sorted(CHECK_PARAMS)).flatmap(lambda c: st.tuples(st.just(c), CHECK_PARAMS[c])))
def test_every_kind_describes_any_parameters_it_accepts(check: tuple[str, dict[str, Any]]) -> None:
    name, params = check
    text = describe(ConditionSpec("c", name, params, Citation("Điều thử")), NAMES)
    assert text and "{" not in text and "None" not in text


@pytest.mark.parametrize(
    ("check", "params", "expected"),
    [
        ("yearly_run", {"min_rating": "HTXSNV"}, "Năm xét được đánh giá hoàn thành xuất sắc nhiệm vụ"),
        (
            "yearly_run",
            {"min_rating": "HTTNV", "years": 2, "or_awards": ["LDTT"], "missing": "unknown"},
            "02 năm liên tục, tính đến năm xét, được đánh giá hoàn thành tốt nhiệm vụ trở lên hoặc đạt danh "
            "hiệu Lao động tiên tiến (năm không có kết quả đánh giá thì cần bổ sung, không coi là chưa đạt)",
        ),
        (
            "rating_count",
            {"min_rating": "HTXSNV", "at_least": 2, "window": 5},
            "Có ít nhất 02 năm được đánh giá hoàn thành xuất sắc nhiệm vụ trong 05 năm tính đến năm xét",
        ),
        (
            "meets_title",
            {"awards": ["LDTT", "CSTT"], "or_rating": "HTTNV"},
            "Năm xét đạt danh hiệu Lao động tiên tiến hoặc danh hiệu Chiến sĩ tiên tiến hoặc được đánh giá "
            "hoàn thành tốt nhiệm vụ trở lên (đạt tiêu chuẩn)",
        ),
        (
            "streak",
            {"award": "CSTD_TINH", "count": 2, "period": 3},
            "02 lần liên tục đạt danh hiệu Chiến sĩ thi đua Bộ, ban, ngành, tỉnh, lần gần nhất là năm xét "
            "(mỗi lần tính 03 năm)",
        ),
        (
            "award_count",
            {"award": "GK", "at_least": 1, "window": 1},
            "Có ít nhất 01 lần đạt Giấy khen trong năm xét",
        ),
        (
            "prior_award",
            {"award": "BK_TINH", "before_window": 1},
            "Đã được tặng Bằng khen của Bộ, ban, ngành, tỉnh trước năm xét",
        ),
        (
            "prior_award",
            {"award": "BK_TINH", "before_window": 5},
            "Đã được tặng Bằng khen của Bộ, ban, ngành, tỉnh trước giai đoạn 05 năm đang xét",
        ),
        (
            "period_run",
            {"since": ["BK_TINH"], "min_rating": "HTTNV", "years": 5},
            "Có thời gian liên tục được đánh giá hoàn thành tốt nhiệm vụ trở lên, từ sau Bằng khen của Bộ, "
            "ban, ngành, tỉnh đến năm xét dài từ 05 năm trở lên",
        ),
        (
            "period_award_count",
            {"since": ["BK_TINH"], "min_rating": "HTTNV", "award": "CSTDCS", "at_least": 2},
            "Trong thời gian liên tục được đánh giá hoàn thành tốt nhiệm vụ trở lên, từ sau Bằng khen của "
            "Bộ, ban, ngành, tỉnh đến năm xét, có ít nhất 02 lần đạt danh hiệu Chiến sĩ thi đua cơ sở",
        ),
        (
            "period_rating_count",
            {"since": ["BK_TINH"], "min_rating": "HTTNV", "rating": "HTXSNV", "at_least": 2},
            "Trong thời gian liên tục được đánh giá hoàn thành tốt nhiệm vụ trở lên, từ sau Bằng khen của "
            "Bộ, ban, ngành, tỉnh đến năm xét, có ít nhất 02 lần được đánh giá hoàn thành xuất sắc nhiệm vụ",
        ),
        (
            "initiatives",
            {"min_scope": "tinh", "count": 2, "window": 3, "same_type": True},
            "Có 02 sáng kiến hoặc đề tài khoa học cùng loại được công nhận phạm vi Bộ, ban, ngành, tỉnh "
            "trở lên trong 03 năm tính đến năm xét, chưa dùng để xét khen thưởng khác",
        ),
        (
            "member_ratio",
            {"field": "ldtt", "min": 0.7, "strict": True},
            "Năm xét, tỷ lệ cá nhân đạt danh hiệu “Lao động tiên tiến” trên tổng số cá nhân trên 70%",
        ),
        (
            "member_count",
            {"field": "disciplined_canh_cao_or_above", "max": 0},
            "Năm xét không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
        ),
        (
            "member_count",
            {"field": "total", "min": 5, "max": 30},
            "Năm xét có ít nhất 05, không quá 30 tổng số cá nhân",
        ),
        (
            "bloc_role",
            {"role": "leader", "or_awards": ["CO_TINH"]},
            "Năm xét là khối trưởng (dẫn đầu) của cụm, khối thi đua hoặc đã đạt danh hiệu Cờ thi đua của Bộ, "
            "ban, ngành, tỉnh",
        ),
        ("armed_forces", {}, "Là quân nhân, công an, dân quân thường trực hoặc dân quân tự vệ cơ động"),
        (
            "bloc_ranking",
            {},
            "Năm xét là tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua (xếp thứ nhất, không "
            "đồng hạng) theo kết quả xếp hạng đã công bố (không phải vai trò khối trưởng luân phiên); chưa "
            "công bố thì người xét quyết định",
        ),
        (
            "no_rating",
            {},
            "Không thuộc diện đánh giá, xếp loại trong năm xét (công nhân, nông dân, người lao động)",
        ),
    ],
)
def test_each_kind_says_what_it_asks(check: str, params: dict[str, Any], expected: str) -> None:
    assert describe(ConditionSpec("c", check, params, Citation("Điều thử")), NAMES) == expected


def test_a_judgment_is_described_by_its_own_text() -> None:
    spec = ConditionSpec("c", "judgment", {}, Citation("Điều thử"), text="Có thành tích xuất sắc đột xuất")
    assert describe(spec, NAMES) == "Có thành tích xuất sắc đột xuất"


YEAR = 2025
HTXS, HTT = "HTXSNV", "HTTNV"
_RATED = Candidate("a", ratings={2021: HTT, 2022: HTT, 2023: HTXS, 2024: HTT, 2025: HTXS})
_AWARDED = replace(
    _RATED,
    awards=(
        AwardRecord("BK_TINH", 2020),
        AwardRecord("LDTT", 2022),
        AwardRecord("LDTT", 2024),
        AwardRecord("CSTDCS", 2022),
        AwardRecord("CSTDCS", 2023, "dot_xuat"),
        AwardRecord("CSTDCS", 2024),
    ),
)
_STATS = Candidate("t", kind="collective", member_stats={YEAR: MemberStats(total=10, ldtt=9)})

# Every kind whose text repeats a requirement after what was found: (check, params, candidate, excluded
# kinds, full text, what discovery shows). Written out by hand, not derived from the renderer.
FOUND = [
    (
        "yearly_run",
        {"min_rating": HTT},
        _RATED,
        frozenset(),
        "Năm 2025 được đánh giá hoàn thành xuất sắc nhiệm vụ (yêu cầu: hoàn thành tốt nhiệm vụ trở lên)",
        "Năm 2025 được đánh giá hoàn thành xuất sắc nhiệm vụ",
    ),
    (
        "yearly_run",
        {"min_rating": HTXS},
        replace(_RATED, ratings={YEAR: HTT}),
        frozenset(),
        "Năm 2025 chỉ được đánh giá hoàn thành tốt nhiệm vụ, chưa đạt mức hoàn thành xuất sắc nhiệm vụ",
        "Năm 2025 chỉ được đánh giá hoàn thành tốt nhiệm vụ",
    ),
    (
        "yearly_run",
        {"min_rating": HTT, "missing": "unknown"},
        Candidate("b"),
        frozenset(),
        "Không có kết quả đánh giá, xếp loại năm 2025 (yêu cầu: hoàn thành tốt nhiệm vụ trở lên): cần bổ "
        "sung để xem xét",
        "Không có kết quả đánh giá, xếp loại năm 2025: cần bổ sung để xem xét",
    ),
    (
        "rating_count",
        {"min_rating": HTXS, "at_least": 2, "window": 3},
        _RATED,
        frozenset(),
        "Trong 2023–2025 có 02 năm (2023, 2025) hoàn thành xuất sắc nhiệm vụ (yêu cầu: ít nhất 02 năm)",
        "Trong 2023–2025 có 02 năm (2023, 2025) hoàn thành xuất sắc nhiệm vụ",
    ),
    (
        "rating_count",
        {"min_rating": HTXS, "at_least": 3, "window": 3},
        _RATED,
        frozenset(),
        "Trong 2023–2025 có 02 năm (2023, 2025) hoàn thành xuất sắc nhiệm vụ; yêu cầu ít nhất 03 năm",
        "Trong 2023–2025 có 02 năm (2023, 2025) hoàn thành xuất sắc nhiệm vụ",
    ),
    (
        "award_count",
        {"award": "LDTT", "at_least": 2, "window": 5},
        _AWARDED,
        frozenset(),
        "Trong 2021–2025 có 02 lần (2022, 2024) đạt danh hiệu Lao động tiên tiến (yêu cầu: 02 lần)",
        "Trong 2021–2025 có 02 lần (2022, 2024) đạt danh hiệu Lao động tiên tiến",
    ),
    (
        # The note on the years not counted (Điều 4 khoản 3) stays: it is part of what was found.
        "award_count",
        {"award": "CSTDCS", "at_least": 3, "window": 5},
        _AWARDED,
        frozenset({"dot_xuat", "chuyen_de"}),
        "Trong 2021–2025 chỉ có 02 lần (2022, 2024) đạt danh hiệu Chiến sĩ thi đua cơ sở; yêu cầu 03 lần "
        "(không tính năm 2023: kết quả khen thưởng đột xuất, chuyên đề không dùng làm căn cứ đề nghị khen "
        "thưởng công trạng)",
        "Trong 2021–2025 chỉ có 02 lần (2022, 2024) đạt danh hiệu Chiến sĩ thi đua cơ sở (không tính năm "
        "2023: kết quả khen thưởng đột xuất, chuyên đề không dùng làm căn cứ đề nghị khen thưởng công trạng)",
    ),
    (
        "period_run",
        {"since": ["BK_TINH"], "min_rating": HTT, "years": 3},
        _AWARDED,
        frozenset(),
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020: 05 năm liên tục (2021–2025) hoàn thành tốt "
        "nhiệm vụ trở lên (yêu cầu: từ 03 năm)",
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020: 05 năm liên tục (2021–2025) hoàn thành tốt "
        "nhiệm vụ trở lên",
    ),
    (
        "period_run",
        {"since": ["BK_TINH"], "min_rating": HTT, "years": 6},
        _AWARDED,
        frozenset(),
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020: chỉ có 05 năm liên tục (2021–2025) hoàn thành "
        "tốt nhiệm vụ trở lên; yêu cầu từ 06 năm trở lên",
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020: chỉ có 05 năm liên tục (2021–2025) hoàn thành "
        "tốt nhiệm vụ trở lên",
    ),
    (
        "period_award_count",
        {"since": ["BK_TINH"], "min_rating": HTT, "award": "LDTT", "at_least": 2},
        _AWARDED,
        frozenset(),
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020, trong thời gian đó (2021–2025) có 02 lần (2022, "
        "2024) đạt danh hiệu Lao động tiên tiến (yêu cầu: 02 lần)",
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020, trong thời gian đó (2021–2025) có 02 lần (2022, "
        "2024) đạt danh hiệu Lao động tiên tiến",
    ),
    (
        "period_rating_count",
        {"since": ["BK_TINH"], "min_rating": HTT, "rating": HTXS, "at_least": 3},
        _AWARDED,
        frozenset(),
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020, trong thời gian đó (2021–2025) có 02 lần (2023, "
        "2025) được đánh giá hoàn thành xuất sắc nhiệm vụ; yêu cầu 03 lần",
        "Từ sau Bằng khen của Bộ, ban, ngành, tỉnh năm 2020, trong thời gian đó (2021–2025) có 02 lần (2023, "
        "2025) được đánh giá hoàn thành xuất sắc nhiệm vụ",
    ),
    (
        "member_ratio",
        {"field": "ldtt", "min": 0.7},
        _STATS,
        frozenset(),
        "Năm 2025 có 9/10 cá nhân đạt danh hiệu “Lao động tiên tiến” (90%; yêu cầu: ít nhất 70%)",
        "Năm 2025 có 9/10 cá nhân đạt danh hiệu “Lao động tiên tiến” (90%)",
    ),
    (
        "member_ratio",
        {"field": "cstdcs", "min": 0.15},
        _STATS,
        frozenset(),
        "Không có số liệu năm 2025 về cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở” trên tổng số cá nhân "
        "(yêu cầu: ít nhất 15%): cần bổ sung",
        "Không có số liệu năm 2025 về cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở” trên tổng số cá nhân: "
        "cần bổ sung",
    ),
    (
        "member_count",
        {"field": "total", "min": 5},
        _STATS,
        frozenset(),
        "Năm 2025 có 10 tổng số cá nhân (yêu cầu: ít nhất 05)",
        "Năm 2025 có 10 tổng số cá nhân",
    ),
    (
        "member_count",
        {"field": "ldtt", "max": 0},
        _STATS,
        frozenset(),
        "Năm 2025 có 9 cá nhân đạt danh hiệu “Lao động tiên tiến” (yêu cầu: không có)",
        "Năm 2025 có 9 cá nhân đạt danh hiệu “Lao động tiên tiến”",
    ),
    (
        # The role's own label has parentheses: a pattern over the text used to cut it at the first ")".
        "bloc_role",
        {"role": "leader"},
        _STATS,
        frozenset(),
        "Không có dữ liệu về vai trò trong cụm, khối thi đua năm 2025 (yêu cầu: khối trưởng (dẫn đầu)): cần "
        "bổ sung",
        "Không có dữ liệu về vai trò trong cụm, khối thi đua năm 2025: cần bổ sung",
    ),
    (
        "bloc_role",
        {"role": "leader"},
        replace(_STATS, bloc_roles={YEAR: "deputy"}),
        frozenset(),
        "Năm 2025 là khối phó của cụm, khối thi đua, không phải khối trưởng (dẫn đầu)",
        "Năm 2025 là khối phó của cụm, khối thi đua",
    ),
    (
        # No published ranking of the bloc that year: the requirement, then who decides.
        "bloc_ranking",
        {},
        replace(_STATS, bloc_roles={YEAR: "leader"}),
        frozenset(),
        "Cụm, khối thi đua chưa công bố kết quả xếp hạng năm 2025 (yêu cầu: tập thể dẫn đầu phong trào thi "
        "đua của cụm, khối thi đua (xếp thứ nhất, không đồng hạng); không phải vai trò khối trưởng luân "
        "phiên): người xét căn cứ kết quả chấm điểm, bình xét của cụm, khối",
        "Cụm, khối thi đua chưa công bố kết quả xếp hạng năm 2025: người xét căn cứ kết quả chấm điểm, "
        "bình xét của cụm, khối",
    ),
    (
        "bloc_ranking",
        {},
        replace(_STATS, bloc_led={YEAR: False}),
        frozenset(),
        "Năm 2025 không xếp thứ nhất một mình trong kết quả xếp hạng đã công bố của cụm, khối, không phải "
        "tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua (xếp thứ nhất, không đồng hạng)",
        "Năm 2025 không xếp thứ nhất một mình trong kết quả xếp hạng đã công bố của cụm, khối",
    ),
    (
        # No movement named (the context has none): the requirement, then what to do.
        "movement",
        {"kind": "thematic", "min_years": 3},
        _STATS,
        frozenset(),
        "Hồ sơ chưa gắn với phong trào thi đua nào của hệ thống (yêu cầu: phong trào thi đua theo chuyên đề "
        "có thời gian từ 03 năm trở lên): cần chọn phong trào",
        "Hồ sơ chưa gắn với phong trào thi đua nào của hệ thống: cần chọn phong trào",
    ),
]


@pytest.mark.parametrize(
    ("check", "params", "candidate", "excluded", "text", "found"),
    FOUND,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(FOUND)],
)
def test_the_found_text_leaves_out_only_the_requirement(
    check: str, params: dict[str, Any], candidate: Candidate, excluded: frozenset[str], text: str, found: str
) -> None:
    compiled = compile_check(ConditionSpec("c", check, params, Citation("Điều thử")), NAMES, None)
    history = History(candidate)
    awards = history.merit_view(excluded) if excluded else history.all_years
    cond = compiled.fn(EvalContext(history, "CSTD_TINH", YEAR, awards, excluded))
    assert (cond.text, cond.found_text) == (text, found)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    check=st.sampled_from(sorted(CHECK_PARAMS)).flatmap(lambda c: st.tuples(st.just(c), CHECK_PARAMS[c])),
    year=st.integers(2016, 2026),
    data=st.data(),
)
def test_a_requirement_is_always_its_own_part(
    check: tuple[str, dict[str, Any]], year: int, data: Any
) -> None:
    """Whatever the parameters and the history, a text that states its requirement gives it as a part of
    its own (a kind that does is one of the rows above), and what is left never repeats it."""
    name, params = check
    award = data.draw(_AWARD)
    candidate = data.draw(
        around(year, [award, params.get("award", award), *params.get("awards", ()), *params.get("since", ())])
    )
    compiled = compile_check(ConditionSpec("c", name, params, Citation("Điều thử")), NAMES, None)
    history = History(candidate)
    cond = compiled.fn(EvalContext(history, award, year, history.all_years, frozenset()))
    said = compiled.render(cond.met, cond.args)
    if isinstance(said, str):
        assert "yêu cầu" not in said and cond.found_text == cond.text == said
    else:
        assert name in {row[0] for row in FOUND}
        assert said.requirement and said.requirement in cond.text
        assert "yêu cầu" not in cond.found_text
        assert cond.text == said.found + said.requirement + said.rest
