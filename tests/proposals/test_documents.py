"""The official papers of the proposal workflow: what they say, in DOCX and in PDF, diacritics intact."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from pypdf import PdfReader

from thidua.proposals import documents as d

DAY = dt.date(2026, 1, 5)
NUMBER = "123/QĐ-UBND"
NAMES = ("Nguyễn Văn Đức", "Lò Thị Hương", "Đặng Thị Ánh")

UBND = d.Header(
    authority_parent="",
    authority="Ủy ban nhân dân\ntỉnh Lai Châu",
    number=NUMBER,
    place="Lai Châu",
    date=DAY,
)
BOARD = d.Header(
    authority_parent="UBND tỉnh Lai Châu",
    authority="Sở Nội vụ",
    number="15/BC-SNV",
    place="Lai Châu",
    date=dt.date(2026, 1, 2),
)
COUNCIL = d.Header(
    authority_parent="",
    authority="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG\nTỈNH LAI CHÂU",
    number="02/BB-HĐTĐKT",
    place="Lai Châu",
    date=dt.date(2026, 1, 4),
)


def decision(lines: int = 3) -> d.DecisionDoc:
    rows = [
        d.Line(
            1,
            NAMES[0],
            "Trưởng phòng Nghiệp vụ Y, Sở Y tế",
            "Bằng khen của Chủ tịch UBND tỉnh",
            "Đã có thành tích xuất sắc trong công tác năm 2025",
            2_340_000,
        ),
        d.Line(
            2, NAMES[1], "Giáo viên Trường THCS Sìn Hồ", "Bằng khen của Chủ tịch UBND tỉnh", "", 2_340_000
        ),
        d.Line(3, NAMES[2], "Chuyên viên Văn phòng UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh", "", None),
    ]
    return d.DecisionDoc(
        header=UBND,
        subject="Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        issuer="Chủ tịch Ủy ban nhân dân tỉnh Lai Châu",
        bases=[
            "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Nghị định số 152/2025/NĐ-CP ngày 15 tháng 6 năm 2025 của Chính phủ",
        ],
        proposal="Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 02 tháng 01 năm 2026",
        articles=[
            "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 03 cá nhân (có danh sách kèm theo)",
            "Tiền thưởng kèm theo Bằng khen thực hiện theo quy định hiện hành",
            "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ và các cá nhân có tên tại Điều 1 chịu trách nhiệm "
            "thi hành Quyết định này",
        ],
        recipients_of_copies=["Như Điều 3", "Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, NC"],
        signer=d.Signer("Tống Thanh Hải", "Phó Chủ tịch"),
        signer_capacity="KT. Chủ tịch",
        lines=rows[:lines],
        issued_by="của Chủ tịch Ủy ban nhân dân tỉnh Lai Châu",
    )


def appraisal() -> d.AppraisalReportDoc:
    basis = "Điều 74 Nghị định 152/2025/NĐ-CP"
    return d.AppraisalReportDoc(
        header=BOARD,
        subject="Kết quả thẩm định hồ sơ đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
        dossier_code="HS-2026-0012",
        unit="Sở Y tế",
        received_on=dt.date(2025, 12, 29),
        proposal_number="88/TTr-SYT",
        nominees=[
            d.AppraisedNominee(
                1,
                NAMES[0],
                "Trưởng phòng, Sở Y tế",
                "Bằng khen của Chủ tịch UBND tỉnh",
                "eligible",
                conditions=[
                    d.Condition("Có 02 năm liên tục hoàn thành xuất sắc nhiệm vụ", basis, True),
                    d.Condition("Không trong thời gian bị kỷ luật.", basis, True),
                ],
                recommend=True,
            ),
            d.AppraisedNominee(
                2,
                NAMES[1],
                "Giáo viên",
                "Bằng khen của Chủ tịch UBND tỉnh",
                "ineligible",
                conditions=[d.Condition("Có 02 năm liên tục hoàn thành xuất sắc nhiệm vụ", basis, False)],
                flags=["Trùng hồ sơ HS-2026-0007 (cùng hình thức, cùng năm)"],
                recommend=False,
            ),
            d.AppraisedNominee(
                3,
                NAMES[2],
                "Chuyên viên",
                "Bằng khen của Chủ tịch UBND tỉnh",
                "needs_review",
                conditions=[d.Condition("Có thành tích xuất sắc được bình xét", "", None)],
                recommend=True,
                override_reason="Thành tích đột xuất trong phòng chống lũ quét tháng 7/2025",
            ),
        ],
        signer=d.Signer("Lê Văn Minh", "Phó Giám đốc"),
        signer_capacity="KT. Giám đốc",
        recipients_of_copies=["UBND tỉnh (b/c)", "Lưu: VT, TĐKT"],
    )


def votes() -> list[d.VoteResult]:
    rule = "ít nhất 80% tổng số thành viên"
    return [
        d.VoteResult(1, NAMES[0], "Sở Y tế", "Chiến sĩ thi đua cấp tỉnh", 9, 0, 0, rule, True),
        d.VoteResult(
            2, NAMES[1], "Sở Giáo dục và Đào tạo", "Chiến sĩ thi đua cấp tỉnh", 8, 1, 0, rule, False
        ),
        d.VoteResult(3, NAMES[2], "Văn phòng UBND tỉnh", "Chiến sĩ thi đua cấp tỉnh", 10, 0, 0, rule, True),
    ]


def minutes() -> d.MinutesDoc:
    present = [f"Thành viên {i}" for i in range(1, 9)] + ["Vàng A Sùng"]
    return d.MinutesDoc(
        header=COUNCIL,
        session_title="Phiên họp xét đề nghị khen thưởng đợt I năm 2026",
        date=dt.date(2026, 1, 4),
        opened_at=dt.time(8, 0),
        closed_at=dt.time(11, 30),
        place="Phòng họp số 1, Ủy ban nhân dân tỉnh",
        chair=d.Signer("Tống Thanh Hải", "Phó Chủ tịch UBND tỉnh, Chủ tịch Hội đồng"),
        secretary=d.Signer("Hà Thị Lan", "Trưởng ban Thi đua – Khen thưởng, Thư ký Hội đồng"),
        total_members=11,
        present=present,
        absent_with_opinion=["Giàng Thị Mai"],
        absent_without_opinion=["Phạm Văn Hùng"],
        quorum_rule="ít nhất 80% tổng số thành viên (căn cứ khoản 7 Điều 30 Nghị định 98/2023/NĐ-CP)",
        quorum_met=True,
        dossiers=["Hồ sơ HS-2026-0012 của Sở Y tế", "Hồ sơ HS-2026-0015 của Sở Giáo dục và Đào tạo"],
        results=votes(),
    )


def ballot_count() -> d.BallotCountDoc:
    return d.BallotCountDoc(
        header=COUNCIL,
        session_title="Phiên họp xét đề nghị khen thưởng đợt I năm 2026",
        date=dt.date(2026, 1, 4),
        place="Phòng họp số 1, Ủy ban nhân dân tỉnh",
        counters=[d.Signer("Hà Thị Lan", "Trưởng ban kiểm phiếu"), d.Signer("Lò Văn Thắng", "Thành viên")],
        total_members=11,
        ballots_issued=10,
        ballots_received=10,
        ballots_valid=10,
        ballots_invalid=0,
        results=votes(),
    )


def docx_text(data: bytes) -> str:
    """Every paragraph of the body, the tables and the page header, one per line."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    """Without any white space: a PDF breaks lines where it likes, e.g. inside "152/2025/NĐ-CP"."""
    return "".join(text.split())


def assert_in_pdf(strings: tuple[str, ...], pages: list[str]) -> None:
    text = squash(" ".join(pages))
    for expected in strings:
        assert squash(expected) in text, expected


# ---------------------------------------------------------------------------------------------------
# Formats


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 3, 15), "ngày 15 tháng 3 năm 2026"),
        (dt.date(2026, 2, 2), "ngày 02 tháng 02 năm 2026"),
        (dt.date(2025, 12, 20), "ngày 20 tháng 12 năm 2025"),
    ],
)
def test_long_date_pads_days_below_ten_and_months_one_and_two(day: dt.date, text: str) -> None:
    assert d.vn_long_date(day) == text


def test_money_and_percent_read_the_vietnamese_way() -> None:
    assert d.format_money(2_340_000) == "2.340.000"
    assert d.format_money(0) == "0"
    assert d.format_percent(9 / 11) == "81,8%"
    assert d.format_percent(0.8) == "80%"
    assert d.vn_time(dt.time(8, 5)) == "08 giờ 05 phút"


def test_signature_lines_and_lists_end_as_decree_30_asks() -> None:
    context = d.decision_context(decision())
    assert context["signature"].lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert context["recipients"] == ["- Như Điều 3;", "- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT, NC."]
    # Each basis starts "Căn cứ" exactly once and ends with a semicolon; the proposal ends the preamble.
    assert context["bases"][0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    assert context["bases"][1] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert context["proposal"].endswith("ngày 02 tháng 01 năm 2026.")
    assert context["total_bonus"] == "4.680.000"
    assert context["lines"][2]["bonus"] == ""
    # A chair signing in their own right has one line, not the title twice.
    alone = d.decision_context(replace(decision(), signer=d.Signer("A", "Chủ tịch"), signer_capacity=""))
    assert alone["signature"].lines == ["CHỦ TỊCH"]


# ---------------------------------------------------------------------------------------------------
# Decision


def test_decision_docx() -> None:
    data = d.decision_docx(decision())
    text = docx_text(data)
    for expected in (
        *NAMES,
        "Số: 123/QĐ-UBND",
        "ỦY BAN NHÂN DÂN",
        "TỈNH LAI CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Châu, ngày 05 tháng 01 năm 2026",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "QUYẾT ĐỊNH:",
        "Điều 3. Chánh Văn phòng UBND tỉnh",
        "KT. CHỦ TỊCH",
        "Tống Thanh Hải",
        "(Kèm theo Quyết định số 123/QĐ-UBND ngày 05 tháng 01 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh",
        "Đã có thành tích xuất sắc trong công tác năm 2025",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text

    annex = docx_tables(data)[-1]
    assert annex[0] == [
        "STT",
        "Họ và tên / Tên tập thể",
        "Chức vụ, đơn vị",
        "Danh hiệu / hình thức",
        "Tiền thưởng (đồng)",
    ]
    assert [row[1] for row in annex[1:4]] == list(NAMES)
    assert [row[4] for row in annex[1:4]] == ["2.340.000", "2.340.000", ""]
    assert annex[-1][0].startswith("Tổng cộng: 03") and annex[-1][-1] == "4.680.000"

    # The list title starts a new page; the page number field sits in the header of pages 2 onwards.
    document = Document(io.BytesIO(data))
    title = next(p for p in document.paragraphs if p.text == "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG")
    assert title.paragraph_format.page_break_before
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert round(section.top_margin.cm, 2) == 2.0 and round(section.bottom_margin.cm, 2) == 2.0
    assert round(section.left_margin.cm, 2) == 3.0 and round(section.right_margin.cm, 2) == 2.0
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        headers = [
            archive.read(n).decode() for n in archive.namelist() if re.match(r"word/header\d*\.xml", n)
        ]
    assert any('w:instr="PAGE"' in h for h in headers)


def test_decision_docx_escapes_markup_and_drops_an_empty_list() -> None:
    doc = replace(decision(lines=0), subject="Về việc khen thưởng Công ty A & B <Lai Châu>")
    data = d.decision_docx(doc)
    text = docx_text(data)
    assert "Công ty A & B <Lai Châu>" in text
    assert "DANH SÁCH" not in text
    assert len(docx_tables(data)) == 2  # the header and the signature; no annex


def test_decision_pdf() -> None:
    pages = pdf_pages(d.decision_pdf(decision()))
    first = pages[0]
    for expected in (
        "Số: 123/QĐ-UBND",
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Châu, ngày 05 tháng 01 năm 2026",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Tống Thanh Hải",
    ):
        assert expected in first, expected
    # The attached list begins page 2, with the names spelt right and the money formatted.
    assert len(pages) == 2
    assert "DANH SÁCH" not in first and NAMES[0] not in first
    annex = pages[1]
    assert annex.startswith("DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG")
    # Page numbers from page 2 only (drawn last, so extracted last).
    assert annex.split()[-1] == "2" and first.split()[-1] == "Hải"
    assert "(Kèm theo Quyết định số 123/QĐ-UBND ngày 05 tháng 01 năm 2026" in annex
    for name in NAMES:
        assert name in annex
    assert "2.340.000" in annex and "4.680.000" in annex


# ---------------------------------------------------------------------------------------------------
# Appraisal report, minutes, ballot count


APPRAISAL_STRINGS = (
    *NAMES,
    "Số: 15/BC-SNV",
    "SỞ NỘI VỤ",
    "Lai Châu, ngày 02 tháng 01 năm 2026",
    "Hồ sơ số HS-2026-0012 của Sở Y tế (Tờ trình số 88/TTr-SYT).",
    "Ngày tiếp nhận hồ sơ: 29/12/2025.",
    "Kết quả kiểm tra của hệ thống: Đủ điều kiện.",
    "Kết quả kiểm tra của hệ thống: Chưa đủ điều kiện.",
    "Kết quả kiểm tra của hệ thống: Cần xem xét.",
    "- Có 02 năm liên tục hoàn thành xuất sắc nhiệm vụ (căn cứ: Điều 74 Nghị định 152/2025/NĐ-CP): đạt;",
    "- Không trong thời gian bị kỷ luật (căn cứ: Điều 74 Nghị định 152/2025/NĐ-CP): đạt;",
    "(căn cứ: Điều 74 Nghị định 152/2025/NĐ-CP): chưa đạt;",
    "- Có thành tích xuất sắc được bình xét: cần xem xét;",
    "- Trùng hồ sơ HS-2026-0007",
    "Ý kiến thẩm định: Không đề nghị.",
    "Lý do: Thành tích đột xuất trong phòng chống lũ quét tháng 7/2025",
    "Kết quả kiểm tra điều kiện, tiêu chuẩn: đủ điều kiện: 01; chưa đủ điều kiện: 01; cần xem xét: 01.",
    "Ý kiến thẩm định: đề nghị khen thưởng 02 trường hợp; không đề nghị 01 trường hợp.",
    "KT. GIÁM ĐỐC",
    "Lê Văn Minh",
)


def test_appraisal_report_docx() -> None:
    text = docx_text(d.appraisal_report_docx(appraisal()))
    for expected in APPRAISAL_STRINGS:
        assert expected in text, expected
    assert text.count("Ý kiến thẩm định: Đề nghị khen thưởng.") == 2
    assert "{{" not in text and "{%" not in text


def test_appraisal_report_pdf() -> None:
    assert_in_pdf(APPRAISAL_STRINGS, pdf_pages(d.appraisal_report_pdf(appraisal())))


MINUTES_STRINGS = (
    *NAMES,
    "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
    "Số: 02/BB-HĐTĐKT",
    "Lai Châu, ngày 04 tháng 01 năm 2026",
    "Vào hồi 08 giờ 00 phút, ngày 04 tháng 01 năm 2026, tại Phòng họp số 1, Ủy ban nhân dân tỉnh",
    "Số thành viên có mặt: 9/11 (81,8%), đủ điều kiện theo quy định: ít nhất 80% tổng số thành viên "
    "(căn cứ khoản 7 Điều 30 Nghị định 98/2023/NĐ-CP).",
    "Vắng mặt có ý kiến bằng văn bản: 1 (Giàng Thị Mai).",
    "Vắng mặt không có ý kiến: 1 (Phạm Văn Hùng).",
    "- Hồ sơ HS-2026-0012 của Sở Y tế;",
    "Số trường hợp đạt tỷ lệ phiếu đồng ý theo quy định: 02/03; không đạt: 01.",
    "Cuộc họp kết thúc vào hồi 11 giờ 30 phút cùng ngày./.",
    "THƯ KÝ",
    "CHỦ TRÌ",
    "Hà Thị Lan",
)


def vote_rows(data: bytes) -> list[list[str]]:
    table = next(t for t in docx_tables(data) if t[0][0] == "STT")
    return [row[3:] for row in table[1:]]


def test_minutes_docx() -> None:
    data = d.minutes_docx(minutes())
    text = docx_text(data)
    for expected in MINUTES_STRINGS:
        assert expected in text, expected
    rule = "ít nhất 80% tổng số thành viên"
    assert vote_rows(data) == [
        ["9", "0", "0", "81,8%", rule, "Đạt"],
        ["8", "1", "0", "72,7%", rule, "Không đạt"],
        ["10", "0", "0", "90,9%", rule, "Đạt"],
    ]
    # Secretary and chair sign side by side in one row.
    signatures = docx_tables(data)[-1]
    assert len(signatures) == 1
    left, right = (cell.split() for cell in signatures[0])
    assert " ".join(left) == "THƯ KÝ Hà Thị Lan"
    assert " ".join(right) == "CHỦ TRÌ Tống Thanh Hải"


def test_minutes_pdf() -> None:
    pages = pdf_pages(d.minutes_pdf(minutes()))
    assert_in_pdf(MINUTES_STRINGS, pages)
    # The vote table reads row by row: name, award, agree, disagree, invalid, ratio, threshold, outcome.
    assert_in_pdf(("Lò Thị Hương Sở Giáo dục và Đào tạo Chiến sĩ thi đua cấp tỉnh 8 1 0 72,7%",), pages)


BALLOT_STRINGS = (
    *NAMES,
    "BIÊN BẢN KIỂM PHIẾU",
    "Hôm nay, ngày 04 tháng 01 năm 2026, tại Phòng họp số 1, Ủy ban nhân dân tỉnh.",
    "- Lò Văn Thắng, Thành viên.",
    "Số phiếu phát ra: 10.",
    "Số phiếu thu vào: 10.",
    "Số phiếu hợp lệ: 10.",
    "Số phiếu không hợp lệ: 0.",
    "TRƯỞNG BAN KIỂM PHIẾU",
    "81,8%",
    "90,9%",
)


def test_ballot_count_docx() -> None:
    data = d.ballot_count_docx(ballot_count())
    text = docx_text(data)
    for expected in BALLOT_STRINGS:
        assert expected in text, expected
    assert vote_rows(data)[1][:4] == ["8", "1", "0", "72,7%"]


def test_ballot_count_pdf() -> None:
    pages = pdf_pages(d.ballot_count_pdf(ballot_count()))
    assert_in_pdf(BALLOT_STRINGS, pages)
    # The closing line and the signatures stay together.
    assert "Kết quả kiểm phiếu đã được công bố" in pages[-1] and "Lò Văn Thắng" in pages[-1]
