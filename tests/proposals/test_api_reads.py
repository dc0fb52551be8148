"""The API's reads of what the flow produces: decisions with their lines, the award registry, the
recipients in scope, the catalogue and the caller's authority, each scoped as its page is. Expected
answers are counted straight from the tables, not through the selectors under test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client

from tests.factories import make_award, make_person, make_user
from tests.proposals.test_api import Api
from thidua.accounts.models import Role
from thidua.awards.models import AwardRecord, AwardType
from thidua.core.text import fold
from thidua.organisation.models import Person
from thidua.proposals.models import DecisionSigner

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Any:
    return lambda user: Api(client, user)


def in_unit(unit: Any) -> Q:
    """Records whose recipient lies under `unit`, written out by hand."""
    return (
        Q(person__unit__path__startswith=unit.path)
        | Q(unit__path__startswith=unit.path)
        | Q(household__unit__path__startswith=unit.path)
    )


def all_pages(as_: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = as_.get(path, page=page, **params)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert set(body) == {"items", "count"}
        items += body["items"]
        if len(items) >= body["count"]:
            assert len(items) == body["count"]
            return items
        page += 1


@pytest.fixture
def registry(flow: dict[str, Any]) -> dict[str, Any]:
    """A decision for Sở Y tế only, one for Sở Giáo dục only, and one mixing both (and Khoa Nội)."""
    health_only = AwardRecord.objects.filter(person=flow["health_person"]).first().decision
    education_only = make_award(flow["education_person"], "LDTT", 2024).decision
    mixed = make_award(flow["education_person"], "CSTDCS", 2024, number="99/QĐ-UBND").decision
    make_award(flow["clinic_person"], "CSTDCS", 2024, number="99/QĐ-UBND", bonus_amount=1_000_000)
    make_award(flow["health"], "TTLDTT", 2024, number="99/QĐ-UBND")
    return {"health_only": health_only, "education_only": education_only, "mixed": mixed}


def test_decisions_are_those_with_a_line_in_scope_and_list_only_those_lines(
    api: Any, flow: dict[str, Any], registry: dict[str, Any]
) -> None:
    health, education = flow["health"], flow["education"]
    officer, outsider, specialist = (
        api(flow["health_officer"]),
        api(flow["education_officer"]),
        api(flow["specialist"]),
    )
    expected = set(AwardRecord.objects.filter(in_unit(health)).values_list("decision_id", flat=True))
    assert {d["id"] for d in all_pages(officer, "/decisions")} == expected
    assert registry["education_only"].pk not in expected

    mixed = registry["mixed"]
    row = next(d for d in all_pages(officer, "/decisions") if d["id"] == mixed.pk)
    assert row["line_count"] == AwardRecord.objects.filter(in_unit(health), decision=mixed).count() == 2

    detail = officer.get(f"/decisions/{mixed.pk}").json()
    mine = AwardRecord.objects.filter(in_unit(health), decision=mixed)
    assert sorted(line["id"] for line in detail["lines"]) == sorted(mine.values_list("id", flat=True))
    assert (
        detail["hidden_count"] == AwardRecord.objects.filter(in_unit(education), decision=mixed).count() == 1
    )
    assert detail["total_bonus"] == 1_000_000
    assert {line["recipient"]["kind"] for line in detail["lines"]} == {"individual", "collective"}

    # Another unit's officer: 404 for a decision none of whose lines is theirs, as the page answers.
    missing = outsider.get(f"/decisions/{registry['health_only'].pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert outsider.get(f"/decisions/{mixed.pk}").json()["hidden_count"] == 2

    everything = specialist.get(f"/decisions/{mixed.pk}").json()
    assert len(everything["lines"]) == mixed.records.count() and everything["hidden_count"] == 0
    assert {d["id"] for d in all_pages(specialist, "/decisions")} == set(
        AwardRecord.objects.values_list("decision_id", flat=True)
    )


def test_award_records_are_the_scopes_and_filter_by_recipient_year_award_and_decision(
    api: Any, flow: dict[str, Any], registry: dict[str, Any]
) -> None:
    officer = api(flow["health_officer"])
    mine = AwardRecord.objects.filter(in_unit(flow["health"]))
    assert sorted(r["id"] for r in all_pages(officer, "/award-records")) == sorted(
        mine.values_list("id", flat=True)
    )

    person = flow["health_person"]
    by_person = all_pages(officer, "/award-records", recipient_kind="individual", recipient_id=person.pk)
    assert sorted(r["id"] for r in by_person) == sorted(
        AwardRecord.objects.filter(person=person).values_list("id", flat=True)
    )
    assert all(
        r["recipient"] == {"kind": "individual", "id": person.pk, "name": str(person)} for r in by_person
    )
    assert {r["year"] for r in all_pages(officer, "/award-records", year=2023)} == {2023}
    assert len(all_pages(officer, "/award-records", year=2023)) == mine.filter(year=2023).count()
    cstdcs = all_pages(officer, "/award-records", award_code="CSTDCS")
    assert [r["id"] for r in cstdcs] == list(
        mine.filter(award_type__code="CSTDCS").values_list("id", flat=True)
    )
    on_mixed = all_pages(officer, "/award-records", decision_id=registry["mixed"].pk)
    assert len(on_mixed) == mine.filter(decision=registry["mixed"]).count() == 2
    assert {r["decision"]["number"] for r in on_mixed} == {"99/QĐ-UBND"}

    # Someone outside the scope is not found by naming them.
    other = flow["education_person"]
    assert all_pages(officer, "/award-records", recipient_kind="individual", recipient_id=other.pk) == []
    half = officer.get("/award-records", recipient_id=other.pk)
    assert half.status_code == 400 and half.json()["code"] == "invalid_input"


def test_recipients_are_the_callers_and_found_by_folded_text(api: Any, flow: dict[str, Any]) -> None:
    make_person(flow["education"], "Đỗ Văn Đức")
    officer, outsider = api(flow["health_officer"]), api(flow["education_officer"])
    health = flow["health"]
    expected = Person.objects.filter(unit__path__startswith=health.path)
    assert sorted(p["id"] for p in all_pages(officer, "/recipients")) == sorted(
        expected.values_list("id", flat=True)
    )
    found = all_pages(officer, "/recipients", q="DUC nguyen")
    assert [p["id"] for p in found] == [
        p.pk for p in expected if all(t in fold(p.full_name) for t in ("duc", "nguyen"))
    ]
    assert found[0]["unit"] == {"id": health.pk, "name": health.name}
    assert [p["name"] for p in all_pages(outsider, "/recipients", q="duc")] == ["Đỗ Văn Đức"]
    units = all_pages(officer, "/recipients", kind="collective")
    assert {u["id"] for u in units} == {health.pk, flow["clinic"].pk}
    assert all(u["kind"] == "collective" for u in units)
    assert officer.get("/recipients", kind="khac").status_code == 422


def test_award_types_are_the_whole_catalogue(api: Any, flow: dict[str, Any]) -> None:
    rows = all_pages(api(flow["health_officer"]), "/award-types")
    assert [r["code"] for r in rows] == list(
        AwardType.objects.order_by("order", "code").values_list("code", flat=True)
    )
    bk = next(r for r in rows if r["code"] == "BK_TINH")
    award = AwardType.objects.get(code="BK_TINH")
    assert (bk["name"], bk["level"], bk["category"], bk["recipients"]) == (
        award.name,
        award.level,
        award.category,
        award.recipients,
    )


def test_me_names_the_caller_scope_and_signing_authority(api: Any, flow: dict[str, Any]) -> None:
    officer = api(flow["health_officer"]).get("/me").json()
    assert officer["username"] == "canbo.yte" and officer["role"] == Role.UNIT_OFFICER
    assert officer["unit"] == {"id": flow["health"].pk, "name": "Sở Y tế"}
    assert officer["province_wide"] is False and "Sở Y tế" in officer["scope"]
    assert officer["may_sign_decisions"] is False

    chairman = api(flow["chairman"]).get("/me").json()
    assert chairman["may_sign_decisions"] is True and chairman["signer_title"] == "Chủ tịch"
    assert chairman["province_wide"] is True
    # The administrator holds every permission but does not sign.
    admin = make_user("quantri2", Role.ADMINISTRATOR, flow["ubnd"])
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    assert api(admin).get("/me").json()["may_sign_decisions"] is False
    vice = flow["council"]
    assert api(vice).get("/me").json()["may_sign_decisions"] is False
    DecisionSigner.objects.create(
        user=vice, title="Phó Chủ tịch", valid_from=dt.date(2026, 1, 1), named_by=flow["chairman"]
    )
    assert api(vice).get("/me").json()["signer_title"] == "Phó Chủ tịch"


def test_the_lists_read_a_fixed_number_of_queries_whatever_the_rows(
    api: Any, flow: dict[str, Any], registry: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    specialist = api(flow["specialist"])
    paths = ["/decisions", "/award-records", "/recipients", "/recipients?kind=collective", "/award-types"]
    paths.append(f"/decisions/{registry['mixed'].pk}")

    def counts() -> list[int]:
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert specialist.get(path).status_code == 200
            out.append(len(queries))
        return out

    specialist.get("/me")  # the token's last use is written at most once a minute: not in the counts
    before = counts()
    for i in range(6):
        person = make_person(flow["clinic"], f"Người Thứ {i}")
        make_award(person, "CSTDCS", 2024, number="99/QĐ-UBND")
        make_award(person, "LDTT", 2020 + i)
    assert counts() == before
