"""The account's own pages: the second factor (code after the password, enrolment, recovery codes) and
the API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts import selectors, tokens, two_factor
from thidua.accounts.models import Role
from thidua.core.http import attempt, current_user

ENROL_SESSION_KEY = "thidua_otp_enrolling"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:dashboard")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not two_factor.has_device(user):
        return redirect(reverse("accounts:otp_enrol") + "?" + request.GET.urlencode())
    status = 200
    if request.method == "POST":
        device = two_factor.verify_login(user, request.POST.get("token", ""))
        if device is not None:
            # A new session key once the second factor is in: a key seen before it is worth nothing.
            request.session.cycle_key()
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("Bạn đã dùng một mã khôi phục; còn {n} mã. Hãy tạo mã mới nếu sắp hết.").format(n=left),
                )
            return redirect(_next(request))
        messages.error(request, _("Mã xác thực không đúng, đã dùng hoặc đã hết hạn. Hãy thử lại."))
        status = 400
    return render(request, "accounts/otp_verify.html", {"next": _next(request)}, status=status)


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    # Replacing a device needs the old one first: otherwise a stolen password would be enough.
    if two_factor.has_device(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(reverse("accounts:otp_verify") + "?" + request.GET.urlencode())
    device = None
    pending = request.session.get(ENROL_SESSION_KEY)
    if pending:
        device = TOTPDevice.objects.filter(pk=pending, user=user, confirmed=False).first()
    status = 200
    if request.method == "POST" and device is not None:
        codes = two_factor.totp_enrol_confirm(user=user, device=device, token=request.POST.get("token", ""))
        if codes is not None:
            del request.session[ENROL_SESSION_KEY]
            request.session.pop(two_factor.FREE_SESSION_KEY, None)
            request.session.cycle_key()
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "enrolled": True},
            )
        messages.error(request, _("Mã xác thực không đúng; hãy nhập mã đang hiện trong ứng dụng."))
        status = 400
    if device is None:
        device = two_factor.totp_enrol_start(user=user)
        request.session[ENROL_SESSION_KEY] = device.pk
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "next": _next(request),
            "required": two_factor.otp_required(user),
        },
        status=status,
    )


@login_required
def security(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    return render(
        request,
        "accounts/security.html",
        {
            "device": two_factor.totp_device(user),
            "required": two_factor.otp_required(user),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    if not two_factor.has_device(user):
        raise PermissionDenied
    codes = two_factor.recovery_codes_regenerate(user=user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security"), "enrolled": False},
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    created = None
    if request.method == "POST":
        raw: list[str] = []
        if attempt(
            request,
            lambda: raw.append(
                tokens.token_create(actor=user, user=user, name=request.POST.get("name", ""))[1]
            ),
            _("Đã tạo khóa truy cập. Hãy sao chép ngay: khóa chỉ hiện một lần."),
        ):
            created = raw[0]
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": selectors.tokens_visible(user=user),
            "created": created,
            "all_users": user.role == Role.ADMINISTRATOR,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    token = selectors.tokens_visible(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    attempt(
        request,
        lambda: tokens.token_revoke(actor=user, token=token),
        _("Đã thu hồi khóa {name}.").format(name=token.name),
    )
    return redirect("accounts:tokens")
