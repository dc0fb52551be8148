from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from thidua.core.audit import audit_record, with_history_user

M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def model_update(*, instance: M, fields: list[str], data: dict[str, Any], actor: Any) -> tuple[M, bool]:
    """Change only the listed fields whose value differs; record history and an audit row with old and new.

    Returns the instance and whether anything changed. Raises ValidationError (nothing saved) on bad data.
    """
    changes: dict[str, list[Any]] = {}
    for field in fields:
        if field not in data:
            continue
        old = getattr(instance, field)
        new = data[field]
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
    if not changes:
        return instance, False
    refresh = getattr(instance, "refresh_derived", None)
    update_fields = list(changes)
    if callable(refresh):
        refresh()
        update_fields += [f for f in ("full_name", "search_text", "sort_key") if hasattr(instance, f)]
    instance.full_clean()
    with_history_user(instance, actor)
    instance.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action="update",
        target=instance,
        summary=", ".join(sorted(changes)),
        changes=changes,
    )
    return instance, True


@transaction.atomic
def award_tallies_rebuild(*, actor: Any) -> tuple[int, int]:
    """Recount the dashboard's registry totals (core.AwardTally) from the award records.

    Returns (keys that differed before, tally rows now); the audit row keeps the first differences.
    """
    from thidua.core import tallies
    from thidua.core.audit import audit_append
    from thidua.core.models import AwardTally

    drift = tallies.differences()
    rows = tallies.rebuild()
    audit_append(
        actor=actor,
        action="award_tally_rebuild",
        target_type=AwardTally._meta.label_lower,
        target_id="*",
        summary=f"{len(drift)} khác biệt, {rows} dòng",
        extra={"differences": [[list(k), list(kept), list(actual)] for k, kept, actual in drift[:50]]},
    )
    return len(drift), rows
