"""Writes of the reports: the targets of an authority's year, and the saved reports of the builder.

Each is atomic, takes the acting user, checks the role and authority again, sets the history user and
writes an audit row; a refusal is a ValidationError or Forbidden with a Vietnamese message, nothing
written.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, User
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden
from thidua.organisation.models import Authority
from thidua.reports import builder
from thidua.reports.models import Measure, SavedReport, Target
from thidua.reports.selectors import user_authority


def may_set_targets(actor: User, authority: Authority) -> bool:
    if actor.role == Role.ADMINISTRATOR:
        return True
    return actor.role == Role.BOARD_SPECIALIST and actor.authority_id == authority.pk


def _percent(measure: Measure, raw: Any) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(
            _("Chỉ tiêu «{measure}» phải là một tỷ lệ từ 0 đến 100.").format(measure=measure.label),
            code="invalid_target",
        )
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def targets_set(*, actor: User, authority: Authority, year: int, values: Mapping[str, Any]) -> list[Target]:
    """Set the year's targets of an authority: a percentage per measure, or blank to have none."""
    if not may_set_targets(actor, authority):
        raise Forbidden(_("Chỉ Ban Thi đua – Khen thưởng của cấp này được đặt chỉ tiêu."), "not_the_board")
    if not builder.FIRST_YEAR <= year <= builder.LAST_YEAR:
        raise ValidationError(_("Năm không hợp lệ."), code="invalid_year")
    wanted = {measure: _percent(measure, values.get(measure.value)) for measure in Measure}
    existing = {
        t.measure: t for t in Target.objects.select_for_update().filter(authority=authority, year=year)
    }
    changes: dict[str, Any] = {}
    kept: list[Target] = []
    for measure, percent in wanted.items():
        current = existing.get(measure.value)
        if percent is None:
            if current is not None:
                changes[measure.value] = [str(current.percent), None]
                with_history_user(current, actor)
                current.delete()
            continue
        if current is None:
            current = Target(authority=authority, year=year, measure=measure.value, percent=percent)
            changes[measure.value] = [None, str(percent)]
        elif current.percent != percent:
            changes[measure.value] = [str(current.percent), str(percent)]
            current.percent = percent
        else:
            kept.append(current)
            continue
        with_history_user(current, actor)
        current.full_clean()
        current.save()
        kept.append(current)
    if changes:
        audit_record(
            actor=actor,
            action="reports.targets_set",
            target=authority,
            summary=_("Đặt chỉ tiêu tỷ lệ khen thưởng năm {year}").format(year=year),
            extra={"year": year, "changes": changes},
        )
    return kept


@transaction.atomic
def saved_report_create(
    *, actor: User, name: str, definition: Mapping[str, Any], shared: bool = False
) -> SavedReport:
    """Keep a builder's definition under a name; checked against the allowed dimensions and filters."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Hãy đặt tên cho báo cáo."), code="name_required")
    if len(name) > 200:
        raise ValidationError(_("Tên báo cáo dài quá 200 ký tự."), code="name_too_long")
    checked = builder.parse(definition)
    authority = user_authority(actor)
    if shared and authority is None:
        raise ValidationError(
            _("Tài khoản của bạn không thuộc cấp có thẩm quyền nào để chia sẻ báo cáo."), code="no_authority"
        )
    report = SavedReport(
        owner=actor, name=name, definition=checked.as_json(), authority=authority, shared=shared
    )
    with_history_user(report, actor)
    report.save()
    audit_record(actor=actor, action="reports.saved_report_create", target=report, summary=name)
    return report


@transaction.atomic
def saved_report_delete(*, actor: User, report: SavedReport) -> None:
    """Delete one's own saved report (nothing refers to a saved report)."""
    if report.owner_id != actor.pk:
        raise Forbidden(_("Chỉ người tạo được xóa báo cáo đã lưu."), "not_the_owner")
    audit_record(actor=actor, action="reports.saved_report_delete", target=report, summary=report.name)
    with_history_user(report, actor)
    report.delete()
