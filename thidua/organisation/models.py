from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.core.text import fold, person_sort_key, sort_key


class UnitKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở")
    BOARD = "board", _("Ban")
    SECTOR = "sector", _("Ngành")
    MASS_ORGANISATION = "mass_organisation", _("Đoàn thể")
    DISTRICT = "district", _("Huyện, thành phố (trước 01/7/2025)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    SCHOOL = "school", _("Trường học")
    HOSPITAL = "hospital", _("Bệnh viện, cơ sở y tế")
    SUB_UNIT = "sub_unit", _("Phòng, tổ, khoa")
    VILLAGE = "village", _("Thôn, bản, tổ dân phố")
    OTHER = "other", _("Khác")


class EmulationBodyKind(models.TextChoices):
    """What a unit is in the sector's apparatus, as biểu 0604.N/BNV-TĐKT counts it (Thông tư
    02/2023/TT-BNV)."""

    NONE = "", _("Không phải cơ quan làm công tác thi đua, khen thưởng")
    DEPARTMENT = "vu", _("Vụ (Ban) thi đua, khen thưởng")
    DEPARTMENT_OFFICE = "phong_thuoc_vu", _("Phòng thuộc Vụ")
    HOME_AFFAIRS_BOARD = "ban_so_noi_vu", _("Ban thuộc Sở Nội vụ")
    HOME_AFFAIRS_OFFICE = "phong_so_noi_vu", _("Phòng thuộc Sở Nội vụ")


class Unit(models.Model):
    """An organisation in the tree: the provincial committee, its departments, communes, schools..."""

    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    # Materialised path of ids ("/1/5/23/") so a unit's whole subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_border = models.BooleanField(_("biên giới"), default=False)
    is_highland = models.BooleanField(_("vùng cao"), default=False)
    is_especially_difficult = models.BooleanField(_("vùng đặc biệt khó khăn"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
        help_text=_("Đơn vị tiếp nhận sau sắp xếp, sáp nhập (ví dụ huyện giải thể từ 01/7/2025)."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    emulation_body = models.CharField(
        _("cơ quan làm công tác thi đua, khen thưởng"),
        max_length=16,
        choices=EmulationBodyKind.choices,
        blank=True,
        default=EmulationBodyKind.NONE,
    )
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=800, editable=False, default="", db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_derived(self) -> None:
        self.search_text = fold(f"{self.name} {self.code}")
        self.sort_key = sort_key(self.name)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def area_flags(self) -> list[str]:
        flags = []
        if self.is_border:
            flags.append(str(_("biên giới")))
        if self.is_highland:
            flags.append(str(_("vùng cao")))
        if self.is_especially_difficult:
            flags.append(str(_("vùng đặc biệt khó khăn")))
        return flags


class AuthorityLevel(models.TextChoices):
    """The level of a deciding authority; the rulebook's [[powers]] say what each level decides."""

    PROVINCE = "province", _("UBND tỉnh (Chủ tịch UBND tỉnh)")
    DEPARTMENT = "department", _("Sở, ban, ngành; đơn vị có tư cách pháp nhân")
    DISTRICT = "district", _("UBND huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("UBND xã, phường")
    ENTERPRISE = "enterprise", _("Doanh nghiệp, hợp tác xã")


class Authority(models.Model):
    """A unit whose head decides awards (cấp có thẩm quyền quyết định khen thưởng): the province, a
    department, a commune, an enterprise. It has its own Council, sessions, decision series and signer;
    the same workflow serves every authority (Luật Thi đua, khen thưởng 2022, Điều 79, 80)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="authority", verbose_name=_("đơn vị")
    )
    level = models.CharField(_("cấp"), max_length=12, choices=AuthorityLevel.choices)
    # As printed at the head of its decisions and in "cơ quan ban hành": "Sở Y tế tỉnh Lai Châu".
    name = models.CharField(_("tên cơ quan ban hành"), max_length=200)
    # The decision series: "15/QĐ-SYT".
    abbreviation = models.CharField(_("ký hiệu văn bản"), max_length=20)
    head_title = models.CharField(_("chức danh người đứng đầu"), max_length=100)
    # The body above it, printed over its name in the heading ("UBND TỈNH LAI CHÂU" over "SỞ Y TẾ").
    superior_name = models.CharField(
        _("cơ quan cấp trên (dòng trên tên cơ quan)"), max_length=200, blank=True
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cấp có thẩm quyền quyết định khen thưởng")
        verbose_name_plural = _("cấp có thẩm quyền quyết định khen thưởng")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.name

    @property
    def council_name(self) -> str:
        return str(_("Hội đồng Thi đua – Khen thưởng {name}")).format(name=self.name)

    @property
    def decision_suffix(self) -> str:
        return f"/QĐ-{self.abbreviation}"


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class PersonCategory(models.TextChoices):
    """The groups the central statistical forms count awards by (biểu 0601–0605.N/BNV-TĐKT)."""

    PROVINCIAL_LEADER = "provincial_leader", _("Lãnh đạo cấp tỉnh")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo cấp sở, ngành")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    WORKER = "worker", _("Công nhân")
    FARMER = "farmer", _("Nông dân")
    DIRECT_WORKER = "direct_worker", _("Người trực tiếp lao động, sản xuất, công tác")
    ENTREPRENEUR = "entrepreneur", _("Doanh nhân")
    # Biểu 0602/0603 row "các cấp lãnh đạo khác từ phó phòng trở lên".
    OTHER_LEADER = "other_leader", _("Lãnh đạo khác từ phó trưởng phòng trở lên")
    SCIENTIST = "scientist", _("Trí thức, nhà khoa học")
    OTHER = "other", _("Khác")


cccd_validator = RegexValidator(
    r"^\d{12}$", _("Số căn cước công dân phải gồm đúng 12 chữ số."), code="invalid_cccd"
)


def mask_identity_number(number: str) -> str:
    """Keep the province-of-registration prefix and the last digits; hide the rest."""
    if not number:
        return ""
    return number[:3] + "•" * (len(number) - 6) + number[-3:]


class EducationLevel(models.TextChoices):
    """Trình độ chuyên môn, as biểu 0605.N/BNV-TĐKT counts the sector's civil servants."""

    NONE = "", _("Chưa ghi")
    DOCTORATE = "tien_si", _("Tiến sĩ")
    MASTER = "thac_si", _("Thạc sĩ")
    BACHELOR = "dai_hoc", _("Đại học")
    BELOW_BACHELOR = "duoi_dai_hoc", _("Dưới đại học")


class Person(models.Model):
    family_name = models.CharField(_("họ"), max_length=50)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=50)
    full_name = models.CharField(_("họ và tên"), max_length=200, editable=False, default="")
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, default="Kinh")
    identity_number = models.CharField(
        _("số CCCD"), max_length=12, unique=True, null=True, blank=True, validators=[cccd_validator]
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("đơn vị công tác")
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    category = models.CharField(
        _("thành phần"), max_length=32, choices=PersonCategory.choices, default=PersonCategory.OTHER
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)
    # Biểu 0605.N/BNV-TĐKT (Thông tư 02/2023/TT-BNV) counts the civil servants doing emulation and
    # commendation work by age, education and years in that work.
    emulation_work = models.BooleanField(_("làm công tác thi đua, khen thưởng"), default=False)
    emulation_work_since = models.PositiveSmallIntegerField(
        _("năm bắt đầu làm công tác thi đua, khen thưởng"), null=True, blank=True
    )
    education = models.CharField(
        _("trình độ chuyên môn"),
        max_length=16,
        choices=EducationLevel.choices,
        blank=True,
        default=EducationLevel.NONE,
    )
    search_text = models.CharField(max_length=300, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, default="", db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["unit", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def refresh_derived(self) -> None:
        self.full_name = " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)
        self.search_text = fold(self.full_name)
        self.sort_key = person_sort_key(self.family_name, self.middle_name, self.given_name)

    @property
    def is_ethnic_minority(self) -> bool:
        return fold(self.ethnicity) not in ("kinh", "")

    @property
    def masked_identity_number(self) -> str:
        return mask_identity_number(self.identity_number or "")


class PositionHistory(models.Model):
    """Where a person worked and as what, over time (quá trình công tác).

    It is also the year-by-year membership the collective titles count (`appraisal.candidates`): in a
    year a person belongs to the unit of the position held on 31 December. No start date means the
    position began before the registry's records (a person entered without "từ ngày"), so it covers
    every earlier year."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="position_history")
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    start_date = models.DateField(
        _("từ ngày"), null=True, blank=True, help_text=_("Để trống nếu không rõ (từ trước khi có sổ).")
    )
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        # Latest first; a position of unknown start began before any dated one, so it comes last.
        ordering = ["person", models.F("start_date").desc(nulls_last=True), "-id"]

    def __str__(self) -> str:
        since = f"{self.start_date:%d/%m/%Y}" if self.start_date else "…"
        return f"{self.person} – {self.unit} ({since})"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})


class Household(models.Model):
    """A household (hộ gia đình), recipient of Gia đình văn hóa and household commendations."""

    code = models.CharField(_("mã hộ"), max_length=40, unique=True)
    head_name = models.CharField(_("chủ hộ"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("xã, phường")
    )
    village = models.CharField(_("thôn, bản, tổ dân phố"), max_length=150, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    search_text = models.CharField(max_length=300, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, default="", db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return str(_("Hộ ông/bà {name}")).format(name=self.head_name)

    def refresh_derived(self) -> None:
        self.search_text = fold(f"{self.head_name} {self.village} {self.code}")
        words = self.head_name.split()
        self.sort_key = person_sort_key(
            words[0] if words else "", " ".join(words[1:-1]), words[-1] if words else ""
        )


class BlocKind(models.TextChoices):
    SECTOR = "khoi", _("Khối thi đua")
    AREA = "cum", _("Cụm thi đua")


class Bloc(models.Model):
    code = models.CharField(_("mã khối"), max_length=40, unique=True)
    name = models.CharField(_("tên khối, cụm"), max_length=255)
    kind = models.CharField(_("loại"), max_length=8, choices=BlocKind.choices, default=BlocKind.SECTOR)
    description = models.TextField(_("mô tả"), blank=True)
    sort_key = models.CharField(max_length=800, editable=False, default="", db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khối, cụm thi đua")
        verbose_name_plural = _("khối, cụm thi đua")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.name

    def refresh_derived(self) -> None:
        self.sort_key = sort_key(self.name)


class BlocRole(models.TextChoices):
    LEADER = "leader", _("Khối trưởng")
    DEPUTY = "deputy", _("Khối phó")
    MEMBER = "member", _("Thành viên")


class BlocMembership(models.Model):
    """A unit's membership of a bloc for one year; leader and deputy rotate yearly."""

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bloc_memberships")
    year = models.PositiveSmallIntegerField(_("năm"))
    role = models.CharField(_("vai trò"), max_length=8, choices=BlocRole.choices, default=BlocRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc", "-year", "role"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "unit", "year"], name="bloc_member_once_a_year"),
            models.UniqueConstraint(
                fields=["bloc", "year", "role"],
                condition=models.Q(role__in=["leader", "deputy"]),
                name="bloc_one_leader_one_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} {self.year}: {self.unit} ({self.get_role_display()})"


def recipient_kind(recipient: Person | Unit | Household) -> str:
    """What the award rules call the recipient: an individual, a collective (a unit) or a household."""
    if isinstance(recipient, Person):
        return "individual"
    if isinstance(recipient, Household):
        return "household"
    return "collective"
