"""The second factor (issue 13, item 6): who must have one, the code after the password, enrolment,
recovery codes, and the admin site."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user
from tests.otp import code, enrol
from thidua.accounts import two_factor
from thidua.accounts.models import Role
from thidua.core.models import AuditLog

PASSWORD = "mat-khau-thu-nghiem-1"
REQUIRED = ("specialist", "council", "admin")


def _password_login(client: Client, username: str) -> Any:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password is right"
    return response


@pytest.mark.parametrize("who", REQUIRED)
def test_a_required_role_without_a_device_is_sent_to_enrolment_from_every_page(
    client: Client, users: dict[str, Any], who: str
) -> None:
    _password_login(client, users[who].username)
    for url in (reverse("core:dashboard"), reverse("proposals:list"), "/quan-tri/", "/api/docs"):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(reverse("accounts:otp_enrol")), url


def test_the_chairman_is_required_and_a_unit_officer_is_not(users: dict[str, Any], province: Any) -> None:
    chairman = make_user("chutich", Role.CHAIRMAN, province["ubnd"])
    head = make_user("thutruong", Role.UNIT_HEAD, province["health"])
    assert two_factor.otp_required(chairman)
    assert not two_factor.otp_required(users["health_officer"]) and not two_factor.otp_required(head)
    # An account of another role that reaches the admin site needs it too.
    head.is_staff = True
    assert two_factor.otp_required(head)


def test_a_unit_officer_without_a_device_goes_straight_in(client: Client, users: dict[str, Any]) -> None:
    _password_login(client, "canbo.yte")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_with_a_device_a_valid_code_opens_the_dashboard_and_a_wrong_one_does_not(
    client: Client, users: dict[str, Any]
) -> None:
    device = enrol(users["specialist"])
    answer = _password_login(client, "chuyenvien")
    assert client.get(answer["Location"])["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp_verify"))

    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert refused.status_code == 400
    assert "Mã xác thực không đúng" in refused.text
    assert client.get(reverse("core:dashboard")).status_code == 302

    # django-otp makes the next try wait after a failure (1 s, doubling): the clock moves past it.
    with time_machine.travel(dt.timedelta(seconds=3), tick=True):
        accepted = client.post(
            reverse("accounts:otp_verify"), {"token": code(device), "next": reverse("proposals:list")}
        )
        assert accepted.status_code == 302 and accepted["Location"] == reverse("proposals:list")
        assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_code_is_not_accepted_twice(users: dict[str, Any]) -> None:
    device = enrol(users["specialist"])
    first, second = Client(), Client()
    for c in (first, second):
        _password_login(c, "chuyenvien")
    token = code(device)
    assert first.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 302
    assert second.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 400


def test_enrolment_shows_a_server_drawn_qr_code_and_the_secret_then_ten_recovery_codes_once(
    client: Client, users: dict[str, Any]
) -> None:
    _password_login(client, "hoidong")
    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=users["council"], confirmed=False)
    shown = re.search(r'id="otp-secret"[^>]*>([A-Z2-7 ]+)<', page.text)
    assert shown is not None
    # The secret shown is the device's key, as an authenticator app takes it.
    secret = shown.group(1).replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)).hex() == device.key
    # Not yet confirmed: the dashboard still sends to enrolment.
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp_enrol"))

    wrong = client.post(
        reverse("accounts:otp_enrol"), {"token": "000000" if code(device) != "000000" else "1"}
    )
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=users["council"], confirmed=True).exists()

    with time_machine.travel(dt.timedelta(seconds=3), tick=True):
        done = client.post(reverse("accounts:otp_enrol"), {"token": code(device)})
        assert done.status_code == 200
        codes = re.findall(r"<li class=\"col\">([a-z2-7]+)</li>", done.text)
        assert len(codes) == two_factor.RECOVERY_CODE_COUNT == 10
        assert sorted(codes) == sorted(
            StaticToken.objects.filter(device__user=users["council"]).values_list("token", flat=True)
        )
        # The session that enrolled has passed the second factor.
        assert client.get(reverse("core:dashboard")).status_code == 200
        assert AuditLog.objects.filter(action="otp_enrol", target_id=str(users["council"].pk)).exists()
        # Shown once: the security page gives the count, never the codes.
        security = client.get(reverse("accounts:security")).text
        assert "Còn 10 mã khôi phục" in security and codes[0] not in security


def test_a_recovery_code_works_once(users: dict[str, Any]) -> None:
    user = users["admin"]
    enrol(user)
    codes = two_factor.recovery_codes_regenerate(user=user)
    first = Client()
    _password_login(first, "quantri")
    answer = first.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert answer.status_code == 302
    assert first.get(reverse("core:dashboard")).status_code == 200
    assert two_factor.recovery_codes_left(user) == 9

    again = Client()
    _password_login(again, "quantri")
    assert again.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 400
    assert again.get(reverse("core:dashboard")).status_code == 302


def test_regenerating_recovery_codes_voids_the_old_ones(client_for: Any, users: dict[str, Any]) -> None:
    user = users["specialist"]
    client = client_for(user)
    old = two_factor.recovery_codes_regenerate(user=user)
    page = client.post(reverse("accounts:recovery_codes"))
    new = re.findall(r"<li class=\"col\">([a-z2-7]+)</li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


def test_the_admin_site_requires_the_second_factor(client: Client, users: dict[str, Any]) -> None:
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device = enrol(admin)
    _password_login(client, "quantri")
    assert client.get("/quan-tri/")["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert client.get("/quan-tri/").status_code == 200


def test_replacing_the_device_needs_the_old_one_first(client: Client, users: dict[str, Any]) -> None:
    enrol(users["specialist"])
    _password_login(client, "chuyenvien")
    # A stolen password alone cannot enrol the thief's phone.
    assert client.get(reverse("accounts:otp_enrol"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=users["specialist"], confirmed=False).exists()


def test_a_role_changed_to_a_required_one_is_asked_at_the_next_page(
    client: Client, users: dict[str, Any]
) -> None:
    officer = users["health_officer"]
    _password_login(client, "canbo.yte")
    assert client.get(reverse("core:dashboard")).status_code == 200
    officer.role = Role.BOARD_SPECIALIST
    officer.save()
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp_enrol"))


def test_an_officer_who_enrolled_is_asked_for_the_code_too(client: Client, users: dict[str, Any]) -> None:
    device = enrol(users["health_officer"])
    _password_login(client, "canbo.yte")
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert client.get(reverse("core:dashboard")).status_code == 200
