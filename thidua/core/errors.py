"""Refusals that carry a stable, machine-readable code beside their Vietnamese message.

A service refuses with `ValidationError(message, code="...")` (Django's own field) or with `Forbidden`, a
`PermissionDenied` that keeps a code; the pages show the message, the REST API sends both
(`{"detail": ..., "code": ...}`), so a client branches on the code and shows the sentence.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

DEFAULT_INVALID = "invalid"
DEFAULT_FORBIDDEN = "forbidden"


class Forbidden(PermissionDenied):
    def __init__(self, message: str = "", code: str = DEFAULT_FORBIDDEN) -> None:
        super().__init__(message)
        self.code = code


def forbidden_code(exc: PermissionDenied) -> str:
    return getattr(exc, "code", None) or DEFAULT_FORBIDDEN


def validation_code(exc: ValidationError) -> str:
    """The first code the error carries (a message list keeps one per message), else "invalid"."""
    for error in exc.error_list if hasattr(exc, "error_list") else [exc]:
        if error.code:
            return str(error.code)
    return DEFAULT_INVALID


def require(condition: bool, message: str, code: str = DEFAULT_INVALID) -> None:
    """Refuse with the Vietnamese message and a stable code (the REST API sends both)."""
    if not condition:
        raise ValidationError(message, code=code)


def require_role(actor: Any, *roles: str) -> None:
    # The role alone: an administrator's superuser flag is for the admin site and bypasses nothing here.
    if actor.role not in roles:
        raise Forbidden(_("Vai trò của bạn không được thực hiện thao tác này."), "role_not_allowed")
