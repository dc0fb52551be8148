"""Every write of the portal: the role models' life cycle (nominated → approved → published, featured,
retired), their consents, and the publication of award decisions. Each one checks role and scope, writes
its audit row, and retires the cached public pages it changes in the same transaction."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import UNIT_STAFF, Role, User
from thidua.accounts.scope import unit_in_scope
from thidua.awards.models import Decision
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden, require, require_role
from thidua.core.text import fold
from thidua.organisation.models import Person, Unit
from thidua.portal.cache import bump
from thidua.portal.models import Consent, RoleModel, RoleModelState
from thidua.proposals.uploads import sniff_upload

# A portrait, not a document: a photo above this size is refused (the page shows it a few hundred
# pixels wide).
PHOTO_MAX_BYTES = 5 * 1024 * 1024
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def _out_of_scope() -> Forbidden:
    return Forbidden(_("Đơn vị này không thuộc phạm vi của bạn."), "out_of_scope")


def _require_scope(actor: User, unit: Unit | None) -> None:
    if unit is None or not unit_in_scope(actor, unit):
        raise _out_of_scope()


def _locked(role_model: RoleModel, *states: str) -> RoleModel:
    fresh = RoleModel.objects.select_for_update(of=("self",)).select_related("unit").get(pk=role_model.pk)
    if states and fresh.state not in states:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi điển hình đang ở trạng thái “{state}”.").format(
                state=fresh.get_state_display()
            ),
            code="state_conflict",
        )
    return fresh


def _save(role_model: RoleModel, actor: User, fields: list[str]) -> None:
    with_history_user(role_model, actor)
    role_model.save(update_fields=fields)


def _unique_slug(name: str, year: int) -> str:
    base = _SLUG_UNSAFE.sub("-", fold(name)).strip("-")[:90] or "dien-hinh"
    base = f"{base}-{year}"
    slug, n = base, 1
    while RoleModel.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _store_photo(role_model: RoleModel, upload: UploadedFile) -> None:
    """Checked by content (proposals.uploads): a whole PNG or JPEG whose name matches it, and small."""
    size = upload.size or 0
    require(
        size <= PHOTO_MAX_BYTES,
        _("Ảnh quá lớn: tối đa {size} MB.").format(size=PHOTO_MAX_BYTES // (1024 * 1024)),
        "photo_too_large",
    )
    sniffed = sniff_upload(upload)
    require(sniffed.kind in ("png", "jpeg"), _("Ảnh phải là tệp PNG hoặc JPEG."), "photo_not_image")
    role_model.photo.save(f"{role_model.slug}{sniffed.extension}", upload, save=False)
    role_model.photo_content_type = sniffed.content_type


def has_consent_in_force(role_model: RoleModel) -> bool:
    return role_model.consents.filter(withdrawn_at__isnull=True).exists()


@transaction.atomic
def role_model_nominate(
    *,
    actor: User,
    headline: str,
    story: str,
    year: int,
    person: Person | None = None,
    collective: Unit | None = None,
    photo: UploadedFile | None = None,
    photo_alt: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    internal_note: str = "",
) -> RoleModel:
    """A unit's officer or head puts forward one of its people, or one of its collectives."""
    require_role(actor, *UNIT_STAFF)
    require(
        (person is None) != (collective is None),
        _("Chọn một cá nhân hoặc một tập thể được đề cử."),
        "subject_required",
    )
    unit = person.unit if person is not None else collective
    _require_scope(actor, unit)
    assert unit is not None
    headline, story = headline.strip(), story.strip()
    require(bool(headline), _("Cần nhập danh xưng của điển hình."), "headline_required")
    require(bool(story), _("Cần nhập câu chuyện về điển hình."), "story_required")
    this_year = timezone.localdate().year
    require(2000 <= year <= this_year, _("Năm không hợp lệ."), "year_invalid")
    subject: dict[str, Person | Unit | None] = (
        {"person": person} if person is not None else {"collective": collective}
    )
    require(
        not RoleModel.objects.filter(year=year, **subject).exclude(state=RoleModelState.RETIRED).exists(),
        _("Điển hình này đã được đề cử cho năm {year}.").format(year=year),
        "already_nominated",
    )
    name = person.full_name if person is not None else unit.name
    role_model = RoleModel(
        person=person,
        collective=collective,
        unit=unit,
        slug=_unique_slug(name, year),
        name=name,
        headline=headline[:200],
        story=story,
        year=year,
        photo_alt=(photo_alt.strip() or name)[:200],
        contact_phone=contact_phone.strip()[:30],
        contact_email=contact_email.strip(),
        internal_note=internal_note.strip(),
        nominated_by=actor,
    )
    role_model.refresh_derived()
    if photo is not None:
        _store_photo(role_model, photo)
    role_model.full_clean()
    with_history_user(role_model, actor)
    role_model.save()
    audit_record(actor=actor, action="role_model_nominate", target=role_model, summary=name)
    return role_model


def _board(actor: User, role_model: RoleModel) -> None:
    require_role(actor, Role.BOARD_SPECIALIST)
    _require_scope(actor, role_model.unit)


@transaction.atomic
def role_model_approve(*, actor: User, role_model: RoleModel) -> RoleModel:
    _board(actor, role_model)
    role_model = _locked(role_model, RoleModelState.NOMINATED)
    role_model.state = RoleModelState.APPROVED
    role_model.approved_by = actor
    role_model.approved_at = timezone.now()
    _save(role_model, actor, ["state", "approved_by", "approved_at"])
    audit_record(actor=actor, action="role_model_approve", target=role_model, summary=role_model.name)
    return role_model


@transaction.atomic
def role_model_publish(*, actor: User, role_model: RoleModel) -> RoleModel:
    """Only with a consent in force (Nghị định 13/2023/NĐ-CP, Điều 11: consent to the processing of
    personal data, for a stated purpose)."""
    _board(actor, role_model)
    role_model = _locked(role_model, RoleModelState.APPROVED)
    require(
        has_consent_in_force(role_model),
        _("Chưa có sự đồng ý công bố còn hiệu lực: cần ghi nhận sự đồng ý trước khi công bố."),
        "consent_required",
    )
    role_model.state = RoleModelState.PUBLISHED
    role_model.published_at = timezone.now()
    _save(role_model, actor, ["state", "published_at"])
    audit_record(actor=actor, action="role_model_publish", target=role_model, summary=role_model.name)
    bump()
    return role_model


@transaction.atomic
def role_model_feature(*, actor: User, role_model: RoleModel, featured: bool) -> RoleModel:
    _board(actor, role_model)
    role_model = _locked(role_model, RoleModelState.PUBLISHED)
    role_model.featured = featured
    _save(role_model, actor, ["featured"])
    audit_record(
        actor=actor,
        action="role_model_feature" if featured else "role_model_unfeature",
        target=role_model,
        summary=role_model.name,
    )
    bump()
    return role_model


@transaction.atomic
def role_model_retire(*, actor: User, role_model: RoleModel, reason: str = "") -> RoleModel:
    _board(actor, role_model)
    role_model = _locked(
        role_model, RoleModelState.NOMINATED, RoleModelState.APPROVED, RoleModelState.PUBLISHED
    )
    role_model.state = RoleModelState.RETIRED
    role_model.featured = False
    role_model.retired_at = timezone.now()
    _save(role_model, actor, ["state", "featured", "retired_at"])
    audit_record(
        actor=actor,
        action="role_model_retire",
        target=role_model,
        summary=f"{role_model.name}: {reason.strip()}"[:500],
    )
    bump()
    return role_model


def _consent_actor(actor: User, role_model: RoleModel) -> None:
    require_role(actor, *UNIT_STAFF, Role.BOARD_SPECIALIST)
    _require_scope(actor, role_model.unit)


@transaction.atomic
def consent_record(
    *,
    actor: User,
    role_model: RoleModel,
    given_by: str,
    capacity: str,
    given_on: dt.date | None,
    purpose: str,
) -> Consent:
    """The person's own consent, or the collective's representative's, as given on paper or in person."""
    _consent_actor(actor, role_model)
    role_model = _locked(
        role_model, RoleModelState.NOMINATED, RoleModelState.APPROVED, RoleModelState.PUBLISHED
    )
    given_by, capacity, purpose = given_by.strip(), capacity.strip(), purpose.strip()
    require(bool(given_by), _("Cần nhập họ tên người đồng ý."), "given_by_required")
    require(bool(capacity), _("Cần nhập tư cách của người đồng ý."), "capacity_required")
    require(bool(purpose), _("Cần nêu mục đích, phạm vi sử dụng thông tin."), "purpose_required")
    require(given_on is not None, _("Cần nhập ngày đồng ý (dd/mm/yyyy)."), "given_on_required")
    assert given_on is not None
    require(given_on <= timezone.localdate(), _("Ngày đồng ý không được sau hôm nay."), "given_on_future")
    consent = Consent(
        role_model=role_model,
        given_by=given_by[:200],
        capacity=capacity[:200],
        given_on=given_on,
        purpose=purpose,
        recorded_by=actor,
    )
    consent.full_clean()
    with_history_user(consent, actor)
    consent.save()
    audit_record(
        actor=actor, action="consent_record", target=consent, summary=f"{role_model.name}: {given_by}"
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, note: str = "") -> Consent:
    """The consent is withdrawn: a published profile leaves the portal in the same transaction, its
    cached pages with it, and goes back to "approved" until a new consent is recorded and the Board
    publishes it again."""
    role_model = consent.role_model
    _consent_actor(actor, role_model)
    role_model = _locked(role_model)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    require(consent.withdrawn_at is None, _("Sự đồng ý này đã được rút lại trước đó."), "already_withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note.strip()[:300]
    with_history_user(consent, actor)
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    unpublished = role_model.state == RoleModelState.PUBLISHED and not has_consent_in_force(role_model)
    if unpublished:
        role_model.state = RoleModelState.APPROVED
        role_model.featured = False
        role_model.published_at = None
        _save(role_model, actor, ["state", "featured", "published_at"])
    audit_record(
        actor=actor,
        action="consent_withdraw",
        target=consent,
        summary=f"{role_model.name}: {consent.given_by}",
        extra={"role_model": role_model.pk, "unpublished": unpublished},
    )
    bump()
    return consent


def _decision_scope(actor: User, decision: Decision) -> None:
    require_role(actor, Role.BOARD_SPECIALIST)
    if decision.issuer_unit is None:
        if not actor.is_province_wide:
            raise _out_of_scope()
        return
    _require_scope(actor, decision.issuer_unit)


@transaction.atomic
def decision_publish(*, actor: User, decision: Decision) -> Decision:
    """Put an issued decision on the public portal: its number, date, issuer and who received what; never
    the achievements' text, the bonus or anything about the people beyond their name and unit."""
    _decision_scope(actor, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    require(decision.published_at is None, _("Quyết định đã được công bố."), "already_published")
    require(
        decision.date <= timezone.localdate(),
        _("Quyết định chưa đến ngày ký, chưa công bố được."),
        "not_issued",
    )
    decision.published_at = timezone.now()
    decision.published_by = actor
    with_history_user(decision, actor)
    decision.save(update_fields=["published_at", "published_by"])
    audit_record(actor=actor, action="decision_publish", target=decision, summary=decision.number)
    bump()
    return decision


@transaction.atomic
def decision_unpublish(*, actor: User, decision: Decision, reason: str = "") -> Decision:
    _decision_scope(actor, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    require(decision.published_at is not None, _("Quyết định chưa được công bố."), "not_published")
    decision.published_at = None
    decision.published_by = None
    with_history_user(decision, actor)
    decision.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action="decision_unpublish",
        target=decision,
        summary=f"{decision.number}: {reason.strip()}"[:500],
    )
    bump()
    return decision
