"""API tokens: created and revoked through these services, looked up by the API's authentication.

A token is shown once, when created; the database keeps only its SHA-256, so the lookup is an exact
match on the digest and a leaked backup gives no one access.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import ApiToken, Role, User
from thidua.core.audit import audit_record

# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# token_urlsafe(32) gives 43 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_manage(actor: Any, user: User) -> bool:
    # None is the console (`thidua api_token`): whoever runs it already controls the server.
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.pk == user.pk or actor.role == Role.ADMINISTRATOR


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is never stored."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("Bạn không được tạo khóa truy cập cho người dùng khác."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Cần đặt tên cho khóa truy cập (ví dụ: tên phần mềm sẽ dùng khóa)."))
    if len(name) > 100:
        raise ValidationError(_("Tên khóa truy cập tối đa 100 ký tự."))
    if not user.is_active:
        raise ValidationError(
            _("Tài khoản {user} đã bị khóa, không tạo khóa truy cập được.").format(user=user)
        )
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=settings.THIDUA_API_TOKEN_DAYS),
    )
    audit_record(
        actor=actor,
        action="api_token_create",
        target=token,
        summary=f"{user.username}: {name} ({token.prefix}…)",
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if not _may_manage(actor, token.user):
        raise PermissionDenied(_("Bạn không được thu hồi khóa truy cập của người dùng khác."))
    fresh = ApiToken.objects.select_for_update().get(pk=token.pk)
    if fresh.revoked_at is not None:
        return fresh
    fresh.revoked_at = timezone.now()
    fresh.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token_revoke",
        target=fresh,
        summary=f"{fresh.user.username}: {fresh.name} ({fresh.prefix}…)",
    )
    return fresh


REVOKE_REASONS = {
    "password_change": "đổi mật khẩu",
    "lockout": "tài khoản bị khóa tạm thời do nhập sai mật khẩu nhiều lần",
}


@transaction.atomic
def tokens_revoke_all(*, actor: User | None, user: User, reason: str) -> int:
    """Revokes every live token of `user` (a password changed, a lock-out); returns how many."""
    now = timezone.now()
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token_revoke",
            target=token,
            summary=f"{user.username}: {token.name} ({token.prefix}…), {REVOKE_REASONS.get(reason, reason)}",
            extra={"reason": reason},
        )
    return len(live)


def token_user(raw: str | None) -> User | None:
    """The active user the token belongs to, or None for an unknown, revoked, expired or disabled one."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .exclude(expires_at__lte=timezone.now())
        .select_related("user", "user__unit")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
