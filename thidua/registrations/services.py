"""Writes of the registrations: begin the year's registration of a unit, its collective and personal
titles (one by one, or every active person of the unit at once), its pledges to movements, the head's
submission, the approval or return by the authority above.

Each service is atomic, checks the actor's role, authority and data scope again (a page's button is a
convenience, the service is the guard), locks the row it moves, writes its transition log, the audit row
and the notifications in the same transaction. A refusal is a `ValidationError` (or `Forbidden`) with a
Vietnamese message and a stable code, and nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from thidua.accounts.models import UNIT_STAFF, Role, User
from thidua.accounts.scope import require_unit_staff as _require_unit_staff
from thidua.accounts.scope import unit_in_scope
from thidua.awards.models import AwardCategory, AwardType, RecipientKind
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden
from thidua.core.errors import require as _require
from thidua.core.errors import require_role as _require_role
from thidua.movements.models import Criterion, Movement
from thidua.movements.workflow import RUNNING_STATES
from thidua.organisation.models import Person, Unit, UnitKind
from thidua.proposals import notify
from thidua.proposals.access import require_serves
from thidua.registrations import access, workflow
from thidua.registrations.deadline import deadline_for
from thidua.registrations.models import (
    CollectiveLine,
    PersonLine,
    Pledge,
    PledgeTarget,
    Registration,
    RegistrationTransition,
)
from thidua.registrations.workflow import RegistrationState

STALE = gettext_lazy("Vừa có người khác xử lý ({state}). Hãy tải lại trang để xem trạng thái mới nhất.")
# The title every person is registered for by default when the unit adds its people at once.
DEFAULT_PERSON_TITLE = "LDTT"
MAX_TARGET = Decimal("999999999999.99")
# Titles only one kind of collective can hold (Luật Thi đua, khen thưởng 2022, Điều 20 khoản 1: "xã,
# phường, thị trấn tiêu biểu", "thôn, tổ dân phố văn hóa").
KIND_ONLY: dict[str, tuple[str, ...]] = {
    "XA_TIEU_BIEU": (UnitKind.COMMUNE, UnitKind.WARD),
    "THON_VH": (UnitKind.VILLAGE,),
}


# ---------------------------------------------------------------------------------------------------
# What may be registered


def _titles(kind: str) -> list[AwardType]:
    return [
        a
        for a in AwardType.objects.filter(is_active=True, category=AwardCategory.TITLE).order_by(
            "order", "code"
        )
        if kind in (a.recipients or [])
    ]


def collective_titles(unit: Unit | None = None) -> list[AwardType]:
    """The catalogue's titles for collectives (danh hiệu thi đua tập thể), those a unit of this kind can
    hold: a commune's "xã tiêu biểu", a village's "thôn văn hóa", the others for any collective."""
    titles = _titles(RecipientKind.COLLECTIVE)
    if unit is None:
        return titles
    return [a for a in titles if a.code not in KIND_ONLY or unit.kind in KIND_ONLY[a.code]]


def person_titles() -> list[AwardType]:
    """The catalogue's titles for individuals (danh hiệu thi đua cá nhân)."""
    return _titles(RecipientKind.INDIVIDUAL)


# ---------------------------------------------------------------------------------------------------
# Begin, lock


def registration_link(registration: Registration) -> str:
    return reverse("registrations:detail", args=[registration.pk])


@transaction.atomic
def registration_open(*, actor: User, unit: Unit, year: int) -> Registration:
    """The unit's registration for `year`: the one already begun, else a new draft addressed to the
    authority above the unit, with the year's deadline."""
    _require_unit_staff(actor, unit)
    today = timezone.localdate()
    _require(
        today.year - 1 <= year <= today.year + 1,
        _("Chỉ lập bản đăng ký cho năm {prev}, {this} hoặc {next}.").format(
            prev=today.year - 1, this=today.year, next=today.year + 1
        ),
        "year_out_of_range",
    )
    _require(
        unit.valid_to is None or unit.valid_to >= today,
        _("{unit} đã giải thể, sáp nhập: không lập bản đăng ký.").format(unit=unit.name),
        "unit_dissolved",
    )
    existing = Registration.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    authority = access.reviewing_authority(unit)
    _require(
        authority is not None,
        _("Chưa có cấp nào phía trên {unit} để duyệt bản đăng ký.").format(unit=unit.name),
        "no_authority",
    )
    assert authority is not None
    registration = Registration(
        unit=unit, year=year, authority=authority, due_date=deadline_for(year).day, created_by=actor
    )
    with_history_user(registration, actor)
    registration.save()
    RegistrationTransition.objects.create(
        registration=registration,
        actor=actor,
        source=registration.state,
        target=registration.state,
        comment=_("Lập bản đăng ký"),
    )
    audit_record(
        actor=actor, action="registration_create", target=registration, summary=f"{year} {unit.name}"
    )
    return registration


def _locked(registration: Registration, *, same_state: bool = True) -> Registration:
    fresh = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("unit", "authority", "authority__unit")
        .get(pk=registration.pk)
    )
    if same_state and fresh.state != registration.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _editable(actor: User, registration: Registration) -> Registration:
    _require_unit_staff(actor, registration.unit)
    fresh = _locked(registration, same_state=False)
    _require(
        fresh.state in workflow.EDITABLE_STATES,
        _("Bản đăng ký đã gửi ({state}): không sửa được.").format(state=fresh.get_state_display()),
        "registration_not_editable",
    )
    return fresh


def _award(code: str, allowed: list[AwardType]) -> AwardType:
    found = next((a for a in allowed if a.code == code), None)
    _require(
        found is not None,
        _("Danh hiệu “{code}” không đăng ký được ở đây.").format(code=code),
        "award_not_allowed",
    )
    assert found is not None
    return found


def _in_subtree(registration: Registration, unit: Unit) -> bool:
    return unit.path.startswith(registration.unit.path)


# ---------------------------------------------------------------------------------------------------
# Lines


@transaction.atomic
def collective_add(
    *, actor: User, registration: Registration, award_code: str, collective: Unit | None = None
) -> CollectiveLine:
    fresh = _editable(actor, registration)
    collective = collective or fresh.unit
    _require(
        _in_subtree(fresh, collective) and collective.valid_to is None,
        _("{unit} không thuộc đơn vị đăng ký.").format(unit=collective.name),
        "collective_out_of_unit",
    )
    award = _award(award_code, collective_titles(collective))
    line, created = CollectiveLine.objects.get_or_create(
        registration=fresh, collective=collective, award_type=award
    )
    if created:
        audit_record(
            actor=actor,
            action="registration_collective_add",
            target=fresh,
            summary=f"{fresh.year} {collective.name}: {award.code}",
        )
    return line


@transaction.atomic
def collective_remove(*, actor: User, line: CollectiveLine) -> None:
    fresh = _editable(actor, line.registration)
    with_history_user(line, actor)
    audit_record(
        actor=actor,
        action="registration_collective_remove",
        target=fresh,
        summary=f"{fresh.year} {line.collective_id}: {line.award_type_id}",
    )
    line.delete()


@transaction.atomic
def people_set(*, actor: User, registration: Registration, titles: Mapping[int, str]) -> int:
    """Set the title each person aims for (person id → award code; an empty code removes the person).
    Each person must be an active member of the unit or one of its sub-units; every line is checked before
    anything is written. Returns the number of lines changed."""
    fresh = _editable(actor, registration)
    allowed = person_titles()
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=list(titles), is_active=True).select_related("unit")
        if _in_subtree(fresh, p.unit)
    }
    strangers = [pid for pid in titles if pid not in people]
    _require(
        not strangers,
        _("Có {n} người không phải người đang công tác tại đơn vị đăng ký.").format(n=len(strangers)),
        "person_out_of_unit",
    )
    wanted = {pid: _award(code, allowed) if code else None for pid, code in titles.items()}
    existing = {line.person_id: line for line in fresh.people.filter(person_id__in=list(titles))}
    changed = 0
    for pid, award in wanted.items():
        line = existing.get(pid)
        if award is None:
            if line is not None:
                with_history_user(line, actor)
                line.delete()
                changed += 1
            continue
        if line is not None and line.award_type_id == award.pk:
            continue
        line = line or PersonLine(registration=fresh, person_id=pid)
        line.award_type = award
        with_history_user(line, actor)
        line.save()
        changed += 1
    if changed:
        audit_record(
            actor=actor,
            action="registration_people_set",
            target=fresh,
            summary=f"{fresh.year} {fresh.unit.name}: {changed}",
            extra={"titles": {str(k): v for k, v in titles.items()}},
        )
    return changed


def _members(registration: Registration, include_subunits: bool) -> Any:
    people = Person.objects.filter(is_active=True)
    if include_subunits:
        return people.filter(unit__path__startswith=registration.unit.path)
    return people.filter(unit=registration.unit)


@transaction.atomic
def people_add_all(
    *,
    actor: User,
    registration: Registration,
    award_code: str = DEFAULT_PERSON_TITLE,
    include_subunits: bool = False,
) -> int:
    """Add every active person of the unit (and of its sub-units, if asked) not listed yet, each with
    `award_code` (Lao động tiên tiến by default): officials register dozens of people, then adjust the few
    who aim higher. Returns the number added."""
    fresh = _editable(actor, registration)
    award = _award(award_code, person_titles())
    listed = set(fresh.people.values_list("person_id", flat=True))
    new = [
        PersonLine(registration=fresh, person_id=pid, award_type=award)
        for pid in _members(fresh, include_subunits).order_by("sort_key").values_list("pk", flat=True)
        if pid not in listed
    ]
    # bulk_create writes no history rows: write them one by one (a unit has dozens, not thousands).
    for line in new:
        with_history_user(line, actor)
        line.save()
    if new:
        audit_record(
            actor=actor,
            action="registration_people_add_all",
            target=fresh,
            summary=f"{fresh.year} {fresh.unit.name}: {len(new)} × {award.code}",
        )
    return len(new)


def pledge_movements(registration: Registration) -> list[Movement]:
    """The movements the unit may pledge to: launched (or reviewed at mid-term) and targeting the unit,
    and running during the registration's year."""
    return list(
        Movement.objects.filter(
            targets__unit=registration.unit,
            state__in=RUNNING_STATES,
            start_date__year__lte=registration.year,
            end_date__year__gte=registration.year,
        )
        .select_related("authority")
        .order_by("start_date", "id")
    )


def _parse_target(raw: Any, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("Chỉ tiêu “{label}” phải là một số.").format(label=label), code="invalid_number"
        ) from None
    _require(
        value.is_finite() and Decimal(0) <= value <= MAX_TARGET,
        _("Chỉ tiêu “{label}” phải là số không âm.").format(label=label),
        "invalid_number",
    )
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def pledge_save(
    *,
    actor: User,
    registration: Registration,
    movement: Movement,
    text: str,
    targets: Mapping[int, Any] | None = None,
) -> Pledge:
    """The unit's pledge to `movement`, with optional figures for its criteria (criterion id → target;
    an empty value clears it)."""
    fresh = _editable(actor, registration)
    _require(
        movement.pk in {m.pk for m in pledge_movements(fresh)},
        _("Đơn vị không tham gia phong trào này trong năm {year}.").format(year=fresh.year),
        "not_a_target",
    )
    text = (text or "").strip()
    _require(bool(text), _("Cần ghi nội dung đăng ký, cam kết."), "pledge_text_required")
    criteria = {c.pk: c for c in Criterion.objects.filter(movement=movement)}
    targets = targets or {}
    _require(
        all(cid in criteria for cid in targets),
        _("Có tiêu chí không thuộc phong trào này."),
        "unknown_criterion",
    )
    parsed = {
        cid: _parse_target(raw, criteria[cid].name) if str(raw or "").strip() else None
        for cid, raw in targets.items()
    }
    pledge = Pledge.objects.filter(registration=fresh, movement=movement).first() or Pledge(
        registration=fresh, movement=movement
    )
    pledge.text = text
    with_history_user(pledge, actor)
    pledge.save()
    existing = {t.criterion_id: t for t in pledge.targets.all()}
    for cid, value in parsed.items():
        row = existing.get(cid)
        if value is None:
            if row is not None:
                with_history_user(row, actor)
                row.delete()
            continue
        row = row or PledgeTarget(pledge=pledge, criterion_id=cid)
        row.target = value
        with_history_user(row, actor)
        row.save()
    audit_record(
        actor=actor,
        action="registration_pledge_save",
        target=fresh,
        summary=f"{fresh.year} {fresh.unit.name}: {movement.code}",
        extra={"targets": {str(k): str(v) for k, v in parsed.items()}},
    )
    return pledge


@transaction.atomic
def pledge_remove(*, actor: User, pledge: Pledge) -> None:
    fresh = _editable(actor, pledge.registration)
    for row in pledge.targets.all():
        with_history_user(row, actor)
        row.delete()
    with_history_user(pledge, actor)
    audit_record(
        actor=actor,
        action="registration_pledge_remove",
        target=fresh,
        summary=f"{fresh.year} {fresh.unit.name}: {pledge.movement_id}",
    )
    pledge.delete()


@transaction.atomic
def note_save(*, actor: User, registration: Registration, note: str) -> Registration:
    fresh = _editable(actor, registration)
    fresh.note = (note or "").strip()
    with_history_user(fresh, actor)
    fresh.save(update_fields=["note"])
    return fresh


# ---------------------------------------------------------------------------------------------------
# Steps


def _move(registration: Registration, actor: User, method: Any, comment: str = "") -> RegistrationTransition:
    source = registration.state
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi bản đăng ký đang ở trạng thái “{state}”.").format(
                state=registration.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(registration, actor)
    try:
        registration.save()
    except ConcurrentTransition as exc:
        raise ValidationError(str(STALE).format(state="?"), code="state_conflict") from exc
    entry = RegistrationTransition.objects.create(
        registration=registration, actor=actor, source=source, target=registration.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"registration_{registration.state}",
        target=registration,
        summary=f"{registration.year} {registration.unit.name}: {source} → {registration.state}",
        extra={"comment": comment},
    )
    _tell(registration, entry)
    return entry


_TEXTS = {
    RegistrationState.SUBMITTED: gettext_lazy("{unit} đã gửi bản đăng ký thi đua năm {year}, chờ duyệt"),
    RegistrationState.APPROVED: gettext_lazy("Bản đăng ký thi đua năm {year} của {unit} đã được duyệt"),
    RegistrationState.RETURNED: gettext_lazy(
        "Bản đăng ký thi đua năm {year} của {unit} bị trả lại để sửa: {comment}"
    ),
}


def _tell(registration: Registration, entry: RegistrationTransition) -> int:
    link = registration_link(registration)
    notify.clear(link=link)
    text = str(_TEXTS[RegistrationState(entry.target)]).format(
        unit=registration.unit.name, year=registration.year, comment=entry.comment
    )
    if entry.target == RegistrationState.SUBMITTED:
        audience = [
            u
            for u in User.objects.filter(
                role=Role.BOARD_SPECIALIST, authority=registration.authority, is_active=True
            ).select_related("unit")
            if not access.conflicted(u, registration)
        ]
    else:
        audience = list(User.objects.filter(unit=registration.unit, role__in=UNIT_STAFF, is_active=True))
        audience += list(User.objects.filter(pk=registration.created_by_id, is_active=True))
    return notify.send([u for u in audience if u.pk != entry.actor_id], text, link=link)


def missing_items(registration: Registration) -> list[str]:
    """What the registration lacks before the head may send it."""
    if registration.collectives.exists() or registration.people.exists() or registration.pledges.exists():
        return []
    return [_("ít nhất một danh hiệu tập thể, một cá nhân hoặc một đăng ký tham gia phong trào")]


@transaction.atomic
def registration_submit(*, actor: User, registration: Registration, comment: str = "") -> Registration:
    _require_role(actor, *workflow.BY_NAME["submit"].roles)
    if not unit_in_scope(actor, registration.unit):
        raise Forbidden(_("Bản đăng ký này không thuộc phạm vi đơn vị của bạn."), "out_of_scope")
    fresh = _locked(registration)
    missing = missing_items(fresh)
    _require(
        not missing,
        _("Bản đăng ký chưa đủ để gửi: còn thiếu {items}.").format(items="; ".join(missing)),
        "registration_empty",
    )
    now = timezone.now()
    fresh.submitted_at = now
    if fresh.first_submitted_at is None:
        fresh.first_submitted_at = now
    _move(fresh, actor, fresh.submit, comment.strip())
    return fresh


def _reviewable(actor: User, registration: Registration, step: str) -> Registration:
    _require_role(actor, *workflow.BY_NAME[step].roles)
    fresh = _locked(registration)
    require_serves(actor, fresh.authority, access.SPECIALIST)
    if access.conflicted(actor, fresh):
        raise Forbidden(
            _(
                "Bạn công tác tại {unit} nên không duyệt bản đăng ký của đơn vị mình; "
                "hãy chuyển cho chuyên viên khác."
            ).format(unit=fresh.unit.name),
            "conflict_of_interest",
        )
    return fresh


@transaction.atomic
def registration_approve(*, actor: User, registration: Registration, comment: str = "") -> Registration:
    fresh = _reviewable(actor, registration, "approve")
    fresh.reviewed_at = timezone.now()
    _move(fresh, actor, fresh.approve, comment.strip())
    return fresh


@transaction.atomic
def registration_return(*, actor: User, registration: Registration, reason: str) -> Registration:
    reason = (reason or "").strip()
    _require(bool(reason), _("Cần ghi rõ lý do trả lại và nội dung cần sửa."), "reason_required")
    fresh = _reviewable(actor, registration, "return")
    fresh.reviewed_at = timezone.now()
    _move(fresh, actor, fresh.return_for_correction, reason)
    return fresh


def registration_step(
    *, actor: User, registration: Registration, action: str, text: str = ""
) -> Registration:
    if action == "submit":
        return registration_submit(actor=actor, registration=registration, comment=text)
    if action == "approve":
        return registration_approve(actor=actor, registration=registration, comment=text)
    if action == "return":
        return registration_return(actor=actor, registration=registration, reason=text)
    raise ValidationError(_("Không có thao tác này."), code="unknown_action")


def demo_register(
    *, unit: Unit, year: int, actor: User, people_title: str = DEFAULT_PERSON_TITLE
) -> Registration:
    """For the demo (and scripts): begin a unit's registration for `year` with its collective aiming for
    Tập thể lao động tiên tiến and every active person for `people_title`, left as a draft."""
    registration = registration_open(actor=actor, unit=unit, year=year)
    if registration.is_editable:
        if not registration.collectives.exists():
            collective_add(actor=actor, registration=registration, award_code="TTLDTT")
        people_add_all(actor=actor, registration=registration, award_code=people_title)
    return registration
