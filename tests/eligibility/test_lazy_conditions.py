"""The explanation of a result is built only when read: `evaluate` and `explain` decide the verdict and
the route from the outcomes of the checks, and build no condition until `conditions` is read; reading
them gives the same conditions, texts and route statuses whenever and in whatever order they are read.
The golden files (tests/eligibility/cases) hold the texts as they were before the conditions were lazy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from tests.eligibility.test_fast_path import MODEL, questions
from tests.eligibility.test_properties import CODES, SETTINGS
from thidua.eligibility import bench, engine
from thidua.eligibility.conditions import Cond, fixed_check
from thidua.eligibility.model import AwardRecord, Candidate
from thidua.eligibility.rulebook import Citation

AS_OF = date(2026, 1, 20)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the conditions the engine builds from now on."""
    built = [0]
    real = engine.Cond

    def counted(*args: Any) -> Cond:
        built[0] += 1
        return real(*args)

    monkeypatch.setattr(engine, "Cond", counted)
    return built


def test_evaluate_and_explain_build_no_condition_until_one_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    candidates = bench.generate(40, seed=5)
    # No discipline and no pending review: those are the person's, built once with the standing.
    candidates = [c for c in candidates if not c.discipline and not c.pending]
    MODEL.explain(candidates[0], CODES, 2025, AS_OF)  # plans compiled first
    built = _counting(monkeypatch)
    explained = [r for c in candidates for r in MODEL.explain(c, CODES, 2025, AS_OF)]
    alone = [MODEL.evaluate(c, code, 2025, AS_OF) for c in candidates for code in CODES]
    verdicts = [(r.verdict, r.route) for r in (*explained, *alone)]
    assert built[0] == 0 and all(r._conditions is None for r in (*explained, *alone))
    assert {v for v, _route in verdicts} == {engine.ELIGIBLE, engine.INELIGIBLE, engine.NEEDS_REVIEW}

    first = explained[0].conditions
    assert explained[0].conditions is first, "built once, then the result's own list"
    read = [r.as_dict() for r in explained]
    assert built[0] > 0
    assert read == [r.as_dict() for r in alone]
    # Reading changed no verdict nor route.
    assert [(r.verdict, r.route) for r in (*explained, *alone)] == verdicts


@SETTINGS
@given(question=questions())
def test_conditions_read_late_or_in_any_order_are_those_read_at_once(question: Any) -> None:
    ev, candidate, awards, year, as_of, kind, movement = question
    at_once = []
    for code in awards:
        result = ev.evaluate(candidate, code, year, as_of, kind, movement=movement)
        at_once.append(result.as_dict())
    histories: dict[Any, Any] = {}
    late = [ev.evaluate(candidate, code, year, as_of, kind, histories, movement) for code in awards]
    together = ev.explain(candidate, awards, year, as_of, kind, movement)
    for results in (late, together):
        # Read last to first: what one result reads of the standing never changes another's reading.
        backwards = [r.as_dict() for r in reversed(results)]
        assert backwards[::-1] == at_once
    # The status of each route and the conditions agree with the verdict: the route met is among the
    # routes, and an eligible result shows only its conditions.
    for result in together:
        statuses = {route.id: status for route, status in result.routes}
        if result.route is not None:
            assert statuses[result.route] == engine.ROUTE_MET
            assert all(c.check.route in (None, result.route) for c in result.conditions)


def test_conditions_stay_writable_and_a_batch_check_appends_to_the_read_list() -> None:
    candidate = Candidate("p", ratings={2025: "HTXSNV"}, awards=(AwardRecord("LDTT", 2025),))
    result = MODEL.evaluate(candidate, "CSTDCS", 2025, AS_OF)
    assert (result.verdict, result.route) == (engine.ELIGIBLE, "htxsnv")
    codes = [c.code for c in result.conditions]
    extra = Cond(fixed_check("quota_x", Citation("x", (), False), lambda met, args: "x"), None, None)
    result.conditions.append(extra)
    assert [c.code for c in result.conditions] == [*codes, extra.code]
    result.conditions = [extra]
    assert result.conditions == [extra]
    result.verdict, result.route = engine.NEEDS_REVIEW, None
    assert result.as_dict()["verdict"] == engine.NEEDS_REVIEW and result.as_dict()["route"] is None
    # Written before any reading: the written list is kept, nothing is built over it.
    fresh = MODEL.evaluate(candidate, "CSTDCS", 2025, AS_OF)
    fresh.conditions = []
    assert fresh.conditions == [] and fresh.confirmed and fresh.as_dict()["conditions"] == []
