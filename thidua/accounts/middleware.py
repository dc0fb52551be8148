"""The session's guards: the idle timeout, and the second factor before any page."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts import two_factor

LAST_ACTIVITY_KEY = "thidua_last_activity"
# Writing the session on every request would make each page a database write; a minute is fine enough.
ACTIVITY_RESOLUTION = 60


def _static(request: HttpRequest) -> bool:
    return request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))


class IdleTimeoutMiddleware:
    """A session left idle longer than THIDUA_IDLE_TIMEOUT_MINUTES is logged out at its next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not _static(request):
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = settings.THIDUA_IDLE_TIMEOUT_MINUTES * 60
            if isinstance(last, (int, float)) and now - last > limit:
                logout(request)
                messages.warning(
                    request,
                    _(
                        "Phiên làm việc đã hết hạn do không hoạt động quá {minutes} phút; hãy đăng nhập lại."
                    ).format(minutes=settings.THIDUA_IDLE_TIMEOUT_MINUTES),
                )
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))
            if not isinstance(last, (int, float)) or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Reachable before the second factor: the steps themselves and leaving.
OPEN_URL_NAMES = ("accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_enrol")


class TwoFactorMiddleware:
    """An account with a device must type its code after the password; an account whose role requires a
    second factor and has none must enrol one. Until then every other page (the admin site included)
    sends it there. API calls carry a token, not a session, and are not concerned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = tuple(reverse(name) for name in OPEN_URL_NAMES)
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not _static(request)
            and request.path_info not in self._open_paths()
        ):
            if two_factor.otp_required(user):
                # Read from the account on every request: a role changed to one that requires the second
                # factor takes effect on the open sessions at once.
                target = "accounts:otp_verify" if two_factor.has_device(user) else "accounts:otp_enrol"
            elif request.session.get(two_factor.FREE_SESSION_KEY) == user.pk:
                return self.get_response(request)
            elif two_factor.has_device(user):
                target = "accounts:otp_verify"
            else:
                # Remembered for the session: an officer's every page would otherwise ask for devices.
                request.session[two_factor.FREE_SESSION_KEY] = user.pk
                return self.get_response(request)
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)
