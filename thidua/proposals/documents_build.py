"""The official documents of the workflow built from the records: the decision with its attached list,
the appraisal report, the Council's minutes and ballot-count record, each as DOCX and PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from thidua.accounts.models import User
from thidua.awards.models import AwardRecord, Decision
from thidua.awards.selectors import decision_detail
from thidua.eligibility.engine import default_evaluator
from thidua.organisation.models import Authority, AuthorityLevel, Unit, UnitKind
from thidua.proposals import documents as docs
from thidua.proposals.models import Attendance, BallotTally, CouncilRole, CouncilSession, Dossier, Nominee

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
VERDICTS = {"eligible", "ineligible", "needs_review"}


def province_name() -> str:
    """The province's name as documents print it ("Lai Châu"): the setting, else the provincial layer's
    own name (a model layer has none), else the provincial committee unit."""
    configured = getattr(settings, "THIDUA_PROVINCE_NAME", "")
    if configured:
        return str(configured)
    layer = default_evaluator().library.province
    if layer is not None and layer.official_name:
        return layer.official_name
    root = (
        Unit.objects.filter(kind=UnitKind.PROVINCIAL_COMMITTEE, valid_to__isnull=True).order_by("pk").first()
    )
    if root is None:
        return ""
    name = root.name
    for prefix in ("Ủy ban nhân dân tỉnh ", "UBND tỉnh ", "Ủy ban nhân dân thành phố ", "UBND thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _respond(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def _recipient_detail(line: Nominee | AwardRecord) -> str:
    person = line.person
    if person is not None:
        return ", ".join(x for x in (person.position, person.unit.name if person.unit else "") if x)
    household = line.household
    if household is not None:
        return ", ".join(x for x in ("Hộ gia đình", household.village, household.unit.name) if x)
    return "Tập thể"


def _recipient_name(line: Nominee | AwardRecord) -> str:
    if line.person is not None:
        return line.person.full_name
    if line.household is not None:
        return f"Hộ ông (bà) {line.household.head_name}"
    unit = line.collective if isinstance(line, Nominee) else line.unit
    return unit.name if unit else ""


def _bases(day: dt.date, level: str = "province") -> list[str]:
    """Each legal basis whole, as the rulebook in force on the decision date cites it for an authority of
    `level`, then the province's own regulation in force that day; a model provincial layer cites none."""
    return [basis.text for basis in default_evaluator().library.decision_bases(day, level)]


@dataclass(frozen=True)
class _Issuer:
    """How a decision names its authority: the heading's two lines, the title above "QUYẾT ĐỊNH:", the
    signer's capacity, the proposing body and the place."""

    parent: str
    heading: str
    issuer: str
    head_title: str
    proposer: str
    level: str
    copies: str


def _issuer(decision: Decision, province: str) -> _Issuer:
    authority = (
        Authority.objects.filter(unit_id=decision.issuer_unit_id).select_related("unit").first()
        if decision.issuer_unit_id
        else None
    )
    if authority is None or authority.level == AuthorityLevel.PROVINCE:
        heading = (
            f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}" if province else decision.issuing_authority.upper()
        )
        issuer = (
            f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {province.upper()}"
            if province
            else decision.issuing_authority.upper()
        )
        return _Issuer("", heading, issuer, "Chủ tịch", "Giám đốc Sở Nội vụ", "province", "SNV")
    unit_name = authority.unit.name
    if authority.level in (AuthorityLevel.COMMUNE, AuthorityLevel.DISTRICT):
        heading = f"ỦY BAN NHÂN DÂN\n{unit_name.upper()}"
        issuer = f"{authority.head_title.upper()} ỦY BAN NHÂN DÂN {unit_name.upper()}"
        proposer = "công chức phụ trách công tác thi đua, khen thưởng"
    else:
        heading = unit_name.upper()
        issuer = f"{authority.head_title.upper()} {unit_name.upper()}"
        proposer = f"Hội đồng Thi đua – Khen thưởng {unit_name}"
    return _Issuer(
        authority.superior_name.upper(),
        heading,
        issuer,
        authority.head_title,
        proposer,
        authority.level,
        authority.abbreviation,
    )


# ---------------------------------------------------------------------------------------------------
# Decision


def decision_doc(decision: Decision) -> docs.DecisionDoc:
    province = province_name()
    records = list(
        decision.records.select_related(
            "award_type", "person", "person__unit", "unit", "household", "household__unit"
        ).order_by("award_type__order", "id")
    )
    awards = sorted({r.award_type.name for r in records})
    total = sum(r.bonus_amount or 0 for r in records)
    subject = "Về việc tặng " + ", ".join(awards) if awards else decision.summary
    dossiers = list(Dossier.objects.filter(decision=decision).select_related("unit"))
    who = _issuer(decision, province)
    proposals = "; ".join(
        f"{d.unit.name}" + (f" tại Tờ trình số {d.proposal_number}" if d.proposal_number else "")
        for d in dossiers
        if d.unit_id != decision.issuer_unit_id
    )
    head = who.head_title
    signed_as_head = (decision.signer_title or head).lower() == head.lower()
    lines = [
        docs.Line(
            position=i,
            name=_recipient_name(r),
            detail=_recipient_detail(r),
            award=r.award_type.name,
            achievement=r.reason,
            bonus_amount=r.bonus_amount,
        )
        for i, r in enumerate(records, start=1)
    ]
    return docs.DecisionDoc(
        header=docs.Header(
            authority_parent=who.parent,
            authority=who.heading,
            number=decision.number,
            place=province or "",
            date=decision.date,
        ),
        subject=subject,
        issuer=who.issuer,
        bases=_bases(decision.date, who.level),
        proposal=f"Theo đề nghị của {proposals} và của {who.proposer}"
        if proposals
        else f"Theo đề nghị của {who.proposer}",
        articles=[
            f"Tặng {', '.join(awards)} cho {len(records)} cá nhân, tập thể, hộ gia đình "
            "có tên trong danh sách kèm theo, "
            "đã có thành tích xuất sắc.",
            f"Tiền thưởng kèm theo tổng cộng {docs.format_money(total)} đồng, "
            f"chi từ Quỹ thi đua, khen thưởng của {'tỉnh' if who.level == 'province' else 'đơn vị'} "
            "theo quy định hiện hành."
            if total
            else "Khen thưởng không kèm tiền thưởng.",
            "Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
            "Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan "
            "và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này."
            if who.level == "province"
            else "Quyết định có hiệu lực kể từ ngày ký. Thủ trưởng các bộ phận, đơn vị có liên quan "
            "và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ],
        recipients_of_copies=["Như Điều 3", f"Lưu: VT, {who.copies}"],
        signer=docs.Signer(name=decision.signer_name, title=decision.signer_title or head),
        signer_capacity="" if signed_as_head else f"KT. {head.upper()}",
        lines=lines,
        issued_by=f"của Chủ tịch Ủy ban nhân dân tỉnh {province}"
        if who.level == "province" and province
        else f"của {head} {decision.issuing_authority}",
    )


def decision_response(user: User, pk: int, fmt: str) -> HttpResponseBase:
    _check_format(fmt)
    detail = decision_detail(user=user, decision_id=pk) if user.has_perm("awards.view_decision") else None
    # The document lists every line of the decision, so whoever's page hides some of them (another
    # unit's people, units, amounts) gets no document at all, as a decision outside the scope.
    if detail is None or detail.hidden_count:
        raise Http404
    decision = detail.decision
    if not detail.generated:
        # Not issued here (an imported decision of the President, the Prime Minister, a ministry, or one
        # typed in): never print it under the province's heading; show the record as stored.
        return redirect("awards:decision_detail", decision.pk)
    doc = decision_doc(decision)
    data = docs.decision_docx(doc) if fmt == "docx" else docs.decision_pdf(doc)
    return _respond(data, f"quyet-dinh-{decision.pk}", fmt)


# ---------------------------------------------------------------------------------------------------
# Appraisal report


def _specialist_signer(dossier: Dossier) -> docs.Signer:
    reviewer = (
        User.objects.filter(pk__in=dossier.nominees.exclude(appraised_by=None).values("appraised_by"))
        .order_by("pk")
        .first()
    )
    return docs.Signer(name=str(reviewer) if reviewer else "", title="Chuyên viên Phòng Thi đua, khen thưởng")


def appraisal_report_doc(dossier: Dossier) -> docs.AppraisalReportDoc:
    province = province_name()
    lines = list(
        dossier.nominees.filter(is_active=True)
        .select_related("award_type", "person", "person__unit", "collective", "household", "household__unit")
        .order_by("position", "id")
    )
    nominees = [
        docs.AppraisedNominee(
            position=i,
            name=_recipient_name(n),
            detail=_recipient_detail(n),
            award=n.award_type.name,
            verdict=n.verdict if n.verdict in VERDICTS else "needs_review",
            conditions=[
                docs.Condition(text=c.get("text", ""), basis=c.get("basis", ""), met=c.get("met"))
                for c in n.check_result.get("conditions", [])
            ],
            flags=[f.get("text", "") for f in n.flags],
            recommend=n.recommend,
            override_reason=n.override_reason,
        )
        for i, n in enumerate(lines, start=1)
    ]
    received = dossier.received_at or dossier.submitted_at or timezone.now()
    return docs.AppraisalReportDoc(
        header=docs.Header(
            authority_parent=f"UBND TỈNH {province.upper()}" if province else "",
            authority="SỞ NỘI VỤ",
            number="",
            place=province,
            date=timezone.localdate(),
        ),
        subject=f"Kết quả thẩm định hồ sơ đề nghị khen thưởng {dossier.code}",
        dossier_code=dossier.code,
        unit=dossier.unit.name,
        received_on=timezone.localtime(received).date(),
        nominees=nominees,
        signer=_specialist_signer(dossier),
        dossier_title=dossier.title,
        proposal_number=dossier.proposal_number,
        addressee="Hội đồng Thi đua – Khen thưởng tỉnh",
        recipients_of_copies=["Như trên", "Lưu: VT, TĐKT"],
    )


def appraisal_report_response(dossier: Dossier, fmt: str) -> HttpResponse:
    _check_format(fmt)
    doc = appraisal_report_doc(dossier)
    data = docs.appraisal_report_docx(doc) if fmt == "docx" else docs.appraisal_report_pdf(doc)
    return _respond(data, f"bao-cao-tham-dinh-{dossier.code}", fmt)


# ---------------------------------------------------------------------------------------------------
# Council minutes and ballot count


def _vote_results(session: CouncilSession) -> list[docs.VoteResult]:
    from thidua.proposals.services import session_results

    return [
        docs.VoteResult(
            position=i,
            name=_recipient_name(r.nominee),
            detail=_recipient_detail(r.nominee),
            award=r.nominee.award_type.name,
            agree=r.agree,
            disagree=r.disagree,
            invalid=r.invalid,
            threshold=f"cần {r.required}/{session.total_members} phiếu đồng ý – {r.threshold_text}",
            passed=r.passed,
        )
        for i, r in enumerate(session_results(session), start=1)
    ]


def _council_header(session: CouncilSession) -> docs.Header:
    province = province_name()
    return docs.Header(
        authority_parent=f"UBND TỈNH {province.upper()}" if province else "",
        authority="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
        number="",
        place=province,
        date=session.date,
    )


def _member_signer(attendance: list[Attendance], role: str, fallback: str) -> docs.Signer:
    row = next((a for a in attendance if a.member.role == role), None)
    if row is None:
        return docs.Signer(name="", title=fallback)
    return docs.Signer(name=str(row.member.user), title=row.member.get_role_display())


def minutes_doc(session: CouncilSession) -> docs.MinutesDoc:
    from thidua.proposals.services import session_quorum

    attendance = list(
        Attendance.objects.filter(session=session)
        .select_related("member", "member__user")
        .order_by("member__role", "id")
    )
    quorum = session_quorum(session)
    opened = timezone.localtime(session.created_at).time()
    closed = timezone.localtime(session.closed_at).time() if session.closed_at else opened
    return docs.MinutesDoc(
        header=_council_header(session),
        session_title=session.title,
        date=session.date,
        opened_at=opened,
        closed_at=closed,
        place=session.location or "",
        chair=_member_signer(attendance, CouncilRole.CHAIR, "Chủ tịch Hội đồng"),
        secretary=_member_signer(attendance, CouncilRole.SECRETARY, "Thư ký Hội đồng"),
        total_members=session.total_members,
        present=[str(a.member.user) for a in attendance if a.present],
        absent_with_opinion=[str(a.member.user) for a in attendance if not a.present and a.written_vote],
        absent_without_opinion=[
            str(a.member.user) for a in attendance if not a.present and not a.written_vote
        ],
        quorum_rule=f"{quorum.text} (căn cứ {quorum.basis})" if quorum.basis else quorum.text,
        quorum_met=quorum.met,
        dossiers=[f"{d.code} – {d.title} ({d.unit.name})" for d in session.dossiers.select_related("unit")],
        results=_vote_results(session),
        notes=[] if not session.is_open else ["Phiên họp chưa kết thúc; kết quả chưa khóa."],
    )


def ballot_count_doc(session: CouncilSession) -> docs.BallotCountDoc:
    attendance = list(Attendance.objects.filter(session=session).select_related("member", "member__user"))
    voters = sum(1 for a in attendance if a.present or a.written_vote)
    invalid = max((t.invalid for t in BallotTally.objects.filter(session=session)), default=0)
    return docs.BallotCountDoc(
        header=_council_header(session),
        session_title=session.title,
        date=session.date,
        place=session.location or "",
        counters=[_member_signer(attendance, CouncilRole.SECRETARY, "Thư ký Hội đồng")],
        total_members=session.total_members,
        ballots_issued=voters,
        ballots_received=voters,
        ballots_valid=voters - invalid,
        ballots_invalid=invalid,
        results=_vote_results(session),
    )


def session_response(session: CouncilSession, which: str, fmt: str) -> HttpResponse:
    _check_format(fmt)
    # Both documents carry the counts, which no one sees before the session closes.
    if session.is_open:
        raise Http404
    if which == "bien-ban":
        minutes = minutes_doc(session)
        data = docs.minutes_docx(minutes) if fmt == "docx" else docs.minutes_pdf(minutes)
    elif which == "kiem-phieu":
        count = ballot_count_doc(session)
        data = docs.ballot_count_docx(count) if fmt == "docx" else docs.ballot_count_pdf(count)
    else:
        raise Http404
    return _respond(data, f"{which}-phien-hop-{session.pk}", fmt)
