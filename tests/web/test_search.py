from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_award, make_person, make_unit
from thidua.awards.selectors import search
from thidua.awards.services import decision_get_or_create
from thidua.organisation.models import Person
from thidua.organisation.services import household_create

SEARCH = reverse("awards:search")


def test_search_ignores_diacritics(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    for query in ("nguyen van duc", "duc", "Nguyễn Văn Đức", "đức", "DUC NGUYEN"):
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200
        people = response.context["results"].people.items
        assert [p.full_name for p in people] == ["Nguyễn Văn Đức"], query
    page = client.get(SEARCH, {"q": "duc"}).text
    # The tone-insensitive highlight marks the accented letters of the match.
    assert "<mark>Đức</mark>" in page
    assert reverse("organisation:person_detail", args=[province["health_person"].pk]) in page


def test_d_with_stroke_folds_to_d(province: dict, users: dict) -> None:
    make_person(province["education"], "Đào Thị Đông")
    results = search(user=users["specialist"], query="đong")
    assert [p.full_name for p in results.people.items] == ["Đào Thị Đông"]
    assert search(user=users["specialist"], query="dao dong").people.count == 1


def test_search_finds_units_households_and_decisions(province: dict, users: dict) -> None:
    commune = make_unit("Xã Dào San", kind="commune", parent=province["ubnd"])
    household_create(actor=None, code="H001", head_name="Giàng A Dào", unit=commune, village="Bản Tả Phìn")
    decision_get_or_create(
        actor=None,
        number="88/QĐ-UBND",
        date=dt.date(2025, 1, 10),
        issuing_authority="UBND tỉnh Lai Châu",
        summary="Về việc tặng Bằng khen cho xã Dào San",
    )
    results = search(user=users["specialist"], query="dao san")
    assert [u.name for u in results.units.items] == ["Xã Dào San"]
    assert [d.number for d in results.decisions.items] == ["88/QĐ-UBND"]
    assert search(user=users["specialist"], query="ta phin").households.count == 1


def test_search_of_unit_officer_never_shows_another_units_records(
    province: dict, users: dict, client_for: Any
) -> None:
    make_person(province["education"], "Nguyễn Văn Đức")
    other_decision = make_award(province["education_person"], number="7/QĐ-SGD").decision
    own_decision = make_award(province["health_person"], number="9/QĐ-SYT").decision
    client = client_for(users["health_officer"])
    results = client.get(SEARCH, {"q": "nguyen van duc"}).context["results"]
    assert [p.unit for p in results.people.items] == [province["health"]]
    assert results.people.count == 1
    units = client.get(SEARCH, {"q": "so"}).context["results"].units.items
    assert province["education"] not in units
    assert province["health"] in units
    decisions = client.get(SEARCH, {"q": "qd"}).context["results"].decisions.items
    assert own_decision in decisions
    assert other_decision not in decisions
    # A province-wide user sees both.
    specialist = search(user=users["specialist"], query="nguyen van duc")
    assert specialist.people.count == 2


def test_sections_are_limited_with_total_count(province: dict, users: dict) -> None:
    for i in range(25):
        make_person(province["health"], f"Nguyễn Văn Tâm{chr(ord('a') + i)}")
    results = search(user=users["specialist"], query="tam", limit=20)
    assert len(results.people.items) == 20
    assert results.people.count == 25
    assert results.people.has_more
    # The first twenty in the Vietnamese collation order, not the first twenty found.
    every = sorted(Person.objects.filter(search_text__contains="tam"), key=lambda p: (p.sort_key, p.pk))
    assert results.people.items == every[:20]


def test_one_and_two_letter_words_match_anywhere_like_longer_ones(province: dict, users: dict) -> None:
    """Words too short for the trigram index ("lo", "a") are matched without it, with the same meaning:
    the letters occur somewhere in the folded text."""
    make_person(province["health"], "Lò Văn Pả")
    make_person(province["health"], "Giàng A Páo")
    make_person(province["education"], "Vàng Seo Lử")
    specialist = users["specialist"]
    assert [p.full_name for p in search(user=specialist, query="lo pa").people.items] == ["Lò Văn Pả"]
    assert [p.full_name for p in search(user=specialist, query="giang a").people.items] == ["Giàng A Páo"]
    assert {p.full_name for p in search(user=specialist, query="pa").people.items} == {
        "Lò Văn Pả",
        "Giàng A Páo",
    }
    # Inside a word as well: "ao" in "Páo", "u" in "Lử".
    assert [p.full_name for p in search(user=specialist, query="ao giang").people.items] == ["Giàng A Páo"]
    assert [p.full_name for p in search(user=specialist, query="seo u").people.items] == ["Vàng Seo Lử"]
    # A percent sign or underscore is a letter to find, not a wildcard.
    assert search(user=specialist, query="%").total == 0
    assert search(user=specialist, query="_a").total == 0


def test_empty_and_unmatched_queries(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    assert "Nhập họ tên" in client.get(SEARCH).text
    page = client.get(SEARCH, {"q": "khong ai ten nay"}).text
    assert "Không tìm thấy kết quả cho “khong ai ten nay”" in page


def test_htmx_request_gets_only_the_results_fragment(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    response = client.get(SEARCH, {"q": "duc"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Nguyễn Văn" in response.text
    assert "HX-Request" in response["Vary"]
    full = client.get(SEARCH, {"q": "duc"})
    assert "<html" in full.text
    assert 'hx-get="/khen-thuong/tra-cuu/"' in full.text
    # Without JavaScript the same box is a plain GET form.
    assert 'method="get" action="/khen-thuong/tra-cuu/"' in full.text


@pytest.mark.parametrize("user_key", ["specialist", "health_officer"])
def test_search_query_count_does_not_grow_with_results(
    province: dict, users: dict, client_for: Any, user_key: str
) -> None:
    client = client_for(users[user_key])
    make_award(province["health_person"])
    household_create(actor=None, code="HN", head_name="Nguyễn Văn Hộ", unit=province["health"])
    client.get(SEARCH, {"q": "nguyen"})  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "nguyen"})
    for i in range(30):
        person = make_person(province["health"], f"Nguyễn Văn Bình{i}")
        make_award(person)
        household_create(actor=None, code=f"HN{i}", head_name=f"Nguyễn Văn Hộ{i}", unit=province["health"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(SEARCH, {"q": "nguyen"})
    assert response.context["results"].people.count == 31
    assert response.context["results"].households.count == 31
    # A section with hits reads their ids, then the rows shown; an empty one stops at the ids.
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 12


def test_count_stops_at_the_cap_for_common_names(
    client: Any, users: dict, settings: Any, monkeypatch: Any
) -> None:
    from thidua.awards import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 25)
    unit = make_unit("Trường Tiểu học Tả Phìn")
    for index in range(30):
        make_person(unit, f"Hà Văn {chr(ord('A') + index % 26)}{index}")
    results = selectors.search(user=users["specialist"], query="ha van")
    assert results.people.count == 25
    assert results.people.capped
    assert results.people.count_label == "25+"
    client.force_login(users["specialist"])
    page = client.get("/khen-thuong/tra-cuu/", {"q": "ha van"})
    assert "25+" in page.text
    assert "Tìm thấy hơn" in page.text
