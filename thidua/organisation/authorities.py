"""Which authority decides which award for which recipient (cấp có thẩm quyền quyết định khen thưởng).

The rulebook's `[[powers]]` say which levels decide an award (Luật Thi đua, khen thưởng 2022, Điều 79,
80; Nghị định 129/2025/NĐ-CP, Điều 59); the authorities registered in the product say which unit holds
each level. The decider of a line is the nearest authority above the recipient whose level holds the
power: the head of a hospital decides its staff's LĐTT, the Chairman of the commune its households'
Gia đình văn hóa, the province its Bằng khen. Two readings this module chooses, and why:

- A collective is never awarded by itself: its title is decided from the authority above it (the
  hospital's Tập thể lao động tiên tiến by Sở Y tế, not by the hospital's own director).
- Where no registered authority on the recipient's chain holds a local power (a unit the product does
  not yet know as having legal status), the province decides: the province is the last local level,
  and refusing the line would leave the recipient with nowhere to be proposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from thidua.eligibility.rulebook import Power
from thidua.organisation.models import Authority, AuthorityLevel, Household, Person, Unit


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def authority_chain(unit: Unit, cache: dict[int, list[Authority]] | None = None) -> list[Authority]:
    """The authorities at or above `unit`, the nearest first (one query; none for a unit already in
    `cache`, which a caller judging many lines passes)."""
    if cache is not None and unit.pk in cache:
        return cache[unit.pk]
    ids = _ancestor_ids(unit) or [unit.pk]
    found = {
        a.unit_id: a for a in Authority.objects.filter(unit_id__in=ids, is_active=True).select_related("unit")
    }
    chain = [found[i] for i in reversed(ids) if i in found]
    if cache is not None:
        cache[unit.pk] = chain
    return chain


def authority_of(unit: Unit) -> Authority | None:
    """The nearest authority at or above `unit`: where its staff's awards are decided."""
    chain = authority_chain(unit)
    return chain[0] if chain else None


def authority_above(authority: Authority) -> Authority | None:
    """The nearest authority strictly above this one: where it sends what it cannot decide."""
    parent = authority.unit.parent
    return authority_of(parent) if parent is not None else None


def province_authority() -> Authority | None:
    return (
        Authority.objects.filter(level=AuthorityLevel.PROVINCE, is_active=True)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )


def is_above(upper: Authority, lower: Authority) -> bool:
    """`upper` is an authority strictly above `lower` in the unit tree."""
    return upper.pk != lower.pk and lower.unit.path.startswith(upper.unit.path)


def recipient_chain(
    recipient: Person | Unit | Household, cache: dict[int, list[Authority]] | None = None
) -> list[Authority]:
    """The authorities that may decide for this recipient, the nearest first. A collective starts above
    itself (module docstring)."""
    if isinstance(recipient, Unit):
        chain = authority_chain(recipient, cache)
        return [a for a in chain if a.unit_id != recipient.pk]
    return authority_chain(recipient.unit, cache)


@dataclass(frozen=True)
class Decider:
    """Who decides an award for a recipient: a local authority with the power that gives it, or the
    central level (`authority` None) for a State award."""

    authority: Authority | None
    power: Power | None

    @property
    def is_central(self) -> bool:
        return self.authority is None

    def describe(self) -> str:
        if self.authority is None:
            return _("cấp Trung ương (Chủ tịch nước, Thủ tướng Chính phủ)")
        return f"{self.authority.head_title} {self.authority.name}"


def decider_for(
    recipient: Person | Unit | Household,
    award_code: str,
    award_level: str,
    on: dt.date,
    cache: dict[int, list[Authority]] | None = None,
) -> Decider:
    """Who decides `award_code` for `recipient` on `on` (module docstring)."""
    from thidua.eligibility.engine import default_evaluator

    levels = default_evaluator().library.deciding_levels(award_code, on)
    by_level = {p.level: p for p in levels}
    chain = recipient_chain(recipient, cache)
    for authority in chain:
        power = by_level.get(authority.level)
        if power is not None:
            return Decider(authority, power)
    if award_level == "nha_nuoc" or not levels:
        return Decider(None, None)
    top = chain[-1] if chain else province_authority()
    return Decider(top, by_level.get(AuthorityLevel.PROVINCE))


def line_route(decider: Decider, addressed_to: Authority) -> str:
    """What the authority a dossier is addressed to does with a line: "decide" it, send it "up" (to the
    authority above, or to the central level), or "refuse" it (a lower authority decides it)."""
    if decider.authority is not None and decider.authority.pk == addressed_to.pk:
        return "decide"
    if decider.is_central:
        return "up"
    assert decider.authority is not None
    return "up" if is_above(decider.authority, addressed_to) else "refuse"


def authorities_for_user(user: Any) -> list[Authority]:
    """The authorities a user may address a dossier to: those at or above the user's unit."""
    unit = getattr(user, "unit", None)
    return authority_chain(unit) if unit is not None else []
