"""The second factor in tests: a confirmed device for an account, its codes, and a session that has
passed the second factor without spending one."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts import two_factor

# A fixed key, so a browser test can type the code an authenticator app would show.
TEST_KEY = "3132333435363738393031323334353637383930"


def enrol(user: Any, key: str = TEST_KEY) -> TOTPDevice:
    device = two_factor.totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", key=key, confirmed=True)
    return device


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator shows now, or `steps_ahead` time steps later (django-otp accepts one
    step either side, and never a step it has already accepted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def mark_verified(client: Client, user: Any) -> None:
    """The client's session has passed the second factor: what typing a code at login leaves behind."""
    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def next_code(user: Any) -> str:
    """A code the server will accept when it arrives, as a person would type it: the current time step's
    code, or the next step's when the current one is used (a second login within 30 seconds); waits for
    the next step when both are used. Never the previous step's code, though django-otp accepts it now: it
    expires at the step boundary, and a browser that submits it a moment later is refused (this failed CI
    once). For the browser tests, which run on the real clock."""
    while True:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        now = int((time.time() - device.t0) // device.step) + device.drift
        for t in range(now, now + device.tolerance + 1):
            if t > device.last_t:
                totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
                totp.time = device.t0 + t * device.step
                return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)


def browser_login(page: Any, base_url: str, username: str, password: str) -> None:
    """The login page, then the code when the account has an authenticator device."""
    from thidua.accounts.models import User

    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    user = User.objects.get(username=username)
    if two_factor.has_device(user):
        page.wait_for_url("**/tai-khoan/xac-thuc/**")
        page.fill("#id_token", next_code(user))
        page.click("#otp-submit")
