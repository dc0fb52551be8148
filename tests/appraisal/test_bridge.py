"""The bridge from the registry to the eligibility engine, and the verdicts it leads to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_award, make_person, make_unit
from thidua.appraisal import candidates, panel
from thidua.awards.models import Investigation
from thidua.awards.services import discipline_create, initiative_create, investigation_open, rating_set
from thidua.eligibility.engine import ELIGIBLE, INELIGIBLE
from thidua.organisation.models import Bloc, BlocMembership, Person
from thidua.organisation.selectors import person_with_record_flags
from thidua.organisation.services import household_create

AS_OF = dt.date(2026, 3, 1)


def verdict(user: Any, subject: Any, code: str, year: int = 2025, as_of: dt.date = AS_OF) -> Any:
    report = panel.eligibility_for(user=user, subject=subject, as_of=as_of, year=year)
    return next(c for c in report.checks if c.code == code)


def test_candidate_carries_the_registry_history(province: dict) -> None:
    person = province["health_person"]
    used = initiative_create(actor=None, title="Bệnh án điện tử", year=2024, scope="tinh", person=person)
    make_award(person, "CSTDCS", 2024, initiatives=[used])
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    discipline_create(
        actor=None,
        person=person,
        level="canh_cao",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    investigation_open(actor=None, person=person, reason="Xác minh đơn thư", since=dt.date(2026, 2, 1))

    candidate = candidates.candidate_for_person(person)

    assert candidate.kind == "individual"
    assert candidate.unit == str(person.unit_id)
    assert candidate.ratings == {2025: "HTXSNV"}
    by_code = {a.award: a for a in candidate.awards}
    assert by_code["LDTT"].year == 2025 and by_code["LDTT"].kind == "cong_trang"
    assert by_code["LDTT"].decision_date == dt.date(2026, 1, 15)
    assert by_code["CSTDCS"].initiatives_used == (str(used.pk),)
    assert [(i.id, i.year, i.scope, i.type) for i in candidate.initiatives] == [
        (str(used.pk), 2024, "tinh", "sang_kien")
    ]
    assert [(d.start, d.end, d.level) for d in candidate.discipline] == [
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31), "canh_cao")
    ]
    assert [(p.reason, p.since, p.until) for p in candidate.pending] == [
        ("Xác minh đơn thư", dt.date(2026, 2, 1), None)
    ]


def test_one_persons_candidate_is_the_bulk_readers(province: dict) -> None:
    """The profile's panel reads one person by its own path: the same candidate, in the same order."""
    person, other = province["health_person"], province["clinic_person"]
    used = initiative_create(actor=None, title="Bệnh án điện tử", year=2024, scope="tinh", person=person)
    make_award(person, "CSTDCS", 2024, initiatives=[used])
    make_award(person, "LDTT", 2025)
    make_award(person, "LDTT", 2024)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    discipline_create(actor=None, person=person, level="khien_trach", start_date=dt.date(2025, 12, 1))
    investigation_open(actor=None, person=person, reason="Xác minh đơn thư", since=dt.date(2026, 2, 1))
    make_award(other, "LDTT", 2025)

    for someone in (person, other):
        bulk = candidates.candidates_for_people([someone])[0]
        assert candidates.candidate_for_person(someone) == bulk
        flagged = person_with_record_flags(Person.objects.filter(pk=someone.pk)).get()
        assert candidates.candidate_for_person(flagged) == bulk

    # Nothing on record: the flags spare the discipline and investigation queries.
    flagged = person_with_record_flags(Person.objects.filter(pk=other.pk)).get()
    with CaptureQueriesContext(connection) as read:
        candidates.candidate_for_person(flagged)
    assert len(read) == 3


def test_ldtt_and_excellent_rating_make_cstdcs_eligible(province: dict, users: dict) -> None:
    person = province["health_person"]
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")

    check = verdict(users["specialist"], person, "CSTDCS")

    assert check.verdict == ELIGIBLE
    texts = [c.text for c in check.conditions]
    assert any("Lao động tiên tiến" in t for t in texts)
    assert all(c.basis for c in check.conditions)
    assert any("Điều 23" in c.basis for c in check.conditions)


def test_without_ldtt_cstdcs_is_not_eligible_and_the_title_makes_the_difference(
    province: dict, users: dict
) -> None:
    person = province["health_person"]
    # An initiative meets the second route of Điều 23; the LĐTT standard is then the only gap.
    initiative_create(actor=None, title="Quy trình tiếp đón", year=2025, scope="co_so", person=person)
    rating_set(actor=None, subject=person, year=2025, rating="HTNV")

    check = verdict(users["specialist"], person, "CSTDCS")
    assert check.verdict == INELIGIBLE
    failed = [c.text for c in check.conditions if c.met is False]
    assert any("Lao động tiên tiến" in t for t in failed)

    make_award(person, "LDTT", 2025)
    assert verdict(users["specialist"], person, "CSTDCS").verdict == ELIGIBLE


def test_open_investigation_freezes_every_award(province: dict, users: dict) -> None:
    person = province["health_person"]
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    investigation = investigation_open(
        actor=None, person=person, reason="Xác minh đơn thư tố cáo", since=dt.date(2026, 1, 10)
    )

    check = verdict(users["specialist"], person, "CSTDCS")
    assert check.verdict == INELIGIBLE
    frozen = [c for c in check.conditions if c.met is False]
    assert any("Xác minh đơn thư tố cáo" in c.text for c in frozen)
    assert all(
        c.verdict != ELIGIBLE
        for c in panel.eligibility_for(
            user=users["specialist"], subject=person, as_of=AS_OF, year=2025
        ).checks
    )

    # Closed before the appraisal date: no longer a freeze.
    Investigation.objects.filter(pk=investigation.pk).update(closed_on=dt.date(2026, 2, 1))
    assert verdict(users["specialist"], person, "CSTDCS").verdict == ELIGIBLE


def test_discipline_in_force_blocks(province: dict, users: dict) -> None:
    person = province["health_person"]
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    discipline_create(actor=None, person=person, level="khien_trach", start_date=dt.date(2025, 12, 1))
    assert verdict(users["specialist"], person, "CSTDCS").verdict == INELIGIBLE


def test_eligibility_for_refuses_a_subject_outside_the_scope(province: dict, users: dict) -> None:
    with pytest.raises(PermissionDenied):
        panel.eligibility_for(user=users["education_officer"], subject=province["health_person"], as_of=AS_OF)


def test_report_groups_verdicts_and_defaults_to_the_year_before(province: dict, users: dict) -> None:
    report = panel.eligibility_for(user=users["specialist"], subject=province["health_person"], as_of=AS_OF)
    assert report.year == 2025
    assert report.regime.id == "vn-2025"
    assert len(report.eligible) + len(report.needs_review) + len(report.ineligible) == len(report.checks)
    # Every title and form an individual can receive, and none for collectives only.
    codes = {c.code for c in report.checks}
    assert {"LDTT", "CSTDCS", "BK_TINH", "HCLD3"} <= codes
    assert "TTLDTT" not in codes


def test_collective_candidate_has_member_statistics_and_bloc_roles(province: dict) -> None:
    health = province["health"]
    clinic = province["clinic"]
    nurse = make_person(clinic, "Vì Thị Lan", gender="female")
    for person in (province["health_person"], province["clinic_person"], nurse):
        rating_set(actor=None, subject=person, year=2025, rating="HTTNV")
    make_award(province["health_person"], "LDTT", 2025)
    make_award(nurse, "CSTDCS", 2025)
    discipline_create(
        actor=None,
        person=province["clinic_person"],
        level="canh_cao",
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2026, 2, 28),
    )
    rating_set(actor=None, subject=health, year=2025, rating="HTXSNV")
    bloc = Bloc.objects.create(code="K1", name="Khối các sở")
    BlocMembership.objects.create(bloc=bloc, unit=health, year=2025, role="leader")
    make_award(health, "TTLDTT", 2024)

    candidate = candidates.candidate_for_unit(health)

    assert candidate.kind == "collective"
    assert candidate.ratings == {2025: "HTXSNV"}
    assert candidate.bloc_roles == {2025: "leader"}
    assert [(a.award, a.year) for a in candidate.awards] == [("TTLDTT", 2024)]
    stats = candidate.member_stats[2025]
    # The subtree: the department and its clinic.
    assert stats.total == 3
    assert stats.ldtt == 2  # CSTĐ cơ sở implies LĐTT
    assert stats.cstdcs == 1
    assert stats.completed_tasks == 3
    assert stats.disciplined_canh_cao_or_above == 1
    # A year with no data at all is unknown, not zero.
    assert 2023 not in candidate.member_stats
    # The clinic sees only its own people.
    assert candidates.candidate_for_unit(clinic).member_stats[2025].total == 2


def test_bulk_candidates_cost_the_same_queries_for_few_and_many(province: dict) -> None:
    unit = make_unit("Sở Tài chính")
    for i in range(12):
        person = make_person(unit, f"Nguyễn Văn An{i}")
        make_award(person, "LDTT", 2025)
        rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    few = Person.objects.filter(unit=unit).order_by("id")[:2]
    many = Person.objects.filter(unit=unit).order_by("id")
    with CaptureQueriesContext(connection) as small:
        assert len(candidates.candidates_for_people(few)) == 2
    with CaptureQueriesContext(connection) as large:
        built = candidates.candidates_for_people(many)
    assert len(built) == 12
    assert len(small) == len(large)
    assert all(c.ratings == {2025: "HTXSNV"} for c in built)


def test_household_candidate(province: dict) -> None:
    household = household_create(actor=None, code="H1", head_name="Lò Văn Pọm", unit=province["health"])
    make_award(household, "GDVH", 2025)
    candidate = candidates.candidate_for_household(household)
    assert candidate.kind == "household"
    assert [(a.award, a.year) for a in candidate.awards] == [("GDVH", 2025)]
