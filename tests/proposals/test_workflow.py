"""The proposal workflow through its services: every step, who may take it, and what it leaves behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import FIXED_TODAY
from tests.factories import make_award, make_person
from tests.proposals.conftest import attach_required, award, drafted, engine_answer, pdf_upload
from thidua.awards.models import AwardRecord
from thidua.core.models import AuditLog
from thidua.proposals import services
from thidua.proposals.models import (
    Attendance,
    BallotCast,
    BallotTally,
    Dossier,
    DossierState,
    DossierTransition,
    LineOutcome,
    Nominee,
    Notification,
)

pytestmark = pytest.mark.django_db


def _appraised(flow: dict[str, Any], dossier: Dossier, recommend: bool = True) -> Dossier:
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    for line in dossier.nominees.filter(is_active=True):
        reason = (
            "" if (line.verdict == "eligible") == recommend and line.verdict != "needs_review" else "Xét thấy"
        )
        services.nominee_review(actor=flow["specialist"], nominee=line, recommend=recommend, reason=reason)
    services.dossier_complete_appraisal(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def test_whole_path_for_a_provincial_form_ends_in_the_registry(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    assert dossier.code.startswith("HS24-")
    assert dossier.state == DossierState.DRAFT

    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    # Submission runs the engine over every nominee and sets the Board's deadline in working days.
    line = dossier.nominees.get()
    assert line.check_result["award"] == "BK_TINH"
    assert line.verdict == engine_answer(flow["health_person"], line.check_result)
    assert line.check_result["conditions"], "the verdict is explained condition by condition"
    assert dossier.due_date is not None and dossier.due_date > FIXED_TODAY
    assert "ngày làm việc" in dossier.due_basis

    dossier = _appraised_from_submitted(flow, dossier)
    assert dossier.state == DossierState.APPRAISED

    decision = services.dossiers_decide(
        actor=flow["chairman"],
        dossiers=[dossier],
        number="15/QĐ-UBND",
        date=FIXED_TODAY,
    )
    assert decision is not None
    dossier.refresh_from_db()
    line.refresh_from_db()
    assert dossier.state == DossierState.DECIDED
    assert dossier.decision == decision
    record = AwardRecord.objects.get(decision=decision)
    assert record.person == flow["health_person"]
    assert record.award_type.code == "BK_TINH"
    assert record.year == 2024
    # The bonus on the decision date: coefficient × base salary, rounded up (NĐ 152 Điều 49).
    assert record.bonus_amount and record.bonus_amount % 10000 == 0
    assert line.outcome == LineOutcome.APPROVED and line.award_record == record
    steps = list(DossierTransition.objects.filter(dossier=dossier).values_list("source", "target"))
    assert steps == [
        ("draft", "draft"),
        ("draft", "submitted"),
        ("submitted", "received"),
        ("received", "appraised"),
        ("appraised", "decided"),
    ]
    assert AuditLog.objects.filter(action="dossier_decided", actor=flow["chairman"]).exists()
    # The unit's staff hear of each step taken by someone else.
    assert Notification.objects.filter(user=flow["health_officer"], dossier=dossier).count() >= 4


def _decide(flow: dict[str, Any], dossier: Dossier, number: str) -> Any:
    return services.dossiers_decide(
        actor=flow["chairman"],
        dossiers=[dossier],
        number=number,
        date=FIXED_TODAY,
    )


def _appraised_from_submitted(flow: dict[str, Any], dossier: Dossier) -> Dossier:
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    for line in dossier.nominees.all():
        agrees = line.verdict == "eligible"
        services.nominee_review(
            actor=flow["specialist"],
            nominee=line,
            recommend=True,
            reason="" if agrees else "Đủ thành tích thực tế",
        )
    services.dossier_complete_appraisal(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def test_an_incomplete_dossier_cannot_be_submitted_and_says_what_is_missing(flow: dict[str, Any]) -> None:
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2024, title="Đề nghị khen"
    )
    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    assert "chưa có cá nhân" in str(exc.value)
    services.nominee_add(
        actor=flow["health_officer"],
        dossier=dossier,
        recipient=flow["health_person"],
        award_type=award("BK_TINH"),
    )
    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    assert "Tờ trình đề nghị khen thưởng" in str(exc.value)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    assert not DossierTransition.objects.filter(dossier=dossier, target="submitted").exists()


def test_only_the_unit_head_submits(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    with pytest.raises(PermissionDenied):
        services.dossier_submit(actor=flow["health_officer"], dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_submit(actor=flow["education_head"], dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_submit(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


def test_return_needs_a_reason_and_the_unit_amends_and_resubmits(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="lý do"):
        services.dossier_return(actor=flow["specialist"], dossier=dossier, reason="  ")
    services.dossier_return(actor=flow["specialist"], dossier=dossier, reason="Bổ sung biên bản bình xét")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED
    assert dossier.due_date is None
    entry = DossierTransition.objects.filter(dossier=dossier).last()
    assert (
        entry is not None
        and entry.comment == "Bổ sung biên bản bình xét"
        and entry.actor == flow["specialist"]
    )
    assert Notification.objects.filter(
        user=flow["health_officer"], text__contains="Bổ sung biên bản"
    ).exists()
    # The officer amends: an evidence file, then the head resubmits.
    services.attachment_add(
        actor=flow["health_officer"],
        dossier=dossier,
        component="bien_ban_binh_xet",
        upload=pdf_upload("bb.pdf"),
    )
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED


def test_a_submitted_dossier_cannot_be_edited(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="không sửa được"):
        services.nominee_add(
            actor=flow["health_officer"],
            dossier=dossier,
            recipient=flow["clinic_person"],
            award_type=award("GK"),
        )


def test_a_specialist_from_the_proposing_unit_may_not_appraise(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    with pytest.raises(PermissionDenied, match="xung đột lợi ích"):
        services.dossier_receive(actor=flow["conflicted_specialist"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED


def test_overriding_the_engine_needs_a_reason(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    line = dossier.nominees.get()
    against = line.verdict != "ineligible"
    with pytest.raises(ValidationError, match="lý do"):
        services.nominee_review(actor=flow["specialist"], nominee=line, recommend=not against)
    line = services.nominee_review(
        actor=flow["specialist"], nominee=line, recommend=not against, reason="Thành tích chưa tiêu biểu"
    )
    assert line.specialist_decision == "overridden"
    assert line.override_reason == "Thành tích chưa tiêu biểu"


def test_the_second_of_two_specialists_acting_at_once_is_told_and_nothing_is_lost(
    flow: dict[str, Any],
) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    first = Dossier.objects.get(pk=dossier.pk)
    second = Dossier.objects.get(pk=dossier.pk)
    services.dossier_receive(actor=flow["specialist"], dossier=first)
    with pytest.raises(ValidationError, match="vừa được người khác xử lý"):
        services.dossier_return(actor=flow["specialist"], dossier=second, reason="Thiếu hồ sơ")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECEIVED
    assert DossierTransition.objects.filter(dossier=dossier, target="received").count() == 1
    assert not DossierTransition.objects.filter(dossier=dossier, target="returned").exists()


def test_duplicates_across_dossiers_and_in_the_registry_are_flagged(flow: dict[str, Any]) -> None:
    person = flow["health_person"]
    first = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=first)
    # A second unit-level dossier proposes the same person for a provincial form for the same year.
    second = drafted(flow, "BK_TINH")
    make_award(person, "BK_TINH", 2024)
    services.dossier_submit(actor=flow["health_head"], dossier=second)
    line = second.nominees.get()
    codes = [f["code"] for f in line.flags]
    assert "other_dossier" in codes
    assert "already_awarded" in codes
    assert all(f["basis"].startswith("Luật Thi đua, khen thưởng 2022") for f in line.flags)
    assert person.full_name and any(first.code in f["text"] for f in line.flags)


def test_withdrawal_by_the_head_with_a_reason(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    with pytest.raises(ValidationError):
        services.dossier_withdraw(actor=flow["health_head"], dossier=dossier, reason="")
    services.dossier_withdraw(actor=flow["health_head"], dossier=dossier, reason="Đề nghị ở đợt sau")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.WITHDRAWN
    assert dossier.outcome_reason == "Đề nghị ở đợt sau"


def test_council_secret_ballot_thresholds_against_total_membership(flow: dict[str, Any]) -> None:
    person = flow["health_person"]
    dossier = drafted(flow, "CSTD_TINH", person=person)
    dossier = _appraised(flow, dossier)
    # CSTĐ tỉnh needs a ballot; the chairman cannot decide before the Council has voted.
    with pytest.raises(ValidationError, match="Hội đồng"):
        _decide(flow, dossier, "1/QĐ-UBND")
    session = services.council_session_create(
        actor=flow["specialist"],
        title="Phiên họp xét khen thưởng năm 2024",
        date=FIXED_TODAY,
        dossiers=[dossier],
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.COUNCIL
    assert session.total_members == 5
    members = flow["members"]
    for m in members[:4]:
        services.attendance_set(actor=flow["specialist"], session=session, member=m, present=True)
    services.attendance_set(
        actor=flow["specialist"], session=session, member=members[4], present=False, written_vote=True
    )
    line = dossier.nominees.get()
    # The member from Sở Y tế is the proposing unit's: no vote.
    with pytest.raises(PermissionDenied, match="xung đột"):
        services.ballot_cast(actor=members[3].user, session=session, nominee=line, agree=True)
    for m in (members[0], members[1], members[2], members[4]):
        services.ballot_cast(actor=m.user, session=session, nominee=line, agree=True)
    with pytest.raises(ValidationError, match="đã bỏ phiếu"):
        services.ballot_cast(actor=members[0].user, session=session, nominee=line, agree=False)
    # Secrecy: who voted is kept, what they chose is not.
    assert BallotCast.objects.filter(session=session).count() == 4
    assert not any(hasattr(c, "agree") for c in BallotCast.objects.all())
    tally = BallotTally.objects.get(session=session, nominee=line)
    assert (tally.agree, tally.disagree) == (4, 0)
    results = services.session_results(session)
    # 90% of a 5-member Council (NĐ 98/2023 Điều 30.7) is 5 votes, not 90% of those voting.
    assert results[0].required == 5 and not results[0].passed
    services.session_close(actor=flow["specialist"], session=session)
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.tally_enter(actor=flow["specialist"], session=session, nominee=line, agree=5, disagree=0)
    line.refresh_from_db()
    assert line.council_passed is False
    # Nothing passed: the decision is refused; the chairman records "not approved".
    with pytest.raises(ValidationError, match="Không có dòng nào"):
        _decide(flow, dossier, "2/QĐ-UBND")
    services.dossier_reject(actor=flow["chairman"], dossier=dossier, reason="Hội đồng không thông qua")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REJECTED


def test_session_without_quorum_cannot_close(flow: dict[str, Any]) -> None:
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp", date=FIXED_TODAY, dossiers=[dossier]
    )
    for m in flow["members"][:3]:
        services.attendance_set(actor=flow["specialist"], session=session, member=m, present=True)
    line = dossier.nominees.get()
    services.tally_enter(actor=flow["specialist"], session=session, nominee=line, agree=3, disagree=0)
    with pytest.raises(ValidationError, match="chưa đủ số thành viên"):
        services.session_close(actor=flow["specialist"], session=session)
    # Paper counts cannot exceed those present and those who wrote in.
    with pytest.raises(ValidationError, match="vượt"):
        services.tally_enter(actor=flow["specialist"], session=session, nominee=line, agree=4, disagree=0)
    assert Attendance.objects.filter(session=session, present=True).count() == 3


def test_state_awards_are_forwarded_and_the_central_answer_fills_the_registry(flow: dict[str, Any]) -> None:
    dossier = _appraised(flow, drafted(flow, "BK_TTG"))
    decision = _decide(flow, dossier, "3/QĐ-UBND")
    assert decision is None
    dossier.refresh_from_db()
    assert dossier.state == DossierState.FORWARDED
    line = dossier.nominees.get()
    assert line.outcome == LineOutcome.FORWARDED
    central = services.central_answer_record(
        actor=flow["specialist"],
        dossier=dossier,
        approved=[line],
        number="1234/QĐ-TTg",
        date=FIXED_TODAY,
        issuing_authority="Thủ tướng Chính phủ",
    )
    assert central is not None
    dossier.refresh_from_db()
    line.refresh_from_db()
    assert dossier.state == DossierState.DECIDED
    assert line.award_record is not None and line.award_record.decision == central


def test_revocation_keeps_the_record_marked_and_stops_it_counting(flow: dict[str, Any]) -> None:
    dossier = _appraised(flow, drafted(flow))
    _decide(flow, dossier, "4/QĐ-UBND")
    line = dossier.nominees.get()
    with pytest.raises(PermissionDenied):
        services.award_revoke(actor=flow["specialist"], nominee=line, reason="Khai man", basis="Điều 93")
    with pytest.raises(ValidationError, match="căn cứ"):
        services.award_revoke(actor=flow["chairman"], nominee=line, reason="Khai man thành tích", basis="")
    record = services.award_revoke(
        actor=flow["chairman"],
        nominee=line,
        reason="Khai man thành tích",
        basis="Luật Thi đua, khen thưởng 2022, Điều 93 khoản 1 điểm a",
    )
    assert AwardRecord.objects.filter(pk=record.pk).exists()
    record.refresh_from_db()
    assert record.is_revoked and record.revocation_reason == "Khai man thành tích"
    line.refresh_from_db()
    assert line.outcome == LineOutcome.REVOKED
    from thidua.appraisal.candidates import candidate_for_person

    codes = {(a.award, a.year) for a in candidate_for_person(flow["health_person"]).awards}
    assert ("BK_TINH", 2024) not in codes


def test_uploads_are_judged_by_content(flow: dict[str, Any]) -> None:
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="dot_xuat", year=2024, title="Khen đột xuất"
    )
    cases = [
        (SimpleUploadedFile("to-trinh.pdf", b"day khong phai PDF"), "không phải PDF"),
        (SimpleUploadedFile("anh.png", pdf_upload().read()), "không khớp"),
        (SimpleUploadedFile("rong.pdf", b""), "rỗng"),
        (SimpleUploadedFile("hong.pdf", b"%PDF-1.4 hong"), "hỏng"),
    ]
    for upload, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.attachment_add(
                actor=flow["health_officer"], dossier=dossier, component="to_trinh", upload=upload
            )
    assert not dossier.attachments.exists()


def test_an_oversized_upload_is_refused(flow: dict[str, Any], settings: Any) -> None:
    settings.THIDUA_ATTACHMENT_MAX_BYTES = 100
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="dot_xuat", year=2024, title="Khen đột xuất"
    )
    with pytest.raises(ValidationError, match="quá lớn"):
        services.attachment_add(
            actor=flow["health_officer"], dossier=dossier, component="to_trinh", upload=pdf_upload()
        )


def test_nominees_outside_the_unit_are_refused(flow: dict[str, Any]) -> None:
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2024, title="Đề nghị"
    )
    with pytest.raises(PermissionDenied):
        services.nominee_add(
            actor=flow["health_officer"],
            dossier=dossier,
            recipient=flow["education_person"],
            award_type=award("BK_TINH"),
        )
    other = make_person(flow["education"], "Hà Văn Sơn")
    assert not Nominee.objects.filter(person=other).exists()


def test_public_comment_window_opens_for_published_awards(flow: dict[str, Any]) -> None:
    dossier = drafted(flow, "HCLD3")
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    line = dossier.nominees.get()
    assert line.public_comment_until is not None and line.public_comment_until > FIXED_TODAY
    comment = services.public_comment_add(
        nominee=line,
        author_name="Nguyễn Thị Lan",
        contact="",
        text="Tôi xác nhận ông Đức rất tận tụy.",
        ip="1.2.3.4",
    )
    assert comment.ip_hash and "1.2.3.4" not in comment.ip_hash
    assert Notification.objects.filter(user=flow["specialist"], text__contains="ý kiến Nhân dân").exists()
    with pytest.raises(ValidationError, match=r"10 đến 4\.000"):
        services.public_comment_add(nominee=line, author_name="An", contact="", text="ngắn", ip="")


def test_attach_required_covers_every_component(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    attach_required(flow["health_officer"], dossier)
    from thidua.proposals.procedure import missing_items

    assert missing_items(dossier) == []


def test_email_goes_out_after_commit_when_a_mail_server_is_configured(
    flow: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    settings.EMAIL_HOST = "smtp.tinh.gov.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    flow["specialist"].email = "chuyenvien@tinh.gov.vn"
    flow["specialist"].save()
    dossier = drafted(flow)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    assert [m.to for m in mail.outbox] == [["chuyenvien@tinh.gov.vn"]]
    assert dossier.code in mail.outbox[0].body and "/ho-so/" in mail.outbox[0].body
    # Without a mail server only the in-app notification is written.
    settings.EMAIL_HOST = ""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(actor=flow["specialist"], dossier=Dossier.objects.get(pk=dossier.pk))
    assert mail.outbox == []
    assert Notification.objects.filter(user=flow["health_officer"], text__contains="tiếp nhận").exists()


def test_the_decision_marks_the_initiative_used_and_it_serves_only_once(
    flow: dict[str, Any], client_for: Any
) -> None:
    from django.urls import reverse

    from thidua.awards.services import initiative_create

    person = flow["health_person"]
    initiative = initiative_create(
        actor=None, title="Quy trình tiếp đón người bệnh một cửa", year=2024, scope="tinh", person=person
    )
    dossier = drafted(flow)
    line = dossier.nominees.get()
    client = client_for(flow["health_officer"])
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    assert "Quy trình tiếp đón người bệnh một cửa" in page
    client.post(
        reverse("proposals:nominee_initiatives", args=[dossier.pk, line.pk]), {"initiatives": [initiative.pk]}
    )
    assert list(line.initiatives.all()) == [initiative]
    dossier = _appraised(flow, dossier)
    _decide(flow, dossier, "7/QĐ-UBND")
    record = AwardRecord.objects.get(decision__number="7/QĐ-UBND")
    assert list(record.initiatives.all()) == [initiative]
    # A later dossier cannot rest on the same initiative again.
    second = drafted(flow, "CSTD_TINH")
    later = second.nominees.get()
    assert (
        "Quy trình tiếp đón" not in client.get(reverse("proposals:detail", args=[second.pk])).content.decode()
    )
    with pytest.raises(ValidationError, match="chỉ làm căn cứ một lần"):
        services.nominee_set_initiatives(
            actor=flow["health_officer"], nominee=later, initiatives=[initiative]
        )


COUNCIL_AND_DECISION_ROLES = [
    "health_officer",
    "health_head",
    "specialist",
    "conflicted_specialist",
    "council",
    "chairman",
    "admin",
]


@pytest.mark.parametrize("role", COUNCIL_AND_DECISION_ROLES)
def test_council_decision_and_revocation_steps_by_every_role(flow: dict[str, Any], role: str) -> None:
    """The steps after appraisal, each tried by every role: only its own role moves anything."""
    actor = flow[role]
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    attempts = {
        "council_session_create": (
            {"specialist", "conflicted_specialist"},
            lambda: services.council_session_create(
                actor=actor, title="Phiên họp", date=FIXED_TODAY, dossiers=[dossier]
            ),
        ),
    }
    allowed, attempt = attempts["council_session_create"]
    if role in allowed:
        session = attempt()
    else:
        with pytest.raises(PermissionDenied):
            attempt()
        assert not dossier.council_sessions.exists()
        session = services.council_session_create(
            actor=flow["specialist"], title="Phiên họp", date=FIXED_TODAY, dossiers=[dossier]
        )
    line = dossier.nominees.get()
    members = flow["members"]
    if role in ("specialist", "conflicted_specialist"):
        for m in members:
            services.attendance_set(actor=actor, session=session, member=m, present=True)
    else:
        with pytest.raises(PermissionDenied):
            services.attendance_set(actor=actor, session=session, member=members[1], present=True)
        assert not Attendance.objects.filter(session=session, present=True).exists()
        for m in members:
            services.attendance_set(actor=flow["specialist"], session=session, member=m, present=True)
    if role == "specialist":
        services.tally_enter(actor=actor, session=session, nominee=line, agree=5, disagree=0)
    else:
        # The secretary from the proposing unit may not count its nominees' ballots either.
        with pytest.raises(PermissionDenied):
            services.tally_enter(actor=actor, session=session, nominee=line, agree=5, disagree=0)
        assert not BallotTally.objects.filter(session=session).exists()
        services.tally_enter(actor=flow["specialist"], session=session, nominee=line, agree=5, disagree=0)
    for m in members:
        services.attendance_set(actor=flow["specialist"], session=session, member=m, present=True)
    if role in ("specialist", "conflicted_specialist", "chairman"):
        services.session_close(actor=actor, session=session)
    else:
        with pytest.raises(PermissionDenied):
            services.session_close(actor=actor, session=session)
        session.refresh_from_db()
        assert session.is_open
        services.session_close(actor=flow["specialist"], session=session)
    dossier.refresh_from_db()
    decide = lambda: services.dossiers_decide(  # noqa: E731
        actor=actor,
        dossiers=[dossier],
        number="9011/QĐ-UBND",
        date=FIXED_TODAY,
    )
    if role == "chairman":
        decide()
    else:
        with pytest.raises(PermissionDenied):
            decide()
        assert not AwardRecord.objects.filter(decision__number="9011/QĐ-UBND").exists()
        _decide(flow, dossier, "9011/QĐ-UBND")
    line.refresh_from_db()
    if role == "chairman":
        services.award_revoke(actor=actor, nominee=line, reason="Khai man", basis="Điều 93 khoản 1")
    else:
        with pytest.raises(PermissionDenied):
            services.award_revoke(actor=actor, nominee=line, reason="Khai man", basis="Điều 93 khoản 1")
        assert AwardRecord.objects.get(decision__number="9011/QĐ-UBND").revoked_on is None


def test_a_line_without_a_known_bonus_says_why_instead_of_paying_nothing_silently(
    flow: dict[str, Any],
) -> None:
    # Gia đình văn hóa: no amount in the rulebook of Nghị định 152/2025 (its Điều 50 lists none).
    from thidua.organisation.services import household_create

    family = household_create(actor=None, code="GD-01", head_name="Lò Văn Pọm", unit=flow["health"])
    dossier = _appraised(flow, drafted(flow, "GDVH", person=family))
    _decide(flow, dossier, "9021/QĐ-UBND")
    line = dossier.nominees.get()
    assert line.outcome == LineOutcome.APPROVED and line.bonus_amount is None
    assert line.bonus_note.startswith("Chưa tính được tiền thưởng") and "Gia đình văn hóa" in line.bonus_note
    bk = _appraised(flow, drafted(flow, "BK_TINH"))
    _decide(flow, bk, "9022/QĐ-UBND")
    paid = bk.nominees.get()
    assert paid.bonus_amount and "Nghị định" in paid.bonus_note


def test_a_sudden_dossier_asks_only_for_what_a_sudden_achievement_has(flow: dict[str, Any]) -> None:
    from thidua.proposals.procedure import missing_items

    sudden = drafted(flow, "BK_TINH", kind="dot_xuat")
    yearly = drafted(flow, "BK_TINH")
    assert missing_items(sudden) == [] and missing_items(yearly) == []
    sudden_files = set(sudden.attachments.values_list("component", flat=True))
    yearly_files = set(yearly.attachments.values_list("component", flat=True))
    # The fast path the directive asks for: no yearly review minutes, no task ratings.
    assert sudden_files == {"to_trinh", "bao_cao_dot_xuat"}
    assert "bien_ban_binh_xet" in yearly_files and "bien_ban_binh_xet" not in sudden_files


def test_a_state_award_is_revoked_by_recording_the_central_decision(flow: dict[str, Any]) -> None:
    dossier = _appraised(flow, drafted(flow, "BK_TTG"))
    _decide(flow, dossier, "9031/QĐ-UBND")
    dossier.refresh_from_db()
    line = dossier.nominees.get()
    services.central_answer_record(
        actor=flow["specialist"],
        dossier=dossier,
        approved=[line],
        number="9032/QĐ-TTg",
        date=FIXED_TODAY,
        issuing_authority="Thủ tướng Chính phủ",
    )
    line.refresh_from_db()
    with pytest.raises(PermissionDenied, match="cấp Nhà nước"):
        services.award_revoke(actor=flow["chairman"], nominee=line, reason="Khai man", basis="Điều 93")
    record = services.award_revoke(
        actor=flow["specialist"],
        nominee=line,
        reason="Khai man thành tích",
        basis="Quyết định số 12/QĐ-TTg hủy bỏ khen thưởng; Luật Thi đua, khen thưởng 2022, Điều 93",
    )
    assert record.is_revoked and "QĐ-TTg" in record.revocation_basis


def test_a_used_initiative_cannot_be_named_when_the_line_is_added_either(flow: dict[str, Any]) -> None:
    """Adding a line with its initiatives goes through the same check as setting them later."""
    from thidua.awards.services import initiative_create

    person = flow["health_person"]
    initiative = initiative_create(
        actor=None, title="Sổ tay điều dưỡng điện tử", year=2024, scope="tinh", person=person
    )
    first = drafted(flow)
    services.nominee_set_initiatives(
        actor=flow["health_officer"], nominee=first.nominees.get(), initiatives=[initiative]
    )
    _decide(flow, _appraised(flow, first), "9041/QĐ-UBND")
    second = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2024, title="Đề nghị khác"
    )
    with pytest.raises(ValidationError, match="chỉ làm căn cứ một lần"):
        services.nominee_add(
            actor=flow["health_officer"],
            dossier=second,
            recipient=person,
            award_type=award("CSTD_TINH"),
            initiatives=[initiative],
        )
    assert not second.nominees.exists()
