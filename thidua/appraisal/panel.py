"""The eligibility panel: the engine's verdicts for one person, collective or household, with their
conditions, for a year and a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.appraisal.candidates import (
    MERIT,
    candidate_for_household,
    candidate_for_person,
    candidate_for_unit,
)
from thidua.awards.models import (
    AwardType,
)
from thidua.eligibility import labels
from thidua.eligibility.conditions import Cond
from thidua.eligibility.engine import (
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_REVIEW,
    Result,
    default_evaluator,
)
from thidua.eligibility.model import Candidate
from thidua.eligibility.rulebook import (
    Regime,
    Rules,
)
from thidua.organisation.models import (
    Household,
    Person,
    Unit,
    recipient_kind,
)
from thidua.organisation.selectors import person_with_record_flags

# ---------------------------------------------------------------------------------------------------
# Verdicts for one person or collective (the "check eligibility" panel)

VERDICT_LABELS = {
    ELIGIBLE: gettext_lazy("Đủ điều kiện"),
    NEEDS_REVIEW: gettext_lazy("Cần xem xét"),
    INELIGIBLE: gettext_lazy("Chưa đủ điều kiện"),
}
ROUTE_STATUS_LABELS = {
    "met": gettext_lazy("đáp ứng"),
    "failed": gettext_lazy("chưa đáp ứng"),
    "unknown": gettext_lazy("thiếu dữ liệu"),
    "judgment": gettext_lazy("cần người thẩm định đánh giá"),
}
CATEGORY_LABELS = {"title": gettext_lazy("Danh hiệu"), "form": gettext_lazy("Hình thức")}
# How many years the panel and the discovery page offer, counting back from the appraisal date.
YEARS_OFFERED = 10


@dataclass
class RegimeInfo:
    id: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis: tuple[str, ...]


def _regime_info(regime: Regime) -> RegimeInfo:
    return RegimeInfo(regime.id, regime.title, regime.valid_from, regime.valid_to, tuple(regime.basis))


@dataclass
class ProvinceInfo:
    id: str
    name: str
    regulation: str
    in_force_from: dt.date | None
    note: str
    replaced: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)
    # The thresholds and procedure are a model regulation, not the province's own (labelled "mẫu").
    model: bool = False


def _province_info(rules: Rules, names: Mapping[str, str]) -> ProvinceInfo | None:
    province = rules.province
    if province is None:
        return None
    return ProvinceInfo(
        id=province.id,
        name=province.name,
        regulation=province.regulation,
        in_force_from=province.in_force_from,
        note=province.citation.note or "",
        replaced=[names.get(c, c) for c, o in province.overrides.items() if o.mode == "replace"],
        extended=[names.get(c, c) for c, o in province.overrides.items() if o.mode == "extend"],
        model=province.model,
    )


@dataclass
class ConditionLine:
    text: str
    basis: str
    met: bool | None
    mechanical: bool
    confirmed: bool
    note: str


@dataclass
class ConditionGroup:
    """The conditions every route needs (no title), or those of one route (alternative)."""

    title: str
    status: str
    judgment: bool
    conditions: list[ConditionLine]

    @property
    def status_label(self) -> str:
        return str(ROUTE_STATUS_LABELS.get(self.status, ""))


@dataclass
class AwardCheck:
    code: str
    name: str
    category: str
    verdict: str
    groups: list[ConditionGroup]
    confirmed: bool
    # Already on record for the achievement year.
    held: bool = False

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS.get(self.category, ""))

    @property
    def route_count(self) -> int:
        return sum(1 for g in self.groups if g.title)

    @property
    def conditions(self) -> list[ConditionLine]:
        return [c for g in self.groups for c in g.conditions]

    @property
    def open_judgments(self) -> int:
        return sum(1 for c in self.conditions if not c.mechanical)


def _line(cond: Cond) -> ConditionLine:
    citation = cond.check.citation
    return ConditionLine(
        text=cond.text,
        basis=citation.basis,
        met=cond.met,
        mechanical=cond.mechanical,
        confirmed=citation.confirmed,
        note=citation.note or "",
    )


# The engine's own conditions that read the same for every award; the panel shows them once, on top,
# unless they fail (a freeze then shows in every award too).
GENERAL_CONDITIONS = frozenset({"not_frozen"})


def award_check(result: Result, name: str, category: str, held: bool = False) -> AwardCheck:
    """A result grouped for reading: the common conditions first, then each route with its status."""
    routes = {route.id: (route, status) for route, status in result.routes}
    common = ConditionGroup("", "", False, [])
    groups = [common]
    by_route: dict[str, ConditionGroup] = {}
    for cond in result.conditions:
        if cond.code in GENERAL_CONDITIONS and cond.met:
            continue
        route_id = cond.check.route
        if route_id is None:
            common.conditions.append(_line(cond))
            continue
        group = by_route.get(route_id)
        if group is None:
            spec, status = routes.get(route_id, (None, ""))
            group = ConditionGroup(
                title=spec.title if spec else route_id,
                status=status,
                judgment=bool(spec and spec.judgment),
                conditions=[],
            )
            by_route[route_id] = group
            groups.append(group)
        group.conditions.append(_line(cond))
    return AwardCheck(
        code=result.award,
        name=name,
        category=category,
        verdict=result.verdict,
        groups=[g for g in groups if g.conditions],
        confirmed=result.confirmed,
        held=held,
    )


@dataclass
class EligibilityReport:
    subject: Person | Unit | Household
    recipient: str
    year: int
    as_of: dt.date
    regime: RegimeInfo
    province: ProvinceInfo | None
    checks: list[AwardCheck]
    years: list[int]
    quota_notes: list[str]
    general: list[ConditionLine] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return any(line.met is False for line in self.general)

    @property
    def eligible(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == ELIGIBLE]

    @property
    def needs_review(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == NEEDS_REVIEW]

    @property
    def ineligible(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == INELIGIBLE]

    @property
    def sections(self) -> list[tuple[str, str, list[AwardCheck]]]:
        return [
            (ELIGIBLE, str(VERDICT_LABELS[ELIGIBLE]), self.eligible),
            (NEEDS_REVIEW, str(VERDICT_LABELS[NEEDS_REVIEW]), self.needs_review),
            (INELIGIBLE, str(VERDICT_LABELS[INELIGIBLE]), self.ineligible),
        ]


def award_names() -> dict[str, str]:
    """The province's names of the titles and forms (the catalogue table), by engine code."""
    return dict(AwardType.objects.values_list("code", "name"))


def _candidate_of(subject: Person | Unit | Household) -> Candidate:
    if isinstance(subject, Person):
        return candidate_for_person(subject)
    if isinstance(subject, Household):
        return candidate_for_household(subject)
    return candidate_for_unit(subject)


def review_year(as_of: dt.date) -> int:
    """The achievement year under review on `as_of`: the current year once the province's year-end season
    has opened (a date of the provincial rulebook), else the previous year."""
    return default_evaluator().library.review_year(as_of)


def year_choices(as_of: dt.date) -> list[int]:
    return list(range(as_of.year, as_of.year - YEARS_OFFERED, -1))


def eligibility_for(
    *,
    user: User,
    subject: Person | Unit | Household,
    as_of: dt.date | None = None,
    year: int | None = None,
) -> EligibilityReport:
    """Every title and form the subject's kind can receive, for the achievement year (by default the
    year under review on `as_of`), under the rules in force on `as_of` (by default today)."""
    if not user.has_perm("appraisal.check_eligibility", subject):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    year = year or review_year(as_of)
    recipient = recipient_kind(subject)
    candidate = _candidate_of(subject)
    evaluator = default_evaluator()
    rules = evaluator.rules_on(as_of)
    names = award_names()
    held = {record.award for record in candidate.awards if record.year == year}
    checks = []
    general: dict[str, ConditionLine] = {}
    catalogue = evaluator.library.catalogue
    codes = [code for code, entry in catalogue.items() if recipient in entry.recipients]
    for code, result in zip(codes, evaluator.explain(candidate, codes, year, as_of, MERIT), strict=True):
        entry = catalogue[code]
        for cond in result.conditions:
            if cond.code in GENERAL_CONDITIONS:
                general.setdefault(cond.code, _line(cond))
        checks.append(award_check(result, names.get(code, entry.name), entry.category, code in held))
    quota_notes = []
    if recipient == "individual":
        for quota in rules.regime.quotas.values():
            quota_notes.append(
                _(
                    "{award}: không quá {ratio} số cá nhân đạt {base} của đơn vị ({basis}). Tỷ lệ này chỉ "
                    "kiểm tra được khi xét cả đơn vị, không kiểm tra ở đây."
                ).format(
                    award=names.get(quota.award, quota.award),
                    ratio=labels.percent(float(quota.max_ratio)),
                    base=names.get(quota.of, quota.of),
                    basis=quota.citation.basis,
                )
            )
    return EligibilityReport(
        subject=subject,
        recipient=recipient,
        year=year,
        as_of=as_of,
        regime=_regime_info(rules.regime),
        province=_province_info(rules, names),
        checks=checks,
        years=year_choices(as_of),
        quota_notes=quota_notes,
        general=list(general.values()),
    )


def person_eligibility(
    *, user: User, person_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    """The panel of a person's profile, or None when absent or outside the user's scope."""
    person = person_with_record_flags(
        Person.objects.filter(scope_q(user), pk=person_id).select_related("unit")
    ).first()
    if person is None or not user.has_perm("appraisal.check_eligibility", person):
        return None
    return eligibility_for(user=user, subject=person, as_of=as_of, year=year)


def unit_eligibility(
    *, user: User, unit_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    unit = Unit.objects.filter(scope_q(user, None), pk=unit_id).first()
    if unit is None or not user.has_perm("appraisal.check_eligibility", unit):
        return None
    return eligibility_for(user=user, subject=unit, as_of=as_of, year=year)


def household_eligibility(
    *, user: User, household_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    household = Household.objects.filter(scope_q(user), pk=household_id).select_related("unit").first()
    if household is None or not user.has_perm("appraisal.check_eligibility", household):
        return None
    return eligibility_for(user=user, subject=household, as_of=as_of, year=year)
