"""The decision paper as it is signed: whole legal bases from the rulebook of the decision date, no other
province named anywhere in the workflow's papers, and no province-headed paper for a decision the province
did not issue (issue 8, points 5 and 6 of the default achievement year are in test_review_year.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised, _decide
from thidua.awards.models import Decision, RecordSource
from thidua.proposals import documents as docs
from thidua.proposals import documents_build, services

# Every Vietnamese province and centrally run city: the 63 before the 2025 merger and the names the 34
# merged ones took (all of them among the 63). Test data, written out here.
PROVINCES = (
    "An Giang", "Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)  # fmt: skip
OTHERS = [p for p in PROVINCES if p != "Lai Châu"]
LG_72 = "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;"
LAW_2022 = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"
ND_152 = (
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân "
    "quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật "
    "Thi đua, khen thưởng;"
)
ND_98 = (
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;"
)
LG_77 = "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19 tháng 6 năm 2015;"
LG_47 = (
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
    "phương số 47/2019/QH14 ngày 22 tháng 11 năm 2019;"
)
LAW_2003 = "Căn cứ Luật Thi đua, khen thưởng số 15/2003/QH11 ngày 26 tháng 11 năm 2003;"
LAW_2005 = (
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 47/2005/QH11 ngày 14 tháng 6 "
    "năm 2005;"
)
LAW_2013 = (
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 39/2013/QH13 ngày 16 tháng 11 "
    "năm 2013;"
)
ND_91 = (
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;"
)
LAI_CHAU_2018 = (
    "Căn cứ Quyết định số 06/2018/QĐ-UBND ngày 21 tháng 02 năm 2018 của Ủy ban nhân dân tỉnh Lai Châu;"
)


def docx_paragraphs(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return [p.text for p in document.paragraphs] + cells


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def provinces_named(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [p for p in OTHERS if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", flat, re.IGNORECASE)]


def _decision(day: dt.date) -> Decision:
    return Decision.objects.create(
        number="7/QĐ-UBND", date=day, issuing_authority="UBND tỉnh Lai Châu", source=RecordSource.SYSTEM
    )


@pytest.mark.parametrize(
    ("layer", "day", "expected"),
    [
        ("mau-bac-ninh", dt.date(2026, 12, 6), [LG_72, LAW_2022, ND_152]),
        ("mau-bac-ninh", dt.date(2025, 6, 20), [LG_72, LAW_2022, ND_98]),
        ("mau-bac-ninh", dt.date(2024, 5, 2), [LG_77, LG_47, LAW_2022, ND_98]),
        ("mau-bac-ninh", dt.date(2021, 3, 1), [LG_77, LG_47, LAW_2003, LAW_2005, LAW_2013, ND_91]),
        ("lai-chau", dt.date(2026, 12, 6), [LG_72, LAW_2022, ND_152]),
        (
            "lai-chau",
            dt.date(2021, 3, 1),
            [LG_77, LG_47, LAW_2003, LAW_2005, LAW_2013, ND_91, LAI_CHAU_2018],
        ),
    ],
)
def test_each_basis_is_one_whole_line_of_the_rules_in_force_on_the_decision_date(
    province: dict[str, Any], monkeypatch: pytest.MonkeyPatch, layer: str, day: dt.date, expected: list[str]
) -> None:
    monkeypatch.setenv("THIDUA_PROVINCE_RULES", layer)
    doc = documents_build.decision_doc(_decision(day))
    assert docs.decision_context(doc)["bases"] == expected
    # In the DOCX each basis is one paragraph of its own, whole.
    paragraphs = docx_paragraphs(docs.decision_docx(doc))
    for line in expected:
        assert line in paragraphs


@pytest.mark.parametrize("layer", ["mau-bac-ninh", "lai-chau"])
def test_no_paper_of_the_workflow_names_another_province(
    flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    monkeypatch.setenv("THIDUA_PROVINCE_RULES", layer)
    decided = _appraised(flow, drafted(flow))
    decision = _decide(flow, decided, "31/QĐ-UBND")
    voted = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp xét khen thưởng", date=FIXED_TODAY, dossiers=[voted]
    )
    for member in flow["members"]:
        services.attendance_set(actor=flow["specialist"], session=session, member=member, present=True)
    line = voted.nominees.get()
    for member in flow["members"][:3]:
        services.ballot_cast(actor=member.user, session=session, nominee=line, agree=True)
    services.session_close(actor=flow["specialist"], session=session)
    session.refresh_from_db()
    papers = {
        "decision": documents_build.decision_doc(decision),
        "appraisal": documents_build.appraisal_report_doc(decided),
        "appraisal_vote": documents_build.appraisal_report_doc(voted),
        "minutes": documents_build.minutes_doc(session),
        "ballot_count": documents_build.ballot_count_doc(session),
    }
    render = {
        "decision": (docs.decision_docx, docs.decision_pdf),
        "appraisal": (docs.appraisal_report_docx, docs.appraisal_report_pdf),
        "appraisal_vote": (docs.appraisal_report_docx, docs.appraisal_report_pdf),
        "minutes": (docs.minutes_docx, docs.minutes_pdf),
        "ballot_count": (docs.ballot_count_docx, docs.ballot_count_pdf),
    }
    for kind, doc in papers.items():
        to_docx, to_pdf = render[kind]
        docx_text = "\n".join(docx_paragraphs(to_docx(doc)))  # type: ignore[operator]
        assert "Lai Châu" in docx_text, kind
        assert provinces_named(docx_text) == [], kind
        assert provinces_named(pdf_text(to_pdf(doc))) == [], kind  # type: ignore[operator]
    # The appraisal report still says where each provincial criterion comes from: the model regulation.
    report = "\n".join(docx_paragraphs(docs.appraisal_report_docx(papers["appraisal"])))  # type: ignore[arg-type]
    assert "86/2025" not in report


def test_the_province_name_comes_from_the_layer_when_it_has_one(
    province: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    province["ubnd"].name = "UBND tỉnh Thử Nghiệm"
    province["ubnd"].save()
    monkeypatch.setenv("THIDUA_PROVINCE_RULES", "lai-chau")
    assert documents_build.province_name() == "Lai Châu"
    # The model layer is nobody's province: the name comes from the provincial committee unit.
    monkeypatch.setenv("THIDUA_PROVINCE_RULES", "mau-bac-ninh")
    assert documents_build.province_name() == "Thử Nghiệm"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_imported_decision_is_shown_as_stored_not_printed_under_the_province(
    flow: dict[str, Any], client_for: Any, fmt: str
) -> None:
    imported = Decision.objects.create(
        number="1500/QĐ-TTg",
        date=dt.date(2025, 9, 2),
        issuing_authority="Thủ tướng Chính phủ",
        signer_name="Nguyễn Văn A",
        signer_title="Thủ tướng",
        source=RecordSource.IMPORTED,
    )
    chairman = client_for(flow["chairman"])
    response = chairman.get(reverse("proposals:decision_document", args=[imported.pk, fmt]))
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:decision_detail", args=[imported.pk])
    page = chairman.get(response["Location"]).content.decode()
    assert "Thủ tướng Chính phủ" in page and "1500/QĐ-TTg" in page
    assert "Tải văn bản (DOCX)" not in page and "văn bản gốc do cơ quan ban hành giữ" in page


def test_the_central_answer_recorded_here_is_not_printed_under_the_province(
    flow: dict[str, Any], client_for: Any
) -> None:
    dossier = _appraised(flow, drafted(flow, "BK_TTG"))
    assert _decide(flow, dossier, "3/QĐ-UBND") is None
    dossier.refresh_from_db()
    central = services.central_answer_record(
        actor=flow["specialist"],
        dossier=dossier,
        approved=list(dossier.nominees.all()),
        number="1234/QĐ-TTg",
        date=FIXED_TODAY,
        issuing_authority="Thủ tướng Chính phủ",
    )
    assert central is not None and central.source == RecordSource.SYSTEM
    response = client_for(flow["chairman"]).get(
        reverse("proposals:decision_document", args=[central.pk, "docx"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:decision_detail", args=[central.pk])


def test_the_province_s_own_decision_still_downloads(flow: dict[str, Any], client_for: Any) -> None:
    decision = _decide(flow, _appraised(flow, drafted(flow)), "32/QĐ-UBND")
    response = client_for(flow["chairman"]).get(
        reverse("proposals:decision_document", args=[decision.pk, "docx"])
    )
    assert response.status_code == 200
    paragraphs = docx_paragraphs(response.content)
    assert "ỦY BAN NHÂN DÂN" in paragraphs and LAW_2022 in paragraphs
