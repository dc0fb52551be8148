"""Groupings and caches keyed finely enough (the class of bug of 7b76f09: a cache keyed too coarsely
answered for the wrong candidate)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from thidua.eligibility import engine
from thidua.eligibility.model import AwardRecord, Candidate, CheckRequest, Initiative, Question
from thidua.eligibility.rulebook import DATA_DIR, load_library

SECOND_QUOTA = """
# A second cap, for the test only: CSTT at most half of the unit's LĐTT.
[quota.CSTT]
of = "LDTT"
max_ratio = 0.5
basis = "Quy định thử"
"""


def test_each_quota_of_a_regime_counts_only_its_own_award(tmp_path: Path) -> None:
    """The batch check grouped results by (regime, unit, year): with two capped awards in one unit and
    year, the second award's results were counted against the first award's cap."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    regime = data / "regime-vn-2013.toml"
    text = regime.read_text(encoding="utf-8")
    marker = "# Titles for individuals"
    regime.write_text(text.replace(marker, SECOND_QUOTA + "\n" + marker, 1), encoding="utf-8")
    evaluator = engine.Evaluator(load_library("mau-bac-ninh", data_dir=data))
    as_of = date(2017, 1, 20)
    cstdcs = Candidate(
        "a",
        unit="u",
        ratings={2016: "HTXSNV"},
        awards=(AwardRecord("LDTT", 2016),),
        initiatives=(Initiative("i1", 2016, "co_so"),),
    )
    cstt = Candidate("b", unit="u", ratings={2016: "HTTNV"}, armed_forces=True)
    base = [
        Candidate(f"c{n}", unit="u", ratings={2016: "HTTNV"}, awards=(AwardRecord("LDTT", 2016),))
        for n in range(3)
    ]
    request = CheckRequest(
        as_of,
        (cstdcs, cstt, *base),
        (Question("a", "CSTDCS", 2016, as_of), Question("b", "CSTT", 2016, as_of)),
    )
    answer = engine.check(request, evaluator)
    by_award = {c["award"]: c for c in answer["batch_checks"]}
    assert set(by_award) == {"CSTDCS", "CSTT"}
    assert by_award["CSTDCS"]["candidates"] == ["a"]
    assert by_award["CSTT"]["candidates"] == ["b"]
    # 1 CSTĐ cơ sở of 4 LĐTT is over 15%: the unit must choose; 1 CSTT of 5 is within 50%.
    assert (by_award["CSTDCS"]["met"], by_award["CSTT"]["met"]) == (False, True)
    assert [r["verdict"] for r in answer["results"]] == [engine.NEEDS_REVIEW, engine.ELIGIBLE]


def test_a_person_and_a_collective_with_the_same_id_keep_their_own_unit_in_the_quota() -> None:
    """The web takes candidate ids from three tables (person 5 and unit 5 may share a dossier): the
    batch check looked candidates up by id alone, so the person was read as the collective, found no
    unit and lost the quota check."""
    from tests.eligibility.helpers import evaluator

    ev = evaluator()
    as_of = date(2017, 1, 20)
    person = Candidate(
        "5",
        unit="u",
        ratings={2016: "HTXSNV"},
        awards=(AwardRecord("LDTT", 2016),),
        initiatives=(Initiative("i1", 2016, "co_so"),),
    )
    colleagues = [
        Candidate(f"c{n}", unit="u", ratings={2016: "HTTNV"}, awards=(AwardRecord("LDTT", 2016),))
        for n in range(9)
    ]
    collective = Candidate("5", kind="collective", ratings={2016: "HTXSNV"})
    results = [
        ev.evaluate(person, "CSTDCS", 2016, as_of),
        ev.evaluate(collective, "TTLDTT", 2016, as_of),
    ]
    assert results[0].verdict == engine.ELIGIBLE
    checks = engine.quota_checks(results, [person, *colleagues, collective], ev)
    assert [(c["unit"], c["candidates"], c["base"]) for c in checks] == [("u", ["5"], 10)]
    assert "quota_unit_unknown" not in {c.code for c in results[0].conditions}
