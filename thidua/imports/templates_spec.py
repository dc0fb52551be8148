"""The two import templates, kept as data: their columns, the template workbook, and a file builder.

Headers are part of the file format, not of the interface, so they stay Vietnamese whatever the
interface language; only the explanations are translatable.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.awards.models import AwardType, CommendationKind, RecipientKind
from thidua.core.text import fold
from thidua.core.xlsx import keep_sheet_as_text
from thidua.imports.models import ImportKind
from thidua.organisation.models import Gender, PersonCategory

GUIDE_SHEET_TITLE = "Hướng dẫn"
UNITS_SHEET_TITLE = "Mã đơn vị"
# Blank rows of the template carry the column formats (text for codes) and the drop-down lists.
TEMPLATE_FORMATTED_ROWS = 1000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str | Promise
    required: bool = False
    width: int = 16
    # Text columns keep what was typed: a CCCD typed into a number cell loses its leading zeros.
    text: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    # A column added to the template later: files made from the older template, without it, are still
    # read, as if it were blank. Only the last columns may be such.
    added_later: bool = False


@dataclass(frozen=True)
class TemplateSpec:
    kind: str
    title: str
    download_name: str
    columns: tuple[Column, ...]
    notes: tuple[str | Promise, ...] = field(default=())

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def older_headers(self) -> list[list[str]]:
        """The headers of the earlier templates, which lack the columns added later."""
        older = []
        count = len(self.columns)
        while count and self.columns[count - 1].added_later:
            count -= 1
            older.append(self.headers[:count])
        return older


_DATE_HELP = _("ngày/tháng/năm (dd/mm/yyyy), hoặc ô định dạng ngày của Excel")

PEOPLE = TemplateSpec(
    kind=ImportKind.PEOPLE,
    title="Danh sách cá nhân",
    download_name="mau-nhap-danh-sach-ca-nhan.xlsx",
    columns=(
        Column("family_name", "Họ", _("Họ của cá nhân, ví dụ: Nguyễn."), required=True, max_length=50),
        Column("middle_name", "Tên đệm", _("Tên đệm, có thể để trống, ví dụ: Văn."), max_length=80),
        Column("given_name", "Tên", _("Tên gọi, ví dụ: An."), required=True, max_length=50),
        Column("gender", "Giới tính", _("Nam hoặc Nữ."), required=True, width=10, choices=("Nam", "Nữ")),
        Column(
            "birth_date", "Ngày sinh", _("Có thể để trống; nếu có: ngày/tháng/năm (dd/mm/yyyy)."), width=12
        ),
        Column("ethnicity", "Dân tộc", _("Để trống là dân tộc Kinh."), max_length=40, width=12),
        Column(
            "identity_number",
            "Số CCCD",
            _("Số căn cước công dân, đúng 12 chữ số; có thể để trống. Nên định dạng ô là Văn bản (Text)."),
            text=True,
            width=16,
        ),
        Column(
            "unit_code",
            "Mã đơn vị",
            _("Mã của đơn vị công tác trong hệ thống (xem trang tính «Mã đơn vị»)."),
            required=True,
            text=True,
            width=14,
        ),
        Column("position", "Chức vụ", _("Chức vụ hiện tại, có thể để trống."), max_length=150, width=24),
        Column(
            "category",
            "Thành phần",
            _("Một trong các thành phần liệt kê bên dưới; để trống là «Khác»."),
            width=24,
        ),
        Column(
            "start_date",
            "Từ ngày",
            _(
                "Ngày bắt đầu công tác tại đơn vị (dd/mm/yyyy). Người mới: để trống nếu không rõ. "
                "Người đã có (cùng số CCCD) nay ở đơn vị khác: ngày chuyển đến; để trống là ngày nhập."
            ),
            width=12,
            added_later=True,
        ),
    ),
    notes=(
        _("Mỗi dòng là một cá nhân. Dòng 1 là dòng tiêu đề, không sửa tên cột."),
        _(
            "Cá nhân đã có trong hệ thống (cùng số CCCD, hoặc cùng họ tên, ngày sinh và đơn vị) "
            "được giữ nguyên, không tạo trùng."
        ),
        _(
            "Cá nhân đã có (cùng số CCCD) nay ghi ở đơn vị khác được chuyển sang đơn vị đó: quá trình "
            "công tác ghi đơn vị cũ đến ngày trước «Từ ngày», đơn vị mới từ «Từ ngày». Việc thống kê "
            "thành viên từng năm để xét danh hiệu tập thể dựa vào quá trình công tác này. "
            "Chỉ chuyển được người đang ở đơn vị thuộc phạm vi quản lý của bạn."
        ),
    ),
)

AWARDS = TemplateSpec(
    kind=ImportKind.AWARDS,
    title="Khen thưởng đã có",
    download_name="mau-nhap-khen-thuong-da-co.xlsx",
    columns=(
        Column(
            "recipient_kind",
            "Loại đối tượng",
            _("Cá nhân, Tập thể hoặc Hộ gia đình."),
            required=True,
            width=14,
            choices=("Cá nhân", "Tập thể", "Hộ gia đình"),
        ),
        Column(
            "identity_number",
            "Số CCCD",
            _("Với cá nhân: số CCCD (12 chữ số) của người được khen. Nên định dạng ô là Văn bản (Text)."),
            text=True,
        ),
        Column(
            "full_name",
            "Họ và tên",
            _(
                "Với cá nhân: bắt buộc, phải trùng họ tên của người có số CCCD. "
                "Nếu không có số CCCD, cá nhân được tìm theo họ tên, mã đơn vị và ngày sinh."
            ),
            width=24,
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            _("Với cá nhân không có số CCCD: ngày sinh giúp phân biệt người trùng họ tên."),
            width=12,
        ),
        Column(
            "unit_code",
            "Mã đơn vị",
            _("Với tập thể: mã của tập thể được khen. Với cá nhân không có số CCCD: mã đơn vị công tác."),
            text=True,
            width=14,
        ),
        Column("household_code", "Mã hộ", _("Với hộ gia đình: mã hộ trong hệ thống."), text=True, width=14),
        Column(
            "award",
            "Danh hiệu/hình thức",
            _("Mã (ví dụ LDTT) hoặc tên đầy đủ của danh hiệu, hình thức khen thưởng, xem danh mục bên dưới."),
            required=True,
            width=24,
        ),
        Column(
            "year",
            "Năm thành tích",
            _("Năm có thành tích, 4 chữ số, từ 1945 đến năm nay."),
            required=True,
            width=10,
        ),
        Column(
            "commendation_kind",
            "Loại hình khen thưởng",
            _("Một trong các loại hình liệt kê bên dưới; để trống là «Công trạng»."),
            width=16,
        ),
        Column(
            "decision_number",
            "Số quyết định",
            _("Số, ký hiệu của quyết định khen thưởng, ví dụ: 123/QĐ-UBND."),
            required=True,
            text=True,
            max_length=60,
        ),
        Column(
            "decision_date",
            "Ngày quyết định",
            _("Ngày ký quyết định, dd/mm/yyyy; không trước năm thành tích."),
            required=True,
            width=12,
        ),
        Column(
            "issuing_authority",
            "Cơ quan ban hành",
            _("Ví dụ: UBND tỉnh Lai Châu."),
            required=True,
            max_length=200,
            width=24,
        ),
        Column("signer_name", "Người ký", _("Có thể để trống."), max_length=150, width=20),
        Column("signer_title", "Chức vụ người ký", _("Có thể để trống."), max_length=150, width=20),
        Column("reason", "Thành tích", _("Thành tích được khen, có thể để trống."), width=30),
        Column(
            "bonus_amount",
            "Tiền thưởng",
            _("Số tiền thưởng bằng đồng, số nguyên không âm; có thể để trống."),
            width=14,
        ),
    ),
    notes=(
        _("Mỗi dòng là một lượt khen thưởng. Dòng 1 là dòng tiêu đề, không sửa tên cột."),
        _("Cá nhân, tập thể, hộ gia đình phải có sẵn trong hệ thống; hãy nhập danh sách cá nhân trước."),
        _(
            "Lượt khen thưởng đã có (cùng đối tượng, danh hiệu, năm, và quyết định cùng số, ngày, cơ quan "
            "ban hành) được giữ nguyên, không tạo trùng."
        ),
    ),
)

SPECS: dict[str, TemplateSpec] = {PEOPLE.kind: PEOPLE, AWARDS.kind: AWARDS}

_SPACE_AROUND_SLASH = re.compile(r"\s*/\s*")


def header_key(value: Any) -> str:
    """The form a header is compared in: folded, so "HỌ VÀ TÊN" and "Họ và tên" are the same column."""
    return _SPACE_AROUND_SLASH.sub("/", fold(str(value))) if value is not None else ""


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _guide_rows(spec: TemplateSpec) -> list[list[Any]]:
    rows: list[list[Any]] = [[str(_("Hướng dẫn điền mẫu «{title}»")).format(title=spec.title)], []]
    rows += [[str(note)] for note in spec.notes]
    rows.append([str(_("Ngày tháng ghi theo dạng {format}.")).format(format=_DATE_HELP)])
    rows += [[], [str(_("Cột")), str(_("Bắt buộc")), str(_("Cách điền"))]]
    for column in spec.columns:
        rows.append([column.header, str(_("Có")) if column.required else "", str(column.help)])
    return rows


def _catalogue_rows(spec: TemplateSpec) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if spec.kind == ImportKind.PEOPLE:
        rows += [[], [str(_("Giới tính"))]] + [[str(label)] for _value, label in Gender.choices]
        rows += [[], [str(_("Thành phần"))]] + [[str(label)] for _value, label in PersonCategory.choices]
        return rows
    recipient_labels = dict(RecipientKind.choices)
    rows += [[], [str(_("Loại đối tượng"))]] + [[str(label)] for label in recipient_labels.values()]
    rows += [[], [str(_("Loại hình khen thưởng"))]]
    rows += [[str(label)] for _value, label in CommendationKind.choices]
    rows += [[], [str(_("Mã")), str(_("Danh hiệu/hình thức")), str(_("Dành cho"))]]
    for award in AwardType.objects.order_by("order", "code"):
        recipients = ", ".join(str(recipient_labels.get(r, r)) for r in award.recipients)
        rows.append([award.code, award.name, recipients])
    return rows


def _style_header(sheet: Any, row: int, count: int) -> None:
    for index in range(1, count + 1):
        cell = sheet.cell(row=row, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL


def build_template(kind: str, *, units: Iterable[tuple[str, str]] = ()) -> bytes:
    """The downloadable template: the header row, a "Hướng dẫn" sheet and, if given, the unit codes."""
    spec = SPECS[kind]
    # The template is a Vietnamese form whatever language the page is shown in.
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = spec.title
        sheet.append(spec.headers)
        _style_header(sheet, 1, len(spec.columns))
        sheet.freeze_panes = "A2"
        last_row = TEMPLATE_FORMATTED_ROWS + 1
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="center")
            if column.text:
                for row in range(2, last_row + 1):
                    sheet.cell(row=row, column=index).number_format = "@"
            if column.choices:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(column.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=column.header,
                    error=str(column.help),
                )
                validation.add(f"{letter}2:{letter}{last_row}")
                sheet.add_data_validation(validation)

        guide = workbook.create_sheet(GUIDE_SHEET_TITLE)
        guide_rows = _guide_rows(spec)
        for line in guide_rows + _catalogue_rows(spec):
            guide.append(line)
        guide["A1"].font = Font(bold=True, size=13)
        header_row = next(i for i, row in enumerate(guide_rows, start=1) if row and row[0] == str(_("Cột")))
        _style_header(guide, header_row, 3)
        for letter, width in (("A", 28), ("B", 40), ("C", 90)):
            guide.column_dimensions[letter].width = width
        for row in guide.iter_rows(min_row=header_row + 1, max_row=header_row + len(spec.columns)):
            for cell in row:
                cell.alignment = _WRAP

        unit_rows = list(units)
        if unit_rows:
            unit_sheet = workbook.create_sheet(UNITS_SHEET_TITLE)
            unit_sheet.append([str(_("Mã đơn vị")), str(_("Tên đơn vị"))])
            _style_header(unit_sheet, 1, 2)
            unit_sheet.column_dimensions["A"].width = 16
            unit_sheet.column_dimensions["B"].width = 60
            for code, name in unit_rows:
                unit_sheet.append([code, name])

        for each in workbook.worksheets:
            # The unit names and the catalogue's titles are typed by administrators.
            keep_sheet_as_text(each)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def generate_workbook(kind: str, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> bytes:
    """A filled-in import file: each row is a dict keyed by column key or header, or a list in column order.

    Streams in write-only mode, so tests and benchmarks can build files of any size.
    """
    spec = SPECS[kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.title)
    sheet.append(spec.headers)
    for row in rows:
        if isinstance(row, Mapping):
            sheet.append([row.get(c.key, row.get(c.header)) for c in spec.columns])
        else:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def generate_people_workbook(rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> bytes:
    return generate_workbook(ImportKind.PEOPLE, rows)


def generate_awards_workbook(rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> bytes:
    return generate_workbook(ImportKind.AWARDS, rows)
