"""Writes of the proposal workflow. Each service is atomic, checks the actor's role and data scope,
moves the dossier through its state machine, logs the transition, writes the audit row and tells the
people concerned.

A refusal is a `ValidationError` with a Vietnamese message and nothing written. Two people acting on
one dossier at once: the dossier row is locked (`select_for_update`) and its state re-read, and the FSM
save only updates a row still in the state it was read in, so the second one gets a clear message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from thidua.accounts.models import Role, User
from thidua.accounts.scope import unit_in_scope
from thidua.awards.models import AwardLevel, AwardRecord, AwardType, Decision, Initiative, RecordSource
from thidua.awards.selectors import initiative_in_use
from thidua.awards.services import award_record_create, decision_get_or_create
from thidua.core import dataversion, tallies
from thidua.core.audit import audit_record, with_history_user
from thidua.core.client_address import address_hash
from thidua.core.errors import Forbidden
from thidua.core.errors import require as _require
from thidua.core.errors import require_role as _require_role
from thidua.core.text import fold
from thidua.movements.models import Movement
from thidua.movements.selectors import movements_for_proposals
from thidua.organisation import authorities
from thidua.organisation.models import Authority, Household, Person, Unit, recipient_kind
from thidua.proposals import appraisal, notify, procedure, selectors, workflow
from thidua.proposals.access import conflicted, headed_authority, is_head, require_specialist
from thidua.proposals.models import (
    EDITABLE_STATES,
    Attachment,
    Attendance,
    BallotCast,
    BallotMethod,
    BallotTally,
    CouncilMember,
    CouncilRole,
    CouncilSession,
    DecisionSigner,
    Dossier,
    DossierState,
    DossierTransition,
    LineOutcome,
    Nominee,
    Notification,
    PublicComment,
    SessionState,
    SpecialistDecision,
)
from thidua.proposals.uploads import all_or_none, sniff_upload

Recipient = Person | Unit | Household

STALE = gettext_lazy(
    "Hồ sơ vừa được người khác xử lý ({state}). Hãy tải lại trang để xem trạng thái mới nhất."
)


# ---------------------------------------------------------------------------------------------------
# Helpers


def _require_scope(actor: User, dossier: Dossier) -> None:
    if not unit_in_scope(actor, dossier.unit):
        raise Forbidden(_("Hồ sơ này không thuộc phạm vi đơn vị của bạn."), "out_of_scope")


def appraised_on(dossier: Dossier) -> dt.date | None:
    """The day the Board completed the dossier's appraisal (the latest one, if it was appraised again)."""
    at = dossier.transitions.filter(target=DossierState.APPRAISED).aggregate(last=Max("at"))["last"]
    return timezone.localdate(at) if at else None


def _require_not_before(date: dt.date, earliest: dt.date | None, message: str, dossier_code: str) -> None:
    """Refuse a date before the step it follows: `message` names the dossier {code} and both days
    ({date}, {earliest}), written dd/mm/yyyy."""
    if earliest is not None:
        _require(
            date >= earliest,
            message.format(date=f"{date:%d/%m/%Y}", earliest=f"{earliest:%d/%m/%Y}", code=dossier_code),
            "date_order",
        )


def _locked(dossier: Dossier, *, same_state: bool = True) -> Dossier:
    """The dossier re-read under a row lock, so every check below sees the committed state.

    A step is taken on the state the user saw (`same_state`): if someone moved the dossier meanwhile,
    the step is refused rather than applied to a state the user never saw. Work on lines and files
    only needs the lock, and then checks the state it requires.
    """
    fresh = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "authority", "authority__unit", "linked_movement")
        .get(pk=dossier.pk)
    )
    if same_state and fresh.state != dossier.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _move(
    dossier: Dossier, actor: User, method: Callable[[], None], comment: str = "", fields: Sequence[str] = ()
) -> DossierTransition:
    source = dossier.state
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái “{state}”.").format(
                state=dossier.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(dossier, actor)
    try:
        dossier.save()
    except ConcurrentTransition as exc:
        current = Dossier.objects.filter(pk=dossier.pk).values_list("state", flat=True).first()
        label = DossierState(current).label if current else "?"
        raise ValidationError(str(STALE).format(state=label), code="state_conflict") from exc
    entry = DossierTransition.objects.create(
        dossier=dossier, actor=actor, source=source, target=dossier.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"dossier_{dossier.state}",
        target=dossier,
        summary=f"{dossier.code}: {source} → {dossier.state}",
        extra={"comment": comment, **({"fields": list(fields)} if fields else {})},
    )
    notify.transition(dossier, entry)
    return entry


def _recipient_fields(recipient: Recipient) -> dict[str, Any]:
    if isinstance(recipient, Person):
        return {"person": recipient, "collective": None, "household": None}
    if isinstance(recipient, Household):
        return {"person": None, "collective": None, "household": recipient}
    return {"person": None, "collective": recipient, "household": None}


def _recipient_unit(recipient: Recipient) -> Unit:
    return recipient if isinstance(recipient, Unit) else recipient.unit


def _refresh_search(dossier: Dossier) -> None:
    dossier.search_text = fold(
        f"{dossier.code} {dossier.title} {dossier.unit.name} {dossier.proposal_number}"
    )


# ---------------------------------------------------------------------------------------------------
# Drafting (unit officer, unit head)

UNIT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD)


@transaction.atomic
def dossier_create(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    year: int,
    title: str,
    summary: str = "",
    movement: str = "",
    proposal_number: str = "",
    authority: Authority | None = None,
    linked_movement: Movement | None = None,
) -> Dossier:
    """A draft addressed to `authority`: one at or above the proposing unit, by default the nearest (the
    unit's own, for its own titles; a unit sends higher awards up by choosing the province)."""
    _require_role(actor, *UNIT_ROLES, Role.BOARD_SPECIALIST)
    if not unit_in_scope(actor, unit):
        raise Forbidden(_("Đơn vị này không thuộc phạm vi của bạn."), "out_of_scope")
    chain = authorities.authority_chain(unit)
    _require(
        bool(chain),
        _("Chưa khai báo cấp có thẩm quyền quyết định khen thưởng cho {unit}.").format(unit=unit.name),
        "no_authority",
    )
    if authority is None:
        authority = chain[0]
    _require(
        authority.pk in {a.pk for a in chain},
        _("{name} không phải cấp quyết định khen thưởng của {unit}.").format(
            name=authority.name, unit=unit.name
        ),
        "wrong_authority",
    )
    title = title.strip()
    _require(bool(title), _("Cần nhập trích yếu của hồ sơ."))
    _check_linked_movement(unit, linked_movement)
    if linked_movement is not None and not movement.strip():
        movement = linked_movement.title
    _require(
        kind != "chuyen_de" or bool(movement.strip()),
        _("Hồ sơ khen thưởng chuyên đề cần ghi phong trào thi đua."),
    )
    this_year = timezone.localdate().year
    _require(1945 <= year <= this_year, _("Năm thành tích phải từ 1945 đến {year}.").format(year=this_year))
    dossier = Dossier(
        code=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
        unit=unit,
        kind=kind,
        year=year,
        title=title,
        summary=summary.strip(),
        movement=movement.strip(),
        proposal_number=proposal_number.strip(),
        authority=authority,
        linked_movement=linked_movement,
        created_by=actor,
    )
    dossier.full_clean(exclude=["code", "search_text", "state"])
    _save_new(dossier, actor, _("Lập hồ sơ"))
    audit_record(actor=actor, action="dossier_create", target=dossier, summary=f"{dossier.code} {title}")
    return dossier


def _check_linked_movement(unit: Unit, movement: Movement | None) -> None:
    if movement is None:
        return
    _require(
        movements_for_proposals(unit).filter(pk=movement.pk).exists(),
        _("Phong trào “{title}” chưa phát động hoặc không dành cho {unit}.").format(
            title=movement.title, unit=unit.name
        ),
        "wrong_movement",
    )


def _save_new(dossier: Dossier, actor: User, comment: str) -> None:
    """Save a new draft, give it its number (HS + year + id) and log its first step."""
    with_history_user(dossier, actor)
    dossier.save()
    dossier.code = f"HS{dossier.year % 100:02d}-{dossier.pk:06d}"
    _refresh_search(dossier)
    dossier.save(update_fields=["code", "search_text"])
    DossierTransition.objects.create(
        dossier=dossier, actor=actor, source=DossierState.DRAFT, target=DossierState.DRAFT, comment=comment
    )


def _editable(actor: User, dossier: Dossier) -> Dossier:
    _require_role(actor, *UNIT_ROLES, Role.BOARD_SPECIALIST)
    _require_scope(actor, dossier)
    fresh = _locked(dossier, same_state=False)
    _require(
        fresh.state in EDITABLE_STATES,
        _("Hồ sơ đã trình, không sửa được. Chỉ sửa khi hồ sơ đang soạn hoặc bị trả lại."),
        "not_editable",
    )
    return fresh


@transaction.atomic
def dossier_update(*, actor: User, dossier: Dossier, data: dict[str, Any]) -> Dossier:
    fresh = _editable(actor, dossier)
    allowed = {"title", "summary", "movement", "proposal_number", "kind", "year", "linked_movement"}
    changed = []
    if "linked_movement" in data:
        _check_linked_movement(fresh.unit, data["linked_movement"])
        if data["linked_movement"] is not None and not str(data.get("movement", "")).strip():
            data = {**data, "movement": data["linked_movement"].title}
    for key, value in data.items():
        _require(key in allowed, _("Trường không sửa được: {field}").format(field=key))
        value = value.strip() if isinstance(value, str) else value
        if getattr(fresh, key) != value:
            setattr(fresh, key, value)
            changed.append(key)
    _require(bool(fresh.title), _("Cần nhập trích yếu của hồ sơ."))
    _require(
        fresh.kind != "chuyen_de" or bool(fresh.movement),
        _("Hồ sơ khen thưởng chuyên đề cần ghi phong trào thi đua."),
    )
    if changed:
        _refresh_search(fresh)
        fresh.full_clean(exclude=["state"])
        with_history_user(fresh, actor)
        fresh.save()
        audit_record(actor=actor, action="dossier_update", target=fresh, summary=", ".join(changed))
    return fresh


@transaction.atomic
def nominee_add(
    *,
    actor: User,
    dossier: Dossier,
    recipient: Recipient,
    award_type: AwardType,
    achievement: str = "",
    initiatives: Iterable[Initiative] = (),
) -> Nominee:
    fresh = _editable(actor, dossier)
    if not unit_in_scope(actor, _recipient_unit(recipient)):
        raise Forbidden(_("Người hoặc tập thể này không thuộc phạm vi đơn vị của bạn."), "out_of_scope")
    _require(
        recipient_kind(recipient) in award_type.recipients,
        _("{award} không xét tặng cho đối tượng này.").format(award=award_type.name),
    )
    _require(
        not fresh.nominees.filter(
            is_active=True, award_type=award_type, **_recipient_fields(recipient)
        ).exists(),
        _("{name} đã có trong hồ sơ với đề nghị {award}.").format(name=recipient, award=award_type.name),
    )
    _require_power(fresh, recipient, award_type)
    chosen = list(initiatives)
    if chosen:
        owner = "person_id" if isinstance(recipient, Person) else "unit_id"
        _check_initiatives(chosen, owner, recipient.pk)
    position = (fresh.nominees.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    nominee = Nominee(
        dossier=fresh,
        position=position,
        award_type=award_type,
        achievement=achievement.strip(),
        **_recipient_fields(recipient),
    )
    nominee.full_clean()
    with_history_user(nominee, actor)
    nominee.save()
    if chosen:
        nominee.initiatives.set(chosen)
    audit_record(actor=actor, action="nominee_add", target=nominee, summary=f"{fresh.code}: {nominee}")
    # The unit sees the verdict and the duplicate flags while drafting, before anything is submitted.
    appraisal.appraise_dossier(fresh, timezone.localdate(), recipients={nominee.recipient_key})
    nominee.refresh_from_db()
    return nominee


def _require_power(dossier: Dossier, recipient: Recipient, award_type: AwardType) -> None:
    """A line belongs in a dossier addressed to the authority that decides it, or to one below it that
    sends it up; never above it (Luật Thi đua, khen thưởng 2022, Điều 79, 80; NĐ 129/2025 Điều 59)."""
    decider = authorities.decider_for(recipient, award_type.code, award_type.level, timezone.localdate())
    if authorities.line_route(decider, dossier.authority) != "refuse":
        return
    basis = decider.power.citation.basis if decider.power else ""
    raise ValidationError(
        _(
            "{award} của {name} do {decider} quyết định ({basis}), không trình {here}. "
            "Hãy đề nghị trong hồ sơ gửi {decider}."
        ).format(
            award=award_type.name,
            name=recipient,
            decider=decider.describe(),
            basis=basis,
            here=dossier.authority.name,
        ),
        code="wrong_authority",
    )


def _check_initiatives(chosen: list[Initiative], owner_field: str, owner_id: int | None) -> None:
    """The chosen initiatives belong to the recipient and none already supports a standing award."""
    _require(
        owner_id is not None and all(getattr(i, owner_field) == owner_id for i in chosen),
        _("Sáng kiến được chọn không thuộc người hoặc tập thể được đề nghị."),
    )
    used = Initiative.objects.filter(initiative_in_use(), pk__in=[i.pk for i in chosen]).first()
    _require(
        used is None,
        _("Sáng kiến “{title}” đã được dùng để khen thưởng; mỗi sáng kiến chỉ làm căn cứ một lần.").format(
            title=used.title if used else ""
        ),
    )


@transaction.atomic
def nominee_set_initiatives(*, actor: User, nominee: Nominee, initiatives: Iterable[Initiative]) -> Nominee:
    """The initiatives a line rests on; the decision marks them used, so each serves one award only."""
    fresh = _editable(actor, nominee.dossier)
    line = Nominee.objects.select_for_update().get(pk=nominee.pk)
    chosen = list(initiatives)
    owner_field, owner_id = (
        ("person_id", line.person_id) if line.person_id else ("unit_id", line.collective_id)
    )
    _check_initiatives(chosen, owner_field, owner_id)
    line.initiatives.set(chosen)
    audit_record(
        actor=actor,
        action="nominee_initiatives",
        target=line,
        summary=f"{line}: {len(chosen)} sáng kiến",
        extra={"initiatives": [i.pk for i in chosen]},
    )
    # The locked dossier, read with its movement: the appraisal reads both.
    appraisal.appraise_dossier(fresh, timezone.localdate(), recipients={line.recipient_key})
    return line


@transaction.atomic
def nominee_remove(*, actor: User, nominee: Nominee) -> Nominee:
    _editable(actor, nominee.dossier)
    nominee.is_active = False
    with_history_user(nominee, actor)
    nominee.save(update_fields=["is_active"])
    audit_record(actor=actor, action="nominee_remove", target=nominee, summary=str(nominee))
    return nominee


@transaction.atomic
def attachment_add(*, actor: User, dossier: Dossier, component: str, upload: UploadedFile) -> Attachment:
    fresh = _editable(actor, dossier)
    component = component.strip()
    _require(bool(component), _("Cần chọn thành phần hồ sơ của tệp."), "component_required")
    known = procedure.component_codes()
    _require(
        component in known,
        _("Không có thành phần hồ sơ mã “{code}”. Các mã được nhận: {codes}.").format(
            code=component[:60], codes=", ".join(known)
        ),
        "unknown_component",
    )
    sniffed = sniff_upload(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        dossier=fresh,
        component=component,
        original_name=sniffed.name,
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{fresh.code}-{sniffed.safe_stem}{sniffed.extension}", upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="attachment_add",
        target=attachment,
        summary=f"{fresh.code}: {known[component]} – {sniffed.name}",
        extra={"sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def attachments_add(
    *, actor: User, dossier: Dossier, component: str, uploads: list[UploadedFile]
) -> list[Attachment]:
    """Several files for one component, all or none (`uploads.all_or_none`)."""
    return all_or_none(
        uploads,
        lambda upload: attachment_add(actor=actor, dossier=dossier, component=component, upload=upload),
    )


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> Attachment:
    _editable(actor, attachment.dossier)
    attachment.is_active = False
    attachment.save(update_fields=["is_active"])
    audit_record(actor=actor, action="attachment_remove", target=attachment, summary=attachment.original_name)
    return attachment


# ---------------------------------------------------------------------------------------------------
# Submission, reception, return, withdrawal


@transaction.atomic
def dossier_submit(*, actor: User, dossier: Dossier, comment: str = "") -> Dossier:
    # Tờ trình is signed by the head of the proposing body (Luật TĐKT 2022 Điều 84 khoản 1).
    _require_role(actor, *workflow.BY_NAME["submit"].roles)
    _require_scope(actor, dossier)
    fresh = _locked(dossier)
    missing = procedure.missing_items(fresh)
    _require(
        not missing,
        _("Hồ sơ chưa đủ để trình: {items}.").format(items="; ".join(missing)),
        "dossier_incomplete",
    )
    today = timezone.localdate()
    fresh.submitted_at = timezone.now()
    due = procedure.due_date(fresh, today, stage="receive")
    fresh.due_date, fresh.due_basis = due if due else (None, "")
    _move(fresh, actor, fresh.submit, comment)
    appraisal.appraise_dossier(fresh, today)
    return fresh


@transaction.atomic
def dossier_receive(*, actor: User, dossier: Dossier, comment: str = "") -> Dossier:
    fresh = _locked(dossier)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    today = timezone.localdate()
    fresh.received_at = timezone.now()
    due = procedure.due_date(fresh, today, stage="appraise")
    fresh.due_date, fresh.due_basis = due if due else (None, "")
    _move(fresh, actor, fresh.receive, comment)
    procedure.open_public_comment(fresh, today)
    return fresh


@transaction.atomic
def dossier_return(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    _require_role(actor, *workflow.BY_NAME["return"].roles)
    reason = reason.strip()
    _require(bool(reason), _("Cần ghi rõ lý do trả lại hồ sơ và nội dung cần bổ sung."), "reason_required")
    fresh = _locked(dossier)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    fresh.due_date, fresh.due_basis = None, ""
    _move(fresh, actor, fresh.return_for_amendment, reason)
    return fresh


@transaction.atomic
def dossier_withdraw(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    _require_role(actor, *workflow.BY_NAME["withdraw"].roles)
    _require_scope(actor, dossier)
    reason = reason.strip()
    _require(bool(reason), _("Cần ghi lý do rút hồ sơ."), "reason_required")
    fresh = _locked(dossier)
    fresh.outcome_reason = reason
    fresh.due_date, fresh.due_basis = None, ""
    _move(fresh, actor, fresh.withdraw, reason)
    return fresh


# ---------------------------------------------------------------------------------------------------
# Appraisal (Board specialist)


def _require_no_conflict(actor: User, dossier: Dossier) -> None:
    if conflicted(actor, dossier):
        raise Forbidden(
            _(
                "Bạn công tác tại đơn vị đề nghị ({unit}) nên không được thẩm định hoặc biểu quyết hồ sơ "
                "này (xung đột lợi ích). Hãy chuyển cho chuyên viên khác."
            ).format(unit=dossier.unit.name),
            "conflict_of_interest",
        )


@transaction.atomic
def dossier_reappraise(*, actor: User, dossier: Dossier) -> list[Nominee]:
    fresh = _locked(dossier)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    _require(
        fresh.state in (DossierState.SUBMITTED, DossierState.RECEIVED),
        _("Chỉ kiểm tra lại khi hồ sơ đang chờ thẩm định."),
    )
    nominees = appraisal.appraise_dossier(fresh, timezone.localdate())
    audit_record(actor=actor, action="dossier_reappraise", target=fresh, summary=fresh.code)
    return nominees


def _reviewable(actor: User, dossier: Dossier) -> Dossier:
    """The dossier locked for a specialist's review of its lines: received, and not the specialist's own
    unit's."""
    fresh = _locked(dossier, same_state=False)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    _require(fresh.state == DossierState.RECEIVED, _("Chỉ thẩm định khi hồ sơ đã được tiếp nhận."))
    return fresh


def _record_review(line: Nominee, actor: User, *, recommend: bool, agrees: bool, reason: str) -> None:
    line.recommend = recommend
    line.specialist_decision = SpecialistDecision.CONFIRMED if agrees else SpecialistDecision.OVERRIDDEN
    line.override_reason = reason
    line.appraised_by = actor
    line.appraised_at = timezone.now()
    with_history_user(line, actor)
    line.save()


@transaction.atomic
def nominee_review(*, actor: User, nominee: Nominee, recommend: bool, reason: str = "") -> Nominee:
    """The specialist confirms the engine's verdict or overrides it; an override needs a reason."""
    fresh = _reviewable(actor, nominee.dossier)
    line = Nominee.objects.select_for_update().get(pk=nominee.pk, dossier=fresh)
    _require(line.is_active, _("Dòng này đã bị bỏ khỏi hồ sơ."))
    engine_says = line.verdict == "eligible"
    agrees = recommend == engine_says and line.verdict != "needs_review"
    reason = reason.strip()
    _require(
        agrees or bool(reason),
        _("Ý kiến khác với kết quả kiểm tra tự động (hoặc kết quả cần xem xét) phải ghi rõ lý do."),
        "reason_required",
    )
    _record_review(line, actor, recommend=recommend, agrees=agrees, reason=reason)
    audit_record(
        actor=actor,
        action="nominee_review",
        target=line,
        summary=f"{fresh.code}: {line} – {'đề nghị' if recommend else 'không đề nghị'}",
        extra={"verdict": line.verdict, "decision": line.specialist_decision, "reason": reason},
    )
    return line


@transaction.atomic
def nominees_confirm_all(*, actor: User, dossier: Dossier) -> tuple[int, int]:
    """Agree with the engine on every line not yet reviewed whose verdict is firm (eligible: propose;
    ineligible: do not). A "needs review" line needs the specialist's own reason, so it is left for a
    decision line by line, as is any line already reviewed. Returns (confirmed, still to review)."""
    fresh = _reviewable(actor, dossier)
    lines = list(
        Nominee.objects.select_for_update()
        .filter(dossier=fresh, is_active=True, recommend__isnull=True)
        .order_by("position", "id")
    )
    confirmed = []
    for line in lines:
        if line.verdict not in ("eligible", "ineligible"):
            continue
        _record_review(line, actor, recommend=line.verdict == "eligible", agrees=True, reason="")
        confirmed.append(line)
    if confirmed:
        audit_record(
            actor=actor,
            action="nominee_review",
            target=fresh,
            summary=f"{fresh.code}: đồng ý kết quả kiểm tra tự động cho {len(confirmed)} dòng",
            extra={"lines": [line.pk for line in confirmed]},
        )
    return len(confirmed), len(lines) - len(confirmed)


@transaction.atomic
def dossier_complete_appraisal(*, actor: User, dossier: Dossier, comment: str = "") -> Dossier:
    fresh = _locked(dossier)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    pending = fresh.nominees.filter(is_active=True, recommend__isnull=True).count()
    _require(
        pending == 0,
        _("Còn {n} dòng chưa có ý kiến thẩm định.").format(n=pending),
    )
    fresh.due_date, fresh.due_basis = None, ""
    _move(fresh, actor, fresh.complete_appraisal, comment)
    return fresh


# ---------------------------------------------------------------------------------------------------
# Council


def active_members(on: dt.date, authority: Authority) -> list[CouncilMember]:
    return list(
        CouncilMember.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on, authority=authority
        )
        .select_related("user", "user__unit")
        .order_by("role", "id")
    )


@transaction.atomic
def council_session_create(
    *, actor: User, title: str, date: dt.date, location: str = "", dossiers: Sequence[Dossier]
) -> CouncilSession:
    """A session of the Council of the actor's authority, on dossiers addressed to that authority."""
    _require_role(actor, Role.BOARD_SPECIALIST)
    authority = actor.authority
    _require(
        authority is not None, _("Tài khoản của bạn chưa gắn với cấp có thẩm quyền nào."), "no_authority"
    )
    assert authority is not None
    for dossier in dossiers:
        require_specialist(actor, dossier.authority)
    title = title.strip()
    _require(bool(title), _("Cần nhập tên phiên họp."))
    _require(bool(dossiers), _("Cần chọn ít nhất một hồ sơ để đưa ra Hội đồng."))
    members = active_members(date, authority)
    _require(bool(members), _("Chưa có danh sách thành viên Hội đồng còn hiệu lực vào ngày họp."))
    session = CouncilSession(
        authority=authority,
        title=title,
        date=date,
        location=location.strip(),
        total_members=len(members),
        created_by=actor,
    )
    with_history_user(session, actor)
    session.save()
    Attendance.objects.bulk_create([Attendance(session=session, member=m) for m in members])
    for dossier in dossiers:
        fresh = _locked(dossier)
        require_specialist(actor, fresh.authority)
        if fresh.state == DossierState.APPRAISED:
            _move(fresh, actor, fresh.send_to_council, _("Đưa ra phiên họp: {title}").format(title=title))
        _require(
            fresh.state == DossierState.COUNCIL,
            _("Hồ sơ {code} chưa thẩm định xong, chưa đưa ra Hội đồng được.").format(code=fresh.code),
        )
        _require_not_before(
            date,
            appraised_on(fresh),
            _("Ngày họp ({date}) không được trước ngày hoàn thành thẩm định hồ sơ {code} ({earliest})."),
            dossier_code=fresh.code,
        )
        session.dossiers.add(fresh)
    audit_record(actor=actor, action="council_session_create", target=session, summary=title)
    notify.session_opened(session)
    return session


def _open_session(session: CouncilSession, actor: User | None = None) -> CouncilSession:
    """The session locked, still open; with `actor`, checked to be its authority's specialist."""
    fresh = (
        CouncilSession.objects.select_for_update(of=("self",)).select_related("authority").get(pk=session.pk)
    )
    if actor is not None:
        require_specialist(actor, fresh.authority)
    _require(
        fresh.state == SessionState.OPEN,
        _("Phiên họp đã kết thúc; kết quả đã khóa, không sửa được."),
        "session_closed",
    )
    return fresh


@transaction.atomic
def attendance_set(
    *, actor: User, session: CouncilSession, member: CouncilMember, present: bool, written_vote: bool = False
) -> Attendance:
    _require_role(actor, Role.BOARD_SPECIALIST)
    fresh = _open_session(session, actor)
    _require(not (present and written_vote), _("Thành viên có mặt thì không cần ý kiến bằng văn bản."))
    row = Attendance.objects.select_for_update().get(session=fresh, member=member)
    row.present, row.written_vote = present, written_vote
    row.save()
    audit_record(
        actor=actor,
        action="attendance_set",
        target=fresh,
        summary=f"{member}: {'có mặt' if present else 'vắng'}"
        + (" (có ý kiến bằng văn bản)" if written_vote else ""),
    )
    return row


# The Council's membership: a person holds one seat at a time, and the chair and the secretary are one
# person each at a time (the session's minutes name them). Vice-chairs and members may be several.
_SINGLE_ROLES = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


def _overlaps(query: Any, start: dt.date, end: dt.date | None) -> Any:
    query = query.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    return query.filter(valid_from__lte=end) if end else query


@transaction.atomic
def council_member_add(
    *,
    actor: User,
    user: User,
    role: str,
    title: str = "",
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> CouncilMember:
    """A seat on the Council of the actor's authority, for one of that authority's people."""
    _require_role(actor, Role.BOARD_SPECIALIST)
    authority = actor.authority
    _require(
        authority is not None, _("Tài khoản của bạn chưa gắn với cấp có thẩm quyền nào."), "no_authority"
    )
    assert authority is not None
    _require(role in CouncilRole.values, _("Chức danh trong Hội đồng không hợp lệ."))
    _require(user.is_active, _("Tài khoản này đã bị khóa."))
    _require(
        user.unit is not None and user.unit.path.startswith(authority.unit.path),
        _("{name} không công tác tại {authority}, không là thành viên Hội đồng của cấp này được.").format(
            name=user, authority=authority.name
        ),
        "out_of_scope",
    )
    _require(valid_to is None or valid_to >= valid_from, _("Ngày kết thúc phải sau ngày bắt đầu."))
    seats = CouncilMember.objects.select_for_update().filter(authority=authority)
    _require(
        not _overlaps(seats.filter(user=user), valid_from, valid_to).exists(),
        _("{name} đã là thành viên Hội đồng trong thời gian này.").format(name=user),
    )
    if role in _SINGLE_ROLES:
        holder = _overlaps(seats.filter(role=role), valid_from, valid_to).select_related("user").first()
        _require(
            holder is None,
            _("{role} hiện là {name}; hãy ghi ngày kết thúc nhiệm kỳ của người đó trước.").format(
                role=CouncilRole(role).label, name=holder.user if holder else ""
            ),
        )
    member = CouncilMember(
        authority=authority,
        user=user,
        role=role,
        title=title.strip()[:200],
        valid_from=valid_from,
        valid_to=valid_to,
    )
    with_history_user(member, actor)
    member.save()
    audit_record(
        actor=actor,
        action="council_member_add",
        target=member,
        summary=f"{user} – {member.get_role_display()} từ {valid_from:%d/%m/%Y}",
    )
    return member


@transaction.atomic
def council_member_end(*, actor: User, member: CouncilMember, valid_to: dt.date) -> CouncilMember:
    """A term ends on a day; the row stays, so past sessions keep the members they had."""
    _require_role(actor, Role.BOARD_SPECIALIST)
    row = CouncilMember.objects.select_for_update(of=("self",)).select_related("authority").get(pk=member.pk)
    require_specialist(actor, row.authority)
    _require(valid_to >= row.valid_from, _("Ngày kết thúc phải sau ngày bắt đầu."))
    _require(row.valid_to is None or valid_to <= row.valid_to, _("Nhiệm kỳ này đã kết thúc sớm hơn."))
    row.valid_to = valid_to
    with_history_user(row, actor)
    row.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="council_member_end",
        target=row,
        summary=f"{row.user} – thôi làm {row.get_role_display()} từ sau {valid_to:%d/%m/%Y}",
    )
    return row


@transaction.atomic
def attendance_all_present(*, actor: User, session: CouncilSession) -> int:
    """Mark present every member not yet recorded as present or as sending a written opinion: most sit
    in the room, and the few absent are then set one by one. Returns how many rows changed."""
    _require_role(actor, Role.BOARD_SPECIALIST)
    fresh = _open_session(session, actor)
    rows = Attendance.objects.select_for_update().filter(session=fresh, present=False, written_vote=False)
    names = [str(row.member) for row in rows.select_related("member", "member__user")]
    changed = rows.update(present=True)
    if changed:
        audit_record(
            actor=actor,
            action="attendance_set",
            target=fresh,
            summary=f"có mặt ({changed}): " + ", ".join(names),
        )
    return changed


def _session_nominee(session: CouncilSession, nominee: Nominee) -> Nominee:
    line = Nominee.objects.select_related("dossier", "dossier__unit", "award_type").get(pk=nominee.pk)
    _require(
        session.dossiers.filter(pk=line.dossier_id).exists()
        and line.is_active
        and line.recommend is not None,
        _("Dòng này không thuộc phiên họp."),
    )
    return line


@transaction.atomic
def ballot_cast(*, actor: User, session: CouncilSession, nominee: Nominee, agree: bool) -> None:
    """A member's secret vote: the choice goes into the tally, and only the fact of voting is kept."""
    fresh = _open_session(session)
    member = CouncilMember.objects.filter(user=actor, attendance__session=fresh).first()
    if member is None:
        raise Forbidden(_("Bạn không phải thành viên Hội đồng của phiên họp này."), "not_session_member")
    attendance = Attendance.objects.get(session=fresh, member=member)
    _require(
        attendance.present or attendance.written_vote,
        _("Thư ký chưa ghi nhận bạn có mặt hoặc có ý kiến bằng văn bản, nên chưa bỏ phiếu được."),
    )
    line = _session_nominee(fresh, nominee)
    _require_no_conflict(actor, line.dossier)
    _require(
        not BallotCast.objects.filter(session=fresh, nominee=line, member=member).exists(),
        _("Bạn đã bỏ phiếu cho {name}.").format(name=line.recipient),
        "already_voted",
    )
    tally, _created = BallotTally.objects.select_for_update().get_or_create(
        session=fresh, nominee=line, defaults={"method": BallotMethod.ELECTRONIC}
    )
    _require(
        tally.method == BallotMethod.ELECTRONIC, _("Dòng này đã được nhập theo kết quả kiểm phiếu giấy.")
    )
    BallotCast.objects.create(session=fresh, nominee=line, member=member)
    # One UPDATE of the count, with no history, no audit row and no time: any of these, set beside the
    # other members' votes, would tell what this member chose. The cast above is the only trace.
    column = "agree" if agree else "disagree"
    BallotTally.objects.filter(pk=tally.pk).update(**{column: F(column) + 1})
    # The member's to-do loses this vote; the version is a random token, so it tells nothing of the choice.
    dataversion.bump()


@transaction.atomic
def tally_enter(
    *, actor: User, session: CouncilSession, nominee: Nominee, agree: int, disagree: int, invalid: int = 0
) -> BallotTally:
    """The secretary enters the count of a paper ballot."""
    _require_role(actor, Role.BOARD_SPECIALIST)
    fresh = _open_session(session, actor)
    line = _session_nominee(fresh, nominee)
    _require_no_conflict(actor, line.dossier)
    _require(min(agree, disagree, invalid) >= 0, _("Số phiếu không được âm."))
    voters = _voters(fresh)
    _require(
        agree + disagree + invalid <= voters,
        _("Tổng số phiếu ({n}) vượt số thành viên có mặt và có ý kiến bằng văn bản ({m}).").format(
            n=agree + disagree + invalid, m=voters
        ),
    )
    tally, _created = BallotTally.objects.select_for_update().get_or_create(session=fresh, nominee=line)
    _require(
        not BallotCast.objects.filter(session=fresh, nominee=line).exists(),
        _("Thành viên đã bỏ phiếu trên hệ thống cho dòng này; không nhập đè kết quả kiểm phiếu giấy."),
    )
    tally.method = BallotMethod.PAPER
    tally.agree, tally.disagree, tally.invalid = agree, disagree, invalid
    tally.entered_by = actor
    with_history_user(tally, actor)
    tally.save()
    audit_record(
        actor=actor,
        action="tally_enter",
        target=fresh,
        summary=f"{line}: {agree} đồng ý, {disagree} không đồng ý, {invalid} không hợp lệ",
    )
    return tally


@dataclass(frozen=True)
class LineResult:
    nominee: Nominee
    voted: bool
    agree: int
    disagree: int
    invalid: int
    required: int
    threshold_text: str
    basis: str
    passed: bool


def _voters(session: CouncilSession) -> int:
    """Members who can vote: present, or absent with a written opinion (NĐ 98/2023 Điều 30.7)."""
    return Attendance.objects.filter(session=session).filter(Q(present=True) | Q(written_vote=True)).count()


def _at_least(ratio: float, total: int) -> int:
    # The epsilon keeps 0.8 × 10 at 8 despite binary floating point.
    return math.ceil(ratio * total - 1e-9)


@dataclass(frozen=True)
class Quorum:
    total: int
    present: int
    written: int
    required: int
    met: bool
    text: str
    basis: str


def session_quorum(session: CouncilSession) -> Quorum:
    rows = list(Attendance.objects.filter(session=session))
    present = sum(1 for r in rows if r.present)
    written = sum(1 for r in rows if r.written_vote)
    ratio, text, basis = procedure.attendance_rule(session.date)
    required = _at_least(ratio, session.total_members)
    return Quorum(session.total_members, present, written, required, present >= required, text, basis)


def session_results(session: CouncilSession) -> list[LineResult]:
    tallies = {t.nominee_id: t for t in BallotTally.objects.filter(session=session)}
    lines = (
        Nominee.objects.filter(dossier__council_sessions=session, is_active=True, recommend__isnull=False)
        .select_related("award_type", "dossier", "person", "collective", "household")
        .order_by("dossier_id", "position", "id")
    )
    voters = _voters(session)
    out = []
    for line in lines:
        tally = tallies.get(line.pk)
        agree = tally.agree if tally else 0
        rule = procedure.vote_rule(line.award_type.code, session.date)
        # Thresholds of the law count against the whole membership (NĐ 98/2023 Điều 30.7); a plain
        # majority counts those who voted in person or in writing.
        required = _at_least(rule.ratio, session.total_members) if rule.of_total else voters // 2 + 1
        out.append(
            LineResult(
                nominee=line,
                voted=tally is not None,
                agree=agree,
                disagree=tally.disagree if tally else 0,
                invalid=tally.invalid if tally else 0,
                required=required,
                threshold_text=rule.text,
                basis=rule.basis,
                passed=tally is not None and agree >= required,
            )
        )
    return out


@transaction.atomic
def session_close(*, actor: User, session: CouncilSession) -> CouncilSession:
    """The authority's specialist (the Council's secretary) or its head closes the session."""
    fresh = _open_session(session)
    if not is_head(actor, fresh.authority):
        require_specialist(actor, fresh.authority)
    quorum = session_quorum(fresh)
    _require(
        quorum.met,
        _("Phiên họp chưa đủ số thành viên tham dự: có mặt {p}/{t}, cần ít nhất {r} ({text}).").format(
            p=quorum.present, t=quorum.total, r=quorum.required, text=quorum.text
        ),
    )
    results = session_results(fresh)
    unvoted = [r.nominee for r in results if not r.voted]
    _require(
        not unvoted,
        _("Còn {n} dòng chưa có kết quả bỏ phiếu, ví dụ: {name}.").format(
            n=len(unvoted), name=unvoted[0].recipient
        )
        if unvoted
        else "",
    )
    for passed in (True, False):
        Nominee.objects.filter(pk__in=[r.nominee.pk for r in results if r.passed is passed]).update(
            council_passed=passed
        )
    fresh.state = SessionState.CLOSED
    fresh.closed_at = timezone.now()
    fresh.closed_by = actor
    with_history_user(fresh, actor)
    fresh.save()
    audit_record(
        actor=actor,
        action="council_session_close",
        target=fresh,
        summary=f"{fresh.title}: {sum(r.passed for r in results)}/{len(results)} đạt",
    )
    notify.session_closed(fresh)
    return fresh


# ---------------------------------------------------------------------------------------------------
# Decision (chairman), forwarding, central answer, rejection, revocation


# Where each line goes when its authority decides: decided here, sent up to the authority above with
# this authority's tờ trình, or (from the province) forwarded to the central level.
DECIDE, UP, CENTRAL = "decide", "up", "central"


def _line_route(
    line: Nominee, authority: Authority, on: dt.date, has_above: bool, chains: dict[int, list[Authority]]
) -> str:
    decider = authorities.decider_for(
        line.recipient,  # type: ignore[arg-type]
        line.award_type.code,
        line.award_type.level,
        on,
        chains,
    )
    route = authorities.line_route(decider, authority)
    if route == "refuse":
        raise ValidationError(
            _("{award} của {name} do {decider} quyết định, không thuộc thẩm quyền của {here}.").format(
                award=line.award_type.name,
                name=line.recipient,
                decider=decider.describe(),
                here=authority.name,
            ),
            code="wrong_authority",
        )
    if route == DECIDE:
        return DECIDE
    return UP if has_above else CENTRAL


def _routes(dossier: Dossier, on: dt.date) -> dict[int, str]:
    lines = dossier.nominees.filter(
        is_active=True, recommend=True, outcome=LineOutcome.PENDING
    ).select_related("award_type", "person", "person__unit", "collective", "household", "household__unit")
    # The authority above and each unit's chain are read once for the dossier, not once per line.
    has_above = authorities.authority_above(dossier.authority) is not None
    chains: dict[int, list[Authority]] = {}
    return {line.pk: _line_route(line, dossier.authority, on, has_above, chains) for line in lines}


def _approved_lines(dossier: Dossier, routes: dict[int, str]) -> list[Nominee]:
    """Lines the specialist recommends and, where the Council voted on them, the Council passed. A vote
    the law requires is required of the Council that decides the line (or forwards it to the central
    level); a line sent up to a higher local authority is voted on there."""
    lines = list(
        dossier.nominees.filter(is_active=True, recommend=True, outcome=LineOutcome.PENDING)
        .select_related("award_type", "person", "person__unit", "collective", "household", "household__unit")
        .prefetch_related("initiatives")
    )
    out = []
    for line in lines:
        if line.council_passed is False:
            continue
        needs_vote = routes.get(line.pk) != UP and procedure.needs_ballot(line.award_type.code, dossier)
        if needs_vote and line.council_passed is not True:
            continue
        out.append(line)
    return out


def _create_records(
    *, actor: User, decision: Decision, lines: Sequence[Nominee], dossier: Dossier
) -> list[AwardRecord]:
    records = []
    for line in lines:
        amount, bonus_note = procedure.bonus_for(line.award_type.code, line.recipient_kind, decision.date)
        record = award_record_create(
            actor=actor,
            award_type=line.award_type,
            recipient=line.recipient,  # type: ignore[arg-type]
            year=dossier.year,
            decision=decision,
            kind=dossier.kind,
            reason=line.achievement,
            bonus_amount=amount,
            initiatives=line.initiatives.all(),
            source=RecordSource.SYSTEM,
        )
        line.award_record = record
        line.bonus_amount = amount
        line.bonus_note = bonus_note[:300]
        line.outcome = LineOutcome.APPROVED
        with_history_user(line, actor)
        line.save(update_fields=["award_record", "bonus_amount", "bonus_note", "outcome"])
        records.append(record)
    return records


def _require_ballots_settled(dossier: Dossier, routes: dict[int, str]) -> None:
    open_sessions = dossier.council_sessions.filter(state=SessionState.OPEN)
    _require(
        not open_sessions.exists(),
        _("Phiên họp Hội đồng xét hồ sơ {code} chưa kết thúc.").format(code=dossier.code),
        "session_open",
    )
    if dossier.state == DossierState.APPRAISED:
        needing = [
            line
            for line in dossier.nominees.filter(is_active=True, recommend=True).select_related("award_type")
            if routes.get(line.pk) != UP and procedure.needs_ballot(line.award_type.code, dossier)
        ]
        _require(
            not needing,
            _(
                "Hồ sơ {code} có đề nghị phải được Hội đồng bỏ phiếu ({award}); "
                "hãy đưa ra phiên họp Hội đồng."
            ).format(code=dossier.code, award=needing[0].award_type.name if needing else ""),
        )


@transaction.atomic
def signer_designate(
    *,
    actor: User,
    user: User,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    title: str = "",
) -> DecisionSigner:
    """The head of an authority names a deputy to sign its award decisions on the head's behalf."""
    # Only the holder of the authority delegates it: the administrator's account, superuser or not, may
    # not hand it to anyone, itself included.
    authority = headed_authority(actor)
    if authority is None:
        raise Forbidden(
            _("Chỉ người đứng đầu cấp quyết định khen thưởng được giao ký thay quyết định."), "chairman_only"
        )
    _require(
        user.role == Role.COUNCIL_MEMBER
        and user.authority_id == authority.pk
        and user.is_active
        and user.pk != actor.pk,
        _(
            "Chỉ giao ký thay cho cấp phó có tài khoản thành viên Hội đồng Thi đua – Khen thưởng của {name}."
        ).format(name=authority.name),
    )
    title = title.strip() or f"Phó {authority.head_title}"
    _require(valid_to is None or valid_to >= valid_from, _("Ngày kết thúc không được trước ngày bắt đầu."))
    designation = DecisionSigner(
        authority=authority,
        user=user,
        title=title[:150],
        valid_from=valid_from,
        valid_to=valid_to,
        named_by=actor,
    )
    with_history_user(designation, actor)
    designation.save()
    audit_record(
        actor=actor,
        action="signer_designate",
        target=designation,
        summary=f"{user}: {designation.title}, từ {valid_from:%d/%m/%Y}"
        + (f" đến {valid_to:%d/%m/%Y}" if valid_to else ""),
    )
    return designation


def _send_up(
    *, actor: User, origin: Dossier, lines: Sequence[Nominee], proposal_number: str, signer: selectors.Signer
) -> Dossier:
    """The lines the authority cannot decide go to the authority above as a new dossier, submitted with
    this authority's tờ trình and the same files; the origin's lines are marked sent up."""
    above = authorities.authority_above(origin.authority)
    assert above is not None
    child = Dossier(
        code=f"tmp-{timezone.now().timestamp()}-{origin.pk}",
        unit=origin.unit,
        kind=origin.kind,
        year=origin.year,
        title=origin.title,
        summary=origin.summary,
        movement=origin.movement,
        proposal_number=proposal_number,
        authority=above,
        sent_up_from=origin,
        created_by=actor,
    )
    _save_new(
        child,
        actor,
        _("Lập từ hồ sơ {code} của {authority}").format(code=origin.code, authority=origin.authority.name),
    )
    for position, line in enumerate(lines, start=1):
        copy = Nominee(
            dossier=child,
            position=position,
            award_type=line.award_type,
            achievement=line.achievement,
            person=line.person,
            collective=line.collective,
            household=line.household,
        )
        with_history_user(copy, actor)
        copy.save()
        copy.initiatives.set(line.initiatives.all())
    for item in origin.attachments.filter(is_active=True):
        Attachment.objects.create(
            dossier=child,
            component=item.component,
            component_note=item.component_note,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=item.uploaded_by,
        )
    Nominee.objects.filter(pk__in=[line.pk for line in lines]).update(outcome=LineOutcome.FORWARDED)
    today = timezone.localdate()
    child.submitted_at = timezone.now()
    due = procedure.due_date(child, today, stage="receive")
    child.due_date, child.due_basis = due if due else (None, "")
    comment = _("Tờ trình số {number} của {authority}, {title} {name} ký").format(
        number=proposal_number, authority=origin.authority.name, title=signer.title, name=signer.name
    )
    _move(child, actor, child.submit, comment)
    appraisal.appraise_dossier(child, today)
    audit_record(
        actor=actor,
        action="dossier_send_up",
        target=child,
        summary=f"{origin.code} → {child.code}: {len(lines)} dòng trình {above.name}",
    )
    return child


@transaction.atomic
def dossiers_decide(
    *,
    actor: User,
    dossiers: Sequence[Dossier],
    number: str,
    date: dt.date,
    summary: str = "",
    proposal_number: str = "",
) -> Decision | None:
    """The head of the dossiers' authority (or a deputy the head has named) decides: the lines within
    the authority's power become one numbered decision of that authority, signed by the actor, and its
    award records; the lines above it go up to the authority above with the tờ trình numbered
    `proposal_number`, or, from the province, to the central level."""
    _require(bool(dossiers), _("Cần chọn hồ sơ."))
    locked = [_locked(d) for d in dossiers]
    authority = locked[0].authority
    _require(
        all(d.authority_id == authority.pk for d in locked),
        _("Một quyết định chỉ gồm hồ sơ gửi cùng một cấp quyết định."),
        "mixed_authorities",
    )
    # The actor must hold the authority on the signing day and still hold it when issuing, so no one
    # backdates a decision into a designation that has ended, or before it began.
    signer = selectors.signer_for(user=actor, authority=authority, on=date)
    if (
        signer is None
        or selectors.signer_for(user=actor, authority=authority, on=timezone.localdate()) is None
    ):
        raise Forbidden(
            _(
                "Chỉ {title} {name}, hoặc cấp phó được giao ký thay vào ngày ký, "
                "được ban hành quyết định khen thưởng của cấp này."
            ).format(title=authority.head_title, name=authority.name),
            "not_signer",
        )
    number = number.strip()
    _require(bool(number), _("Cần nhập số, ký hiệu quyết định."))
    _require(date <= timezone.localdate(), _("Ngày ký quyết định không được sau hôm nay."), "date_in_future")
    _require(
        not Decision.objects.filter(
            number=number, date__year=date.year, issuing_authority=authority.name
        ).exists(),
        _("Số quyết định {number} đã được dùng trong năm {year}.").format(number=number, year=date.year),
        "duplicate_decision_number",
    )
    plan: list[tuple[Dossier, list[Nominee], list[Nominee], list[Nominee]]] = []
    for dossier in locked:
        _require(
            dossier.state in (DossierState.APPRAISED, DossierState.COUNCIL),
            _("Hồ sơ {code} chưa sẵn sàng để quyết định ({state}).").format(
                code=dossier.code, state=dossier.get_state_display()
            ),
            "state_not_allowed",
        )
        routes = _routes(dossier, date)
        _require_ballots_settled(dossier, routes)
        met_on = dossier.council_sessions.aggregate(last=Max("date"))["last"]
        if met_on is not None:
            _require_not_before(
                date,
                met_on,
                _(
                    "Ngày ký quyết định ({date}) không được trước ngày Hội đồng họp xét hồ sơ {code} "
                    "({earliest})."
                ),
                dossier_code=dossier.code,
            )
        else:
            _require_not_before(
                date,
                appraised_on(dossier),
                _(
                    "Ngày ký quyết định ({date}) không được trước ngày hoàn thành thẩm định hồ sơ {code} "
                    "({earliest})."
                ),
                dossier_code=dossier.code,
            )
        approved = _approved_lines(dossier, routes)
        local = [line for line in approved if routes[line.pk] == DECIDE]
        up = [line for line in approved if routes[line.pk] == UP]
        central = [line for line in approved if routes[line.pk] == CENTRAL]
        plan.append((dossier, local, up, central))
    _require(
        any(local or up or central for _d, local, up, central in plan),
        _("Không có dòng nào được đề nghị và được Hội đồng thông qua; hãy dùng “Không chấp thuận”."),
    )
    proposal_number = proposal_number.strip()
    _require(
        bool(proposal_number) or not any(up for _d, _l, up, _c in plan),
        _("Có đề nghị trình cấp trên: cần nhập số tờ trình gửi {name}.").format(
            name=getattr(authorities.authority_above(authority), "name", "")
        ),
        "proposal_number_required",
    )
    decision = None
    if any(local for _d, local, _u, _c in plan):
        decision, created = decision_get_or_create(
            actor=actor,
            number=number,
            date=date,
            issuing_authority=authority.name,
            issuer_unit=authority.unit,
            signer_name=signer.name,
            signer_title=signer.title,
            summary=summary or _("Về việc khen thưởng"),
            source=RecordSource.SYSTEM,
        )
        _require(
            created,
            _("Quyết định số {number} đã có trong sổ.").format(number=number),
            "duplicate_decision_number",
        )
    for dossier, local, up, central in plan:
        if decision is not None and local:
            _create_records(actor=actor, decision=decision, lines=local, dossier=dossier)
            dossier.decision = decision
        refused = dossier.nominees.filter(is_active=True, outcome=LineOutcome.PENDING).exclude(
            pk__in=[line.pk for line in (*local, *up, *central)]
        )
        refused.update(outcome=LineOutcome.NOT_APPROVED)
        if up:
            _send_up(actor=actor, origin=dossier, lines=up, proposal_number=proposal_number, signer=signer)
        if central:
            Nominee.objects.filter(pk__in=[line.pk for line in central]).update(outcome=LineOutcome.FORWARDED)
            comment = _("Trình cấp trên {n} đề nghị khen thưởng cấp Nhà nước").format(n=len(central))
            if local:
                comment += _("; Quyết định số {number}: {m} khen thưởng").format(number=number, m=len(local))
            _move(dossier, actor, dossier.forward, comment)
        elif local:
            comment = _("Quyết định số {number}").format(number=number)
            if up:
                comment += _("; trình cấp trên {n} đề nghị (tờ trình số {p})").format(
                    n=len(up), p=proposal_number
                )
            _move(dossier, actor, dossier.decide, comment)
        elif up:
            _move(
                dossier,
                actor,
                dossier.forward,
                _("Trình cấp trên {n} đề nghị (tờ trình số {p})").format(n=len(up), p=proposal_number),
            )
        else:
            dossier.outcome_reason = _("Không có dòng nào được thông qua.")
            _move(dossier, actor, dossier.reject, dossier.outcome_reason)
    return decision


@transaction.atomic
def dossier_reject(*, actor: User, dossier: Dossier, reason: str) -> Dossier:
    """The authority's head, or its specialist before the head, refuses the whole dossier."""
    reason = reason.strip()
    _require(bool(reason), _("Cần ghi lý do không chấp thuận."), "reason_required")
    fresh = _locked(dossier)
    if not is_head(actor, fresh.authority):
        require_specialist(actor, fresh.authority)
        _require_no_conflict(actor, fresh)
    fresh.outcome_reason = reason
    fresh.nominees.filter(is_active=True, outcome__in=[LineOutcome.PENDING, LineOutcome.FORWARDED]).update(
        outcome=LineOutcome.NOT_APPROVED
    )
    fresh.due_date, fresh.due_basis = None, ""
    _move(fresh, actor, fresh.reject, reason)
    return fresh


@transaction.atomic
def central_answer_record(
    *,
    actor: User,
    dossier: Dossier,
    approved: Sequence[Nominee],
    number: str,
    date: dt.date,
    issuing_authority: str,
    signer_name: str = "",
    signer_title: str = "",
) -> Decision | None:
    """The central level's answer to forwarded lines: the decision of the Prime Minister or the
    President for those approved, the others marked not approved."""
    fresh = _locked(dossier)
    require_specialist(actor, fresh.authority)
    _require_no_conflict(actor, fresh)
    _require(
        authorities.authority_above(fresh.authority) is None,
        _("Hồ sơ này đã được trình lên cấp trên bằng hồ sơ mới; kết quả ghi ở hồ sơ đó."),
        "state_not_allowed",
    )
    forwarded = list(fresh.nominees.filter(outcome=LineOutcome.FORWARDED).select_related("award_type"))
    chosen = {n.pk for n in approved}
    _require(chosen <= {n.pk for n in forwarded}, _("Chỉ ghi kết quả cho các dòng đã trình cấp trên."))
    decision = None
    lines = [line for line in forwarded if line.pk in chosen]
    if lines:
        _require(
            bool(number.strip()) and bool(issuing_authority.strip()),
            _("Cần số quyết định và cơ quan ban hành."),
        )
        decision, _created = decision_get_or_create(
            actor=actor,
            number=number,
            date=date,
            issuing_authority=issuing_authority,
            signer_name=signer_name,
            signer_title=signer_title,
            summary=_("Khen thưởng theo đề nghị của tỉnh"),
            source=RecordSource.SYSTEM,
        )
        _create_records(actor=actor, decision=decision, lines=lines, dossier=fresh)
    Nominee.objects.filter(pk__in=[n.pk for n in forwarded if n.pk not in chosen]).update(
        outcome=LineOutcome.NOT_APPROVED
    )
    comment = (
        _("Cấp trên quyết định số {number}: {n} khen thưởng").format(number=number, n=len(lines))
        if lines
        else _("Cấp trên không chấp thuận")
    )
    if lines or fresh.nominees.filter(outcome=LineOutcome.APPROVED).exists():
        _move(fresh, actor, fresh.record_central_answer, comment)
    else:
        fresh.outcome_reason = comment
        _move(fresh, actor, fresh.reject, comment)
    return decision


@transaction.atomic
def award_revoke(
    *, actor: User, nominee: Nominee, reason: str, basis: str, on: dt.date | None = None
) -> AwardRecord:
    """Revoke one decided line (Luật Thi đua, khen thưởng 2022, Điều 93): the registry keeps the award,
    marked revoked with the reason and basis, and it no longer counts for later appraisals."""
    # The person competent to decide an award is competent to cancel it (Luật TĐKT 2022 Điều 93.8): the
    # head of the authority that decided it; for State awards the Prime Minister or the President
    # decides, and the province's specialist only records their cancelling decision.
    authority = nominee.dossier.authority
    state_level = nominee.award_type.level == AwardLevel.STATE
    if state_level:
        if not (actor.role == Role.BOARD_SPECIALIST and actor.authority_id == authority.pk):
            raise Forbidden(
                _(
                    "{award} do cấp Nhà nước quyết định nên chỉ cấp đó hủy bỏ; chuyên viên của cấp đã "
                    "trình ghi lại quyết định hủy bỏ của cấp trên."
                ).format(award=nominee.award_type.name),
                "revoke_not_allowed",
            )
    elif not is_head(actor, authority):
        raise Forbidden(
            _("Chỉ {title} {name}, người đã quyết định khen thưởng, được hủy bỏ.").format(
                title=authority.head_title, name=authority.name
            ),
            "revoke_not_allowed",
        )
    reason, basis = reason.strip(), basis.strip()
    _require(bool(reason), _("Cần ghi lý do hủy bỏ quyết định khen thưởng."), "reason_required")
    _require(
        bool(basis),
        _("Cần ghi căn cứ pháp lý (ví dụ: Luật Thi đua, khen thưởng 2022, Điều 93 khoản 1 điểm b)."),
    )
    line = (
        Nominee.objects.select_for_update(of=("self",))
        .select_related("award_record", "dossier")
        .get(pk=nominee.pk)
    )
    _require(
        line.outcome == LineOutcome.APPROVED and line.award_record is not None,
        _("Chỉ hủy bỏ được dòng đã có quyết định khen thưởng."),
    )
    assert line.award_record_id is not None
    record = AwardRecord.objects.select_for_update().get(pk=line.award_record_id)
    record.revoked_on = on or timezone.localdate()
    record.revocation_reason = reason
    record.revocation_basis = basis
    with_history_user(record, actor)
    record.save(update_fields=["revoked_on", "revocation_reason", "revocation_basis"])
    tallies.revoked(AwardRecord.objects.filter(pk=record.pk))
    line.outcome = LineOutcome.REVOKED
    with_history_user(line, actor)
    line.save(update_fields=["outcome"])
    audit_record(
        actor=actor,
        action="award_revoke",
        target=record,
        summary=f"{line.dossier.code}: {record}",
        extra={"reason": reason, "basis": basis},
    )
    notify.revoked(line, reason)
    return record


# ---------------------------------------------------------------------------------------------------
# The steps a page or the API takes by name


# The service of each step of the workflow table (workflow.STEPS): the table says who takes it, from
# which states and with which text; a test checks that every step has its service and no other.
STEP_SERVICES: dict[str, Callable[..., Any]] = {
    "submit": dossier_submit,
    "receive": dossier_receive,
    "return": dossier_return,
    "withdraw": dossier_withdraw,
    "reappraise": dossier_reappraise,
    "complete_appraisal": dossier_complete_appraisal,
    "reject": dossier_reject,
}


def dossier_step(*, actor: User, dossier: Dossier, action: str, text: str = "") -> Any:
    """Take the named step of the workflow table; the text goes to the step's comment or reason."""
    step = workflow.BY_NAME[action]
    kwargs: dict[str, Any] = {"actor": actor, "dossier": dossier}
    if step.text:
        kwargs[step.text] = text
    return STEP_SERVICES[action](**kwargs)


# ---------------------------------------------------------------------------------------------------
# Public comment


@transaction.atomic
def public_comment_add(
    *, nominee: Nominee, author_name: str, contact: str, text: str, ip: str
) -> PublicComment:
    today = timezone.localdate()
    _require(
        nominee.public_comment_until is not None and today <= nominee.public_comment_until,
        _("Thời hạn lấy ý kiến về trường hợp này đã kết thúc."),
    )
    author_name, text = author_name.strip(), text.strip()
    _require(len(author_name) >= 2, _("Cần ghi họ và tên người góp ý."))
    _require(10 <= len(text) <= 4000, _("Ý kiến cần từ 10 đến 4.000 ký tự."))
    comment = PublicComment.objects.create(
        nominee=nominee,
        author_name=author_name[:150],
        contact=contact.strip()[:150],
        text=text,
        ip_hash=address_hash(ip),
    )
    notify.public_comment(comment)
    return comment


# ---------------------------------------------------------------------------------------------------
# Notifications


@transaction.atomic
def notification_open(*, actor: User, pk: int) -> Notification | None:
    """The actor's own notice, marked read; None for anyone else's."""
    notification = Notification.objects.filter(user=actor, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
