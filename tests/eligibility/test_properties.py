"""Properties that must hold for any history, checked with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.helpers import evaluator
from thidua.eligibility.bonus import bonus
from thidua.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW
from thidua.eligibility.model import (
    COMMENDATION_KINDS,
    INITIATIVE_TYPES,
    RATINGS,
    SCOPES,
    AwardRecord,
    Candidate,
    Discipline,
    Initiative,
    MemberStats,
    Pending,
)

EV = evaluator()
CODES = list(EV.library.catalogue)
INDIVIDUAL_CODES = [c for c, e in EV.library.catalogue.items() if "individual" in e.recipients]
COLLECTIVE_CODES = [c for c, e in EV.library.catalogue.items() if "collective" in e.recipients]
REGIMES = {
    "vn-2013": (date(2014, 6, 1), date(2023, 12, 31)),
    "vn-2024": (date(2024, 1, 1), date(2025, 6, 30)),
    "vn-2025": (date(2025, 7, 1), date(2030, 12, 31)),
}
# The same rules hold between these days: a regime, cut where the provincial layer's own text comes into
# force (the model layer: 15/12/2025), since a layer applies only within its text's dates.
PERIODS = {
    "vn-2013": ("vn-2013", date(2014, 6, 1), date(2023, 12, 31)),
    "vn-2024": ("vn-2024", date(2024, 1, 1), date(2025, 6, 30)),
    "vn-2025 trước quy định tỉnh": ("vn-2025", date(2025, 7, 1), date(2025, 12, 14)),
    "vn-2025 với quy định tỉnh": ("vn-2025", date(2025, 12, 15), date(2030, 12, 31)),
}
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Prerequisites are mostly titles of the candidate's own history: bias towards them so that
# eligible verdicts are common enough for the properties to bite.
COMMON_CODES = ["LDTT", "CSTDCS", "CSTDCS", "CSTD_TINH", "BK_TINH", "BK_TTG", "TTLDXS", "CO_TINH"]


@st.composite
def histories(draw: Any, last_year: int, kind: str = "individual", with_freeze: bool = False) -> Candidate:
    first_year = draw(st.integers(last_year - 11, last_year))
    years = st.integers(first_year, last_year)
    dense = draw(st.booleans())
    if dense:
        base = draw(st.sampled_from(["HTXSNV", "HTTNV"]))
        ratings = dict.fromkeys(range(first_year, last_year + 1), base)
        ratings.update(draw(st.dictionaries(years, st.sampled_from(RATINGS), max_size=3)))
    else:
        ratings = draw(st.dictionaries(years, st.sampled_from(RATINGS), max_size=12))
    initiatives = [
        Initiative(f"i{n}", y, scope, itype)
        for n, (y, scope, itype) in enumerate(
            draw(
                st.lists(
                    st.tuples(years, st.sampled_from(SCOPES), st.sampled_from(INITIATIVE_TYPES)), max_size=6
                )
            )
        )
    ]
    ids = [i.id for i in initiatives]
    awards = []
    for _ in range(draw(st.integers(0, 14))):
        code = draw(st.sampled_from(COMMON_CODES) if draw(st.booleans()) else st.sampled_from(CODES))
        record_kind = draw(st.sampled_from(["cong_trang", "cong_trang", "dot_xuat", "chuyen_de"]))
        used = tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))) if ids else ()
        awards.append(AwardRecord(code, draw(years), record_kind, None, used))
    if dense and draw(st.booleans()):
        awards.extend(AwardRecord("CSTDCS", y) for y in range(last_year - 2, last_year + 1))
    stats = {}
    roles = {}
    if kind == "collective":
        for y in draw(st.lists(years, max_size=4, unique=True)):
            total = draw(st.integers(0, 30))
            stats[y] = MemberStats(
                total,
                draw(st.integers(0, total)),
                draw(st.integers(0, total)),
                draw(st.integers(0, total)),
                draw(st.integers(0, total)),
            )
        roles = draw(st.dictionaries(years, st.sampled_from(["leader", "deputy", "member"]), max_size=3))
    pending: tuple[Pending, ...] = ()
    discipline: tuple[Discipline, ...] = ()
    if with_freeze:
        if draw(st.booleans()):
            pending = (Pending("Đang xác minh", date(draw(years), 6, 1)),)
        if draw(st.booleans()):
            start = date(draw(years), 3, 1)
            end = draw(st.one_of(st.none(), st.just(start + timedelta(days=365))))
            discipline = (Discipline(start, end, "khien_trach"),)
    return Candidate(
        id="h",
        kind=kind,
        ratings=ratings,
        awards=tuple(awards),
        initiatives=tuple(initiatives),
        discipline=discipline,
        pending=pending,
        member_stats=stats,
        bloc_roles=roles,
        armed_forces=draw(st.one_of(st.none(), st.booleans())),
        bloc_led=draw(st.dictionaries(st.sampled_from(sorted(roles) or [2025]), st.booleans())),
    )


def _verdict(candidate: Candidate, award: str, year: int, as_of: date, kind: str = "cong_trang") -> Any:
    return EV.evaluate(candidate, award, year, as_of, kind)


@SETTINGS
@given(
    candidate=histories(2025),
    award=st.sampled_from(INDIVIDUAL_CODES),
    as_of=st.dates(date(2016, 1, 1), date(2027, 12, 31)),
    extra=st.tuples(st.sampled_from(CODES), st.integers(2010, 2026), st.sampled_from(COMMENDATION_KINDS)),
)
def test_adding_an_award_never_turns_eligible_into_ineligible(
    candidate: Candidate, award: str, as_of: date, extra: tuple[str, int, str]
) -> None:
    """An award that consumes no initiative can only add to what the history proves."""
    year = min(2025, as_of.year)
    before = _verdict(candidate, award, year, as_of)
    code, extra_year, extra_kind = extra
    richer = replace(candidate, awards=(*candidate.awards, AwardRecord(code, extra_year, extra_kind)))
    after = _verdict(richer, award, year, as_of)
    if before.verdict == ELIGIBLE:
        assert after.verdict != INELIGIBLE, [c.text for c in after.conditions]


@SETTINGS
@given(
    candidate=histories(2025),
    award=st.sampled_from(INDIVIDUAL_CODES),
    as_of=st.dates(date(2016, 1, 1), date(2027, 12, 31)),
    code=st.sampled_from(["GK", "AHLD", "HCLD1", "HCLD2", "XA_TIEU_BIEU", "GDVH"]),
    extra_year=st.integers(2010, 2026),
)
def test_adding_an_unrelated_award_changes_nothing(
    candidate: Candidate, award: str, as_of: date, code: str, extra_year: int
) -> None:
    """Awards no rule of the question looks at leave the verdict and every condition as they were."""
    year = min(2025, as_of.year)
    before = _verdict(candidate, award, year, as_of)
    richer = replace(candidate, awards=(*candidate.awards, AwardRecord(code, extra_year)))
    after = _verdict(richer, award, year, as_of)
    if code not in _referenced(award, as_of):
        assert after.verdict == before.verdict
        assert [(c.code, c.met) for c in after.conditions] == [(c.code, c.met) for c in before.conditions]


def _referenced(award: str, as_of: date) -> set[str]:
    from thidua.eligibility.engine import referenced_awards

    rules = EV.rules_on(as_of)
    return {
        code
        for kind in ("cong_trang",)
        for code in referenced_awards(EV.plan(rules, award, "individual", kind))
    }


@st.composite
def two_dates_in_one_regime(draw: Any) -> tuple[str, date, date]:
    regime, first, last = PERIODS[draw(st.sampled_from(sorted(PERIODS)))]
    return regime, draw(st.dates(first, last)), draw(st.dates(first, last))


@SETTINGS
@given(
    dates=two_dates_in_one_regime(),
    data=st.data(),
    award=st.sampled_from(CODES),
    kind=st.sampled_from(["individual", "individual", "collective", "household"]),
    commendation=st.sampled_from(["cong_trang", "cong_trang", "dot_xuat", "chuyen_de", "cong_hien"]),
)
def test_same_verdict_for_any_date_inside_one_regime(
    dates: tuple[str, date, date], data: Any, award: str, kind: str, commendation: str
) -> None:
    regime, first, second = dates
    last_year = min(first.year, second.year)
    candidate = data.draw(histories(last_year, kind if kind != "household" else "individual"))
    candidate = replace(candidate, kind=kind)
    year = data.draw(st.integers(last_year - 3, last_year))
    one = _verdict(candidate, award, year, first, commendation)
    two = _verdict(candidate, award, year, second, commendation)
    assert one.regime == two.regime == regime
    assert one.verdict == two.verdict
    assert [(c.code, c.met) for c in one.conditions] == [(c.code, c.met) for c in two.conditions]


@SETTINGS
@given(
    candidate=st.one_of(histories(2025, with_freeze=True), histories(2025, "collective", with_freeze=True)),
    award=st.sampled_from(CODES),
    year=st.integers(2016, 2025),
    as_of=st.dates(date(2016, 1, 1), date(2027, 12, 31)),
    kind=st.sampled_from(COMMENDATION_KINDS),
)
def test_every_verdict_is_explained(
    candidate: Candidate, award: str, year: int, as_of: date, kind: str
) -> None:
    result = _verdict(candidate, award, min(year, as_of.year), as_of, kind)
    assert result.verdict in (ELIGIBLE, INELIGIBLE, NEEDS_REVIEW)
    document = result.as_dict()
    assert document["conditions"], "at least one condition"
    for condition in document["conditions"]:
        assert condition["text"].strip() and condition["basis"].strip()
        assert isinstance(condition["mechanical"], bool)
        assert condition["met"] in (True, False, None)
        if not condition["mechanical"]:
            assert condition["met"] is not False or condition["code"].startswith("quota")
    mechanical = [c["met"] for c in document["conditions"] if c["mechanical"]]
    if result.verdict == ELIGIBLE:
        assert all(m is True for m in mechanical)
    elif result.verdict == INELIGIBLE:
        assert False in mechanical
    else:
        assert any(c["met"] is None for c in document["conditions"])


@settings(max_examples=60, deadline=None)
@given(
    code=st.sampled_from(CODES),
    recipient=st.sampled_from(["individual", "collective", "household"]),
    day=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
)
def test_bonus_is_the_product_rounded_up_to_ten_thousand(code: str, recipient: str, day: date) -> None:
    from thidua.eligibility.bonus import BonusError

    try:
        answer = bonus(EV.library, code, recipient, day)
    except BonusError:
        return
    assert answer.amount % 10_000 == 0
    exact = answer.coefficient * answer.base_salary
    if answer.household_multiplier is None:
        assert exact <= answer.amount < exact + 10_000
    else:
        assert answer.individual_amount is not None
        assert answer.household_multiplier * answer.individual_amount <= answer.amount


@SETTINGS
@given(
    first=histories(2025),
    second=histories(2025),
    awards=st.tuples(st.sampled_from(INDIVIDUAL_CODES), st.sampled_from(INDIVIDUAL_CODES)),
    as_of=st.dates(date(2016, 1, 1), date(2027, 12, 31)),
)
def test_a_history_cache_handed_to_another_candidate_never_answers_for_the_first(
    first: Candidate, second: Candidate, awards: tuple[str, str], as_of: date
) -> None:
    """A caller that shares one cache across candidates still gets each candidate's own answer."""
    year = min(2025, as_of.year)
    shared: dict[Any, Any] = {}
    EV.evaluate(first, awards[0], year, as_of, histories=shared)
    after_first = EV.evaluate(second, awards[1], year, as_of, histories=shared)
    alone = EV.evaluate(second, awards[1], year, as_of)
    assert after_first.as_dict() == alone.as_dict()
