from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.core.text import fold


class AwardCategory(models.TextChoices):
    TITLE = "title", _("Danh hiệu thi đua")
    FORM = "form", _("Hình thức khen thưởng")


class AwardLevel(models.TextChoices):
    UNIT = "co_so", _("Cơ sở")
    PROVINCE = "tinh", _("Tỉnh")
    STATE = "nha_nuoc", _("Nhà nước")


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")


class AwardType(models.Model):
    """A title or form of the catalogue; codes are those of the eligibility contract."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    category = models.CharField(_("loại"), max_length=8, choices=AwardCategory.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=AwardLevel.choices)
    recipients = models.JSONField(_("đối tượng"), default=list)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh mục danh hiệu, hình thức khen thưởng")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def recipients_display(self) -> str:
        labels = dict(RecipientKind.choices)
        return ", ".join(str(labels.get(r, r)) for r in self.recipients)


class CommendationKind(models.TextChoices):
    MERIT = "cong_trang", _("Công trạng")
    THEMATIC = "chuyen_de", _("Chuyên đề")
    SUDDEN = "dot_xuat", _("Đột xuất")
    DEDICATION = "cong_hien", _("Cống hiến")
    SENIORITY = "nien_han", _("Niên hạn")
    FOREIGN = "doi_ngoai", _("Đối ngoại")
    RESISTANCE = "khang_chien", _("Kháng chiến")


class RecordSource(models.TextChoices):
    IMPORTED = "imported", _("Nhập từ tệp")
    SYSTEM = "system", _("Quyết định trên hệ thống")
    MANUAL = "manual", _("Nhập tay")


class Decision(models.Model):
    """An award decision (quyết định khen thưởng): number, date, issuer and signer."""

    number = models.CharField(_("số, ký hiệu"), max_length=60)
    date = models.DateField(_("ngày ký"))
    issuing_authority = models.CharField(_("cơ quan ban hành"), max_length=200)
    issuer_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("đơn vị ban hành"),
    )
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    search_text = models.CharField(max_length=800, editable=False, default="", db_index=True)
    # Put on the public portal by the Board once issued (portal.services.decision_publish); null: the
    # decision is not shown to the public.
    published_at = models.DateTimeField(_("ngày công bố công khai"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "date", "issuing_authority"], name="decision_unique_number_date_issuer"
            )
        ]
        # The newest first, as every list of decisions shows them: the dashboard's latest decisions of a
        # scope walk this index and stop at the eighth instead of sorting all of them.
        indexes = [models.Index(fields=["-date", "number"], name="decision_newest_first")]

    def __str__(self) -> str:
        return str(_("Quyết định số {number} ngày {date}")).format(
            number=self.number, date=self.date.strftime("%d/%m/%Y")
        )

    def refresh_derived(self) -> None:
        self.search_text = fold(f"{self.number} {self.issuing_authority} {self.signer_name} {self.summary}")


class AwardRecord(models.Model):
    """One award of one recipient: the line of a decision, as kept in the registry."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="records", verbose_name=_("danh hiệu, hình thức")
    )
    person = models.ForeignKey(
        "organisation.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("cá nhân"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("tập thể"),
    )
    household = models.ForeignKey(
        "organisation.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("hộ gia đình"),
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    kind = models.CharField(
        _("loại hình khen thưởng"),
        max_length=12,
        choices=CommendationKind.choices,
        default=CommendationKind.MERIT,
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="records", verbose_name=_("quyết định")
    )
    reason = models.TextField(_("thành tích"), blank=True)
    bonus_amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    initiatives = models.ManyToManyField(
        "awards.Initiative", blank=True, related_name="used_by", verbose_name=_("sáng kiến đã sử dụng")
    )
    source = models.CharField(
        _("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="award_records"
    )
    # A revoked award stays in the registry, marked, with why and on what basis (Luật TĐKT 2022 Điều 93).
    revoked_on = models.DateField(_("ngày hủy bỏ"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    revocation_basis = models.CharField(_("căn cứ hủy bỏ"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[initiatives])

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("sổ theo dõi khen thưởng")
        ordering = ["-year", "award_type__order"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, unit__isnull=True, household__isnull=True)
                    | models.Q(person__isnull=True, unit__isnull=False, household__isnull=True)
                    | models.Q(person__isnull=True, unit__isnull=True, household__isnull=False)
                ),
                name="award_record_exactly_one_recipient",
            ),
            # The same recipient cannot hold the same award twice from one decision for one year.
            models.UniqueConstraint(
                fields=["award_type", "person", "year", "decision"],
                condition=models.Q(person__isnull=False),
                name="award_once_per_person_decision",
            ),
            models.UniqueConstraint(
                fields=["award_type", "unit", "year", "decision"],
                condition=models.Q(unit__isnull=False),
                name="award_once_per_unit_decision",
            ),
            models.UniqueConstraint(
                fields=["award_type", "household", "year", "decision"],
                condition=models.Q(household__isnull=False),
                name="award_once_per_household_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "year"]),
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["household", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year} – {self.recipient}"

    @property
    def recipient(self) -> object:
        return self.person or self.unit or self.household

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


class Rating(models.TextChoices):
    EXCELLENT = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    DONE = "HTNV", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "KHTNV", _("Không hoàn thành nhiệm vụ")


class YearlyRating(models.Model):
    """The yearly performance rating (xếp loại, đánh giá) of a person or a collective."""

    person = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=8, choices=Rating.choices)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại hằng năm")
        verbose_name_plural = _("xếp loại hằng năm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, unit__isnull=True)
                | models.Q(person__isnull=True, unit__isnull=False),
                name="rating_exactly_one_subject",
            ),
            models.UniqueConstraint(
                fields=["person", "year"], condition=models.Q(person__isnull=False), name="rating_person_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=models.Q(unit__isnull=False), name="rating_unit_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rating_display()}"


class InitiativeType(models.TextChoices):
    INITIATIVE = "sang_kien", _("Sáng kiến")
    RESEARCH = "de_tai", _("Đề tài khoa học")


class InitiativeScope(models.TextChoices):
    UNIT = "co_so", _("Cơ sở")
    PROVINCE = "tinh", _("Cấp tỉnh")
    NATION = "toan_quoc", _("Toàn quốc")


class Initiative(models.Model):
    """An initiative or research topic with its recognised scope of effect."""

    person = models.ForeignKey(
        "organisation.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("tác giả"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("đơn vị"),
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=400)
    type = models.CharField(
        _("loại"), max_length=10, choices=InitiativeType.choices, default=InitiativeType.INITIATIVE
    )
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=10, choices=InitiativeScope.choices)
    recognised_by = models.CharField(_("cơ quan công nhận"), max_length=200, blank=True)
    recognition_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class DisciplineLevel(models.TextChoices):
    REPRIMAND = "khien_trach", _("Khiển trách")
    WARNING = "canh_cao", _("Cảnh cáo")
    SALARY_DOWNGRADE = "ha_bac_luong", _("Hạ bậc lương")
    DEMOTION = "giang_chuc", _("Giáng chức")
    DISMISSAL = "cach_chuc", _("Cách chức")
    FORCED_RESIGNATION = "buoc_thoi_viec", _("Buộc thôi việc")


class Discipline(models.Model):
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="disciplines", verbose_name=_("cá nhân")
    )
    level = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=DisciplineLevel.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.start_date:%d/%m/%Y})"


class Investigation(models.Model):
    """A pending investigation or disciplinary review, which freezes commendation while open."""

    person = models.ForeignKey(
        "organisation.Person",
        on_delete=models.PROTECT,
        related_name="investigations",
        verbose_name=_("cá nhân"),
    )
    reason = models.CharField(_("nội dung"), max_length=400)
    since = models.DateField(_("từ ngày"))
    closed_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đang xem xét, điều tra")
        verbose_name_plural = _("đang xem xét, điều tra")
        ordering = ["-since"]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
