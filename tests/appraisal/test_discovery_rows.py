"""The discovery's fast path against the engine asked directly: the rows are those of the engine's verdicts
on histories read straight from the registry, whatever the history; the people of the rows are read a chunk
at a time; the bridge keeps the registry's order of award records."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.appraisal.test_discovery import make_eligible
from tests.factories import make_award, make_person, make_unit
from thidua.appraisal import candidates, discovery
from thidua.awards.models import AwardRecord, AwardType, Discipline, Initiative, Investigation, YearlyRating
from thidua.awards.services import discipline_create, initiative_create, investigation_open, rating_set
from thidua.core import http
from thidua.core.memory import cyclic_gc_paused
from thidua.eligibility.engine import ELIGIBLE, default_evaluator
from thidua.eligibility.model import AwardRecord as EngineAward
from thidua.eligibility.model import Candidate, Pending
from thidua.eligibility.model import Discipline as EngineDiscipline
from thidua.eligibility.model import Initiative as EngineInitiative
from thidua.organisation.models import Person, UnitKind

AS_OF = dt.date(2026, 1, 20)
YEAR = 2025


def by_hand(person: Person) -> Candidate:
    """The person's engine candidate read row by row through the ORM, without the bulk bridge."""
    awards = []
    for record in AwardRecord.objects.filter(person=person, revoked_on__isnull=True).select_related(
        "award_type", "decision"
    ):
        used = tuple(str(pk) for pk in record.initiatives.order_by("pk").values_list("pk", flat=True))
        awards.append(
            EngineAward(record.award_type.code, record.year, record.kind, record.decision.date, used)
        )
    return Candidate(
        id=str(person.pk),
        kind="individual",
        gender=person.gender or None,
        unit=str(person.unit_id),
        ratings={r.year: r.rating for r in YearlyRating.objects.filter(person=person)},
        awards=tuple(awards),
        initiatives=tuple(
            EngineInitiative(str(i.pk), i.year, i.scope, i.type)
            for i in Initiative.objects.filter(person=person)
        ),
        discipline=tuple(
            EngineDiscipline(d.start_date, d.end_date, d.level)
            for d in Discipline.objects.filter(person=person)
        ),
        pending=tuple(
            Pending(reason=i.reason, since=i.since, until=i.closed_on)
            for i in Investigation.objects.filter(person=person)
        ),
    )


def expected_rows(people: list[Person]) -> list[tuple[Any, ...]]:
    """Every (person, award) the engine finds eligible, above what the person holds for the year, asked one
    award at a time with the full explanation."""
    evaluator = default_evaluator()
    ladders = discovery._ladders(evaluator.library)
    out = []
    for person in people:
        candidate = by_hand(person)
        held: dict[str, int] = {}
        for record in candidate.awards:
            ladder = ladders.get(record.award)
            if record.year == YEAR and ladder is not None:
                held[ladder.category] = max(held.get(ladder.category, -1), ladder.order)
        for code in discovery.discovery_codes():
            if ladders[code].order <= held.get(ladders[code].category, -1):
                continue
            result = evaluator.evaluate(candidate, code, YEAR, AS_OF, "cong_trang")
            if result.verdict != ELIGIBLE:
                continue
            reasons = [
                c.found_text
                for c in result.conditions
                if c.mechanical and c.met and c.code not in discovery._NOT_REASONS
            ]
            judgments = sum(1 for c in result.conditions if not c.mechanical)
            out.append((person.pk, code, ladders[code].name, reasons, judgments, result.confirmed))
    return out


def cstdcs_years(person: Person, years: range) -> None:
    for year in years:
        make_award(person, "LDTT", year)
        make_award(person, "CSTDCS", year)
        rating_set(actor=None, subject=person, year=year, rating="HTXSNV")


@pytest.fixture
def histories(province: dict) -> dict[str, Person]:
    """People whose histories take every branch of the bridge and of the discovery's filter."""
    highland = make_unit("Xã Pa Tần", parent=province["health"], kind=UnitKind.COMMUNE, is_highland=True)
    people = {
        "plain": make_eligible(province["health"], "Trần Văn Bình"),
        "highland": make_eligible(highland, "Lò Thị Xuân", gender="female"),
        "holds_cstdcs": make_eligible(province["education"], "Lê Thị Hoa", gender="female"),
        "three_years": make_person(province["health"], "Nguyễn Văn Cường"),
        "initiatives": make_person(province["clinic"], "Vàng A Dơ"),
        "after_discipline": make_eligible(province["health"], "Phạm Văn Đông"),
        "frozen": make_eligible(province["education"], "Hoàng Thị Én", gender="female"),
        "other_kind": make_person(province["health"], "Đỗ Văn Giang"),
        "revoked": make_eligible(province["clinic"], "Bùi Thị Hằng", gender="female"),
        "used_up": make_person(province["clinic"], "Sùng A Páo"),
    }
    # A plain Giấy khen of the year first, so records alike that differ only in their initiatives follow.
    make_award(people["highland"], "GK", YEAR)
    make_award(people["holds_cstdcs"], "CSTDCS", YEAR)
    # Three consecutive years of CSTĐ cơ sở, with initiatives of provincial scope.
    cstdcs_years(people["three_years"], range(2021, 2026))
    for year in (2023, 2025):
        initiative_create(
            actor=None, title=f"Sáng kiến {year}", year=year, scope="tinh", person=people["three_years"]
        )
    # One initiative already used by an award, another still free.
    used = initiative_create(
        actor=None, title="Bệnh án điện tử", year=YEAR, scope="co_so", person=people["initiatives"]
    )
    initiative_create(
        actor=None, title="Số hóa hồ sơ", year=YEAR, scope="co_so", person=people["initiatives"]
    )
    make_award(people["initiatives"], "LDTT", YEAR)
    make_award(people["initiatives"], "GK", YEAR, initiatives=[used])
    rating_set(actor=None, subject=people["initiatives"], year=YEAR, rating="HTXSNV")
    # LĐTT and an initiative would make CSTĐ cơ sở, but his only initiative was used for his Giấy khen.
    spent = initiative_create(
        actor=None, title="Phần mềm lịch trực", year=YEAR, scope="co_so", person=people["used_up"]
    )
    make_award(people["used_up"], "LDTT", YEAR)
    make_award(people["used_up"], "GK", YEAR, initiatives=[spent])
    rating_set(actor=None, subject=people["used_up"], year=YEAR, rating="HTTNV")
    discipline_create(
        actor=None,
        person=people["after_discipline"],
        level="khien_trach",
        start_date=dt.date(2023, 6, 1),
        end_date=dt.date(2024, 5, 31),
    )
    investigation_open(
        actor=None, person=people["frozen"], reason="Xác minh đơn thư", since=dt.date(2026, 1, 5)
    )
    # A thematic LĐTT and a sudden Giấy khen: not of the yearly appraisal.
    make_award(people["other_kind"], "LDTT", YEAR, kind="chuyen_de")
    make_award(people["other_kind"], "GK", YEAR, kind="dot_xuat")
    rating_set(actor=None, subject=people["other_kind"], year=YEAR, rating="HTXSNV")
    # The same award twice in a year from two decisions, and a revoked CSTĐ cơ sở.
    make_award(people["revoked"], "GK", YEAR)
    make_award(people["revoked"], "GK", YEAR, kind="dot_xuat")
    revoked = make_award(people["revoked"], "CSTDCS", YEAR)
    AwardRecord.objects.filter(pk=revoked.pk).update(revoked_on=dt.date(2026, 1, 10))
    return people


def test_rows_are_the_engine_verdicts_on_histories_read_by_hand(
    histories: dict[str, Person], users: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows read their people a few at a time: every row must still get its own.
    monkeypatch.setattr(discovery, "_PEOPLE_CHUNK", 2)
    found = discovery.discovery(
        user=users["specialist"], filters=discovery.DiscoveryFilters(year=YEAR), as_of=AS_OF
    )
    got = [(r.person.pk, r.award, r.award_name, r.reasons, r.judgments, r.confirmed) for r in found.rows]
    people = list(Person.objects.filter(is_active=True).order_by("sort_key", "id"))
    assert got == expected_rows(people)
    assert found.checked == len(people)

    listed = {(pk, code) for pk, code, *_rest in got}
    # The fixture is worth its name: several people and awards listed, and each excluded case excluded.
    assert len({pk for pk, _code in listed}) >= 4
    assert len({code for _pk, code in listed}) >= 2
    assert (histories["plain"].pk, "CSTDCS") in listed
    assert (histories["holds_cstdcs"].pk, "CSTDCS") not in listed
    assert (histories["revoked"].pk, "CSTDCS") in listed
    assert not any(pk == histories["frozen"].pk for pk, _code in listed)
    assert not any(pk == histories["used_up"].pk for pk, _code in listed)
    flags = {r.person.pk: r.area_flags for r in found.rows}
    assert flags[histories["highland"].pk] == ["vùng cao"]
    assert flags[histories["plain"].pk] == []


def test_people_of_the_rows_are_read_a_chunk_at_a_time(
    province: dict, users: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "_PEOPLE_CHUNK", 3)
    unit = make_unit("Sở Công Thương")
    made = [make_eligible(unit, f"Nguyễn Văn Tâm{i}") for i in range(7)]
    found = discovery.discovery(
        user=users["specialist"], filters=discovery.DiscoveryFilters(year=YEAR, unit_id=unit.pk), as_of=AS_OF
    )
    assert len(found.rows) == 7
    with CaptureQueriesContext(connection) as first:
        names = [row.person.full_name for row in found.rows[:3]]
    with CaptureQueriesContext(connection) as rest:
        names += [row.person.full_name for row in found.rows[3:]]
        again = [row.person.pk for row in found.rows]
    assert len(first) == 1
    assert len(rest) == 2
    assert sorted(names) == sorted(p.full_name for p in made)
    assert again == [int(row.candidate.id) for row in found.rows]


def test_bridge_keeps_the_registry_order_with_or_without_decision_dates(province: dict) -> None:
    person = province["health_person"]
    make_award(person, "CSTDCS", 2023)
    make_award(person, "BK_TINH", 2024)
    make_award(person, "LDTT", 2024)
    make_award(person, "GK", 2024)
    make_award(person, "GK", 2024, kind="dot_xuat")
    other = province["clinic_person"]
    make_award(other, "LDTT", 2024)

    full, _other = candidates.candidates_for_people(Person.objects.filter(pk__in=[person.pk, other.pk]))
    lean = candidates.candidates_for_people([person], decision_dates=False)[0]

    records = AwardRecord.objects.filter(person=person)
    expected = sorted(records.values_list("award_type__code", "year", "kind", "decision__date"))
    assert sorted((a.award, a.year, a.kind, a.decision_date) for a in full.awards) == expected
    assert sorted((a.award, a.year, a.kind) for a in lean.awards) == [(c, y, k) for c, y, k, _d in expected]
    assert all(a.decision_date is None for a in lean.awards)
    # The latest year first, then the catalogue's order (two Giấy khen of one year: either first).
    order = dict(AwardType.objects.values_list("code", "order"))
    for candidate in (full, lean):
        ranks = [(-a.year, order[a.award]) for a in candidate.awards]
        assert ranks == sorted(ranks)
        assert [a.award for a in candidate.awards] == ["LDTT", "GK", "GK", "BK_TINH", "CSTDCS"]


def test_the_collector_is_paused_only_inside_and_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), cyclic_gc_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_every_page_reads_its_people_in_one_query(
    province: dict, users: dict, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chunk of people covers a page at least, so no page costs a query per row or more than one.
    assert discovery._PEOPLE_CHUNK >= http.PAGE_SIZE
    monkeypatch.setattr(http, "PAGE_SIZE", 3)
    monkeypatch.setattr(discovery, "_PEOPLE_CHUNK", 3)
    unit = make_unit("Sở Nông nghiệp và Môi trường")
    for i in range(7):
        make_eligible(unit, f"Lò Văn Sáng{i}")
    client = client_for(users["specialist"])
    url = reverse("appraisal:discovery")
    client.get(url, {"year": str(YEAR), "unit": str(unit.pk)})
    counts = []
    shown = []
    for page in ("1", "2", "3"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"year": str(YEAR), "unit": str(unit.pk), "page": page})
        counts.append(len(captured))
        shown += [row.person.full_name for row in response.context["page"].object_list]
    assert counts[0] == counts[1] == counts[2]
    assert sorted(shown) == sorted(f"Lò Văn Sáng{i}" for i in range(7))
