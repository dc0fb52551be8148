"""The second factor (issue 13, item 6): TOTP devices, single-use recovery codes, and asking again before
a decision is issued or revoked.

Who must use it: the roles that appraise, vote, decide or administer (the Board's specialists, the Council's
members, who may also be named to sign on the chairman's behalf, the chairman and the administrators), and
any account that reaches the Django admin. Anyone else may enrol; once enrolled, their logins ask for the
code too.
"""

from __future__ import annotations

import base64
import time
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import Role, User
from thidua.core.audit import audit_record

REQUIRED_ROLES = frozenset({Role.BOARD_SPECIALIST, Role.COUNCIL_MEMBER, Role.CHAIRMAN, Role.ADMINISTRATOR})
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"
# The moment of the last fresh re-authentication, in the session (seconds since the epoch).
REAUTH_SESSION_KEY = "thidua_reauth_at"
# The account of this session needs no second factor (no device, no role requiring one): its pk.
FREE_SESSION_KEY = "thidua_otp_free"


def otp_required(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in REQUIRED_ROLES or user.is_staff or user.is_superuser


def has_device(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed by hand: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, drawn here: the secret never leaves for a QR service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed device; it counts only once a code from it is typed back."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the device if `token` is its current code; the old device goes and new recovery codes,
    returned to be shown once, replace the old ones. None (nothing changed) for a wrong code."""
    fresh = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
    if fresh is None or not fresh.verify_token(_clean(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    fresh.confirmed = True
    fresh.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="otp_enrol", target=user, summary=user.username)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="otp_recovery_codes", target=user, summary=user.username)
    return codes


def _clean(token: str) -> str:
    return "".join((token or "").split())


def verify_login(user: User, token: str) -> Any:
    """The device (authenticator or recovery code) that accepts `token`, or None. A recovery code is
    spent; a TOTP code is not accepted twice (django-otp keeps the last time step used)."""
    token = _clean(token)
    if not token or len(token) > 16:
        return None
    return match_token(user, token.lower() if not token.isdigit() else token)


def reauth_check(user: User, code: str) -> bool:
    """Asking again: a current code of the user's authenticator, or the password for an account that has
    none. Recovery codes are for getting in, not for signing."""
    device = totp_device(user)
    if device is not None:
        token = _clean(code)
        if not token.isdigit() or len(token) > 8:
            return False
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            return bool(locked.verify_token(token))
    return bool(code) and check_password(code, user.password)


def reauth_is_fresh(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(at, (int, float)) and 0 <= time.time() - at <= settings.THIDUA_REAUTH_SECONDS


def reauth_web(request: HttpRequest, code: str) -> bool:
    """True if the session re-authenticated within the window, or `code` does so now (and opens it)."""
    if reauth_is_fresh(request):
        return True
    user = request.user
    if not user.is_authenticated or not reauth_check(cast(User, user), code):
        return False
    request.session[REAUTH_SESSION_KEY] = time.time()
    return True


def reauth_message(user: Any) -> str:
    if has_device(user):
        return _(
            "Cần nhập mã xác thực hiện tại từ ứng dụng xác thực để ban hành hoặc hủy bỏ quyết định "
            "(mã sai, đã dùng hoặc hết hạn)."
        )
    return _("Cần nhập lại mật khẩu để ban hành hoặc hủy bỏ quyết định (mật khẩu không đúng).")


def bench_login(client: Any, user: User) -> None:
    """A benchmark's test client logged in as `user`, both factors passed: the figures are of the pages,
    not of the login. The account gets an authenticator device if its role requires one and it has none."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    if not otp_required(user):
        return
    device = totp_device(user) or TOTPDevice.objects.create(user=user, name="Đo hiệu năng", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
