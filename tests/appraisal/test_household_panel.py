"""The eligibility panel on a household's profile: the same fragment and page as for people and units."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_award
from thidua.organisation.services import household_create


def panel_url(household: Any) -> str:
    return reverse("appraisal:household_check", args=[household.pk])


@pytest.fixture
def household(province: dict) -> Any:
    household = household_create(
        actor=None, code="LC-001", head_name="Lò Văn Pọm", unit=province["health"], village="Bản Hon"
    )
    make_award(household, "GDVH", 2025)
    return household


def test_htmx_request_gets_the_fragment_with_verdicts_and_legal_basis(
    household: Any, users: dict, client_for: Any
) -> None:
    response = client_for(users["specialist"]).get(
        panel_url(household), {"year": "2025"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    page = response.text
    assert "<html" not in page
    report = response.context["report"]
    assert report.recipient == "household" and report.year == 2025
    codes = {c.code for c in report.checks}
    # Only what a household can receive: no individual or collective titles.
    assert {"GDVH", "BK_TINH"} <= codes
    assert not codes & {"LDTT", "CSTDCS", "TTLDTT"}
    # Every check lands in one of the three verdict groups, each shown with its heading.
    grouped = [c for _code, _label, checks in report.sections for c in checks]
    assert len(grouped) == len(report.checks)
    for _code, label, checks in report.sections:
        if checks:
            assert label in page
    lines = [line for check in report.checks for line in check.conditions]
    assert any(line.text and ("Điều" in line.basis or "Nghị định" in line.basis) for line in lines)
    assert any(escape(line.basis) in page for line in lines if "Điều" in line.basis)
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page
    assert "cần người thẩm định đánh giá" in page
    # The GDVH of 2025 is on record, so the panel says so.
    assert next(c for c in report.checks if c.code == "GDVH").held
    assert "đã được tặng năm 2025" in page


def test_plain_request_gets_a_full_page_back_to_the_household(
    household: Any, users: dict, client_for: Any
) -> None:
    response = client_for(users["specialist"]).get(panel_url(household))
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    page = response.text
    assert "<html" in page
    assert "Kiểm tra điều kiện khen thưởng" in page
    assert reverse("organisation:household_detail", args=[household.pk]) in page
    assert reverse("organisation:household_list") in page
    assert 'name="year"' in page


def test_unit_officer_gets_404_for_another_units_household(
    household: Any, province: dict, users: dict, client_for: Any
) -> None:
    outsider = client_for(users["education_officer"])
    assert outsider.get(panel_url(household)).status_code == 404
    assert outsider.get(panel_url(household), HTTP_HX_REQUEST="true").status_code == 404
    assert client_for(users["health_officer"]).get(panel_url(household)).status_code == 200


def test_missing_household_is_404(users: dict, client_for: Any) -> None:
    url = reverse("appraisal:household_check", args=[999999])
    assert client_for(users["specialist"]).get(url).status_code == 404


def test_household_profile_offers_the_panel_with_a_no_js_fallback(
    household: Any, users: dict, client_for: Any
) -> None:
    page = client_for(users["health_officer"]).get(
        reverse("organisation:household_detail", args=[household.pk])
    )
    assert page.status_code == 200
    url = panel_url(household)
    assert f'href="{url}"' in page.text and f'hx-get="{url}"' in page.text
    assert 'id="eligibility-panel"' in page.text


def test_anonymous_is_sent_to_login(household: Any, client: Any) -> None:
    response = client.get(panel_url(household))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
