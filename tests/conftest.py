from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.factories import make_authority, make_person, make_unit, make_user
from tests.otp import mark_verified
from thidua.accounts import two_factor
from thidua.accounts.models import Role
from thidua.organisation.models import UnitKind

# Every test runs on this clock, so a result never depends on the day the suite runs (a year-end season,
# a deadline in working days, "last year"). The browser tests keep the real clock: the browser's cookies
# expire by its own time, not the server's.
FIXED_NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
# The day the fixed clock stands on, in the product's time zone: what assertions compare dates with.
FIXED_TODAY = FIXED_NOW.date()


@pytest.fixture(autouse=True)
def _fixed_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is deliberately slow; tests need the behaviour, not the cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run `thidua worker` inside the suite's own process, which must keep its priority.
    settings.THIDUA_WORKER_NICE = 0


@pytest.fixture(autouse=True)
def _force_login_passes_both_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login` stands for the whole login: it skips the password (and Axes) and, for an
    account whose role requires a second factor, the code as well, with a device enrolled for it. The
    second factor's own tests log in through the pages (tests/accounts/test_two_factor.py)."""
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        if two_factor.otp_required(user):
            mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    # Background tasks (imports) run inside the request, so a test sees their outcome at once; the tests of
    # the queue itself switch back to DATABASE_TASKS and run the worker.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    """A small tree: the provincial committee, two departments, each with people."""
    ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
    make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd)
    clinic = make_unit("Khoa Nội", parent=health, kind=UnitKind.SUB_UNIT)
    education = make_unit("Sở Giáo dục và Đào tạo", parent=ubnd)
    return {
        "ubnd": ubnd,
        "health": health,
        "clinic": clinic,
        "education": education,
        "health_person": make_person(health, "Nguyễn Văn Đức", identity_number="012345678901"),
        "clinic_person": make_person(clinic, "Lò Thị Mai", gender="female", ethnicity="Thái"),
        "education_person": make_person(education, "Trần Thị Hoa", gender="female"),
    }


@pytest.fixture
def users(province: dict[str, Any]) -> dict[str, Any]:
    return {
        "health_officer": make_user("canbo.yte", Role.UNIT_OFFICER, province["health"]),
        "education_officer": make_user("canbo.gd", Role.UNIT_OFFICER, province["education"]),
        "specialist": make_user("chuyenvien", Role.BOARD_SPECIALIST, province["ubnd"]),
        "council": make_user("hoidong", Role.COUNCIL_MEMBER, province["ubnd"]),
        "admin": make_user("quantri", Role.ADMINISTRATOR, province["ubnd"]),
    }


@pytest.fixture
def client_for(client: Client) -> Callable[[Any], Client]:
    """A test client logged in as the given user (force_login skips Axes, which needs a request, and the
    second factor: see _force_login_passes_both_factors)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login
