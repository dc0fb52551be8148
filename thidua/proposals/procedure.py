"""What the rulebooks say about the procedure of a dossier: required components, time limits in working
days, who must be published for public comment, the Council's attendance and vote thresholds, and the
bonus amount of a decided line. Everything is read from the rulebook in force on the relevant date and
the provincial layer; nothing here is a legal number of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.workdays import default_calendar
from thidua.eligibility.bonus import BonusError, bonus
from thidua.eligibility.engine import default_evaluator
from thidua.eligibility.rulebook import Rules, processing_rule, public_comment_rule


def rules_on(day: dt.date) -> Rules:
    return default_evaluator().rules_on(day)


def _province() -> Any:
    """The provincial layer in use (THIDUA_PROVINCE_RULES); its procedure sections carry no dates."""
    return default_evaluator().library.province


def review_year(today: dt.date) -> int:
    """The achievement year a new dossier is for by default: the current year once the province's year-end
    review season has opened (its rulebook says when), else the previous year."""
    return default_evaluator().library.review_year(today)


@dataclass(frozen=True)
class Component:
    code: str
    text: str
    basis: str
    confirmed: bool = True


# The component of a file the rulebook does not ask for: any other evidence the unit wants to add. Its
# code is the product's, not the rulebook's; its name is translated like the rest of the screens.
OTHER_EVIDENCE = "minh_chung_khac"


def component_codes() -> dict[str, str]:
    """Every component a file may be attached as, code → text: the provincial layer's, then other
    evidence."""
    province = _province()
    known = dict(province.components) if province is not None else {}
    known[OTHER_EVIDENCE] = _("Tài liệu minh chứng khác")
    return known


def component_text(code: str, note: str = "") -> str:
    """The name a page or paper shows for a component code; a note (a file of other evidence kept from
    before the codes, with its own wording) is shown as written. A code the rulebook no longer has is
    shown as the code, never hidden."""
    if code == OTHER_EVIDENCE and note:
        return note
    return component_codes().get(code, code)


def required_components(award_codes: set[str], kind: str = "cong_trang") -> list[Component]:
    """The dossier components the provincial layer asks for the proposed titles and forms of this kind of
    commendation (an entry without `awards` covers every award of its kinds)."""
    province = _province()
    if province is None or not award_codes:
        return []
    seen: dict[str, Component] = {}
    for entry in province.dossiers:
        if kind not in entry.get("kinds", [kind]):
            continue
        if "awards" not in entry or award_codes & set(entry["awards"]):
            for code in entry.get("components", []):
                confirmed = bool(entry.get("confirmed", True))
                text = province.components.get(code, code)
                seen.setdefault(code, Component(code, text, str(entry.get("basis", "")), confirmed))
    return list(seen.values())


def missing_items(
    dossier: Any, *, codes: set[str] | None = None, attached: set[str] | None = None
) -> list[str]:
    """What the dossier still lacks before it can be submitted, in the unit officer's words. A page that
    already holds the proposed award codes and the codes of the attached components passes them in."""
    if codes is None:
        codes = set(dossier.nominees.filter(is_active=True).values_list("award_type__code", flat=True))
    if attached is None:
        attached = set(dossier.attachments.filter(is_active=True).values_list("component", flat=True))
    missing = []
    if not codes:
        missing.append(_("chưa có cá nhân, tập thể hoặc hộ gia đình được đề nghị"))
    if dossier.kind == "chuyen_de" and not dossier.movement:
        missing.append(_("chưa ghi phong trào thi đua"))
    for component in required_components(codes, dossier.kind):
        if component.code not in attached:
            missing.append(_("thiếu “{text}”").format(text=component.text))
    return missing


def reference_day(dossier: Any) -> dt.date:
    """The proposal date: the (local) day of the last submission, or today for a dossier never sent."""
    return timezone.localtime(dossier.submitted_at).date() if dossier.submitted_at else timezone.localdate()


def due_date(dossier: Any, start: dt.date, stage: str) -> tuple[dt.date, str] | None:
    """When the Board's answer is due, counted in working days from `start` (not counted). The provincial
    regulation times the province's own handling; a lower authority's dossier has no such term in it."""
    if not _addressed_to_province(dossier):
        return None
    province = _province()
    rule = processing_rule(province, dossier.kind, stage) if province is not None else None
    if rule is None:
        return None
    due = default_calendar().add_working_days(start, rule.working_days)
    basis = _("{n} ngày làm việc – {basis}").format(n=rule.working_days, basis=rule.citation.basis)
    return due, basis[:300]


def _addressed_to_province(dossier: Any) -> bool:
    authority = getattr(dossier, "authority", None)
    return authority is None or authority.level == "province"


@dataclass(frozen=True)
class SubmissionDeadline:
    day: dt.date
    text: str
    basis: str


def submission_deadline(dossier: Any) -> SubmissionDeadline | None:
    """The province's deadline for sending a yearly (công trạng) dossier of the achievement year, if its
    rulebook sets one; the directive's complaint is dossiers sent too late to be appraised well."""
    if dossier.kind != "cong_trang" or not _addressed_to_province(dossier):
        return None
    province = _province()
    if province is None:
        return None
    for entry in province.deadlines:
        if entry.get("code") == "tong_ket_nam" and entry.get("day") and entry.get("month"):
            day = dt.date(dossier.year, int(entry["month"]), int(entry["day"]))
            return SubmissionDeadline(day, str(entry.get("text", "")), str(entry.get("basis", "")))
    return None


def public_comment_days(award_code: str) -> tuple[int, str] | None:
    province = _province()
    rule = public_comment_rule(province, award_code) if province is not None else None
    if rule is None:
        return None
    return rule.working_days, rule.citation.basis


def open_public_comment(dossier: Any, today: dt.date) -> int:
    """Open the public-comment window of every line whose award the rulebook publishes."""
    opened = 0
    for line in dossier.nominees.filter(is_active=True).select_related("award_type"):
        rule = public_comment_days(line.award_type.code)
        if rule is None:
            continue
        line.public_comment_until = default_calendar().add_working_days(today, rule[0])
        line.save(update_fields=["public_comment_until"])
        opened += 1
    return opened


@dataclass(frozen=True)
class VoteRule:
    ratio: float
    of_total: bool
    text: str
    basis: str


def _vote_entry(award_code: str, day: dt.date) -> dict[str, Any] | None:
    """The Council's vote threshold for this award in the rules in force on `day`, if they set one."""
    return next((v for v in rules_on(day).council.get("votes", []) if award_code in v["awards"]), None)


def vote_rule(award_code: str, day: dt.date) -> VoteRule:
    council = rules_on(day).council
    vote = _vote_entry(award_code, day)
    if vote is not None:
        citation = council.get("votes_citation") or council.get("citation") or {}
        return VoteRule(
            float(vote["min_ratio"]),
            vote.get("of", "total_members") == "total_members",
            str(vote.get("text", "")),
            str(citation.get("basis", "")),
        )
    citation = council.get("citation") or {}
    rule = council.get("decision_rule") or _("Biểu quyết theo đa số")
    return VoteRule(
        0.5,
        False,
        _("{rule}: quá nửa số thành viên có mặt và có ý kiến bằng văn bản đồng ý").format(rule=rule),
        str(citation.get("basis", "")),
    )


def needs_ballot(award_code: str, dossier: Any) -> bool:
    """A line goes to the Council's secret ballot when the rulebook sets a vote threshold for its award."""
    return _vote_entry(award_code, reference_day(dossier)) is not None


def attendance_rule(day: dt.date) -> tuple[float, str, str]:
    """The share of the total membership that must attend a session that considers awards."""
    council = rules_on(day).council
    citation = council.get("citation") or {}
    ratio = council.get("award_session_attendance_ratio") or council.get("quorum_ratio")
    text = council.get("award_session_attendance_text") or council.get("quorum_text")
    if ratio is None:
        return 0.5, _("Quá nửa tổng số thành viên (quy định cấp tỉnh chưa có trong bộ quy tắc)"), ""
    return float(ratio), str(text or ""), str(citation.get("basis", ""))


def bonus_for(award_code: str, recipient_kind: str, day: dt.date) -> tuple[int | None, str]:
    """The bonus amount on the decision date (coefficient × base salary in force, rounded per the decree)
    with its basis; or None with the rulebook's reason when it sets no amount for this award and recipient,
    which the line then shows so the office pays it by hand or not at all, knowingly."""
    try:
        answer = bonus(default_evaluator().library, award_code, recipient_kind, day)
    except BonusError as exc:
        return None, _("Chưa tính được tiền thưởng: {reason}").format(reason=exc.message)
    return answer.amount, answer.basis
