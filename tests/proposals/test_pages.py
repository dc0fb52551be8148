"""The proposal pages as each role uses them: scope, every workflow step × role, documents, Council,
public comment, dashboard flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import FIXED_TODAY
from tests.otp import code, enrol
from tests.proposals.conftest import award, docx_text, drafted, pdf_text, pdf_upload
from thidua.awards.models import AwardRecord
from thidua.proposals import services
from thidua.proposals.models import Dossier, DossierState, Nominee, Notification, PublicComment

pytestmark = pytest.mark.django_db


def test_unit_officer_sees_only_the_units_dossiers(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    mine = drafted(flow)
    other = services.dossier_create(
        actor=flow["education_officer"],
        unit=flow["education"],
        kind="cong_trang",
        year=2024,
        title="Hồ sơ Sở GD",
    )
    client = client_for(flow["health_officer"])
    page = client.get(reverse("proposals:list")).content.decode()
    assert mine.code in page and other.code not in page
    assert client.get(reverse("proposals:detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("proposals:step", args=[other.pk, "rut"]), {"comment": "x"}).status_code == 404
    assert client.get(reverse("proposals:attachment", args=[other.pk, 1])).status_code == 404
    export = client.get(reverse("proposals:list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    # The Council's pages are not for unit staff.
    assert client.get(reverse("proposals:sessions")).status_code == 403
    assert client.get(reverse("proposals:decide")).status_code == 403


def test_officer_drafts_through_the_pages(flow: dict[str, Any], client_for: Callable[[Any], Client]) -> None:
    client = client_for(flow["health_officer"])
    response = client.post(
        reverse("proposals:create"),
        {
            "unit": flow["health"].pk,
            "kind": "cong_trang",
            "year": "2024",
            "title": "Đề nghị tặng Bằng khen năm 2024",
        },
    )
    dossier = Dossier.objects.get(title="Đề nghị tặng Bằng khen năm 2024")
    assert response.status_code == 302 and response["Location"] == reverse(
        "proposals:detail", args=[dossier.pk]
    )
    found = client.get(
        reverse("proposals:recipient_search", args=[dossier.pk]),
        {"kind": "individual", "q": "nguyen van duc"},
    ).content.decode()
    assert "Nguyễn Văn Đức" in found and "Trần Thị Hoa" not in found
    client.post(
        reverse("proposals:nominee_add", args=[dossier.pk]),
        {
            "kind": "individual",
            "recipient": flow["health_person"].pk,
            "award_type": award("BK_TINH").pk,
            "achievement": "Hai năm hoàn thành xuất sắc nhiệm vụ",
        },
    )
    assert dossier.nominees.count() == 1
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    assert "Hồ sơ chưa đủ để trình" in page and "Tờ trình đề nghị khen thưởng" in page
    # Bad input: a text file renamed .pdf is refused with a message; nothing is attached.
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("proposals:attachment_add", args=[dossier.pk]),
        {"component": "to_trinh", "file": SimpleUploadedFile("to-trinh.pdf", b"khong phai pdf")},
        follow=True,
    )
    assert "không phải PDF" in response.content.decode()
    assert not dossier.attachments.exists()
    client.post(
        reverse("proposals:attachment_add", args=[dossier.pk]),
        {
            "component": "to_trinh",
            "file": pdf_upload(),
        },
    )
    attachment = dossier.attachments.get()
    download = client.get(reverse("proposals:attachment", args=[dossier.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # The officer cannot submit: the head does.
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    assert reverse("proposals:step", args=[dossier.pk, "trinh"]) not in page
    client.post(reverse("proposals:step", args=[dossier.pk, "trinh"]))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


# Every step a page offers, × every role: who moves the dossier, and that the others leave it as it was.
STEP_FROM = {
    "trinh": "draft",
    "rut": "draft",
    "tiep-nhan": "submitted",
    "tra-lai": "submitted",
    "kiem-tra-lai": "submitted",
    "xong-tham-dinh": "received",
    "khong-chap-thuan": "appraised",
}
ALLOWED = {
    "trinh": {"health_head"},
    "rut": {"health_head"},
    "tiep-nhan": {"specialist"},
    "tra-lai": {"specialist"},
    "kiem-tra-lai": {"specialist"},
    "xong-tham-dinh": {"specialist"},
    "khong-chap-thuan": {"specialist", "chairman"},
}
ROLES = [
    "health_officer",
    "health_head",
    "education_head",
    "specialist",
    "conflicted_specialist",
    "council",
    "chairman",
    "admin",
]
EXPECTED_TARGET = {
    "trinh": "submitted",
    "rut": "withdrawn",
    "tiep-nhan": "received",
    "tra-lai": "returned",
    "kiem-tra-lai": "submitted",
    "xong-tham-dinh": "appraised",
    "khong-chap-thuan": "rejected",
}


def _dossier_in(flow: dict[str, Any], state: str) -> Dossier:
    dossier = drafted(flow)
    if state == "draft":
        return dossier
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    if state == "submitted":
        return dossier
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    for line in dossier.nominees.all():
        services.nominee_review(
            actor=flow["specialist"], nominee=line, recommend=True, reason="Xét thấy xứng đáng"
        )
    if state == "received":
        return dossier
    services.dossier_complete_appraisal(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    return dossier


@pytest.mark.parametrize("action", list(STEP_FROM))
@pytest.mark.parametrize("role", ROLES)
def test_every_step_by_every_role(
    flow: dict[str, Any], client_for: Callable[[Any], Client], action: str, role: str
) -> None:
    dossier = _dossier_in(flow, STEP_FROM[action])
    before = dossier.transitions.count()
    response = client_for(flow[role]).post(
        reverse("proposals:step", args=[dossier.pk, action]), {"comment": "Lý do ghi rõ"}
    )
    dossier.refresh_from_db()
    if role in ALLOWED[action]:
        assert response.status_code == 302
        assert dossier.state == EXPECTED_TARGET[action]
        if action != "kiem-tra-lai":
            assert dossier.transitions.count() == before + 1
    else:
        assert response.status_code in (302, 403, 404)
        assert dossier.state == STEP_FROM[action]
        assert dossier.transitions.count() == before


def test_specialist_appraises_and_chairman_decides_with_documents(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _dossier_in(flow, "submitted")
    specialist = client_for(flow["specialist"])
    specialist.post(reverse("proposals:step", args=[dossier.pk, "tiep-nhan"]))
    line = dossier.nominees.get()
    # An override without a reason is refused on the page, with the reason asked for.
    against = "no" if line.verdict == "eligible" else "yes"
    page = specialist.post(
        reverse("proposals:nominee_review", args=[dossier.pk, line.pk]), {"recommend": against}, follow=True
    ).content.decode()
    assert "phải ghi rõ lý do" in page
    specialist.post(
        reverse("proposals:nominee_review", args=[dossier.pk, line.pk]),
        {"recommend": "yes", "reason": "Thành tích tiêu biểu"},
    )
    specialist.post(reverse("proposals:step", args=[dossier.pk, "xong-tham-dinh"]))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.APPRAISED
    report = specialist.get(reverse("proposals:appraisal_report", args=[dossier.pk, "docx"]))
    assert report.status_code == 200 and "Nguyễn Văn Đức" in docx_text(report.content)
    pdf = specialist.get(reverse("proposals:appraisal_report", args=[dossier.pk, "pdf"]))
    assert "Nguyễn Văn Đức" in pdf_text(pdf.content)
    # Unit staff do not get the Board's report.
    assert (
        client_for(flow["health_officer"])
        .get(reverse("proposals:appraisal_report", args=[dossier.pk, "pdf"]))
        .status_code
        == 403
    )

    chairman = client_for(flow["chairman"])
    assert dossier.code in chairman.get(reverse("proposals:decide")).content.decode()
    response = chairman.post(
        reverse("proposals:decide"),
        {
            "dossiers": [dossier.pk],
            "number": "25/QĐ-UBND",
            "date": FIXED_TODAY.isoformat(),
            "authority": "UBND tỉnh Lai Châu",
            "reauth_code": code(enrol(flow["chairman"])),
        },
    )
    record = AwardRecord.objects.get(person=flow["health_person"], award_type__code="BK_TINH")
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:decision_detail", args=[record.decision_id]
    )
    docx = chairman.get(reverse("proposals:decision_document", args=[record.decision_id, "docx"]))
    text = docx_text(docx.content)
    assert "Nguyễn Văn Đức" in text and "25/QĐ-UBND" in text and "Độc lập - Tự do - Hạnh phúc" in text
    printed = pdf_text(
        chairman.get(reverse("proposals:decision_document", args=[record.decision_id, "pdf"])).content
    )
    assert "Nguyễn Văn Đức" in printed and "Bằng khen" in printed
    # The registry shows the new award on the person's profile.
    profile = chairman.get(
        reverse("organisation:person_detail", args=[flow["health_person"].pk])
    ).content.decode()
    assert "25/QĐ-UBND" in profile


def test_council_pages_secret_vote_and_minutes(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from tests.proposals.test_workflow import _appraised

    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    specialist = client_for(flow["specialist"])
    response = specialist.post(
        reverse("proposals:sessions"),
        {"title": "Phiên họp tháng 12", "date": FIXED_TODAY.isoformat(), "dossiers": [dossier.pk]},
    )
    session = dossier.council_sessions.get()
    assert response["Location"] == reverse("proposals:session", args=[session.pk])
    for member in flow["members"]:
        specialist.post(
            reverse("proposals:session_attendance", args=[session.pk]),
            {"member": member.pk, "status": "present"},
        )
    line = dossier.nominees.get()
    council = client_for(flow["council"])
    page = council.get(reverse("proposals:session", args=[session.pk])).content.decode()
    assert "Đồng ý" in page and "Nguyễn Văn Đức" in page
    council.post(reverse("proposals:session_vote", args=[session.pk, line.pk]), {"vote": "agree"})
    page = council.get(reverse("proposals:session", args=[session.pk])).content.decode()
    assert "Bạn đã bỏ phiếu" in page
    # The member from the proposing unit sees why there is no ballot for them.
    conflicted = client_for(flow["members"][3].user)
    assert (
        "không biểu quyết" in conflicted.get(reverse("proposals:session", args=[session.pk])).content.decode()
    )
    specialist = client_for(flow["specialist"])
    specialist.post(
        reverse("proposals:session_tally", args=[session.pk, line.pk]),
        {"agree": "5", "disagree": "0", "invalid": "0"},
    )
    specialist.post(reverse("proposals:session_close", args=[session.pk]))
    session.refresh_from_db()
    assert not session.is_open
    minutes = specialist.get(reverse("proposals:session_document", args=[session.pk, "bien-ban", "docx"]))
    text = docx_text(minutes.content)
    assert "Nguyễn Văn Đức" in text and "BIÊN BẢN" in text
    count = specialist.get(reverse("proposals:session_document", args=[session.pk, "kiem-phieu", "pdf"]))
    assert "Nguyễn Văn Đức" in pdf_text(count.content)
    assert (
        client_for(flow["health_officer"]).get(reverse("proposals:session", args=[session.pk])).status_code
        == 403
    )


def test_public_comment_page_with_rate_limit_and_honeypot(flow: dict[str, Any], client: Client) -> None:
    cache.clear()
    dossier = _dossier_in(flow, "submitted")
    line = dossier.nominees.get()
    line.award_type = award("HCLD3")
    line.save()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    line.refresh_from_db()
    assert "Nguyễn Văn Đức" in client.get(reverse("public:public_list")).content.decode()
    url = reverse("public:public_comment", args=[line.pk])
    assert (
        client.post(
            url, {"author_name": "Bot", "text": "Mua hàng giá rẻ tại đây", "website": "x"}
        ).status_code
        == 403
    )
    for i in range(5):
        ok = client.post(
            url, {"author_name": "Nguyễn Thị Lan", "text": f"Ý kiến thứ {i}: ông Đức làm việc tận tụy"}
        )
        assert ok.status_code == 200 and "Cảm ơn bạn" in ok.content.decode()
    limited = client.post(url, {"author_name": "Nguyễn Thị Lan", "text": "Ý kiến thứ sáu, gửi quá nhiều lần"})
    assert limited.status_code == 429
    assert PublicComment.objects.filter(nominee=line).count() == 5
    # The Board sees the comments beside the dossier; the unit does not.
    board = Client()
    board.force_login(flow["specialist"])
    assert (
        "ông Đức làm việc tận tụy"
        in board.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    )
    # A nominee not open for comment is not public.
    other = drafted(flow).nominees.get()
    assert client.get(reverse("public:public_comment", args=[other.pk])).status_code == 404


def test_dashboard_flags_overdue_dossiers_and_notifications_are_listed(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _dossier_in(flow, "submitted")
    Dossier.objects.filter(pk=dossier.pk).update(due_date=FIXED_TODAY - dt.timedelta(days=3))
    specialist = client_for(flow["specialist"])
    page = specialist.get(reverse("core:dashboard")).content.decode()
    assert "Quá hạn" in page and dossier.code in page
    listing = specialist.get(reverse("proposals:list") + "?overdue=1").content.decode()
    assert dossier.code in listing
    assert Notification.objects.filter(user=flow["specialist"]).exists()
    notes = specialist.get(reverse("proposals:notifications")).content.decode()
    assert dossier.code in notes
    specialist.post(reverse("proposals:notifications"))
    assert not Notification.objects.filter(user=flow["specialist"], read_at__isnull=True).exists()


def test_dossier_list_queries_do_not_grow_with_rows(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    client = client_for(flow["specialist"])
    drafted(flow)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("proposals:list")).status_code == 200
    for _ in range(6):
        drafted(flow)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("proposals:list")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_queries_do_not_grow_with_nominees(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from tests.factories import make_person

    dossier = drafted(flow)
    client = client_for(flow["health_officer"])
    # Warm: the menu's permissions are remembered after the first page of a process.
    client.get(reverse("proposals:detail", args=[dossier.pk]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("proposals:detail", args=[dossier.pk]))
    for i in range(5):
        person = make_person(flow["health"], f"Lò Văn Thành{i}")
        services.nominee_add(
            actor=flow["health_officer"], dossier=dossier, recipient=person, award_type=award("GK")
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("proposals:detail", args=[dossier.pk]))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert Nominee.objects.filter(dossier=dossier).count() == 6


def test_a_yearly_dossier_sent_after_the_provincial_deadline_says_so(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _dossier_in(flow, "submitted")
    client = client_for(flow["specialist"])
    # Achievement year 2024, sent now: after 10/12/2024 (QĐ 86/2025 Bắc Ninh Điều 6 khoản 2).
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    assert "Hồ sơ được trình sau hạn 10/12/2024" in page and "Điều 6 khoản 2" in page
    Dossier.objects.filter(pk=dossier.pk).update(year=FIXED_TODAY.year)
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    sent_late = dt.date(FIXED_TODAY.year, 12, 10) < FIXED_TODAY
    assert ("Hồ sơ được trình sau hạn" in page) == sent_late


def test_filter_bars_keep_the_chosen_values(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """The shared choice filter marks what the user chose, on the dossier list and the catalogue."""
    drafted(flow)
    client = client_for(flow["specialist"])
    page = client.get(reverse("proposals:list"), {"state": "draft", "kind": "cong_trang"}).content.decode()
    assert '<option value="draft" selected>' in page and '<option value="cong_trang" selected>' in page
    assert '<label class="form-label small mb-1" for="f-state">Trạng thái</label>' in page
    catalogue = client.get(reverse("awards:catalogue"), {"level": "tinh"}).content.decode()
    assert '<option value="tinh" selected>' in catalogue and 'id="f-recipient" name="recipient"' in catalogue
