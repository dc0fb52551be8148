"""The verdict-only path (`Evaluator.verdicts`) answers exactly what the explained one (`evaluate`) does.

Checked with hypothesis on random histories (with discipline and pending reviews), awards, years,
question dates in every regime and every kind of commendation, for individuals, collectives and
households, with the model province and with national rules only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import product
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.helpers import evaluator
from tests.eligibility.test_properties import CODES, COMMON_CODES, REGIMES, SETTINGS, histories
from thidua.eligibility import engine
from thidua.eligibility.conditions import (
    CHECKS,
    Cond,
    EvalContext,
    Facts,
    History,
    Names,
    _counted_years,
    compile_check,
)
from thidua.eligibility.engine import _excluded_kinds, _frozen_by, discipline_state
from thidua.eligibility.model import (
    COMMENDATION_KINDS,
    INITIATIVE_TYPES,
    MEMBER_STAT_FIELDS,
    RATINGS,
    RECIPIENT_KINDS,
    SCOPES,
    AwardRecord,
    Candidate,
    Discipline,
    Initiative,
    MemberStats,
    MovementFacts,
    Pending,
)
from thidua.eligibility.rulebook import Citation, ConditionSpec, load_library

MODEL = evaluator()
NATIONAL = engine.Evaluator(load_library("none"))


@st.composite
def as_of_dates(draw: Any) -> date:
    """A question date in a regime drawn first, so that every regime is asked as often as the others."""
    first, last = REGIMES[draw(st.sampled_from(sorted(REGIMES)))]
    return draw(st.dates(first, last))


@st.composite
def candidates(draw: Any, last_year: int) -> Candidate:
    recipient = draw(st.sampled_from(RECIPIENT_KINDS))
    history_kind = "collective" if recipient == "collective" else "individual"
    # Discipline and pending reviews in half the histories (they block every award when in force).
    drawn = draw(histories(last_year, history_kind, draw(st.booleans())))
    return replace(drawn, kind=recipient)


@st.composite
def rich_candidates(draw: Any, year: int, awards: list[str]) -> Candidate:
    """A history dense around the question's year: ratings (some missing), records of the awards asked
    and of their usual prerequisites, initiatives in the windows, some used by the award asked itself
    (still free: one initiative, one use), member statistics and bloc roles, and a discipline that
    ended inside the windows (achievements count from its end) or still runs."""
    recent = st.integers(year - 9, year)
    good = ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTTNV"]
    ratings = {
        y: rating
        for y in range(year - 7, year + 1)
        if (rating := draw(st.sampled_from([*RATINGS, *good, None]))) is not None
    }
    initiatives = tuple(
        Initiative(f"i{n}", draw(st.just(year) | recent), draw(st.sampled_from(SCOPES)), itype)
        for n, itype in enumerate(draw(st.lists(st.sampled_from(INITIATIVE_TYPES), max_size=5)))
    )
    ids = [i.id for i in initiatives]
    used = st.lists(st.sampled_from(ids), max_size=2, unique=True) if ids else st.just([])
    pool = st.sampled_from([*awards, *COMMON_CODES]) | st.sampled_from(CODES)
    records = tuple(
        AwardRecord(code, y, kind, None, tuple(u))
        for code, y, kind, u in draw(
            st.lists(
                st.tuples(
                    pool,
                    st.one_of(st.just(year), recent),
                    st.sampled_from(["cong_trang", "cong_trang", "dot_xuat", "chuyen_de"]),
                    used,
                ),
                max_size=12,
            )
        )
    )
    # Records of the awards asked in the question's year itself, using initiatives of that year.
    this_year = [i.id for i in initiatives if i.year == year]
    mine = st.lists(st.sampled_from(this_year), min_size=1, unique=True) if this_year else st.just([])
    records += tuple(
        AwardRecord(code, year, "cong_trang", None, tuple(draw(mine)))
        for code in draw(st.lists(st.sampled_from(awards), max_size=2, unique=True))
    )
    discipline: tuple[Discipline, ...] = ()
    shape = draw(st.sampled_from(["none", "none", "ended", "ended", "ended", "running"]))
    if shape != "none":
        end_year = draw(st.integers(year - 6, year))
        end = date(end_year, draw(st.sampled_from([1, 6])), 1)
        discipline = (Discipline(date(end_year - 1, 3, 1), end if shape == "ended" else None, "khien_trach"),)
    pending = (Pending("Đang xác minh", date(year, 6, 1)),) if draw(st.integers(0, 9)) == 0 else ()
    stats = {
        y: MemberStats(total, *(draw(st.one_of(st.none(), st.integers(0, total))) for _ in range(4)))
        for y in draw(st.lists(st.integers(year - 1, year), max_size=2, unique=True))
        for total in [draw(st.integers(0, 20))]
    }
    roles = draw(
        st.dictionaries(st.integers(year - 1, year), st.sampled_from(["leader", "deputy", "member"]))
    )
    return Candidate(
        id="r",
        kind=draw(st.sampled_from(RECIPIENT_KINDS)),
        ratings=ratings,
        awards=records,
        initiatives=initiatives,
        discipline=discipline,
        pending=pending,
        member_stats=stats,
        bloc_roles=roles,
        armed_forces=draw(st.one_of(st.none(), st.booleans())),
        bloc_led=draw(st.dictionaries(st.integers(2016, 2026), st.booleans(), max_size=3)),
    )


@st.composite
def movements(draw: Any) -> MovementFacts | None:
    """None (the dossier names no movement) or a movement of either kind, most lasting about a whole
    number of years, a day either side of it (the duration's boundary), some starting on 29/02."""
    if draw(st.booleans()):
        return None
    start = draw(
        st.sampled_from([date(2024, 2, 29), date(2026, 1, 1)])
        | st.dates(date(2018, 1, 1), date(2026, 12, 31))
    )
    years = draw(st.integers(0, 6))
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = date(start.year + years, 3, 1)
    end = anniversary + timedelta(days=draw(st.sampled_from([-2, -1, -1, 0]) | st.integers(-400, 400)))
    if end < start:
        end = start
    return MovementFacts(draw(st.sampled_from(["thematic", "thematic", "regular"])), start, end, "Thử")


def _codes_for(recipient: str) -> list[str]:
    return [c for c, e in MODEL.library.catalogue.items() if recipient in e.recipients]


@st.composite
def questions(
    draw: Any,
) -> tuple[engine.Evaluator, Candidate, list[str], int, date, str, MovementFacts | None]:
    as_of = draw(as_of_dates())
    year = draw(
        st.sampled_from([as_of.year - 1, as_of.year - 1, as_of.year])
        | st.integers(as_of.year - 4, as_of.year)
    )
    kind = draw(st.sampled_from(["cong_trang"] * len(COMMENDATION_KINDS) + list(COMMENDATION_KINDS)))
    recipient = draw(st.sampled_from(["individual", *RECIPIENT_KINDS]))
    # Every award the recipient can receive, in any order (the suite of one pass), and a few others
    # (they stop at the recipient or kind gate), repeated or not.
    awards = [
        *draw(st.permutations(_codes_for(recipient))),
        *draw(st.lists(st.sampled_from(CODES), max_size=3)),
    ]
    if draw(st.booleans()):
        candidate = replace(draw(rich_candidates(year, awards)), kind=recipient)
    else:
        candidate = replace(draw(candidates(as_of.year)), kind=recipient)
    ev = draw(st.sampled_from([MODEL, MODEL, NATIONAL]))
    return ev, candidate, awards, year, as_of, kind, draw(movements())


@SETTINGS
@given(question=questions())
def test_the_fast_path_gives_the_verdict_and_route_of_the_explained_one(question: Any) -> None:
    ev, candidate, awards, year, as_of, kind, movement = question
    fast = ev.verdicts(candidate, awards, year, as_of, kind, movement)
    histories: dict[Any, Any] = {}
    explained = [ev.evaluate(candidate, code, year, as_of, kind, histories, movement) for code in awards]
    assert fast == [(r.verdict, r.route) for r in explained]


@SETTINGS
@given(question=questions())
def test_explaining_every_award_at_once_answers_as_each_question_alone(question: Any) -> None:
    """`explain` (the panel) and `evaluate` (one question) give the same results, texts included. Each
    text is worked out, when read, by the explained form of its check, which must agree with the outcome
    the verdict was decided on (it raises otherwise)."""
    ev, candidate, awards, year, as_of, kind, movement = question
    together = ev.explain(candidate, awards, year, as_of, kind, movement)
    alone = [ev.evaluate(candidate, code, year, as_of, kind, movement=movement) for code in awards]
    assert [r.as_dict() for r in together] == [r.as_dict() for r in alone]


def test_a_text_that_would_contradict_its_outcome_is_an_error() -> None:
    """The explained path decides a condition with its verdict-only form and renders its text with the
    explained one; were they ever to disagree, reading the text fails instead of showing a text that
    says the opposite of the mark beside it."""
    ev = engine.Evaluator(load_library("mau-bac-ninh"))  # its check is overwritten: not shared
    candidate = Candidate("p", ratings={2025: "HTXSNV"}, awards=(AwardRecord("LDTT", 2025),))
    result = ev.evaluate(candidate, "CSTDCS", 2025, date(2026, 1, 20))
    cond = next(c for c in result.conditions if c.code == "rating_htxsnv")
    assert cond.met is True
    cond.check.fn = lambda context: Cond(cond.check, False, None)
    with pytest.raises(RuntimeError, match=r"rating_htxsnv.*hai cách tính"):
        _ = cond.text


@SETTINGS
@given(question=questions())
def test_every_fast_check_equals_its_explained_condition(question: Any) -> None:
    """Stronger than the verdicts: each mechanical condition, even one the fast path never reaches."""
    ev, candidate, awards, year, as_of, kind, movement = question
    if candidate.pending and _frozen_by(candidate, as_of) is not None:
        return  # blocked: no condition is run
    state = discipline_state(candidate, as_of) if candidate.discipline else None
    min_year = None
    if state is not None:
        _record, first, ongoing = state
        if ongoing or first is None or year < first:
            return
        min_year = first
    rules = ev.rules_on(as_of)
    excluded = _excluded_kinds(rules, kind)
    facts = Facts(candidate, year, min_year, excluded, movement)
    history = History(candidate, min_year)
    for code in awards:
        plan = ev.plan(rules, code, candidate.kind, kind)
        assert plan.excluded == excluded
        view = history.merit_view(excluded) if excluded else history.all_years
        context = EvalContext(history, code, year, view, excluded, movement)
        checks = [*plan.common, *(c for _route, route_checks, *_ in plan.routes for c in route_checks)]
        for check in checks:
            if check.mechanical:
                assert check.test is not None
                assert check.test(facts, code) == check.fn(context).met, (code, check.code)


@SETTINGS
@given(
    candidate=histories(2025, with_freeze=True),
    excluded=st.frozensets(st.sampled_from(COMMENDATION_KINDS)),
    min_year=st.one_of(st.none(), st.integers(2012, 2026)),
)
def test_the_years_that_count_are_those_of_the_explained_path(
    candidate: Candidate, excluded: frozenset[str], min_year: int | None
) -> None:
    """Any set of excluded kinds, công trạng too (the loader allows it), gives the same counted years."""
    history = History(candidate, min_year)
    view = history.merit_view(excluded) if excluded else history.all_years
    counted = _counted_years(candidate, min_year, excluded)
    assert {c: ys for c, ys in view.items() if ys} == counted


_AWARD = st.sampled_from(COMMON_CODES) | st.sampled_from(CODES)
_AWARDS = st.lists(_AWARD, max_size=2)
CHECK_PARAMS: dict[str, Any] = {
    "yearly_run": st.fixed_dictionaries(
        {"min_rating": st.sampled_from(RATINGS), "years": st.integers(1, 5)},
        optional={"or_awards": _AWARDS, "missing": st.sampled_from(["fail", "unknown"])},
    ),
    "rating_count": st.fixed_dictionaries(
        {"min_rating": st.sampled_from(RATINGS), "at_least": st.integers(0, 5), "window": st.integers(1, 6)}
    ),
    "meets_title": st.fixed_dictionaries(
        {"awards": st.lists(_AWARD, min_size=1, max_size=2)}, optional={"or_rating": st.sampled_from(RATINGS)}
    ),
    "streak": st.fixed_dictionaries(
        {"award": _AWARD, "count": st.integers(1, 4)}, optional={"period": st.integers(1, 3)}
    ),
    "award_count": st.fixed_dictionaries(
        {"award": _AWARD, "at_least": st.integers(0, 4), "window": st.integers(1, 6)}
    ),
    "prior_award": st.fixed_dictionaries({"award": _AWARD, "before_window": st.integers(1, 6)}),
    "period_run": st.fixed_dictionaries(
        {
            "since": st.lists(_AWARD, min_size=1, max_size=2),
            "min_rating": st.sampled_from(RATINGS),
            "years": st.integers(1, 6),
        }
    ),
    "period_award_count": st.fixed_dictionaries(
        {
            "since": st.lists(_AWARD, min_size=1, max_size=2),
            "min_rating": st.sampled_from(RATINGS),
            "award": _AWARD,
            "at_least": st.integers(0, 4),
        }
    ),
    "period_rating_count": st.fixed_dictionaries(
        {
            "since": st.lists(_AWARD, min_size=1, max_size=2),
            "min_rating": st.sampled_from(RATINGS),
            "rating": st.sampled_from(RATINGS),
            "at_least": st.integers(0, 4),
        }
    ),
    "initiatives": st.fixed_dictionaries(
        {"min_scope": st.sampled_from(SCOPES), "count": st.integers(0, 3), "window": st.integers(1, 6)},
        optional={
            "types": st.lists(st.sampled_from(INITIATIVE_TYPES), min_size=1, unique=True),
            "same_type": st.booleans(),
        },
    ),
    "member_ratio": st.fixed_dictionaries(
        {"field": st.sampled_from(MEMBER_STAT_FIELDS), "min": st.sampled_from([0, 0.15, 0.5, 0.7, 1])},
        optional={"strict": st.booleans()},
    ),
    "member_count": st.fixed_dictionaries(
        {},
        optional={
            "field": st.sampled_from(MEMBER_STAT_FIELDS),
            "min": st.integers(0, 5),
            "max": st.integers(0, 5),
        },
    ).map(lambda p: {"field": "total", **p}),
    "bloc_role": st.fixed_dictionaries(
        {"role": st.sampled_from(["leader", "deputy", "member"])}, optional={"or_awards": _AWARDS}
    ),
    "armed_forces": st.just({}),
    "bloc_ranking": st.just({}),
    "no_rating": st.just({}),
    "movement": st.fixed_dictionaries(
        {"kind": st.sampled_from(["thematic", "regular"])}, optional={"min_years": st.integers(0, 6)}
    ),
}
assert set(CHECK_PARAMS) | {"judgment"} == set(CHECKS)


@st.composite
def around(draw: Any, year: int, codes: list[str]) -> Candidate:
    """A small history packed into the windows of one check: ratings of any grade or missing, records
    of the awards it looks at (of any kind), initiatives of the year used by the award asked, by
    another award, or free."""
    window = st.integers(year - 6, year)
    ratings = draw(st.dictionaries(window, st.sampled_from(RATINGS)))
    initiatives = tuple(
        Initiative(f"i{n}", draw(st.just(year) | window), scope, itype)
        for n, (scope, itype) in enumerate(
            draw(st.lists(st.tuples(st.sampled_from(SCOPES), st.sampled_from(INITIATIVE_TYPES)), max_size=4))
        )
    )
    ids = [i.id for i in initiatives]
    used = st.lists(st.sampled_from(ids), max_size=2, unique=True) if ids else st.just([])
    records = tuple(
        AwardRecord(code, y, kind, None, tuple(u))
        for code, y, kind, u in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(codes) | _AWARD,
                    st.just(year) | window,
                    st.sampled_from(["cong_trang", "cong_trang", "dot_xuat", "chuyen_de"]),
                    used,
                ),
                max_size=8,
            )
        )
    )
    stats = {}
    if draw(st.booleans()):
        total = draw(st.integers(0, 12))
        stats[year] = MemberStats(
            total, *(draw(st.one_of(st.none(), st.integers(0, total))) for _ in range(4))
        )
    return Candidate(
        "a",
        ratings=ratings,
        awards=records,
        initiatives=initiatives,
        member_stats=stats,
        bloc_roles=draw(st.dictionaries(st.just(year), st.sampled_from(["leader", "deputy", "member"]))),
        armed_forces=draw(st.one_of(st.none(), st.booleans())),
        bloc_led=draw(st.dictionaries(st.just(year), st.booleans())),
    )


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # The checks with the most logic (initiatives: one initiative, one use) are drawn more often.
    check=st.sampled_from([*sorted(CHECK_PARAMS), "initiatives", "initiatives", "yearly_run"]).flatmap(
        lambda c: st.tuples(st.just(c), CHECK_PARAMS[c])
    ),
    year=st.integers(2016, 2026),
    data=st.data(),
    min_year=st.one_of(st.none(), st.integers(2012, 2026)),
    excluded=st.sampled_from([frozenset(), frozenset({"dot_xuat", "chuyen_de"})])
    | st.frozensets(st.sampled_from(COMMENDATION_KINDS)),
)
def test_every_check_with_any_parameters_gives_the_same_outcome_on_both_paths(
    check: tuple[str, dict[str, Any]], year: int, data: Any, min_year: int | None, excluded: frozenset[str]
) -> None:
    """Parameters beyond those of the shipped rulebook too (a later data change must not split them)."""
    name, params = check
    award = data.draw(_AWARD)
    candidate = data.draw(
        around(year, [award, params.get("award", award), *params.get("awards", ()), *params.get("since", ())])
    )
    spec = ConditionSpec("c", name, params, Citation("Điều thử"))
    # With and without the next-period rule (a principle of the regime) the two paths must agree.
    names = (
        Names(MODEL.names.names, MODEL.names.categories, {"next_period": Citation("Điều thử")})
        if data.draw(st.booleans())
        else MODEL.names
    )
    compiled = compile_check(spec, names, None)
    history = History(candidate, min_year)
    movement = data.draw(movements())
    view = history.merit_view(excluded) if excluded else history.all_years
    context = EvalContext(history, award, year, view, excluded, movement)
    assert compiled.test is not None
    facts = Facts(candidate, year, min_year, excluded, movement)
    assert compiled.test(facts, award) == compiled.fn(context).met


def _force(check: Any, outcome: bool | None) -> None:
    constant = Cond(check, outcome, None)
    check.fn = lambda ev: constant
    check.test = lambda facts, award: outcome


def test_every_outcome_of_every_rulebook_plan_gives_the_same_verdict_on_both_paths() -> None:
    """The rule that turns condition outcomes into a verdict, exhaustively: every plan of the rulebook
    (each regime, recipient, kind and award) with every combination of met / failed / unknown of its
    mechanical checks, including those the data rarely produces (a common condition unknown beside a
    route met, an unknown route before a met one)."""
    ev = engine.Evaluator(load_library("mau-bac-ninh"))  # its checks are overwritten: not shared
    combinations = 0
    for as_of in (date(2020, 1, 20), date(2024, 6, 1), date(2026, 1, 20)):
        rules = ev.rules_on(as_of)
        for recipient in RECIPIENT_KINDS:
            candidate = Candidate("c", kind=recipient)
            for kind in COMMENDATION_KINDS:
                for code in ev.library.catalogue:
                    key = (rules.key, code, recipient, kind)
                    plan = ev.plan(rules, code, recipient, kind)
                    routes = tuple((route, route_checks) for route, route_checks, *_ in plan.routes)
                    checks = [*plan.common, *(c for _route, route_checks in routes for c in route_checks)]
                    mechanical = [c for c in checks if c.mechanical]
                    for outcomes in product((True, False, None), repeat=len(mechanical)):
                        for check, outcome in zip(mechanical, outcomes, strict=True):
                            _force(check, outcome)
                        # A plan keeps the fast checks it was compiled with: compile its fast form again.
                        ev._plans[key] = engine.Plan(
                            rules,
                            plan.checks,
                            plan.award,
                            plan.gate,
                            plan.common,
                            routes,
                            plan.excluded,
                            kind,
                        )
                        ev._by_question.clear()
                        ev._suites.clear()
                        fast = ev.verdicts(candidate, [code], as_of.year - 1, as_of, kind)
                        result = ev.evaluate(candidate, code, as_of.year - 1, as_of, kind)
                        assert fast == [(result.verdict, result.route)], (key, outcomes)
                        combinations += 1
    assert combinations > 1000


def test_a_blocked_candidate_is_ineligible_for_every_award_on_both_paths() -> None:
    base = Candidate("p", ratings={2024: "HTXSNV", 2025: "HTXSNV"}, awards=(AwardRecord("LDTT", 2025),))
    as_of = date(2026, 1, 20)
    frozen = replace(base, pending=(Pending("Đang xác minh", date(2025, 12, 1)),))
    disciplined = replace(base, discipline=(Discipline(date(2025, 3, 1), None, "khien_trach"),))
    for candidate in (frozen, disciplined):
        fast = MODEL.verdicts(candidate, CODES, 2025, as_of)
        assert fast == [(engine.INELIGIBLE, None)] * len(CODES)
        assert all(
            MODEL.evaluate(candidate, code, 2025, as_of).verdict == engine.INELIGIBLE for code in CODES
        )


def test_the_route_met_is_the_first_one_met() -> None:
    candidate = Candidate("p", ratings={2025: "HTXSNV"}, awards=(AwardRecord("LDTT", 2025),))
    [(verdict, route)] = MODEL.verdicts(candidate, ["CSTDCS"], 2025, date(2026, 1, 20))
    result = MODEL.evaluate(candidate, "CSTDCS", 2025, date(2026, 1, 20))
    assert (verdict, route) == (result.verdict, result.route) == (engine.ELIGIBLE, "htxsnv")
