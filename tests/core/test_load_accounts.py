"""The load test's accounts (loadtest/run.py, COPY_ACCOUNTS): each simulated officer signs in as a copy of
a demo account, so the copies must hold exactly what the original's role, scope and login depend on."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from loadtest.run import COPY_ACCOUNTS


@pytest.mark.django_db
def test_copies_keep_role_scope_password_and_second_factor(users: dict[str, Any], monkeypatch: Any) -> None:
    specialist, officer = users["specialist"], users["health_officer"]
    specialist.set_password("một mật khẩu đủ dài")
    specialist.save()
    device = TOTPDevice.objects.create(
        user=specialist, name="khóa", key="3132333435363738393031323334353637383930"
    )
    monkeypatch.setattr(sys, "argv", ["-c", "2", specialist.username, officer.username])
    exec(COPY_ACCOUNTS, {"__name__": "copy_accounts"})
    User = get_user_model()
    for original in (specialist, officer):
        copies = User.objects.filter(username__startswith=f"{original.username}-").order_by("username")
        assert [c.username for c in copies] == [f"{original.username}-001", f"{original.username}-002"]
        for copy in copies:
            assert copy.pk != original.pk
            fields = ("role", "unit_id", "authority_id", "password", "is_staff", "is_superuser", "is_active")
            assert [getattr(copy, f) for f in fields] == [getattr(original, f) for f in fields]
    # Each copy of the specialist has a device of its own with the demo key: a code spent by one copy
    # is still good for the others.
    copied = TOTPDevice.objects.filter(user__username__startswith="chuyenvien-")
    assert sorted(d.user.username for d in copied) == ["chuyenvien-001", "chuyenvien-002"]
    assert {d.key for d in copied} == {device.key} and device.pk not in {d.pk for d in copied}
    assert not TOTPDevice.objects.filter(user__username__startswith=f"{officer.username}-").exists()
    assert User.objects.get(username="chuyenvien-002").check_password("một mật khẩu đủ dài")
