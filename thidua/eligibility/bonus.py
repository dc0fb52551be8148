"""Bonus amounts: coefficient × base salary on the decision date, rounded up to the next 10.000 đ.

A household receives 1,5 times an individual's amount for the same form. For several awards in one
decision, the same counted time (and, for forms, the same achievement) pays only the highest; a title
and a form in the same decision are both paid (Nghị định 152/2025/NĐ-CP, Điều 49).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from thidua.eligibility import labels
from thidua.eligibility.rulebook import Citation, Library

# Awards whose amount is a rulebook fact, by recipient: what a caller may ask for.
_RECIPIENT_WORD = labels.RECIPIENT_LABELS


class BonusError(Exception):
    """The question cannot be answered: names the option or JSON path and what was expected."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def round_up(amount: Decimal, step: int) -> int:
    """Up to the next multiple of `step` (Nghị định 152/2025/NĐ-CP, Điều 49 khoản 2)."""
    units = (amount / step).to_integral_value(rounding=ROUND_CEILING)
    return int(units) * step


@dataclass(frozen=True)
class BonusAnswer:
    award: str
    recipient: str
    day: date
    regime: str
    coefficient: Decimal
    base_salary: int
    amount: int
    citations: tuple[Citation, ...]
    individual_amount: int | None = None
    household_multiplier: Decimal | None = None

    rounding: int = 10000
    rounding_citation: Citation | None = None

    @property
    def basis(self) -> str:
        return "; ".join(dict.fromkeys(c.basis for c in self.citations))

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        return (*self.citations, *((self.rounding_citation,) if self.rounding_citation else ()))

    @property
    def confirmed(self) -> bool:
        return all(c.confirmed for c in self.all_citations)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "award": self.award,
            "recipient": self.recipient,
            "date": self.day.isoformat(),
            "regime": self.regime,
            "coefficient": float(self.coefficient),
            "base_salary": self.base_salary,
            "amount": self.amount,
            "basis": self.basis,
            "confirmed": self.confirmed,
            "sources": sorted({s for c in self.all_citations for s in c.sources}),
        }
        if self.rounding_citation is not None:
            out["rounding"] = {"step": self.rounding, **self.rounding_citation.as_dict()}
        if self.household_multiplier is not None:
            out["household_multiplier"] = float(self.household_multiplier)
            out["individual_amount"] = self.individual_amount
        notes = [c.note for c in self.all_citations if c.note and not c.confirmed]
        if notes:
            out["notes"] = list(dict.fromkeys(notes))
        return out


def bonus(library: Library, award: str, recipient: str, day: date) -> BonusAnswer:
    entry = library.catalogue.get(award)
    if entry is None:
        raise BonusError(
            "--award", f"cần một mã danh hiệu, hình thức: {', '.join(library.catalogue)}; nhận được {award!r}"
        )
    if recipient not in _RECIPIENT_WORD:
        raise BonusError("--recipient", f"cần individual, collective hoặc household; nhận được {recipient!r}")
    if recipient not in entry.recipients:
        allowed = ", ".join(entry.recipients)
        raise BonusError(
            "--recipient", f"{entry.name} không tặng cho {_RECIPIENT_WORD[recipient]} (đối tượng: {allowed})"
        )
    regime = library.regime_for(day)
    table = regime.bonus
    if table is None:
        raise BonusError(
            "--date",
            f"chưa có bảng hệ số tiền thưởng đã đối chiếu cho chế độ {regime.id} ({regime.title}) "
            f"áp dụng ngày {day.isoformat()}; không tính để tránh đoán",
        )
    salary = library.salary_on(day)
    if salary is None:
        first = library.salaries[0].valid_from.isoformat() if library.salaries else "?"
        raise BonusError(
            "--date", f"chưa có mức lương cơ sở cho ngày {day.isoformat()} (bảng bắt đầu từ {first})"
        )
    own = table.coefficients.get((award, recipient))
    if own is not None:
        amount = round_up(own.value * salary.amount, table.rounding)
        own_citations = (own.citation, salary.citation)
        return BonusAnswer(
            award,
            recipient,
            day,
            regime.id,
            own.value,
            salary.amount,
            amount,
            own_citations,
            rounding=table.rounding,
            rounding_citation=table.rounding_citation,
        )
    individual = table.coefficients.get((award, "individual")) if recipient == "household" else None
    if individual is None:
        raise BonusError(
            "--award",
            f"chưa có hệ số tiền thưởng đã biết cho {entry.name} ({_RECIPIENT_WORD[recipient]}) "
            f"theo {regime.title}",
        )
    single = round_up(individual.value * salary.amount, table.rounding)
    amount = round_up(table.household_multiplier * single, table.rounding)
    citations: tuple[Citation, ...] = (individual.citation, salary.citation, table.household_citation)
    return BonusAnswer(
        award,
        recipient,
        day,
        regime.id,
        individual.value,
        salary.amount,
        amount,
        citations,
        individual_amount=single,
        household_multiplier=table.household_multiplier,
        rounding=table.rounding,
        rounding_citation=table.rounding_citation,
    )


@dataclass(frozen=True)
class DecisionItem:
    award: str
    year: int
    achievement: str = ""


def decision_bonus(
    library: Library, recipient: str, day: date, items: Sequence[DecisionItem]
) -> dict[str, Any]:
    """Several awards in one decision: which are paid, and the total.

    Titles with the same counted period pay only the highest; forms with the same counted period and
    the same achievement pay only the highest; titles and forms are paid independently.
    """
    rules = library.rules_for(day)
    answers: list[tuple[DecisionItem, BonusAnswer, tuple[Any, ...]]] = []
    for i, item in enumerate(items):
        try:
            answer = bonus(library, item.award, recipient, day)
        except BonusError as exc:
            path = f"awards[{i}].award" if exc.path == "--award" else exc.path.replace("--", "")
            raise BonusError(path, exc.message) from exc
        spec = rules.awards[item.award]
        first = item.year - spec.period + 1
        group = (spec.category, first, item.year, item.achievement if spec.category == "form" else "")
        answers.append((item, answer, group))
    best: dict[tuple[Any, ...], int] = {}
    for index, (_, answer, group) in enumerate(answers):
        if group not in best or answer.amount > answers[best[group]][1].amount:
            best[group] = index
    table = rules.regime.bonus
    rule = table.same_period_citation if table else Citation("Nghị định 152/2025/NĐ-CP, Điều 49", (), False)
    out_items = []
    total = 0
    for index, (item, answer, group) in enumerate(answers):
        paid = best[group] == index
        span = labels.span_text(group[1], group[2])
        if paid:
            total += answer.amount
            reason = f"được thưởng (thời gian tính thành tích {span})"
        else:
            winner = answers[best[group]][0]
            reason = (
                f"không cộng: cùng thời gian tính thành tích {span}"
                + (" và cùng thành tích" if group[0] == "form" else "")
                + f" với {library.catalogue[winner.award].name}, chỉ nhận mức cao nhất"
            )
        out_items.append({**answer.as_dict(), "year": item.year, "paid": paid, "reason": reason})
    return {
        "date": day.isoformat(),
        "recipient": recipient,
        "regime": rules.regime.id,
        "items": out_items,
        "total": total,
        "rule": rule.as_dict(),
    }
