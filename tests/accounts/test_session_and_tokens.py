"""Passwords of 12 characters, the idle timeout, API keys that expire and are revoked with the password or
a lock-out, the keys' page, and the API documentation behind the login (issue 13, item 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from thidua.accounts.models import ApiToken
from thidua.accounts.tokens import token_create, token_user
from thidua.core.models import AuditLog

PASSWORD = "mat-khau-thu-nghiem-1"


def _change_password(client: Client, new: str) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_a_password_of_eleven_characters_is_refused_and_twelve_accepted(
    client_for: Callable[[Any], Client], users: dict[str, Any]
) -> None:
    officer = users["health_officer"]
    client = client_for(officer)
    short = _change_password(client, "Ngan-qua-11")
    assert len("Ngan-qua-11") == 11
    assert short.status_code == 200
    assert "12" in " ".join(short.context["form"].errors["new_password2"])
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    with pytest.raises(ValidationError):
        validate_password("Ngan-qua-11", officer)
    validate_password("Du-muoi-hai!", officer)
    assert _change_password(client, "Du-muoi-hai!").status_code == 302


def test_an_idle_session_is_logged_out_with_a_message(
    client_for: Callable[[Any], Client], users: dict[str, Any], settings: Any
) -> None:
    assert settings.THIDUA_IDLE_TIMEOUT_MINUTES == 30
    client = client_for(users["health_officer"])
    dashboard = reverse("core:dashboard")
    assert client.get(dashboard).status_code == 200
    # Active every 20 minutes: the session lives on past 30 minutes from the login.
    with time_machine.travel(dt.timedelta(minutes=20), tick=True):
        assert client.get(dashboard).status_code == 200
    with time_machine.travel(dt.timedelta(minutes=40), tick=True):
        assert client.get(dashboard).status_code == 200
    # Then 31 minutes without a request.
    with time_machine.travel(dt.timedelta(minutes=71), tick=True):
        answer = client.get(dashboard)
        assert answer.status_code == 302
        assert answer["Location"] == reverse("accounts:login") + "?next=%2Ftong-quan%2F"
        assert not client.session.get("_auth_user_id")
        login_page = client.get(answer["Location"]).text
        assert "Phiên làm việc đã hết hạn do không hoạt động quá 30 phút" in login_page
        assert client.get(dashboard).status_code == 302


def test_the_timeout_comes_from_the_setting(
    client_for: Callable[[Any], Client], users: dict[str, Any], settings: Any
) -> None:
    settings.THIDUA_IDLE_TIMEOUT_MINUTES = 5
    client = client_for(users["health_officer"])
    assert client.get(reverse("core:dashboard")).status_code == 200
    with time_machine.travel(dt.timedelta(minutes=6), tick=True):
        assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_token_expires_after_ninety_days(users: dict[str, Any], client: Client, settings: Any) -> None:
    assert settings.THIDUA_API_TOKEN_DAYS == 90
    token, raw = token_create(actor=None, user=users["health_officer"], name="Phần mềm văn bản")
    assert token.expires_at is not None
    assert abs(token.expires_at - token.created_at - dt.timedelta(days=90)) < dt.timedelta(seconds=1)
    headers = {"Authorization": f"Bearer {raw}"}
    with time_machine.travel(dt.timedelta(days=89), tick=True):
        assert token_user(raw) == users["health_officer"]
        assert client.get("/api/dossiers", headers=headers).status_code == 200
    with time_machine.travel(dt.timedelta(days=90, seconds=1), tick=True):
        assert token_user(raw) is None
        assert client.get("/api/dossiers", headers=headers).status_code == 401


def test_changing_the_password_revokes_every_token(
    client_for: Callable[[Any], Client], users: dict[str, Any]
) -> None:
    officer = users["health_officer"]
    _t1, first = token_create(actor=None, user=officer, name="Một")
    _t2, second = token_create(actor=None, user=officer, name="Hai")
    _t3, others = token_create(actor=None, user=users["education_officer"], name="Của người khác")
    assert _change_password(client_for(officer), "Mot-mat-khau-moi-9").status_code == 302
    assert token_user(first) is None and token_user(second) is None
    assert token_user(others) == users["education_officer"]
    assert AuditLog.objects.filter(action="api_token_revoke", extra__reason="password_change").count() == 2


def test_a_password_set_elsewhere_revokes_too_but_a_login_does_not(
    users: dict[str, Any], client: Client
) -> None:
    officer = users["health_officer"]
    _token, raw = token_create(actor=None, user=officer, name="Một")
    # A login (which may re-hash the password with a newer hasher) keeps the keys.
    assert (
        client.post(reverse("accounts:login"), {"username": "canbo.yte", "password": PASSWORD}).status_code
        == 302
    )
    officer.refresh_from_db()
    officer.full_name = "Tên mới"
    officer.save()
    assert token_user(raw) == officer
    officer.set_password("Mat-khau-do-quan-tri-dat")
    officer.save()
    assert token_user(raw) is None


def test_a_lock_out_revokes_the_accounts_tokens(client: Client, users: dict[str, Any], settings: Any) -> None:
    officer = users["health_officer"]
    _token, raw = token_create(actor=None, user=officer, name="Một")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "canbo.yte", "password": "sai"})
    assert token_user(raw) is None
    assert AuditLog.objects.filter(action="api_token_revoke", extra__reason="lockout").count() == 1


def test_the_tokens_page_lists_and_revokes_ones_own_and_the_administrator_sees_all(
    client_for: Callable[[Any], Client], users: dict[str, Any]
) -> None:
    officer, other = users["health_officer"], users["education_officer"]
    mine, raw = token_create(actor=None, user=officer, name="Khóa của tôi")
    theirs, their_raw = token_create(actor=None, user=other, name="Khóa người khác")
    client = client_for(officer)
    page = client.get(reverse("accounts:tokens")).text
    assert "Khóa của tôi" in page and "Khóa người khác" not in page
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert token_user(their_raw) == other
    client.post(reverse("accounts:token_revoke", args=[mine.pk]))
    assert token_user(raw) is None

    created = client.post(reverse("accounts:tokens"), {"name": "Phần mềm mới"})
    shown = created.context["created"]
    assert token_user(shown) == officer
    assert ApiToken.objects.get(name="Phần mềm mới").expires_at is not None

    admin = Client()
    admin_page = client_for(users["admin"]).get(reverse("accounts:tokens")).text
    assert "Khóa người khác" in admin_page and "Khóa của tôi" in admin_page
    del admin


def test_the_administrator_revokes_anyones_token(
    client_for: Callable[[Any], Client], users: dict[str, Any]
) -> None:
    token, raw = token_create(actor=None, user=users["education_officer"], name="Khóa bị lộ")
    client_for(users["admin"]).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert token_user(raw) is None


def test_the_api_documentation_needs_a_login(client: Client, client_for: Any, users: dict[str, Any]) -> None:
    anonymous = client.get("/api/docs")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    assert client_for(users["health_officer"]).get("/api/docs").status_code == 200
