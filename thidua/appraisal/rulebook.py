"""The rulebooks described for a specialist: the rules in force on a day, each condition in words, with
their citations, the provincial layer, who decides what and the bonus table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.appraisal.panel import (
    CATEGORY_LABELS,
    ProvinceInfo,
    RegimeInfo,
    _province_info,
    _regime_info,
    award_names,
)
from thidua.eligibility import labels
from thidua.eligibility.bonus import BonusError, bonus
from thidua.eligibility.conditions import Names, describe
from thidua.eligibility.engine import (
    default_evaluator,
)
from thidua.eligibility.rulebook import (
    AwardSpec,
    Citation,
    ConditionSpec,
    Library,
    RouteSpec,
    Rules,
)
from thidua.organisation.models import (
    AuthorityLevel,
)

# ---------------------------------------------------------------------------------------------------
# The rulebook, described for a specialist


def _names(library: Library) -> Names:
    return Names(
        {c: e.name for c, e in library.catalogue.items()},
        {c: e.category for c, e in library.catalogue.items()},
    )


def describe_condition(spec: ConditionSpec, names: Names) -> str:
    """What a rule asks, in Vietnamese: the description its check gives (`CheckKind.describe`, next to the
    check's code in the engine)."""
    return describe(spec, names)


@dataclass
class SourceRef:
    tag: str
    what: str


@dataclass
class CitationView:
    basis: str
    confirmed: bool
    note: str
    sources: list[SourceRef]


def _citation(citation: Citation, library: Library) -> CitationView:
    refs = []
    for tag in citation.sources:
        entry = library.sources.get(tag)
        what = ""
        if isinstance(entry, Mapping):
            grade = entry.get("grade")
            what = str(entry.get("what", "")) + (f" ({_('mức tin cậy')} {grade})" if grade else "")
        refs.append(SourceRef(tag, what))
    return CitationView(citation.basis, citation.confirmed, citation.note or "", refs)


def _recipients_text(recipients: Iterable[str] | None) -> str:
    return ", ".join(labels.RECIPIENT_LABELS[r] for r in recipients or ())


def _kinds_text(kinds: Iterable[str] | None) -> str:
    return ", ".join(labels.KIND_LABELS[k] for k in kinds or ())


@dataclass
class RuleCondition:
    code: str
    text: str
    judgment: bool
    recipients: str
    citation: CitationView
    # False when the condition only repeats its route's (or award's) citation: shown once, above.
    own_citation: bool = True


@dataclass
class RuleRoute:
    id: str
    title: str
    kinds: str
    recipients: str
    judgment: bool
    provincial: bool
    citation: CitationView
    conditions: list[RuleCondition]
    own_citation: bool = True


@dataclass
class BonusLine:
    recipient: str
    coefficient: Decimal
    amount: int | None
    citation: CitationView


@dataclass
class RuleAward:
    code: str
    name: str
    category: str
    recipients: str
    kinds: str
    period: int
    modelled: bool
    provincial: bool
    citation: CitationView
    conditions: list[RuleCondition]
    routes: list[RuleRoute]
    bonuses: list[BonusLine]
    votes: list[str]

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS.get(self.category, ""))

    @property
    def confirmed(self) -> bool:
        return (
            self.citation.confirmed
            and all(c.citation.confirmed for c in self.conditions)
            and all(
                r.citation.confirmed and all(c.citation.confirmed for c in r.conditions) for r in self.routes
            )
        )


PRINCIPLE_LABELS = {
    "recipients": gettext_lazy("Đối tượng được xét tặng từng danh hiệu, hình thức"),
    "kinds": gettext_lazy("Loại hình khen thưởng (công trạng, chuyên đề, đột xuất…)"),
    "freeze": gettext_lazy(
        "Chưa xét khen thưởng khi đang xem xét kỷ luật, điều tra, thanh tra, kiểm tra hoặc xác minh đơn thư"
    ),
    "discipline_reset": gettext_lazy("Thành tích chỉ được tính từ khi chấp hành xong kỷ luật"),
    "one_initiative_one_use": gettext_lazy("Mỗi sáng kiến, đề tài chỉ được dùng một lần để xét khen thưởng"),
    "merit_only": gettext_lazy(
        "Kết quả khen thưởng đột xuất, chuyên đề không dùng làm căn cứ đề nghị khen thưởng công trạng"
    ),
    "next_period": gettext_lazy(
        "Lần đề nghị sau cùng hình thức tính thành tích từ sau lần trước; năm đã tính không tính lại"
    ),
}


@dataclass
class PrincipleLine:
    key: str
    label: str
    citation: CitationView


@dataclass
class SalaryInfo:
    amount: int
    valid_from: dt.date
    citation: CitationView


@dataclass
class BonusRules:
    rounding: int
    rounding_citation: CitationView
    household_multiplier: Decimal
    household_citation: CitationView
    citation: CitationView


@dataclass
class Rulebook:
    day: dt.date
    regime: RegimeInfo
    regimes: list[RegimeInfo]
    province: ProvinceInfo | None
    principles: list[PrincipleLine]
    quotas: list[tuple[str, CitationView]]
    awards: list[RuleAward]
    salary: SalaryInfo | None
    bonus: BonusRules | None
    # What a decision signed that day cites, whole ("Căn cứ …;"), with whether each reading is confirmed.
    decision_bases: list[CitationView] = field(default_factory=list)
    # The provincial layer written for this regime whose own text is not yet in force on the day.
    province_later: ProvinceInfo | None = None
    # Who decides what on the day: each level of authority, the awards its head decides, and the article.
    powers: list[tuple[str, list[str], CitationView]] = field(default_factory=list)


def _rule_condition(spec: ConditionSpec, names: Names, library: Library, parent: Citation) -> RuleCondition:
    return RuleCondition(
        code=spec.code,
        text=describe_condition(spec, names),
        judgment=spec.check == "judgment",
        recipients=_recipients_text(spec.recipients),
        citation=_citation(spec.citation, library),
        own_citation=spec.citation != parent,
    )


def _is_provincial(layer: str) -> bool:
    return layer.startswith("province:")


def _rule_award(
    spec: AwardSpec,
    rules: Rules,
    names: Names,
    library: Library,
    day: dt.date,
    local_names: Mapping[str, str],
) -> RuleAward:
    bonuses = []
    table = rules.regime.bonus
    if table is not None:
        for (code, recipient), coefficient in table.coefficients.items():
            if code != spec.code:
                continue
            try:
                amount: int | None = bonus(library, code, recipient, day).amount
            except BonusError:
                amount = None
            bonuses.append(
                BonusLine(
                    recipient=labels.RECIPIENT_LABELS[recipient],
                    coefficient=coefficient.value,
                    amount=amount,
                    citation=_citation(coefficient.citation, library),
                )
            )
    votes = [
        f"{vote.get('text', '')} ({_('tối thiểu')} {labels.percent(float(vote['min_ratio']))})"
        for vote in rules.council.get("votes", [])
        if spec.code in vote.get("awards", [])
    ]
    return RuleAward(
        code=spec.code,
        name=local_names.get(spec.code, spec.name),
        category=spec.category,
        recipients=_recipients_text(spec.recipients),
        kinds=_kinds_text(spec.kinds),
        period=spec.period,
        modelled=spec.modelled,
        provincial=_is_provincial(spec.layer),
        citation=_citation(spec.citation, library),
        conditions=[_rule_condition(c, names, library, spec.citation) for c in spec.conditions],
        routes=[_rule_route(r, spec, names, library) for r in spec.routes],
        bonuses=bonuses,
        votes=votes,
    )


def _rule_route(route: RouteSpec, award: AwardSpec, names: Names, library: Library) -> RuleRoute:
    return RuleRoute(
        id=route.id,
        title=route.title,
        kinds=_kinds_text(route.kinds or award.kinds),
        recipients=_recipients_text(route.recipients or award.recipients),
        judgment=route.judgment,
        provincial=_is_provincial(route.layer),
        citation=_citation(route.citation, library),
        conditions=[_rule_condition(c, names, library, route.citation) for c in route.conditions],
        own_citation=route.citation != award.citation,
    )


def regimes() -> list[RegimeInfo]:
    return [_regime_info(r) for r in default_evaluator().library.regimes]


def rulebook(*, day: dt.date) -> Rulebook:
    """The rules in force on `day`: the regime, the provincial layer, every award with its routes and
    conditions, and the bonus coefficients with the base salary of that day."""
    library = default_evaluator().library
    rules = library.rules_for(day)
    names = _names(library)
    local_names = award_names()
    salary = library.salary_on(day)
    table = rules.regime.bonus
    return Rulebook(
        day=day,
        decision_bases=[_citation(b.citation, library) for b in library.decision_bases(day)],
        powers=[
            (
                str(AuthorityLevel(p.level).label),
                [local_names.get(code, code) for code in library.catalogue if code in p.awards],
                _citation(p.citation, library),
            )
            for p in library.powers_on(day)
        ],
        regime=_regime_info(rules.regime),
        regimes=[_regime_info(r) for r in library.regimes],
        province=_province_info(rules, local_names),
        province_later=_province_info(library.rules_of(rules.regime), local_names)
        if rules.province is None
        else None,
        principles=[
            PrincipleLine(key, str(PRINCIPLE_LABELS.get(key, key)), _citation(p.citation, library))
            for key, p in rules.regime.principles.items()
        ],
        quotas=[
            (
                _("{award}: không quá {ratio} số cá nhân đạt {base} của đơn vị").format(
                    award=local_names.get(q.award, q.award),
                    ratio=labels.percent(float(q.max_ratio)),
                    base=local_names.get(q.of, q.of),
                ),
                _citation(q.citation, library),
            )
            for q in rules.regime.quotas.values()
        ],
        awards=[
            _rule_award(rules.awards[code], rules, names, library, day, local_names)
            for code in library.catalogue
            if code in rules.awards
        ],
        salary=SalaryInfo(salary.amount, salary.valid_from, _citation(salary.citation, library))
        if salary
        else None,
        bonus=BonusRules(
            rounding=table.rounding,
            rounding_citation=_citation(table.rounding_citation, library),
            household_multiplier=table.household_multiplier,
            household_citation=_citation(table.household_citation, library),
            citation=_citation(table.citation, library),
        )
        if table
        else None,
    )
