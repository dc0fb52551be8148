from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from thidua.accounts.scope import scope_q, unit_in_scope
from thidua.organisation.models import Person


def test_unit_officer_scope_covers_own_unit_and_sub_units_only(province: dict, users: dict) -> None:
    officer = users["health_officer"]
    assert unit_in_scope(officer, province["health"])
    assert unit_in_scope(officer, province["clinic"])
    assert not unit_in_scope(officer, province["education"])
    assert not unit_in_scope(officer, province["ubnd"])
    visible = set(Person.objects.filter(scope_q(officer)).values_list("full_name", flat=True))
    assert visible == {"Nguyễn Văn Đức", "Lò Thị Mai"}


def test_province_wide_roles_see_everything(province: dict, users: dict) -> None:
    for role in ("specialist", "council", "admin"):
        assert Person.objects.filter(scope_q(users[role])).count() == 3


def test_person_permission_follows_scope(province: dict, users: dict) -> None:
    officer = users["health_officer"]
    assert officer.has_perm("organisation.view_person", province["clinic_person"])
    assert not officer.has_perm("organisation.view_person", province["education_person"])
    assert users["specialist"].has_perm("organisation.view_person", province["education_person"])


def test_identity_number_right(province: dict, users: dict) -> None:
    person = province["health_person"]
    assert users["specialist"].has_perm("organisation.view_identity_number", person)
    assert users["health_officer"].has_perm("organisation.view_identity_number", person)
    assert not users["education_officer"].has_perm("organisation.view_identity_number", person)
    assert not users["council"].has_perm("organisation.view_identity_number", person)
    assert person.masked_identity_number == "012••••••901"


def test_anonymous_cannot_reach_dashboard(client: Client, db: Any) -> None:
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_then_dashboard_shows_scoped_counts(client: Client, users: dict) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "canbo.yte", "password": "mat-khau-thu-nghiem-1"}
    )
    assert response.status_code == 302
    page = client.get(reverse("core:dashboard"))
    assert page.status_code == 200
    assert "Tổng quan" in page.text
    # Two people in Sở Y tế and its Khoa Nội; the education person is outside the scope.
    assert page.context["person_count"] == 2


def test_wrong_password_message_is_vietnamese(client: Client, users: dict) -> None:
    response = client.post(reverse("accounts:login"), {"username": "canbo.yte", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.text


def test_login_is_throttled_after_repeated_failures(client: Client, users: dict, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "canbo.yte", "password": "sai"})
    locked = client.post(
        reverse("accounts:login"), {"username": "canbo.yte", "password": "mat-khau-thu-nghiem-1"}
    )
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.text
    assert not client.session.get("_auth_user_id")


def test_password_change_requires_old_password(client: Client, users: dict) -> None:
    client.force_login(users["health_officer"])
    bad = client.post(
        reverse("accounts:password_change"),
        {"old_password": "sai", "new_password1": "Mot-mat-khau-moi-9", "new_password2": "Mot-mat-khau-moi-9"},
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["old_password"]
    good = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "mat-khau-thu-nghiem-1",
            "new_password1": "Mot-mat-khau-moi-9",
            "new_password2": "Mot-mat-khau-moi-9",
        },
    )
    assert good.status_code == 302
    users["health_officer"].refresh_from_db()
    assert users["health_officer"].check_password("Mot-mat-khau-moi-9")


@pytest.mark.django_db
def test_production_hasher_is_argon2(settings: Any) -> None:
    from thidua import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = product_settings.PASSWORD_HASHERS
    assert get_hasher().algorithm == "argon2"
