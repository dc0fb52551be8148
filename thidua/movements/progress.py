"""How far a unit has come, from its accepted reports only (docs/movements.md, "Tiến độ").

- A criterion's value for a unit is the cumulative value of its latest accepted report that carries the
  criterion (latest by period); a report submitted, returned or still in draft counts for nothing.
- Its achievement is that value against the unit's target (the per-unit target, else the common one),
  between 0 and 1:
  at least (tối thiểu): value / target, capped at 1 (a target of 0 is met by anything);
  at most (tối đa): 1 while the value stays within the target, else target / value.
  No accepted value yet: 0.
- A unit's overall progress is the weighted mean of its criteria's achievements (the criteria's weights).
- A criterion's progress over the movement is the mean of the target units' achievements, and the
  movement's overall progress the mean of the units' overall progress.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO, ONE = Decimal(0), Decimal(1)


def achievement(value: Decimal | None, target: Decimal, direction: str) -> Decimal:
    if value is None:
        return ZERO
    if direction == "at_most":
        if value <= target:
            return ONE
        return target / value
    if target <= 0:
        return ONE
    return min(value / target, ONE)


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    direction: str
    weight: Decimal
    target: Decimal


def weighted_mean(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ weight · share / Σ weight over (weight, share) pairs; 0 for none."""
    total = ZERO
    weights = ZERO
    for weight, share in parts:
        total += weight * share
        weights += weight
    return total / weights if weights else ZERO


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    # criterion id → (latest accepted value or None, target, achievement)
    by_criterion: dict[int, tuple[Decimal | None, Decimal, Decimal]]
    overall: Decimal


def unit_progress(
    unit_id: int,
    criteria: Sequence[CriterionSpec],
    values: Mapping[int, Decimal],
    overrides: Mapping[int, Decimal],
) -> UnitProgress:
    """`values`: criterion id → the latest accepted value; `overrides`: criterion id → this unit's target."""
    rows: dict[int, tuple[Decimal | None, Decimal, Decimal]] = {}
    for c in criteria:
        target = overrides.get(c.id, c.target)
        value = values.get(c.id)
        rows[c.id] = (value, target, achievement(value, target, c.direction))
    overall = weighted_mean((c.weight, rows[c.id][2]) for c in criteria)
    return UnitProgress(unit_id, rows, overall)
