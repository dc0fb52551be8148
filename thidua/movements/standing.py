"""The units' progress kept ready (`UnitStanding`): written when it changes, read by the pages.

A movement of a thousand units × twenty criteria reporting monthly holds 220,000 values; working out each
unit's latest accepted values and progress on every page view cost most of the page. The figures change
only when a report is accepted or a unit's own target is set or cleared (a launched movement's criteria
and common targets are fixed: `workflow.EDITABLE_STATES`), so the services that do those call `refresh`,
and the pages call `read`. The rule itself stays in `selectors.accepted_values` and `progress`: `refresh`
applies it, and a unit without a row is computed by it on the spot, so a missing row costs time, never a
wrong figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from thidua.movements import progress
from thidua.movements.models import Criterion, CriterionTarget, Movement, MovementTarget, UnitStanding


def _specs(criteria: Sequence[Criterion]) -> list[progress.CriterionSpec]:
    return [progress.CriterionSpec(c.pk, c.direction, c.weight, c.target) for c in criteria]


def _overrides(movement: Movement, unit_ids: Iterable[int] | None) -> dict[int, dict[int, Decimal]]:
    rows = CriterionTarget.objects.filter(criterion__movement=movement)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    out: dict[int, dict[int, Decimal]] = {}
    for criterion_id, unit_id, target in rows.values_list("criterion_id", "unit_id", "target"):
        out.setdefault(unit_id, {})[criterion_id] = target
    return out


def compute(
    movement: Movement,
    criteria: Sequence[Criterion],
    unit_ids: Sequence[int],
    overrides: dict[int, dict[int, Decimal]],
) -> dict[int, progress.UnitProgress]:
    """The rule, from the accepted reports (`selectors.accepted_values`), for the units given."""
    from thidua.movements.selectors import accepted_values

    values = accepted_values(movement=movement, unit_ids=list(unit_ids)) if unit_ids else {}
    specs = _specs(criteria)
    return {u: progress.unit_progress(u, specs, values.get(u, {}), overrides.get(u, {})) for u in unit_ids}


def _figures(p: progress.UnitProgress) -> dict[str, object]:
    return {
        "v": {str(c): str(v) for c, (v, _t, _a) in p.by_criterion.items() if v is not None},
        "a": {str(c): str(a) for c, (_v, _t, a) in p.by_criterion.items()},
        "o": str(p.overall),
    }


def refresh(movement: Movement, unit_ids: Iterable[int] | None = None) -> None:
    """Write the standing of the units given (every target unit when none), in the caller's transaction."""
    targets = MovementTarget.objects.filter(movement=movement)
    if unit_ids is not None:
        targets = targets.filter(unit_id__in=list(unit_ids))
    units = list(targets.values_list("unit_id", flat=True).order_by("unit_id"))
    if not units:
        return
    criteria = list(movement.criteria.order_by("position", "id"))
    found = compute(movement, criteria, units, _overrides(movement, units))
    UnitStanding.objects.bulk_create(
        [UnitStanding(movement=movement, unit_id=u, figures=_figures(p)) for u, p in found.items()],
        update_conflicts=True,
        unique_fields=["movement", "unit"],
        update_fields=["figures", "updated_at"],
    )


def stored_of(
    movements: Sequence[Movement], unit_ids: Sequence[int] | None = None
) -> dict[int, dict[int, dict]]:
    """movement id → unit id → its stored figures, for several movements in one query."""
    rows = UnitStanding.objects.filter(movement__in=movements)
    # A long list of ids is slower to send than the movements' rows are to read.
    if unit_ids is not None and len(unit_ids) < 500:
        rows = rows.filter(unit_id__in=unit_ids)
    out: dict[int, dict[int, dict]] = {m.pk: {} for m in movements}
    for movement_id, unit_id, figures in rows.values_list("movement_id", "unit_id", "figures").order_by():
        out[movement_id][unit_id] = figures
    return out


def read(
    movement: Movement,
    criteria: Sequence[Criterion],
    unit_ids: Sequence[int],
    overrides: dict[int, dict[int, Decimal]],
    stored: dict[int, dict] | None = None,
) -> dict[int, progress.UnitProgress]:
    """Each unit's progress as stored (one query, none when `stored` is given: `stored_of`), the units
    without a row computed by the rule."""
    if stored is None:
        stored = stored_of([movement], unit_ids)[movement.pk]
    out: dict[int, progress.UnitProgress] = {}
    lacking = []
    zero = progress.ZERO
    for unit_id in unit_ids:
        figures = stored.get(unit_id)
        if figures is None or len(figures["a"]) != len(criteria):
            lacking.append(unit_id)
            continue
        values, achieved = figures["v"], figures["a"]
        own = overrides.get(unit_id, {})
        rows: dict[int, tuple[Decimal | None, Decimal, Decimal]] = {}
        for c in criteria:
            key = str(c.pk)
            value = values.get(key)
            share = achieved.get(key)
            rows[c.pk] = (
                Decimal(value) if value is not None else None,
                own.get(c.pk, c.target),
                Decimal(share) if share is not None else zero,
            )
        out[unit_id] = progress.UnitProgress(unit_id, rows, Decimal(figures["o"]))
    if lacking:
        out.update(compute(movement, criteria, lacking, overrides))
    return out
