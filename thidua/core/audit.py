"""The audit log: one row per action, chained by SHA-256 so that a changed, removed or inserted row shows
(docs/security.md, "Nhật ký thao tác"). Every row is written by `audit_append`; nothing else may create,
update or delete AuditLog rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from thidua.core import dataversion
from thidua.core.models import AuditLog

# The first row's prev_hash.
GENESIS = "0" * 64
# The key of the PostgreSQL advisory lock that serialises appends (any constant the product owns).
_CHAIN_LOCK = 0x7468_6964_7561  # "thidua"


def _json(value: Any) -> Any:
    """The value as a JSON column gives it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def row_hash(
    *,
    prev_hash: str,
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    summary: str,
    extra: Any,
    changes: Any,
) -> str:
    """SHA-256 over the canonical form of a row: its fields as JSON with sorted keys and no spaces, the
    time in UTC to the microsecond. The id is left out (it is given by the database after the insert);
    the rows' order is kept by prev_hash instead. Migration core 0003 keeps a frozen copy of this."""
    canonical = json.dumps(
        {
            "prev_hash": prev_hash,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "summary": summary,
            "extra": extra,
            "changes": changes,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(row: AuditLog, prev_hash: str) -> str:
    return row_hash(
        prev_hash=prev_hash,
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        summary=row.summary,
        extra=row.extra,
        changes=row.changes,
    )


def _lock_chain() -> None:
    """Hold the chain's end until the transaction ends, so two writers never take the same previous hash
    (a fork). SQLite runs one write transaction at a time (transaction_mode IMMEDIATE), so it needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


@transaction.atomic
def audit_append(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: str,
    summary: str = "",
    extra: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one row at the end of the chain."""
    _lock_chain()
    last = AuditLog.objects.order_by("-pk").values_list("hash", flat=True).first()
    row = AuditLog(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        summary=summary[:500],
        extra=_json(extra or {}),
        changes=_json(changes or {}),
        at=timezone.now(),
        prev_hash=last or GENESIS,
    )
    row.hash = _hash_of(row, row.prev_hash)
    row.save(force_insert=True)
    if action not in dataversion.READ_ACTIONS:
        dataversion.bump()
    return row


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str = "",
    extra: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Write the audit row of a service's action; called inside the service's transaction."""
    return audit_append(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary,
        extra=extra,
        changes=changes,
    )


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken: AuditLog | None = None
    reason: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order and return the first row whose prev_hash is not the previous row's hash
    or whose hash is not that of its own fields; read in batches, so a million rows fit in memory."""
    previous = GENESIS
    count = 0
    last_pk = 0
    while True:
        rows = list(AuditLog.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not rows:
            return ChainReport(count=count)
        for row in rows:
            if row.prev_hash != previous:
                return ChainReport(count=count, broken=row, reason="prev_hash")
            if _hash_of(row, row.prev_hash) != row.hash:
                return ChainReport(count=count, broken=row, reason="hash")
            previous = row.hash
            count += 1
        last_pk = rows[-1].pk


def with_history_user(instance: models.Model, user: Any) -> models.Model:
    """Tell django-simple-history who makes the next save, also outside a web request."""
    if getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    return instance
