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
