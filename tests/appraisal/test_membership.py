"""Member statistics by the membership of each year (quá trình công tác), not by where people work now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_award, make_person, make_unit
from thidua.appraisal import candidates, panel
from thidua.awards.services import rating_set
from thidua.eligibility.engine import INELIGIBLE
from thidua.organisation.models import Person, PositionHistory, UnitKind
from thidua.organisation.services import person_move


def rate(person: Any, *years: int, rating: str = "HTTNV") -> None:
    for year in years:
        rating_set(actor=None, subject=person, year=year, rating=rating)


def totals(stats: dict[int, dict[int, Any]], unit: Any) -> dict[int, tuple[int, int, int]]:
    return {year: (s.total, s.ldtt, s.completed_tasks) for year, s in sorted(stats.get(unit.pk, {}).items())}


def test_each_year_counts_the_people_of_that_year(province: dict) -> None:
    dept = make_unit("Sở Xây dựng")
    office = make_unit("Phòng Quản lý nhà", parent=dept, kind=UnitKind.SUB_UNIT)
    other = make_unit("Sở Công Thương")

    stayer = make_person(dept, "Lò Văn Một", start_date=dt.date(2020, 1, 1))
    # Leaves the office for the other department in the middle of 2024: 31/12/2024 finds them there.
    mover = make_person(office, "Lò Văn Hai", start_date=dt.date(2019, 3, 1))
    person_move(actor=None, person=mover, unit=other, start_date=dt.date(2024, 7, 1))
    # Joins the department on the day of the 2025 review itself.
    joiner = make_person(other, "Lò Văn Ba", start_date=dt.date(2018, 5, 2))
    person_move(actor=None, person=joiner, unit=dept, start_date=dt.date(2025, 12, 31))
    # Retires during 2024: counted in 2024 where they last worked, not at all in 2025.
    leaver = make_person(dept, "Lò Văn Bốn", start_date=dt.date(2015, 9, 1))
    PositionHistory.objects.filter(person=leaver).update(end_date=dt.date(2024, 6, 30))
    Person.objects.filter(pk=leaver.pk).update(is_active=False)
    # Entered before positions were kept: the current unit, every year.
    legacy = make_person(office, "Lò Văn Năm")
    PositionHistory.objects.filter(person=legacy).delete()
    # Left, no position recorded: only in the years of their own ratings, at their last unit.
    gone = make_person(other, "Lò Văn Sáu")
    PositionHistory.objects.filter(person=gone).delete()
    Person.objects.filter(pk=gone.pk).update(is_active=False)

    for person in (stayer, mover, joiner, legacy):
        rate(person, 2023, 2024, 2025)
    rate(leaver, 2023)
    rate(leaver, 2024, rating="KHTNV")
    rate(gone, 2023)
    for year in (2023, 2024, 2025):
        make_award(stayer, "LDTT", year)
        make_award(mover, "LDTT", year)
    make_award(joiner, "CSTDCS", 2025)

    stats = candidates.member_stats_for_units([dept, office, other])

    # (members, LĐTT, completed tasks), worked out by hand from the stories above.
    assert totals(stats, dept) == {
        2023: (4, 2, 4),  # stayer, mover (in the office), leaver, legacy (in the office)
        2024: (3, 1, 2),  # stayer, leaver (rated not completed), legacy
        2025: (3, 2, 3),  # stayer, joiner (CSTĐ cơ sở counts as LĐTT), legacy
    }
    assert totals(stats, office) == {2023: (2, 1, 2), 2024: (1, 0, 1), 2025: (1, 0, 1)}
    assert totals(stats, other) == {
        2023: (2, 0, 2),  # joiner, gone
        2024: (2, 1, 2),  # mover, joiner
        2025: (1, 1, 1),  # mover
    }
    assert stats[dept.pk][2025].cstdcs == 1 and stats[other.pk][2025].cstdcs == 0


def test_a_mover_counts_where_they_were_and_changes_the_collective_verdict(
    province: dict, users: dict
) -> None:
    """Four people in the unit in 2023, three of them LĐTT (one CSTĐ cơ sở, who has since left): 75%.
    Read by where people work now, the one who left is gone and a 2025 newcomer without LĐTT in 2023 is
    counted instead: 2 of 4, and no CSTĐ cơ sở; both titles would be refused."""
    unit = make_unit("Sở Tư pháp", parent=province["ubnd"])
    elsewhere = make_unit("Sở Nội vụ", parent=province["ubnd"])
    since = dt.date(2020, 1, 1)
    first, second = make_person(unit, "Vàng A Dế", start_date=since), make_person(unit, "Vàng A Sử")
    star = make_person(unit, "Vàng Thị Mỷ", gender="female", start_date=since)
    plain = make_person(unit, "Vàng A Páo", start_date=since)
    newcomer = make_person(elsewhere, "Tẩn Văn Lở", start_date=since)
    person_move(actor=None, person=star, unit=elsewhere, start_date=dt.date(2024, 3, 1))
    person_move(actor=None, person=newcomer, unit=unit, start_date=dt.date(2025, 2, 1))
    for person in (first, second, star, plain):
        rate(person, 2023, rating="HTXSNV")
    rate(newcomer, 2023, rating="HTNV")
    make_award(first, "LDTT", 2023)
    make_award(second, "LDTT", 2023)
    make_award(star, "CSTDCS", 2023)
    rating_set(actor=None, subject=unit, year=2023, rating="HTXSNV")

    stats = candidates.candidate_for_unit(unit).member_stats[2023]
    assert (stats.total, stats.ldtt, stats.cstdcs, stats.completed_tasks) == (4, 3, 1, 4)
    assert stats.disciplined_canh_cao_or_above == 0

    report = panel.eligibility_for(
        user=users["specialist"], subject=unit, as_of=dt.date(2024, 3, 1), year=2023
    )
    checks = {c.code: c for c in report.checks}
    for code in ("TTLDTT", "TTLDXS"):
        lines = [line for group in checks[code].groups for line in group.conditions]
        ratio = next(line for line in lines if "Lao động tiên tiến" in line.text and "/" in line.text)
        assert ratio.met is True and "3/4" in ratio.text, (code, ratio.text)
        assert checks[code].verdict != INELIGIBLE, code
    lines = [line for group in checks["TTLDXS"].groups for line in group.conditions]
    assert any(line.met and "Chiến sĩ thi đua cơ sở" in line.text for line in lines)


def test_member_statistics_cost_the_same_queries_for_one_unit_or_many(province: dict) -> None:
    small = make_unit("Sở Du lịch")
    large = [make_unit(f"Sở thứ {i}") for i in range(4)]
    rate(make_person(small, "Nguyễn Văn Lẻ", start_date=dt.date(2020, 1, 1)), 2024, 2025)
    for i, unit in enumerate(large):
        for k in range(5):
            person = make_person(unit, f"Nguyễn Văn Đông{i}{k}", start_date=dt.date(2019, 1, 1))
            rate(person, 2024, 2025)
            make_award(person, "LDTT", 2024)
            if k == 0:
                person_move(actor=None, person=person, unit=small, start_date=dt.date(2025, 4, 1))

    with CaptureQueriesContext(connection) as one:
        few = candidates.member_stats_for_units([small])
    with CaptureQueriesContext(connection) as many:
        all_of_them = candidates.member_stats_for_units([small, *large])
    # The people, their positions, ratings, awards and discipline: one query each.
    assert len(one) == len(many) == 5
    assert few[small.pk][2025].total == 5 and few[small.pk][2024].total == 1
    assert all_of_them[large[0].pk][2024].total == 5 and all_of_them[large[0].pk][2025].total == 4
