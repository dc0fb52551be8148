"""What changed between two regimes of the rulebooks, condition by condition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.appraisal.panel import RegimeInfo, _regime_info, award_names
from thidua.appraisal.rulebook import PRINCIPLE_LABELS, _kinds_text, _names, describe_condition
from thidua.eligibility import labels
from thidua.eligibility.conditions import Names
from thidua.eligibility.corrections import Correction, corrections_of
from thidua.eligibility.engine import (
    default_evaluator,
)
from thidua.eligibility.rulebook import (
    AwardSpec,
    Citation,
    ConditionSpec,
    Principle,
    Regime,
    RouteSpec,
)

# ---------------------------------------------------------------------------------------------------
# What changed between two regimes

CHANGE_LABELS = {
    "added": gettext_lazy("Bổ sung"),
    "removed": gettext_lazy("Bãi bỏ"),
    "changed": gettext_lazy("Thay đổi"),
}
PARAM_LABELS = {
    "min_rating": gettext_lazy("mức đánh giá tối thiểu"),
    "years": gettext_lazy("số năm liên tục"),
    "or_awards": gettext_lazy("hoặc danh hiệu"),
    "missing": gettext_lazy("khi thiếu dữ liệu"),
    "at_least": gettext_lazy("số lần, số năm tối thiểu"),
    "window": gettext_lazy("số năm xét"),
    "awards": gettext_lazy("danh hiệu"),
    "or_rating": gettext_lazy("hoặc mức đánh giá"),
    "award": gettext_lazy("danh hiệu, hình thức"),
    "count": gettext_lazy("số lần"),
    "period": gettext_lazy("số năm mỗi lần"),
    "before_window": gettext_lazy("số năm của giai đoạn sau"),
    "min_scope": gettext_lazy("phạm vi tối thiểu"),
    "types": gettext_lazy("loại sáng kiến, đề tài"),
    "same_type": gettext_lazy("cùng loại"),
    "field": gettext_lazy("chỉ số"),
    "min": gettext_lazy("tối thiểu"),
    "max": gettext_lazy("tối đa"),
    "strict": gettext_lazy("lớn hơn hẳn"),
    "role": gettext_lazy("vai trò"),
}


@dataclass
class Change:
    action: str
    subject: str
    before: str = ""
    after: str = ""
    details: list[str] = field(default_factory=list)
    # Only the article or its confirmation changed, not what the rule asks: listed after real changes.
    citation_only: bool = False

    @property
    def action_label(self) -> str:
        return str(CHANGE_LABELS[self.action])


@dataclass
class ChangeGroup:
    title: str
    changes: list[Change]

    def __post_init__(self) -> None:
        self.changes.sort(key=lambda change: change.citation_only)


@dataclass
class CorrectionView:
    """A corrected reading of the rulebooks, with the awards it touches by their names."""

    correction: Correction
    awards: list[str]
    regimes: list[str]

    @property
    def sources(self) -> str:
        return ", ".join(self.correction.sources)


@dataclass
class RegimeComparison:
    old: RegimeInfo
    new: RegimeInfo
    groups: list[ChangeGroup]
    regimes: list[RegimeInfo]
    invalid: bool = False
    # Readings of either regime (or of the provincial layer applied with it) corrected in the rulebooks
    # themselves: not a change of the law between the two, so listed apart.
    corrections: list[CorrectionView] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.old.id == self.new.id

    @property
    def count(self) -> int:
        return sum(len(g.changes) for g in self.groups)


def _value_text(key: str, value: Any, names: Names) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(_value_text(key, v, names) for v in value) or "—"
    if key in ("award", "awards", "or_awards"):
        return names.names.get(value, value)
    if key in ("min_rating", "or_rating"):
        return labels.RATING_LABELS.get(value, value)
    if key == "min_scope":
        return labels.SCOPE_LABELS.get(value, value)
    if key == "types":
        return labels.INITIATIVE_TYPE_LABELS.get(value, value)
    if key == "field":
        return labels.MEMBER_STAT_LABELS.get(value, value)
    if key == "role":
        return labels.BLOC_ROLE_LABELS.get(value, value)
    if isinstance(value, float) and key in ("min",):
        return labels.percent(value)
    return str(value)


def _cited(text: str, citation: Citation) -> str:
    mark = "" if citation.confirmed else _(" – chưa xác nhận")
    return f"{text} ({citation.basis}{mark})"


def _basis(citation: Citation) -> str:
    return citation.basis + ("" if citation.confirmed else _(" (chưa xác nhận)"))


def _citation_changed(old: Citation, new: Citation) -> bool:
    return old.basis != new.basis or old.confirmed != new.confirmed


def _compare_conditions(
    old: Sequence[ConditionSpec], new: Sequence[ConditionSpec], names: Names, where: str
) -> list[Change]:
    changes = []
    old_by = {c.code: c for c in old}
    new_by = {c.code: c for c in new}
    for code, spec in old_by.items():
        if code not in new_by:
            changes.append(
                Change("removed", where, before=_cited(describe_condition(spec, names), spec.citation))
            )
    for code, spec in new_by.items():
        before = old_by.get(code)
        if before is None:
            changes.append(
                Change("added", where, after=_cited(describe_condition(spec, names), spec.citation))
            )
            continue
        details = [
            f"{PARAM_LABELS.get(key, key)}: {_value_text(key, before.params.get(key), names)} → "
            f"{_value_text(key, spec.params.get(key), names)}"
            for key in dict.fromkeys((*before.params, *spec.params))
            if before.params.get(key) != spec.params.get(key)
        ]
        old_text, new_text = describe_condition(before, names), describe_condition(spec, names)
        if (
            details
            or before.check != spec.check
            or old_text != new_text
            or _citation_changed(before.citation, spec.citation)
        ):
            changes.append(
                Change(
                    "changed",
                    where,
                    before=_cited(old_text, before.citation),
                    after=_cited(new_text, spec.citation),
                    details=details,
                    citation_only=not details and before.check == spec.check and old_text == new_text,
                )
            )
    return changes


def _route_summary(route: RouteSpec, names: Names) -> str:
    conditions = "; ".join(describe_condition(c, names) for c in route.conditions)
    return _cited(f"{route.title}: {conditions}", route.citation)


def _compare_awards(old: AwardSpec, new: AwardSpec, names: Names) -> list[Change]:
    subject = _("Tiêu chuẩn")
    if not old.modelled and not new.modelled:
        return []
    if not old.modelled:
        titles = "; ".join(r.title for r in new.routes)
        return [Change("added", subject, before=old.citation.note or "", after=_cited(titles, new.citation))]
    if not new.modelled:
        titles = "; ".join(r.title for r in old.routes)
        return [
            Change("removed", subject, before=_cited(titles, old.citation), after=new.citation.note or "")
        ]
    changes = []
    if _citation_changed(old.citation, new.citation):
        changes.append(
            Change("changed", _("Căn cứ"), before=_basis(old.citation), after=_basis(new.citation))
        )
    if set(old.kinds) != set(new.kinds):
        changes.append(
            Change(
                "changed",
                _("Loại hình khen thưởng"),
                before=_kinds_text(old.kinds),
                after=_kinds_text(new.kinds),
            )
        )
    if old.period != new.period:
        changes.append(
            Change("changed", _("Số năm tính thành tích"), before=str(old.period), after=str(new.period))
        )
    changes += _compare_conditions(old.conditions, new.conditions, names, _("Điều kiện chung"))
    old_routes = {r.id: r for r in old.routes}
    new_routes = {r.id: r for r in new.routes}
    for route_id, route in old_routes.items():
        if route_id not in new_routes:
            changes.append(Change("removed", _("Hướng xét"), before=_route_summary(route, names)))
    for route_id, route in new_routes.items():
        before = old_routes.get(route_id)
        where = _("Hướng xét “{title}”").format(title=route.title)
        if before is None:
            changes.append(Change("added", _("Hướng xét"), after=_route_summary(route, names)))
            continue
        if before.title != route.title:
            changes.append(Change("changed", _("Tên hướng xét"), before=before.title, after=route.title))
        if (before.kinds or old.kinds) != (route.kinds or new.kinds) or before.judgment != route.judgment:
            changes.append(
                Change(
                    "changed",
                    where,
                    before=_kinds_text(before.kinds or old.kinds)
                    + (_("; cần người thẩm định") if before.judgment else ""),
                    after=_kinds_text(route.kinds or new.kinds)
                    + (_("; cần người thẩm định") if route.judgment else ""),
                )
            )
        changes += _compare_conditions(before.conditions, route.conditions, names, where)
    return changes


def _compare_principles(old: Mapping[str, Principle], new: Mapping[str, Principle]) -> list[Change]:
    changes = []
    for key in dict.fromkeys((*old, *new)):
        label = str(PRINCIPLE_LABELS.get(key, key))
        a, b = old.get(key), new.get(key)
        if a is None and b is not None:
            changes.append(Change("added", label, after=_basis(b.citation)))
        elif b is None and a is not None:
            changes.append(Change("removed", label, before=_basis(a.citation)))
        elif (
            a is not None
            and b is not None
            and (_citation_changed(a.citation, b.citation) or a.params != b.params)
        ):
            changes.append(Change("changed", label, before=_basis(a.citation), after=_basis(b.citation)))
    return changes


def _coefficient_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}".replace(".", ",")


def _compare_bonus(old: Regime, new: Regime, names: Mapping[str, str]) -> list[Change]:
    old_table = old.bonus.coefficients if old.bonus else {}
    new_table = new.bonus.coefficients if new.bonus else {}
    changes = []
    if (old.bonus is None) != (new.bonus is None):
        changes.append(
            Change(
                "added" if new.bonus else "removed",
                _("Bảng hệ số tiền thưởng"),
                before=_basis(old.bonus.citation) if old.bonus else "",
                after=_basis(new.bonus.citation) if new.bonus else "",
            )
        )
    for key in dict.fromkeys((*old_table, *new_table)):
        code, recipient = key
        subject = f"{names.get(code, code)} ({labels.RECIPIENT_LABELS[recipient]})"
        a, b = old_table.get(key), new_table.get(key)
        if a is None and b is not None:
            changes.append(Change("added", subject, after=_cited(_coefficient_text(b.value), b.citation)))
        elif b is None and a is not None:
            changes.append(Change("removed", subject, before=_cited(_coefficient_text(a.value), a.citation)))
        elif (
            a is not None
            and b is not None
            and (a.value != b.value or _citation_changed(a.citation, b.citation))
        ):
            changes.append(
                Change(
                    "changed",
                    subject,
                    before=_cited(_coefficient_text(a.value), a.citation),
                    after=_cited(_coefficient_text(b.value), b.citation),
                    details=[] if a.value != b.value else [_("Hệ số giữ nguyên")],
                    citation_only=a.value == b.value,
                )
            )
    return changes


def _votes(council: Mapping[str, Any]) -> dict[str, float]:
    return {code: float(v["min_ratio"]) for v in council.get("votes", []) for code in v.get("awards", [])}


def compare_regimes(*, old_id: str = "", new_id: str = "", day: dt.date | None = None) -> RegimeComparison:
    """What changed from one regime to another: awards, routes and conditions added, removed or with
    other parameters; principles; the old quota; bonus coefficients; the Council's vote thresholds.
    Each side is read with the provincial layer it is applied with. Without ids (or with an unknown
    one), the regime in force on `day` is compared with the one before it."""
    library = default_evaluator().library
    ordered = list(library.regimes)
    by_id = {r.id: r for r in ordered}
    current = library.regime_for(day or timezone.localdate())
    position = next(i for i, r in enumerate(ordered) if r.id == current.id)
    invalid = bool((old_id and old_id not in by_id) or (new_id and new_id not in by_id))
    old_regime = by_id.get(old_id) or ordered[max(position - 1, 0)]
    new_regime = by_id.get(new_id) or current
    old_rules, new_rules = library.rules_of(old_regime), library.rules_of(new_regime)
    names = _names(library)
    local_names = award_names()
    groups = []
    principles = _compare_principles(old_regime.principles, new_regime.principles)
    for code in dict.fromkeys((*old_regime.quotas, *new_regime.quotas)):
        a, b = old_regime.quotas.get(code), new_regime.quotas.get(code)
        subject = _("Tỷ lệ tối đa {award}").format(award=local_names.get(code, code))
        if a and not b:
            principles.append(
                Change("removed", subject, before=_cited(labels.percent(float(a.max_ratio)), a.citation))
            )
        elif b and not a:
            principles.append(
                Change("added", subject, after=_cited(labels.percent(float(b.max_ratio)), b.citation))
            )
        elif a and b and a.max_ratio != b.max_ratio:
            principles.append(
                Change(
                    "changed",
                    subject,
                    before=_cited(labels.percent(float(a.max_ratio)), a.citation),
                    after=_cited(labels.percent(float(b.max_ratio)), b.citation),
                )
            )
    if principles:
        groups.append(ChangeGroup(_("Nguyên tắc chung"), principles))
    old_province = old_rules.province.id if old_rules.province else None
    new_province = new_rules.province.id if new_rules.province else None
    if old_province != new_province:
        groups.append(
            ChangeGroup(
                _("Lớp quy định của tỉnh"),
                [
                    Change(
                        "changed",
                        _("Áp dụng"),
                        before=old_rules.province.regulation if old_rules.province else _("không áp dụng"),
                        after=new_rules.province.regulation if new_rules.province else _("không áp dụng"),
                    )
                ],
            )
        )
    for code in library.catalogue:
        old_spec, new_spec = old_rules.awards.get(code), new_rules.awards.get(code)
        if old_spec is None or new_spec is None:
            continue
        award_changes = _compare_awards(old_spec, new_spec, names)
        if award_changes:
            groups.append(ChangeGroup(local_names.get(code, new_spec.name), award_changes))
    bonus_changes = _compare_bonus(old_regime, new_regime, local_names)
    if bonus_changes:
        groups.append(ChangeGroup(_("Hệ số tiền thưởng"), bonus_changes))
    old_votes, new_votes = _votes(old_rules.council), _votes(new_rules.council)
    vote_changes = []
    for code in dict.fromkeys((*old_votes, *new_votes)):
        was, now = old_votes.get(code), new_votes.get(code)
        if was != now:
            vote_changes.append(
                Change(
                    "added" if was is None else "removed" if now is None else "changed",
                    local_names.get(code, code),
                    before=labels.percent(was) if was is not None else "",
                    after=labels.percent(now) if now is not None else "",
                )
            )
    old_cite, new_cite = old_rules.council.get("votes_citation"), new_rules.council.get("votes_citation")
    if old_cite != new_cite and (old_cite or new_cite):
        vote_changes.append(
            Change(
                "changed",
                _("Căn cứ tỷ lệ phiếu"),
                before=str((old_cite or {}).get("basis", "")),
                after=str((new_cite or {}).get("basis", "")),
                citation_only=True,
            )
        )
    if vote_changes:
        groups.append(ChangeGroup(_("Tỷ lệ phiếu của Hội đồng"), vote_changes))
    layers = {p.id for p in (old_rules.province, new_rules.province) if p is not None}
    titles = {r.id: r.title for r in ordered}
    corrections = [
        CorrectionView(
            correction=c,
            awards=[local_names.get(code, code) for code in c.awards],
            regimes=[f"{titles[r]} ({r})" for r in c.regimes],
        )
        for c in corrections_of(library)
        if set(c.regimes) & {old_regime.id, new_regime.id} or set(c.layers) & layers
    ]
    return RegimeComparison(
        old=_regime_info(old_regime),
        new=_regime_info(new_regime),
        groups=groups,
        regimes=[_regime_info(r) for r in ordered],
        invalid=invalid,
        corrections=corrections,
    )
