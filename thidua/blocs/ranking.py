"""The ranking of a bloc's member units and the reasons for it, in plain Python (no Django import), so the
pages, the documents, the benchmark and the test that rebuilds a ranking from the change log all use the
same rule.

A unit's total is its base points, plus its bonus points up to the sheet's bonus cap, minus its penalty
points up to the penalty cap. Units are ordered by total, then by the sheet's tie-break keys in the
order the sheet lists them (the bloc's rulebook: "written down as data"). Units equal on the total and
on every key share a rank, and the explanation says so. The words are Vietnamese, like the eligibility
engine's (`thidua/eligibility/labels.py`): this module is read by officials, not translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# Higher total before bonus, then fewer penalty points, then more criteria at their maximum, then more
# votes of the bloc meeting: the order issue 11 gives as the example, the product's default.
DEFAULT_TIE_BREAK: tuple[str, ...] = ("total_before_bonus", "penalty", "criteria_at_max", "votes")


@dataclass(frozen=True)
class Key:
    """A tie-break key: how to read it from a unit's figures, which way is better, how to say it."""

    name: str
    label: str
    higher_is_better: bool
    better_word: str
    read: Callable[[UnitFigures], Decimal | int]
    whole: bool = False


@dataclass(frozen=True)
class UnitFigures:
    """What the ranking needs of one unit: its points after the caps were applied (`bonus`, `penalty`
    are the capped figures), the number of criteria scored at their maximum, and the meeting's votes."""

    unit_id: int
    name: str
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    criteria_at_max: int = 0
    votes: int = 0
    # A stable order for units that share a rank (the Vietnamese collation key of the name).
    sort_key: str = ""

    @property
    def total(self) -> Decimal:
        return self.base + self.bonus - self.penalty

    @property
    def total_before_bonus(self) -> Decimal:
        return self.base - self.penalty


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key(
            "total_before_bonus",
            "tổng điểm trước điểm thưởng",
            True,
            "cao hơn",
            lambda f: f.total_before_bonus,
        ),
        Key("base", "điểm các tiêu chí", True, "cao hơn", lambda f: f.base),
        Key("penalty", "điểm trừ", False, "ít hơn", lambda f: f.penalty),
        Key("bonus", "điểm thưởng", True, "nhiều hơn", lambda f: f.bonus),
        Key(
            "criteria_at_max",
            "số tiêu chí đạt điểm tối đa",
            True,
            "nhiều hơn",
            lambda f: f.criteria_at_max,
            whole=True,
        ),
        Key("votes", "số phiếu bầu của hội nghị khối", True, "nhiều hơn", lambda f: f.votes, whole=True),
    )
}
TOTAL = Key("total", "tổng điểm", True, "cao hơn", lambda f: f.total)


def cap(points: Decimal, limit: Decimal | None) -> Decimal:
    """Bonus or penalty points counted up to the sheet's cap (no cap: all of them)."""
    return points if limit is None else min(points, limit)


def figures(
    *,
    unit_id: int,
    name: str,
    base: Decimal,
    bonus: Decimal,
    penalty: Decimal,
    bonus_cap: Decimal | None,
    penalty_cap: Decimal | None,
    criteria_at_max: int = 0,
    votes: int = 0,
    sort_key: str = "",
) -> UnitFigures:
    return UnitFigures(
        unit_id=unit_id,
        name=name,
        base=base,
        bonus=cap(bonus, bonus_cap),
        penalty=cap(penalty, penalty_cap),
        criteria_at_max=criteria_at_max,
        votes=votes,
        sort_key=sort_key,
    )


def number(value: Decimal | int, *, whole: bool = False) -> str:
    """87.5 → "87,5", 86 → "86,0", 87.25 → "87,25" (Vietnamese decimal comma); counts as whole numbers."""
    if whole:
        return str(int(value))
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    integer, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0") or "0"
    return f"{integer},{fraction}"


@dataclass(frozen=True)
class Ranked:
    rank: int
    figures: UnitFigures
    # Why this unit stands where it does against the one just above it ("" for the first).
    reason: str = ""
    tied_with_above: bool = False


@dataclass(frozen=True)
class Ranking:
    rows: tuple[Ranked, ...]
    keys: tuple[str, ...] = field(default=DEFAULT_TIE_BREAK)

    def explanations(self) -> list[str]:
        return [row.reason for row in self.rows[1:]]


def check_keys(keys: Iterable[str]) -> tuple[str, ...]:
    listed = tuple(keys)
    unknown = [k for k in listed if k not in KEYS]
    if unknown or len(set(listed)) != len(listed):
        raise ValueError(f"tie-break keys unknown or repeated: {listed}")
    return listed


def _signed(key: Key, f: UnitFigures) -> Decimal:
    value = Decimal(key.read(f))
    return -value if key.higher_is_better else value


def compare(a: UnitFigures, b: UnitFigures, keys: Sequence[str]) -> tuple[Key | None, int]:
    """The first key (the total first) on which `a` and `b` differ, and -1 when `a` stands above."""
    for key in (TOTAL, *(KEYS[k] for k in keys)):
        left, right = _signed(key, a), _signed(key, b)
        if left != right:
            return key, -1 if left < right else 1
    return None, 0


def explain(above: UnitFigures, below: UnitFigures, keys: Sequence[str]) -> str:
    key, order = compare(above, below, keys)
    if key is None:
        return (
            f"{above.name} và {below.name} đồng hạng: bằng nhau về tổng điểm và mọi tiêu chí phân định "
            f"({', '.join(KEYS[k].label for k in keys) or 'không có'})."
        )
    assert order < 0, "explain() is called on a pair in ranking order"
    if key is TOTAL:
        return (
            f"{above.name} xếp trên {below.name} vì tổng điểm cao hơn "
            f"({number(above.total)} so với {number(below.total)})."
        )
    return (
        f"{above.name} xếp trên {below.name} vì {key.label} {key.better_word} "
        f"({number(key.read(above), whole=key.whole)} so với {number(key.read(below), whole=key.whole)}), "
        f"khi tổng điểm bằng nhau ({number(above.total)})."
    )


def rank(units: Iterable[UnitFigures], keys: Sequence[str] = DEFAULT_TIE_BREAK) -> Ranking:
    """Order the units, give equal units the same rank (1, 2, 2, 4), explain each adjacent pair."""
    keys = check_keys(keys)
    ordered_keys = (TOTAL, *(KEYS[k] for k in keys))

    def sort_tuple(f: UnitFigures) -> tuple[object, ...]:
        # Units that tie on every key share a rank; among them the name, then the id, fix the display.
        return (*(_signed(k, f) for k in ordered_keys), f.sort_key, f.name, f.unit_id)

    ordered = sorted(units, key=sort_tuple)
    rows: list[Ranked] = []
    for index, f in enumerate(ordered):
        if index == 0:
            rows.append(Ranked(rank=1, figures=f))
            continue
        above = ordered[index - 1]
        tied = compare(above, f, keys)[0] is None
        rows.append(
            Ranked(
                rank=rows[-1].rank if tied else index + 1,
                figures=f,
                reason=explain(above, f, keys),
                tied_with_above=tied,
            )
        )
    return Ranking(rows=tuple(rows), keys=keys)
