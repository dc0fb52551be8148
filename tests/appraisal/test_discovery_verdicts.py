"""Discovery asks the verdict-only path first and explains only the rows it shows: the rows are exactly
those whose explained verdict is eligible, with the reasons of the explained result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.appraisal.test_discovery import make_eligible
from tests.factories import make_award, make_person
from thidua.appraisal import candidates, discovery
from thidua.awards.services import rating_set
from thidua.eligibility.engine import ELIGIBLE, default_evaluator
from thidua.organisation.models import Person


def test_discovery_rows_are_the_explained_eligible_verdicts(province: dict, users: dict) -> None:
    make_eligible(province["health"], "Trần Văn Bình")
    held = make_eligible(province["health"], "Lê Thị Hoa")
    make_award(held, "CSTDCS", 2025)  # already holds it: not listed for it
    plain = make_person(province["education"], "Ngô Văn Nam")
    rating_set(actor=None, subject=plain, year=2025, rating="HTNV")
    as_of = dt.date(2026, 1, 20)
    found = discovery.discovery(
        user=users["specialist"], filters=discovery.DiscoveryFilters(year=2025), as_of=as_of
    )

    evaluator = default_evaluator()
    ladders = discovery._ladders(evaluator.library)
    people = list(Person.objects.filter(is_active=True).order_by("sort_key", "id"))
    expected: list[tuple[str, str, list[str]]] = []
    for person, candidate in zip(people, candidates.candidates_for_people(people), strict=True):
        held_order: dict[str, int] = {}
        for record in candidate.awards:
            ladder = ladders.get(record.award)
            if record.year == 2025 and ladder is not None:
                held_order[ladder.category] = max(held_order.get(ladder.category, -1), ladder.order)
        for code in discovery.discovery_codes():
            if ladders[code].order <= held_order.get(ladders[code].category, -1):
                continue
            result = evaluator.evaluate(candidate, code, 2025, as_of, "cong_trang")
            if result.verdict == ELIGIBLE:
                reasons = [
                    c.found_text
                    for c in result.conditions
                    if c.mechanical and c.met and c.code not in discovery._NOT_REASONS
                ]
                expected.append((person.full_name, code, reasons))
    got: list[Any] = [(r.person.full_name, r.award, r.reasons) for r in found.rows]
    assert got == expected
    assert ("Trần Văn Bình", "CSTDCS") in {(name, code) for name, code, _ in got}
    assert ("Lê Thị Hoa", "CSTDCS") not in {(name, code) for name, code, _ in got}
