"""The demo plan, in memory: deterministic, true to the award chains, realistic names and units."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import pytest

from thidua.accounts.models import Role
from thidua.demo import data as D
from thidua.demo.generator import Plan, bonus_amount, build_plan
from thidua.eligibility.bonus import BonusError, bonus
from thidua.eligibility.rulebook import load_library


@pytest.fixture(scope="module")
def plan() -> Plan:
    # Large enough that every link of the chains occurs, small enough to build in under a second. (At
    # 2,000 people the rare CSTĐ cấp tỉnh occurred once: a change of the random stream lost it.)
    return build_plan(3000, seed=11)


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    first, second = build_plan(200, seed=5), build_plan(200, seed=5)
    assert first == second
    assert first.digest() == second.digest()
    assert build_plan(200, seed=6).digest() != first.digest()


def test_head_count_is_exact() -> None:
    assert len(build_plan(137, seed=1).people) == 137


def _awards_by_person(plan: Plan) -> dict[int, dict[str, list[int]]]:
    result: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for a in plan.awards:
        if a.person is not None and a.kind == "cong_trang":
            result[a.person][a.award].append(a.year)
    return result


def test_every_link_of_the_chains_occurs(plan: Plan) -> None:
    counts = plan.award_counts()
    for code in ("LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3", "TTLDTT", "TTLDXS", "CO_TINH"):
        assert counts.get(code, 0) > 0, code
    assert counts["CSTDCS"] < 0.3 * counts["LDTT"]


def test_award_chains_hold_for_every_person(plan: Plan) -> None:
    ratings = {(r.person, r.year): r.rating for r in plan.ratings if r.person is not None}
    initiatives = plan.initiatives
    links = {
        (a.person, a.award, a.year): a.initiatives
        for a in plan.awards
        if a.person is not None and a.initiatives
    }
    for person, awards in _awards_by_person(plan).items():
        ldtt = set(awards["LDTT"])
        cstdcs = set(awards["CSTDCS"])
        for year in cstdcs:
            assert year in ldtt, (person, year)
            used = links.get((person, "CSTDCS", year), ())
            own_initiative = any(initiatives[i].year == year for i in used)
            assert ratings[(person, year)] == "HTXSNV" or own_initiative, (person, year)
        for year in awards["CSTD_TINH"]:
            assert {year - 2, year - 1, year} <= cstdcs, (person, year)
            used = links[(person, "CSTD_TINH", year)]
            assert any(initiatives[i].scope in ("tinh", "toan_quoc") for i in used)
        for year in awards["BK_TTG"]:
            earlier = [b for b in awards["BK_TINH"] if b <= year - 5]
            assert earlier, (person, year)
            if min(earlier) >= D.FIRST_YEAR:
                assert len([c for c in cstdcs if max(earlier) < c <= year]) >= 3
        for year in awards["HCLD3"]:
            assert any(t <= year - 5 for t in awards["BK_TTG"]), (person, year)


def test_an_initiative_is_used_once(plan: Plan) -> None:
    uses = Counter(i for a in plan.awards for i in a.initiatives)
    assert uses
    assert max(uses.values()) == 1


def test_no_award_in_a_year_of_discipline(plan: Plan) -> None:
    assert plan.disciplines
    merit = {(a.person, a.year) for a in plan.awards if a.person is not None}
    for d in plan.disciplines:
        assert (d.person, d.start_date.year) not in merit
        assert d.end_date > d.start_date


def test_names_in_vietnamese_order_with_minority_families(plan: Plan) -> None:
    ethnicities = Counter(p.ethnicity for p in plan.people)
    for ethnicity in ("Kinh", "Thái", "Mông", "Dao", "Hà Nhì"):
        assert ethnicities[ethnicity] > 0, ethnicity
    assert sum(n for e, n in ethnicities.items() if e != "Kinh") > 0.4 * len(plan.people)
    for p in plan.people:
        families = [name for name, _weight in D.NAMES[p.ethnicity]["families"]]
        # Family name first, then the middle name, then the given name.
        assert p.family_name in families, p
        pool = D.NAMES[p.ethnicity]
        middles = pool["middle_female" if p.gender == "female" else "middle_male"]
        assert p.middle_name in middles, p
    families = Counter(p.family_name for p in plan.people)
    for family in ("Nguyễn", "Lò", "Giàng", "Tẩn"):
        assert families[family] > 0, family
    women = sum(p.gender == "female" for p in plan.people) / len(plan.people)
    assert 0.4 < women < 0.6


def test_identity_numbers_are_valid_and_unique(plan: Plan) -> None:
    numbers = [p.identity_number for p in plan.people]
    assert len(set(numbers)) == len(numbers)
    for p in plan.people:
        n = p.identity_number
        assert len(n) == 12 and n.isdigit() and n.startswith("012")
        century = 0 if p.birth_date.year < 2000 else 2
        assert int(n[3]) == century + (p.gender == "female")
        assert n[4:6] == f"{p.birth_date.year % 100:02d}"
        assert dt.date(1965, 1, 1) <= p.birth_date <= dt.date(2002, 12, 31)


def test_units_after_the_2025_reform(plan: Plan) -> None:
    by_code = {u.code: u for u in plan.units}
    assert by_code["LC"].kind == "provincial_committee" and by_code["LC"].parent is None
    communes = [u for u in plan.units if u.kind in ("commune", "ward")]
    assert len(communes) == 38
    assert sum(u.kind == "ward" for u in communes) == 2
    assert any(u.is_border for u in communes) and any(u.is_especially_difficult for u in communes)
    districts = [u for u in plan.units if u.kind == "district"]
    assert len(districts) == 8
    for district in districts:
        assert district.valid_to == dt.date(2025, 6, 30)
        assert by_code[district.successor].kind in ("commune", "ward")
    assert not any("Công an" in u.name for u in plan.units)
    assert len({u.code for u in plan.units}) == len(plan.units)
    # Parents come before their children, so the loader can write the tree level by level.
    seen: set[str] = set()
    for unit in plan.units:
        assert unit.parent is None or unit.parent in seen
        seen.add(unit.code)


def test_blocs_have_one_leader_and_one_deputy_a_year(plan: Plan) -> None:
    roles = Counter((m.bloc, m.year, m.role) for m in plan.memberships)
    for bloc in plan.blocs:
        years = {m.year for m in plan.memberships if m.bloc == bloc.code}
        assert years
        for year in years:
            assert roles[(bloc.code, year, "leader")] == 1
            assert roles[(bloc.code, year, "deputy")] == 1


def test_every_role_has_a_demo_login(plan: Plan) -> None:
    assert {u.role for u in plan.users} == set(Role.values)
    unit_codes = {u.code for u in plan.units}
    assert all(u.unit in unit_codes for u in plan.users)


def test_decisions_are_numbered_and_dated_after_the_year(plan: Plan) -> None:
    keys = [(d.number, d.date, d.issuing_authority) for d in plan.decisions]
    assert len(set(keys)) == len(keys)
    for a in plan.awards:
        decision = plan.decisions[a.decision]
        assert decision.date.year >= a.year
        if a.award in ("LDTT", "CSTDCS", "CSTD_TINH"):
            assert decision.date.year == a.year + 1 and decision.date.month <= 3
    assert any(d.issuing_authority == "Thủ tướng Chính phủ" for d in plan.decisions)


def test_the_demo_pays_what_the_rulebook_gives() -> None:
    """The demo keeps no copy of the law: every award's bonus is the engine's amount for that award,
    recipient and decision date, computed independently here (coefficient × base salary, rounded up)."""
    plan = build_plan(400, seed=3)
    library = load_library()
    for a in plan.awards:
        day = plan.decisions[a.decision].date
        recipient = "individual" if a.person is not None else "household" if a.household else "collective"
        try:
            expected: int | None = bonus(library, a.award, recipient, day).amount
        except BonusError:
            expected = None
        assert a.bonus == expected, (a.award, recipient, day)
    # Nghị định 152/2025 Điều 50: LĐTT 0,3 × 2.340.000 đ = 702.000 đ, rounded up to 710.000 đ (Điều 49).
    assert bonus_amount("LDTT", "individual", dt.date(2025, 12, 1)) == 710_000
    # Nghị định 98/2023 Điều 54: 0,3 × 1.800.000 đ.
    assert bonus_amount("LDTT", "individual", dt.date(2024, 1, 15)) == 540_000
    # No table of the old regime was read, so nothing is paid rather than a guess.
    assert bonus_amount("CSTDCS", "individual", dt.date(2020, 1, 20)) is None


def test_everyone_has_a_position_and_a_few_moved_in_past_years(plan: Plan) -> None:
    by_person: dict[int, list] = defaultdict(list)
    for p in plan.positions:
        by_person[p.person].append(p)
    assert sorted(by_person) == list(range(len(plan.people)))
    kinds = {u.code: u.kind for u in plan.units}
    movers = 0
    for index, rows in by_person.items():
        rows.sort(key=lambda p: p.start_date)
        # The last position is held now, at the person's unit; every earlier one ends the day before the next.
        assert rows[-1].end_date is None and rows[-1].unit == plan.people[index].unit
        for earlier, later in itertools.pairwise(rows):
            assert earlier.end_date == later.start_date - dt.timedelta(days=1)
            assert earlier.unit != later.unit and kinds[earlier.unit] == kinds[later.unit]
            assert D.FIRST_YEAR < later.start_date.year < D.LAST_YEAR
        movers += len(rows) > 1
    assert movers >= 3
