"""The central statistical forms of the emulation and commendation sector, biểu 0601–0605.N/BNV-TĐKT
(Thông tư 02/2023/TT-BNV ngày 23/3/2023 của Bộ Nội vụ; whether it was replaced in 2025–2026 is
unconfirmed), as plain data: each form's rows and columns are lines that match values of named
dimensions.

A dimension is one SQL expression per record (the award's code, the recipient kind, the person's
category, a movement's duration class…), defined in `thidua.statistics.selectors`. A line matches the
records whose dimensions take one of the listed values; a line with no conditions matches every record
of the form, and a condition with no values matches none (a row the form has but the product has no
records for, such as nationwide movements). A cell is the records matched by its row and its column.

Nothing here reads the database; the tests read these definitions to prove that every title and form
of the catalogue, every kind of commendation and every authority level has its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from thidua.awards.models import CommendationKind
from thidua.organisation.models import AuthorityLevel, EducationLevel, EmulationBodyKind, PersonCategory

LEGAL_BASIS = _("Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ Nội vụ")

Match = dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class Line:
    """A row or a column of a form. `heads` are a column's header labels above its own (merged over the
    columns that share them); `number` is a row's "mã số" or a column's number."""

    key: str
    label: Any
    number: str = ""
    match: Match = field(default_factory=dict)
    unit: Any = ""
    heads: tuple[Any, ...] = ()
    heading: bool = False
    depth: int = 0
    bold: bool = False
    # An addition of the product, not in the circular's layout (marked so in the table and the docs).
    extra: bool = False


@dataclass(frozen=True)
class Partition:
    """Lines that split their total line: each record of the total is in exactly one part, except those
    the unclassified list shows with `reason` (empty: none can be missing)."""

    total: str
    parts: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class StatForm:
    code: str
    slug: str
    subject: str  # movements | awards | units | people
    title: Any
    unit_label: Any
    rows: tuple[Line, ...]
    columns: tuple[Line, ...]
    row_partitions: tuple[Partition, ...] = ()
    column_partitions: tuple[Partition, ...] = ()
    # For award forms: the catalogue levels the form covers (a record of these levels with no column is
    # listed as unclassified, never silently left out).
    levels: tuple[str, ...] = ()
    note: Any = ""

    @property
    def number(self) -> str:
        return f"{self.code}.N/BNV-TĐKT"

    def row(self, key: str) -> Line:
        return next(line for line in self.rows if line.key == key)

    def column(self, key: str) -> Line:
        return next(line for line in self.columns if line.key == key)

    @property
    def cell_rows(self) -> tuple[Line, ...]:
        return tuple(line for line in self.rows if not line.heading)


# --- Biểu 0601: movements. ---------------------------------------------------------------------------

# Which column of 0601 an authority's level launches in. The product has no central (HĐTĐKT Trung ương)
# authority; the province is "tỉnh, thành phố trực thuộc Trung ương"; every other authority is a "cơ quan,
# tổ chức, đơn vị".
LOCAL_UNIT_LEVELS = (
    AuthorityLevel.DEPARTMENT,
    AuthorityLevel.DISTRICT,
    AuthorityLevel.COMMUNE,
    AuthorityLevel.ENTERPRISE,
)
PROVINCE_LEVELS = (AuthorityLevel.PROVINCE,)

DURATIONS = (
    ("lt1", _("Dưới 1 năm")),
    ("1", _("1 năm")),
    ("1to3", _("Từ 1 năm đến dưới 3 năm")),
    ("3to5", _("Từ 3 năm đến dưới 5 năm")),
    ("5plus", _("Từ 5 năm trở lên")),
)

F0601 = StatForm(
    code="0601",
    slug="0601",
    subject="movements",
    title=_("Số phong trào thi đua"),
    unit_label=_("Phong trào"),
    rows=(
        Line("total", _("Tổng số"), "01", bold=True),
        Line("h_scope", _("1. Chia theo phạm vi tổ chức thi đua"), heading=True),
        Line("scope_nation", _("Toàn quốc"), "02", {"launcher": ()}, depth=1),
        Line(
            "scope_local",
            _("Bộ, ban, ngành, đoàn thể, địa phương"),
            "03",
            {"launcher": PROVINCE_LEVELS},
            depth=1,
        ),
        Line(
            "scope_bloc",
            _("Cụm, khối thi đua do Hội đồng Thi đua – Khen thưởng các cấp tổ chức"),
            "04",
            {"launcher": ()},
            depth=1,
        ),
        Line("scope_unit", _("Cơ quan, tổ chức, đơn vị"), "05", {"launcher": LOCAL_UNIT_LEVELS}, depth=1),
        Line("h_duration", _("2. Chia theo thời hạn thi đua"), heading=True),
        *(
            Line(f"duration_{key}", label, f"{6 + i:02d}", {"duration": (key,)}, depth=1)
            for i, (key, label) in enumerate(DURATIONS)
        ),
        Line("h_method", _("3. Chia theo phương thức tổ chức phong trào thi đua"), heading=True),
        Line("method_thematic", _("Thi đua theo chuyên đề"), "11", {"method": ("thematic",)}, depth=1),
        Line("method_regular", _("Thi đua thường xuyên hằng năm"), "12", {"method": ("regular",)}, depth=1),
    ),
    columns=(
        Line("total", _("Tổng số"), "1"),
        Line(
            "central",
            _("Cấp Trung ương (Hội đồng Thi đua – Khen thưởng Trung ương)"),
            "2",
            {"launcher": ()},
            heads=(_("Chia theo cấp chủ trì phát động thi đua"),),
        ),
        Line(
            "province",
            _("Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            "3",
            {"launcher": PROVINCE_LEVELS},
            heads=(_("Chia theo cấp chủ trì phát động thi đua"),),
        ),
        Line(
            "unit",
            _("Cơ quan, tổ chức, đơn vị"),
            "4",
            {"launcher": LOCAL_UNIT_LEVELS},
            heads=(_("Chia theo cấp chủ trì phát động thi đua"),),
        ),
    ),
    row_partitions=(
        Partition("total", ("scope_nation", "scope_local", "scope_bloc", "scope_unit"), "launcher"),
        Partition("total", tuple(f"duration_{key}" for key, _label in DURATIONS)),
        Partition("total", ("method_thematic", "method_regular"), "method"),
    ),
    column_partitions=(Partition("total", ("central", "province", "unit"), "launcher"),),
    note=_(
        "Phong trào đã phát động (không tính bản đang soạn) có thời gian thi đua giao với kỳ báo cáo. "
        "Thời hạn "
        "tính theo số tháng dương lịch từ tháng bắt đầu đến tháng kết thúc."
    ),
)


# --- Biểu 0602 and 0603: awards. ----------------------------------------------------------------------

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
HOUSEHOLD = "household"
DIRECT_WORKERS = (PersonCategory.DIRECT_WORKER, PersonCategory.WORKER, PersonCategory.FARMER)

# "Thường xuyên" is the product's công trạng (the regular, yearly commendation for achievements).
METHODS = (
    ("regular", _("Thường xuyên"), CommendationKind.MERIT),
    ("thematic", _("Chuyên đề"), CommendationKind.THEMATIC),
    ("sudden", _("Đột xuất"), CommendationKind.SUDDEN),
    ("foreign", _("Đối ngoại"), CommendationKind.FOREIGN),
    ("dedication", _("Cống hiến"), CommendationKind.DEDICATION),
    ("seniority", _("Niên hạn"), CommendationKind.SENIORITY),
    ("resistance", _("Kháng chiến"), CommendationKind.RESISTANCE),
)

# Titles and forms of the catalogue that no biểu counts: the forms count awards decided at State level
# (0602) and at ministry/province level (0603), not the grassroots titles and Giấy khen a unit, a
# department or a commune decides itself.
NOT_COUNTED = {
    "LDTT": _("cấp cơ sở"),
    "CSTT": _("cấp cơ sở"),
    "CSTDCS": _("cấp cơ sở"),
    "TTLDTT": _("cấp cơ sở"),
    "THON_VH": _("cấp cơ sở"),
    "GDVH": _("cấp cơ sở"),
    "GK": _("cấp cơ sở"),
}


def _recipient_rows(first: int) -> tuple[Line, ...]:
    n = first
    people = _("Người")
    return (
        Line("collective", _("Tập thể"), f"{n:02d}", {"recipient": (COLLECTIVE,)}, _("Tập thể"), depth=1),
        Line(
            "enterprise",
            _("Trong đó: doanh nghiệp"),
            f"{n + 1:02d}",
            {"recipient": (COLLECTIVE,), "unit_kind": ("enterprise",)},
            _("Doanh nghiệp"),
            depth=2,
        ),
        Line("household", _("Hộ gia đình"), f"{n + 2:02d}", {"recipient": (HOUSEHOLD,)}, _("Hộ"), depth=1),
        Line("individual", _("Cá nhân"), f"{n + 3:02d}", {"recipient": (INDIVIDUAL,)}, people, depth=1),
        Line(
            "provincial_leader",
            _("Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"),
            f"{n + 4:02d}",
            {"recipient": (INDIVIDUAL,), "category": (PersonCategory.PROVINCIAL_LEADER,)},
            people,
            depth=2,
        ),
        Line(
            "department_leader",
            _("Lãnh đạo cấp vụ, sở, ngành và tương đương"),
            f"{n + 5:02d}",
            {"recipient": (INDIVIDUAL,), "category": (PersonCategory.DEPARTMENT_LEADER,)},
            people,
            depth=2,
        ),
        Line(
            "entrepreneur",
            _("Doanh nhân"),
            f"{n + 6:02d}",
            {"recipient": (INDIVIDUAL,), "category": (PersonCategory.ENTREPRENEUR,)},
            people,
            depth=2,
        ),
        Line(
            "other_leader",
            _("Các cấp lãnh đạo khác từ phó phòng trở lên"),
            f"{n + 7:02d}",
            {"recipient": (INDIVIDUAL,), "category": (PersonCategory.OTHER_LEADER,)},
            people,
            depth=2,
        ),
        Line(
            "direct_worker",
            _(
                "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
                "(công nhân, nông dân…)"
            ),
            f"{n + 8:02d}",
            {"recipient": (INDIVIDUAL,), "category": DIRECT_WORKERS},
            people,
            depth=2,
        ),
    )


def _method_rows(first: int) -> tuple[Line, ...]:
    return tuple(
        Line(f"method_{key}", label, f"{first + i:02d}", {"method": (kind,)}, depth=1)
        for i, (key, label, kind) in enumerate(METHODS)
    )


def _extra_rows() -> tuple[Line, ...]:
    return (
        Line("h_extra", _("4. Thông tin thêm (ngoài biểu)"), heading=True, extra=True),
        Line(
            "women",
            _("Cá nhân nữ"),
            match={"recipient": (INDIVIDUAL,), "gender": ("female",)},
            unit=_("Người"),
            depth=1,
            extra=True,
        ),
        Line(
            "minority",
            _("Cá nhân người dân tộc thiểu số"),
            match={"recipient": (INDIVIDUAL,), "minority": (True,)},
            unit=_("Người"),
            depth=1,
            extra=True,
        ),
        Line(
            "border",
            _("Tập thể, cá nhân, hộ ở xã biên giới, vùng cao"),
            match={"remote": (True,)},
            depth=1,
            extra=True,
        ),
    )


def _award_partitions(recipient_total: str) -> tuple[Partition, ...]:
    return (
        Partition(recipient_total, ("collective", "household", "individual")),
        Partition("total", tuple(f"method_{key}" for key, _label, _kind in METHODS), "method"),
    )


def _award_column(
    key: str, number: str, code: str, recipient: str, label: Any, heads: tuple[Any, ...], extra: bool = False
) -> Line:
    codes = (code,) if code else ()
    return Line(key, label, number, {"award": codes, "recipient": (recipient,)}, heads=heads, extra=extra)


_MEDALS = _("Các loại huân chương, huy chương (mỗi hình thức khen thưởng ghi riêng một cột)")
_HONOURS = _("Danh hiệu vinh dự nhà nước (mỗi hình thức khen thưởng ghi riêng một cột)")
_OTHERS = _("Các hình thức khen thưởng khác (mỗi hình thức khen thưởng ghi riêng một cột)")
_COLL = _("Tập thể")
_INDIV = _("Cá nhân")
_HOUSE = _("Hộ gia đình")


def _pair(prefix: str, number: str, code: str, name: Any, group: Any) -> tuple[Line, ...]:
    return (
        _award_column(f"{prefix}_c", number, code, COLLECTIVE, _COLL, (group, name)),
        _award_column(f"{prefix}_i", number, code, INDIVIDUAL, _INDIV, (group, name)),
    )


F0602 = StatForm(
    code="0602",
    slug="0602",
    subject="awards",
    title=_("Số lượng khen thưởng cấp Nhà nước"),
    unit_label=_("Lượt khen thưởng"),
    levels=("nha_nuoc",),
    rows=(
        Line("total", _("Tổng số"), "01", bold=True),
        Line(
            "h_submitter",
            _("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"),
            heading=True,
        ),
        Line(
            "submitter_central",
            _("Bộ, ban, ngành, đoàn thể Trung ương"),
            "02",
            {"recipient": ()},
            _("Bộ, ngành"),
            depth=1,
        ),
        # Every State award the product holds was proposed by the province it serves.
        Line(
            "submitter_province", _("Tỉnh, thành phố trực thuộc Trung ương"), "03", {}, _("Tỉnh, TP"), depth=1
        ),
        Line("h_recipient", _("2. Chia theo đối tượng khen thưởng"), heading=True),
        *_recipient_rows(6),
        Line("h_method", _("3. Chia theo phương thức khen thưởng"), heading=True),
        *_method_rows(15),
        *_extra_rows(),
    ),
    columns=(
        Line("total", _("Tổng số"), "1"),
        *_pair("hcld3", "2", "HCLD3", _("Huân chương Lao động hạng Ba"), _MEDALS),
        *_pair("hcld2", "2", "HCLD2", _("Huân chương Lao động hạng Nhì"), _MEDALS),
        *_pair("hcld1", "2", "HCLD1", _("Huân chương Lao động hạng Nhất"), _MEDALS),
        _award_column("ghcm", "3", "", INDIVIDUAL, _("Giải thưởng Hồ Chí Minh"), ()),
        _award_column("gnn", "4", "", INDIVIDUAL, _("Giải thưởng Nhà nước"), ()),
        *_pair("ahld", "5", "AHLD", _("Anh hùng Lao động"), _HONOURS),
        _award_column("co_cp", "6", "CO_CP", COLLECTIVE, _("Cờ thi đua của Chính phủ"), ()),
        _award_column(
            "bk_ttg_c", "7", "BK_TTG", COLLECTIVE, _COLL, (_("Bằng khen của Thủ tướng Chính phủ"),)
        ),
        _award_column(
            "bk_ttg_i", "7", "BK_TTG", INDIVIDUAL, _INDIV, (_("Bằng khen của Thủ tướng Chính phủ"),)
        ),
        # The circular's layout has no household column; a household's Bằng khen is not dropped.
        _award_column(
            "bk_ttg_h",
            "7",
            "BK_TTG",
            HOUSEHOLD,
            _HOUSE,
            (_("Bằng khen của Thủ tướng Chính phủ"),),
            extra=True,
        ),
        _award_column("cstd_tq", "8", "CSTD_TQ", INDIVIDUAL, _("Danh hiệu “Chiến sĩ thi đua toàn quốc”"), ()),
        _award_column("other_c", "9", "", COLLECTIVE, _COLL, (_OTHERS,)),
        _award_column("other_i", "9", "", INDIVIDUAL, _INDIV, (_OTHERS,)),
    ),
    row_partitions=(
        Partition("total", ("submitter_central", "submitter_province")),
        *_award_partitions("total"),
    ),
    note=_(
        "Khen thưởng còn hiệu lực (không tính khen thưởng đã hủy bỏ) có quyết định ký trong kỳ báo cáo, "
        "của tập thể, "
        "cá nhân, hộ gia đình thuộc đơn vị báo cáo."
    ),
)

F0603 = StatForm(
    code="0603",
    slug="0603",
    subject="awards",
    title=_(
        "Số lượng khen thưởng cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh, "
        "thành phố trực thuộc Trung ương"
    ),
    unit_label=_("Lượt khen thưởng"),
    levels=("tinh",),
    rows=(
        Line("total", _("Tổng số"), "01", bold=True),
        Line("h_recipient", _("1. Chia theo đối tượng khen thưởng"), heading=True),
        *_recipient_rows(2),
        Line("h_method", _("2. Chia theo phương thức khen thưởng"), heading=True),
        *_method_rows(11),
        *_extra_rows(),
    ),
    columns=(
        Line("total", _("Tổng số"), "1"),
        Line("bk", _("Bằng khen"), "2", {"award": ("BK_TINH",)}, heads=(_("Chia ra"),)),
        Line(
            "cstd",
            _("Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
            "3",
            {"award": ("CSTD_TINH",)},
            heads=(_("Chia ra"),),
        ),
        Line(
            "co",
            _("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
            "4",
            {"award": ("CO_TINH",)},
            heads=(_("Chia ra"),),
        ),
        Line(
            "badge",
            _("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh"),
            "5",
            {"award": ()},
            heads=(_("Chia ra"),),
        ),
        # The circular's layout has no column for the province's other collective titles; they are counted
        # here rather than left out of the total.
        Line(
            "other_titles",
            _("Danh hiệu thi đua khác cấp tỉnh (Tập thể lao động xuất sắc; xã, phường, đặc khu tiêu biểu)"),
            "6",
            {"award": ("TTLDXS", "XA_TIEU_BIEU")},
            heads=(_("Chia ra"),),
            extra=True,
        ),
    ),
    row_partitions=_award_partitions("total"),
    note=F0602.note,
)


def _columns_split_total(form: StatForm) -> StatForm:
    """An award form's columns split its total: each award is one title or form for one kind of recipient."""
    parts = tuple(c.key for c in form.columns if c.key != "total")
    return replace(form, column_partitions=(Partition("total", parts),))


F0602 = _columns_split_total(F0602)
F0603 = _columns_split_total(F0603)


# --- Biểu 0604 and 0605: the bodies and civil servants doing the work. -------------------------------

F0604 = StatForm(
    code="0604",
    slug="0604",
    subject="units",
    title=_("Số lượng tổ chức làm công tác thi đua, khen thưởng"),
    unit_label=_("Tổ chức"),
    rows=(Line("total", _("Tổng số"), "01", bold=True, unit=_("Tổ chức")),),
    columns=(
        Line("total", _("Tổng số"), "1"),
        *(
            Line(kind.value, kind.label, str(2 + i), {"body": (kind.value,)}, heads=(_("Chia ra"),))
            for i, kind in enumerate(k for k in EmulationBodyKind if k.value)
        ),
    ),
    column_partitions=(Partition("total", tuple(k.value for k in EmulationBodyKind if k.value)),),
    note=_(
        "Đơn vị được đánh dấu là cơ quan làm công tác thi đua, khen thưởng trong sổ đơn vị, còn hiệu lực vào "
        "ngày cuối kỳ báo cáo."
    ),
)

AGE_BANDS = (
    ("lt30", _("Dưới 30 tuổi")),
    ("30to39", _("Từ 30 đến 39 tuổi")),
    ("40to49", _("Từ 40 đến 49 tuổi")),
    ("50to59", _("Từ 50 đến 59 tuổi")),
    ("60plus", _("Từ 60 tuổi trở lên")),
)
SENIORITY_BANDS = (
    ("lt5", _("Dưới 5 năm")),
    ("5to9", _("Từ 5 đến dưới 10 năm")),
    ("10plus", _("Từ 10 năm trở lên")),
)
_AGE = _("Chia theo độ tuổi")
_EDU = _("Chia theo trình độ chuyên môn")
_SEN = _("Chia theo số năm làm công tác thi đua, khen thưởng")

F0605 = StatForm(
    code="0605",
    slug="0605",
    subject="people",
    title=_("Số lượng công chức làm công tác thi đua, khen thưởng"),
    unit_label=_("Người"),
    rows=(Line("total", _("Tổng số"), "01", bold=True, unit=_("Người")),),
    columns=(
        Line("total", _("Tổng số"), "1"),
        Line("women", _("Trong đó: nữ"), "2", {"gender": ("female",)}),
        *(
            Line(f"age_{key}", label, str(3 + i), {"age": (key,)}, heads=(_AGE,))
            for i, (key, label) in enumerate(AGE_BANDS)
        ),
        *(
            Line(f"edu_{level.value}", level.label, str(8 + i), {"education": (level.value,)}, heads=(_EDU,))
            for i, level in enumerate(k for k in EducationLevel if k.value)
        ),
        *(
            Line(f"years_{key}", label, str(12 + i), {"seniority": (key,)}, heads=(_SEN,))
            for i, (key, label) in enumerate(SENIORITY_BANDS)
        ),
    ),
    column_partitions=(
        Partition("total", tuple(f"age_{key}" for key, _label in AGE_BANDS), "birth_date"),
        Partition("total", tuple(f"edu_{k.value}" for k in EducationLevel if k.value), "education"),
        Partition("total", tuple(f"years_{key}" for key, _label in SENIORITY_BANDS), "since"),
    ),
    note=_(
        "Cá nhân đang công tác được đánh dấu làm công tác thi đua, khen thưởng, thuộc đơn vị báo cáo; "
        "tuổi và số "
        "năm công tác tính đến năm cuối kỳ báo cáo."
    ),
)

FORMS: dict[str, StatForm] = {f.slug: f for f in (F0601, F0602, F0603, F0604, F0605)}
