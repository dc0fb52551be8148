"""The eligibility panel on profiles: fragment for htmx, full page otherwise, scoped like the profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_award, make_user
from thidua.accounts.models import Role
from thidua.awards.services import investigation_open, rating_set


def panel_url(person: Any) -> str:
    return reverse("appraisal:person_check", args=[person.pk])


@pytest.fixture
def eligible_person(province: dict) -> Any:
    person = province["health_person"]
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    return person


def test_htmx_request_gets_the_fragment_with_conditions_and_articles(
    eligible_person: Any, users: dict, client_for: Any
) -> None:
    response = client_for(users["specialist"]).get(
        panel_url(eligible_person), {"year": "2025"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.text
    assert "<html" not in page
    assert "Chiến sĩ thi đua cơ sở" in page
    assert "Đủ điều kiện" in page and "Chưa đủ điều kiện" in page
    assert "Điều 23" in page  # the legal basis of each condition
    assert "✓" in page and "✗" in page
    assert "cần người thẩm định đánh giá" in page
    assert "HX-Request" in response["Vary"]
    report = response.context["report"]
    assert report.year == 2025
    assert next(c for c in report.checks if c.code == "CSTDCS").verdict == "eligible"


def test_plain_request_gets_a_full_page(eligible_person: Any, users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(panel_url(eligible_person))
    assert response.status_code == 200
    assert "<html" in response.text
    assert "Kiểm tra điều kiện khen thưởng" in response.text
    assert reverse("organisation:person_detail", args=[eligible_person.pk]) in response.text
    # The year selector re-targets the same URL.
    assert 'name="year"' in response.text


def test_unit_officer_gets_404_for_another_units_person(province: dict, users: dict, client_for: Any) -> None:
    officer = client_for(users["education_officer"])
    assert officer.get(panel_url(province["health_person"])).status_code == 404
    assert officer.get(panel_url(province["health_person"]), HTTP_HX_REQUEST="true").status_code == 404
    assert officer.get(panel_url(province["education_person"])).status_code == 200
    # Sub-units are inside the officer's scope, as on the profile.
    assert client_for(users["health_officer"]).get(panel_url(province["clinic_person"])).status_code == 200


def test_unit_panel_is_scoped_and_shows_collective_titles(
    province: dict, users: dict, client_for: Any
) -> None:
    url = reverse("appraisal:unit_check", args=[province["health"].pk])
    assert client_for(users["education_officer"]).get(url).status_code == 404
    response = client_for(users["health_officer"]).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Tập thể lao động tiên tiến" in response.text
    codes = {c.code for c in response.context["report"].checks}
    assert "TTLDTT" in codes and "CSTDCS" not in codes


def test_missing_person_is_404(users: dict, client_for: Any) -> None:
    assert (
        client_for(users["specialist"]).get(reverse("appraisal:person_check", args=[999999])).status_code
        == 404
    )


def test_a_year_after_today_falls_back_to_the_default(
    eligible_person: Any, users: dict, client_for: Any
) -> None:
    response = client_for(users["specialist"]).get(panel_url(eligible_person), {"year": "3000"})
    report = response.context["report"]
    # The year under review: the current year from 1 November, when the model layer's year-end season
    # opens, else the previous one.
    as_of = report.as_of
    assert report.year == (as_of.year if (as_of.month, as_of.day) >= (11, 1) else as_of.year - 1)


def test_profiles_offer_the_panel_with_a_no_js_fallback(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    person = province["health_person"]
    page = client.get(reverse("organisation:person_detail", args=[person.pk])).text
    url = panel_url(person)
    assert f'href="{url}"' in page and f'hx-get="{url}"' in page
    unit_page = client.get(reverse("organisation:unit_detail", args=[province["health"].pk])).text
    assert reverse("appraisal:unit_check", args=[province["health"].pk]) in unit_page


def test_anonymous_is_sent_to_login(province: dict, client: Any) -> None:
    login = reverse("accounts:login")
    for url in (
        panel_url(province["health_person"]),
        reverse("appraisal:unit_check", args=[province["health"].pk]),
        reverse("appraisal:discovery"),
        reverse("appraisal:rulebook"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)


def test_navigation_shows_discovery_only_to_allowed_roles(
    province: dict, users: dict, client_for: Any
) -> None:
    discovery = reverse("appraisal:discovery")
    rulebook = reverse("appraisal:rulebook")
    page = client_for(users["specialist"]).get(reverse("core:dashboard")).text
    assert discovery in page and rulebook in page
    leader = make_user("khoitruong", Role.BLOC_LEADER, province["health"])
    page = client_for(leader).get(reverse("core:dashboard")).text
    assert discovery not in page and rulebook in page


def test_a_freeze_is_shown_once_on_top_and_blocks_every_award(
    eligible_person: Any, users: dict, client_for: Any
) -> None:
    investigation_open(
        actor=None, person=eligible_person, reason="Xác minh đơn thư tố cáo", since=dt.date(2026, 1, 10)
    )
    response = client_for(users["specialist"]).get(
        panel_url(eligible_person), {"year": "2025"}, HTTP_HX_REQUEST="true"
    )
    report = response.context["report"]
    assert report.frozen
    assert not report.eligible and not report.needs_review
    assert "Chưa xét khen thưởng" in response.text and "Xác minh đơn thư tố cáo" in response.text


def test_awards_already_on_record_for_the_year_are_marked(
    eligible_person: Any, users: dict, client_for: Any
) -> None:
    response = client_for(users["specialist"]).get(panel_url(eligible_person), {"year": "2025"})
    report = response.context["report"]
    held = {c.code for c in report.checks if c.held}
    assert held == {"LDTT"}
    assert "đã được tặng năm 2025" in response.text
    # The "not frozen" line is the same for every award: listed once, above them.
    assert [line.met for line in report.general] == [True]
    general_text = report.general[0].text
    assert all(line.text != general_text for check in report.checks for line in check.conditions)
