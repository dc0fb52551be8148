from __future__ import annotations

from typing import Any

from django.db import models

from thidua.core.models import AuditLog


def audit_record(
    *, actor: Any, action: str, target: models.Model, summary: str = "", extra: dict[str, Any] | None = None
) -> AuditLog:
    """Write the audit row of a service's action; called inside the service's transaction."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        extra=extra or {},
    )


def with_history_user(instance: models.Model, user: Any) -> models.Model:
    """Tell django-simple-history who makes the next save, also outside a web request."""
    if getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    return instance
