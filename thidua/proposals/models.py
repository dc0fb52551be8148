"""Proposal dossiers (hồ sơ đề nghị khen thưởng), their nominees, attachments and workflow log; the
Council (Hội đồng Thi đua – Khen thưởng) with its sessions and secret ballots; in-app notifications and
public comments on nominees.

The dossier's state is a django-fsm field that only services change (protected), each change written to
`DossierTransition` in the same transaction. `ConcurrentTransitionMixin` makes two people acting on one
dossier at once safe: the second save finds the state changed and fails with `ConcurrentTransition`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from thidua.awards.models import CommendationKind

# The states live with the workflow table; they are re-exported here, where the rest of the code meets them.
from thidua.proposals.workflow import EDITABLE_STATES as EDITABLE_STATES
from thidua.proposals.workflow import FINAL_STATES as FINAL_STATES
from thidua.proposals.workflow import OPEN_STATES as OPEN_STATES
from thidua.proposals.workflow import DossierState as DossierState
from thidua.proposals.workflow import sources as fsm_sources
from thidua.proposals.workflow import target as fsm_target


class Dossier(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("số hồ sơ"), max_length=30, unique=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("đơn vị đề nghị"),
    )
    kind = models.CharField(_("loại hình khen thưởng"), max_length=12, choices=CommendationKind.choices)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    title = models.CharField(_("trích yếu"), max_length=300)
    summary = models.TextField(_("tóm tắt thành tích"), blank=True)
    movement = models.CharField(_("phong trào thi đua"), max_length=300, blank=True)
    # The movement launched in the product that the dossier's achievements answer (its kind and dates
    # are facts the engine reads); `movement` keeps its name, or names one launched elsewhere.
    linked_movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("phong trào (trong hệ thống)"),
    )
    # The authority the dossier is addressed to: its specialist appraises it, its Council votes, its head
    # decides the lines within its power and sends the rest up.
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("cấp xét, quyết định"),
    )
    # The lower authority's dossier whose lines this one carries up, with that authority's tờ trình.
    sent_up_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_up",
        verbose_name=_("chuyển lên từ hồ sơ"),
    )
    proposal_number = models.CharField(_("số tờ trình"), max_length=60, blank=True)
    state = FSMField(
        _("trạng thái"), default=DossierState.DRAFT, choices=DossierState.choices, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    # The day the Board's answer is due, counted in working days from the last submission.
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)
    due_basis = models.CharField(_("căn cứ thời hạn"), max_length=300, blank=True)
    decision = models.ForeignKey(
        "awards.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("quyết định"),
    )
    outcome_reason = models.TextField(_("lý do không chấp thuận hoặc rút"), blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["-created_at", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(self.due_date and self.state in OPEN_STATES and self.due_date < timezone.localdate())

    # The transitions only move the state, from and to the states the workflow table gives; what each
    # step means (checks, log, notifications, appraisal) lives in services.py, which alone calls them.

    @transition(field=state, source=fsm_sources("submit"), target=fsm_target("submit"))
    def submit(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("receive"), target=fsm_target("receive"))
    def receive(self) -> None:
        pass

    @transition(
        field=state, source=fsm_sources("return_for_amendment"), target=fsm_target("return_for_amendment")
    )
    def return_for_amendment(self) -> None:
        pass

    @transition(
        field=state, source=fsm_sources("complete_appraisal"), target=fsm_target("complete_appraisal")
    )
    def complete_appraisal(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("send_to_council"), target=fsm_target("send_to_council"))
    def send_to_council(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("decide"), target=fsm_target("decide"))
    def decide(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("forward"), target=fsm_target("forward"))
    def forward(self) -> None:
        pass

    @transition(
        field=state, source=fsm_sources("record_central_answer"), target=fsm_target("record_central_answer")
    )
    def record_central_answer(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("reject"), target=fsm_target("reject"))
    def reject(self) -> None:
        pass

    @transition(field=state, source=fsm_sources("withdraw"), target=fsm_target("withdraw"))
    def withdraw(self) -> None:
        pass


class LineOutcome(models.TextChoices):
    PENDING = "pending", _("Chưa xét")
    APPROVED = "approved", _("Được khen thưởng")
    NOT_APPROVED = "not_approved", _("Không được khen thưởng")
    FORWARDED = "forwarded", _("Trình cấp trên")
    REVOKED = "revoked", _("Đã hủy bỏ quyết định")


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Đủ điều kiện")
    INELIGIBLE = "ineligible", _("Chưa đủ điều kiện")
    NEEDS_REVIEW = "needs_review", _("Cần xem xét")


class SpecialistDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Đồng ý với kết quả kiểm tra")
    OVERRIDDEN = "overridden", _("Khác kết quả kiểm tra")


class Nominee(models.Model):
    """One line of a dossier: one recipient proposed for one title or form."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="nominees")
    position = models.PositiveIntegerField(_("số thứ tự"), default=0)
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    collective = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    household = models.ForeignKey(
        "organisation.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    award_type = models.ForeignKey(
        "awards.AwardType", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("đề nghị")
    )
    achievement = models.TextField(_("thành tích"), blank=True)
    initiatives = models.ManyToManyField(
        "awards.Initiative", blank=True, related_name="nominations", verbose_name=_("sáng kiến làm căn cứ")
    )
    is_active = models.BooleanField(_("còn trong hồ sơ"), default=True)
    # Appraisal by the engine (refreshed on submission and on demand) ...
    verdict = models.CharField(_("kết quả kiểm tra"), max_length=14, choices=Verdict.choices, blank=True)
    check_result = models.JSONField(_("chi tiết kiểm tra"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    flags = models.JSONField(_("cảnh báo"), default=list, blank=True)
    # ... and the specialist's answer to it.
    specialist_decision = models.CharField(
        _("ý kiến chuyên viên"), max_length=12, choices=SpecialistDecision.choices, blank=True
    )
    recommend = models.BooleanField(_("đề nghị khen thưởng"), null=True, blank=True)
    override_reason = models.TextField(_("lý do"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)
    council_passed = models.BooleanField(_("Hội đồng thông qua"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=14, choices=LineOutcome.choices, default=LineOutcome.PENDING
    )
    bonus_amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    # The basis of the amount, or why none could be computed.
    bonus_note = models.CharField(_("căn cứ tiền thưởng"), max_length=300, blank=True)
    award_record = models.OneToOneField(
        "awards.AwardRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="nominee"
    )
    public_comment_until = models.DateField(_("lấy ý kiến đến ngày"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[initiatives])

    class Meta:
        verbose_name = _("người, tập thể được đề nghị")
        verbose_name_plural = _("danh sách đề nghị")
        ordering = ["dossier", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, collective__isnull=True, household__isnull=True)
                    | models.Q(person__isnull=True, collective__isnull=False, household__isnull=True)
                    | models.Q(person__isnull=True, collective__isnull=True, household__isnull=False)
                ),
                name="nominee_exactly_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "award_type"]),
            models.Index(fields=["collective", "award_type"]),
            models.Index(fields=["household", "award_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.award_type.name}"

    @property
    def recipient(self) -> object:
        return self.person or self.collective or self.household

    @property
    def recipient_kind(self) -> str:
        if self.person_id:
            return "individual"
        if self.household_id:
            return "household"
        return "collective"

    @property
    def recipient_key(self) -> tuple[str, int]:
        """(kind, id) of the recipient: the same person, collective or household across lines."""
        return recipient_key(self.person_id, self.collective_id, self.household_id)


def recipient_key(person_id: int | None, unit_id: int | None, household_id: int | None) -> tuple[str, int]:
    """(kind, id) from the three recipient columns of a line or an award record, exactly one of them set."""
    if person_id:
        return "individual", person_id
    if unit_id:
        return "collective", unit_id
    assert household_id is not None
    return "household", household_id


class Attachment(models.Model):
    """A file of a dossier. Never deleted: a removed file is only marked so, and stays in the record."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    # The component's stable code from the provincial rulebook ([components]), or "minh_chung_khac".
    component = models.CharField(_("thành phần hồ sơ"), max_length=40)
    # Other evidence's own wording, kept from files attached before the codes (whose text matched no
    # component); shown instead of "Tài liệu minh chứng khác".
    component_note = models.CharField(_("ghi chú thành phần"), max_length=300, blank=True, default="")
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("còn trong hồ sơ"), default=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def component_label(self) -> str:
        """The component's name as pages and papers show it."""
        from thidua.proposals.procedure import component_text

        return component_text(self.component, self.component_note)


class DossierTransition(models.Model):
    """The workflow log: who moved the dossier from which state to which, when, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=12, choices=DossierState.choices)
    target = models.CharField(max_length=12, choices=DossierState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.source} → {self.target}"


# ---------------------------------------------------------------------------------------------------
# Council


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Ủy viên kiêm Thư ký")


class CouncilMember(models.Model):
    # Each deciding authority has its own Council, chaired by its head (Luật Thi đua, khen thưởng 2022,
    # Điều 90 khoản 5; the provincial model regulation, Điều 9: unit councils).
    authority = models.ForeignKey(
        "organisation.Authority", on_delete=models.PROTECT, related_name="council_members"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(
        _("chức danh"), max_length=12, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.authority_id is None:
            self.authority_id = _default_authority_id(self.user)
        super().save(*args, **kwargs)


def _default_authority_id(user: Any) -> int | None:
    """A seat or a designation without its authority named belongs to the member's own authority."""
    if user.authority_id:
        return int(user.authority_id)
    from thidua.organisation.authorities import authority_of, province_authority

    found = (authority_of(user.unit) if user.unit_id else None) or province_authority()
    return found.pk if found else None


class DecisionSigner(models.Model):
    """A deputy the head of an authority has named to sign its award decisions on the head's behalf
    ("KT. CHỦ TỊCH", "KT. GIÁM ĐỐC"), for a period. The head signs by office and needs no row; no one
    else, the administrator included, may issue a decision."""

    authority = models.ForeignKey("organisation.Authority", on_delete=models.PROTECT, related_name="signers")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signing_designations",
        verbose_name=_("người được giao ký thay"),
    )
    title = models.CharField(_("chức vụ"), max_length=150, default="Phó Chủ tịch")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người giao")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công ký thay quyết định khen thưởng")
        verbose_name_plural = _("phân công ký thay quyết định khen thưởng")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.user} – {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.authority_id is None:
            self.authority_id = _default_authority_id(self.named_by)
        super().save(*args, **kwargs)


class SessionState(models.TextChoices):
    OPEN = "open", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilSession(models.Model):
    authority = models.ForeignKey(
        "organisation.Authority", on_delete=models.PROTECT, related_name="council_sessions"
    )
    title = models.CharField(_("tên phiên họp"), max_length=300)
    date = models.DateField(_("ngày họp"))
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=SessionState.choices, default=SessionState.OPEN
    )
    dossiers = models.ManyToManyField(Dossier, related_name="council_sessions", verbose_name=_("hồ sơ"))
    members: models.ManyToManyField[CouncilMember, Attendance] = models.ManyToManyField(
        CouncilMember, through="Attendance", related_name="sessions", verbose_name=_("thành viên")
    )
    total_members = models.PositiveSmallIntegerField(_("tổng số thành viên Hội đồng"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN


class Attendance(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("có mặt"), default=False)
    # An absent member's written opinion (ý kiến bằng văn bản) counts as a vote (NĐ 98/2023 Điều 30.7).
    written_vote = models.BooleanField(_("gửi ý kiến bằng văn bản"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.member_id}"


class BallotMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Thành viên bỏ phiếu trên hệ thống")
    PAPER = "paper", _("Kiểm phiếu giấy")


class BallotTally(models.Model):
    """The count of one nominee's ballot in one session. Members' choices are only ever added here; who
    voted is kept apart (`BallotCast`) without the choice, so the ballot stays secret.

    No history and no time of change: a trail of counts, each beside the vote that moved it, would tell
    who chose what. The count is shown to no one before the session closes."""

    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="tallies")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="tallies")
    method = models.CharField(max_length=10, choices=BallotMethod.choices, default=BallotMethod.ELECTRONIC)
    agree = models.PositiveSmallIntegerField(_("đồng ý"), default=0)
    disagree = models.PositiveSmallIntegerField(_("không đồng ý"), default=0)
    invalid = models.PositiveSmallIntegerField(_("phiếu không hợp lệ"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "nominee"], name="tally_once")]

    def __str__(self) -> str:
        return f"{self.nominee_id}: {self.agree}/{self.disagree}"


class BallotCast(models.Model):
    """That a member has voted on a line, and nothing else: no time, which could be matched against
    anything else kept of the session."""

    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="casts")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="casts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="casts")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "nominee", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.nominee_id}/{self.member_id}"


# ---------------------------------------------------------------------------------------------------
# Notifications and public comment


class Notification(models.Model):
    """What someone is told; it links to its object, and is cleared (read_at set) once that object has
    moved on, so the bell counts only what still waits for its reader."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    session = models.ForeignKey(
        "CouncilSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The page of an object other than a dossier or a session (a movement, a progress report): the
    # notices of every part of the cycle share one bell without a column per kind of object.
    link = models.CharField(max_length=300, blank=True, default="")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["link", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def target_url(self) -> str:
        if self.link:
            return self.link
        if self.session_id:
            return reverse("proposals:session", args=[self.session_id])
        if self.dossier_id:
            return reverse("proposals:detail", args=[self.dossier_id])
        return ""


class PublicComment(models.Model):
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="public_comments")
    author_name = models.CharField(_("họ và tên"), max_length=150)
    contact = models.CharField(_("số điện thoại hoặc thư điện tử"), max_length=150, blank=True)
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["nominee", "created_at"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
