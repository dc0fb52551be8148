from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_person, make_unit, make_user
from thidua.accounts.models import Role
from thidua.organisation.models import UnitKind


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is deliberately slow; tests need the behaviour, not the cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    """A small tree: the provincial committee, two departments, each with people."""
    ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
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
    """A test client logged in as the given user (force_login skips Axes, which needs a request)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login
