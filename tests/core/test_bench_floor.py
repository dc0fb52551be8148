"""The load test's two floors: /healthz for public pages, an empty page behind the login for staff pages
(served only when a benchmark turns THIDUA_BENCH_VIEWS on), and how each page group is judged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from loadtest.run import SIGNED_IN_FLOOR, judged


@pytest.mark.django_db
def test_the_signed_in_bare_view_is_not_served_by_default(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for(users["specialist"]).get("/do-hieu-nang/trang-tran/").status_code == 404


@pytest.mark.django_db
def test_the_signed_in_bare_view_needs_a_login_and_does_nothing_else(
    users: dict[str, Any], client_for: Callable[[Any], Client], settings: Any
) -> None:
    settings.THIDUA_BENCH_VIEWS = True
    answer = Client().get("/do-hieu-nang/trang-tran/")
    assert answer.status_code == 302 and answer["Location"].startswith("/tai-khoan/dang-nhap/")
    answer = client_for(users["health_officer"]).get("/do-hieu-nang/trang-tran/")
    assert (answer.status_code, answer.content) == (200, b"ok")


def test_staff_pages_are_judged_against_the_signed_in_floor_public_ones_against_healthz() -> None:
    out = judged(
        {
            "healthz": {"p50": 1.0, "p95": 1.5},
            SIGNED_IN_FLOOR: {"p50": 3.0, "p95": 4.0},
            "trang công khai": {"p50": 2.0, "p95": 3.0},
            "tổng quan (Ban)": {"p50": 36.0, "p95": 40.0},
        }
    )
    assert (out["trang công khai"]["floor"], out["trang công khai"]["ratio"]) == ("healthz", 2.0)
    assert (out["tổng quan (Ban)"]["floor"], out["tổng quan (Ban)"]["ratio"]) == (SIGNED_IN_FLOOR, 12.0)
    assert out["tổng quan (Ban)"]["ratio_healthz"] == 36.0


def test_without_the_signed_in_floor_every_page_is_judged_against_healthz() -> None:
    # A commit from before the signed-in floor (a --ref run).
    out = judged({"healthz": {"p50": 2.0, "p95": 2.0}, "tra cứu": {"p50": 30.0, "p95": 35.0}})
    assert (out["tra cứu"]["floor"], out["tra cứu"]["ratio"]) == ("healthz", 15.0)
