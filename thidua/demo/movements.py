"""Emulation movements in the demo province, launched and reported through the real services by the demo
users, so a first visit finds the first half of the cycle in motion:

- the province's regular movement of 2025 for Sở Y tế and the two communes with accounts, reviewed at
  mid-year and concluded: most quarters on time and accepted, one late, one returned and corrected, one
  never sent;
- the province's thematic movement "Chung sức xây dựng nông thôn mới" for 2026–2030 for every commune and
  ward (resolved at launch), whose 2026 quarters show an accepted report, one returned with its reason,
  one waiting for the Board, and the communes without an account as missing.

The services stamp each step with the moment it runs; the demo then dates the steps of past quarters to
when an office would have taken them (before or after the due date, as each case needs), so the late
and on-time flags read as they would in a real year. Only timestamps are changed, never a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.accounts.models import User
from thidua.demo import data as D
from thidua.demo.clock import date_last_step, moment
from thidua.movements import services
from thidua.movements.models import (
    Direction,
    Movement,
    MovementKind,
    MovementTransition,
    Period,
    ProgressReport,
    ReportTransition,
    ReviewKind,
    TargetMode,
)
from thidua.organisation.authorities import province_authority
from thidua.organisation.models import Unit

_HEALTH = "LC.SYT"
_COMMUNE_1, _COMMUNE_2 = D.WORKFLOW_COMMUNES

# Who reports for each unit with accounts: (officer, head).
_STAFF = {
    _HEALTH: ("canbo", "thutruong"),
    _COMMUNE_1: ("canboxa1", "chutichxa1"),
    _COMMUNE_2: ("canboxa2", "chutichxa2"),
}


def _date_last_step(report: ProgressReport, when: dt.datetime, *fields: str) -> None:
    date_last_step(report, ReportTransition, "report", when, *fields)


def _pdf(text: str) -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=f"<p>{text}</p>").write_pdf())


def _report(
    *,
    users: dict[str, User],
    movement: Movement,
    unit: Unit,
    period_end: dt.date,
    values: Sequence[Decimal],
    narrative: str,
    submitted: dt.date | None,
    evidence: bytes,
) -> ProgressReport:
    """The unit's report for the period, filled by its officer, submitted by its head on `submitted`
    (None: left as a draft)."""
    officer, head = (users[name] for name in _STAFF[unit.code])
    report = services.report_open(actor=officer, movement=movement, unit=unit, period_end=period_end)
    criteria = services.period_criteria(report)
    services.report_save(
        actor=officer,
        report=report,
        values={c.pk: (str(v), "") for c, v in zip(criteria, values, strict=True)},
        narrative=narrative,
    )
    for criterion in criteria:
        if criterion.evidence_required:
            upload = SimpleUploadedFile(
                f"minh-chung-{criterion.position}.pdf", evidence, content_type="application/pdf"
            )
            services.evidence_add(actor=officer, report=report, upload=upload, criterion=criterion)
    if submitted is not None:
        report = services.report_submit(actor=head, report=report)
        _date_last_step(report, moment(submitted), "first_submitted_at", "submitted_at")
    return ProgressReport.objects.get(pk=report.pk)


def _accept(board: User, report: ProgressReport, on: dt.date) -> None:
    services.report_accept(actor=board, report=report)
    _date_last_step(report, moment(on, 15), "reviewed_at")


def _return(board: User, report: ProgressReport, on: dt.date, reason: str) -> None:
    services.report_return(actor=board, report=report, reason=reason)
    _date_last_step(report, moment(on, 15), "reviewed_at")


def _launch(board: User, movement: Movement, on: dt.date, plan: bytes) -> Movement:
    upload = SimpleUploadedFile("ke-hoach-phat-dong.pdf", plan, content_type="application/pdf")
    services.document_add(actor=board, movement=movement, upload=upload)
    movement = services.movement_launch(actor=board, movement=movement)
    Movement.objects.filter(pk=movement.pk).update(launched_at=moment(on))
    MovementTransition.objects.filter(movement=movement).update(at=moment(on))
    return Movement.objects.get(pk=movement.pk)


def _regular_2025(board: User, users: dict[str, User], units: dict[str, Unit], pdf: bytes) -> Movement:
    authority = province_authority()
    assert authority is not None
    movement = services.movement_create(
        actor=board,
        authority=authority,
        title="Phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế – xã hội năm 2025",
        kind=MovementKind.REGULAR,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        description=(
            "Kế hoạch số 12/KH-UBND ngày 10/01/2025 của UBND tỉnh: mỗi cơ quan, địa phương báo cáo kết quả "
            "theo quý, chậm nhất 05 ngày làm việc sau khi hết quý."
        ),
        units=[units[_HEALTH], units[_COMMUNE_1], units[_COMMUNE_2]],
    )
    services.criterion_add(
        actor=board,
        movement=movement,
        name="Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
        unit_of_measure="%",
        target=98,
        direction=Direction.AT_LEAST,
        weight=2,
        period=Period.QUARTER,
        evidence_required="Báo cáo từ Hệ thống thông tin giải quyết thủ tục hành chính",
    )
    services.criterion_add(
        actor=board,
        movement=movement,
        name="Số sáng kiến, giải pháp được công nhận",
        unit_of_measure="sáng kiến",
        target=3,
        direction=Direction.AT_LEAST,
        weight=1,
        period=Period.QUARTER,
    )
    movement = _launch(board, movement, dt.date(2025, 1, 15), pdf)
    quarters = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]
    reports = {p.end: p for p in services.movement_periods(movement)}
    plan = {
        _HEALTH: [(Decimal("97.5"), Decimal(0)), (Decimal(98), Decimal(1)), (Decimal("98.6"), Decimal(2))],
        _COMMUNE_1: [(Decimal(96), Decimal(0)), (Decimal("97.2"), Decimal(0)), (Decimal(99), Decimal(1))],
        _COMMUNE_2: [(Decimal(95), Decimal(0)), (Decimal(96), Decimal(1)), (Decimal("97.4"), Decimal(1))],
    }
    for code, figures in plan.items():
        unit = units[code]
        for end, (share, ideas) in zip(quarters, figures, strict=False):
            due = reports[end].due
            # Bản Bo sends its second quarter a week late; the others two days before the due date.
            late = code == _COMMUNE_2 and end == quarters[1]
            sent = due + dt.timedelta(days=7) if late else due - dt.timedelta(days=2)
            report = _report(
                users=users,
                movement=movement,
                unit=unit,
                period_end=end,
                values=(share, ideas),
                narrative=f"Kết quả lũy kế đến hết {reports[end].label} của {unit.name}.",
                submitted=sent,
                evidence=pdf,
            )
            _accept(board, report, sent + dt.timedelta(days=3))
    # The last quarter: Sở Y tế on time and accepted, Bình Lư returned then corrected and accepted.
    end = quarters[3]
    due = reports[end].due
    report = _report(
        users=users,
        movement=movement,
        unit=units[_HEALTH],
        period_end=end,
        values=(Decimal(99), Decimal(3)),
        narrative="Cả năm: 99% hồ sơ đúng hạn; 03 sáng kiến cấp tỉnh được công nhận.",
        submitted=due - dt.timedelta(days=1),
        evidence=pdf,
    )
    _accept(board, report, due + dt.timedelta(days=2))
    report = _report(
        users=users,
        movement=movement,
        unit=units[_COMMUNE_1],
        period_end=end,
        values=(Decimal("99.1"), Decimal(2)),
        narrative="Cả năm: 99,1% hồ sơ đúng hạn; 02 sáng kiến.",
        submitted=due - dt.timedelta(days=3),
        evidence=pdf,
    )
    _return(
        board,
        report,
        due,
        "Số liệu hồ sơ đúng hạn chưa khớp báo cáo của Trung tâm Phục vụ hành chính công; "
        "đề nghị đối chiếu lại.",
    )
    report = ProgressReport.objects.get(pk=report.pk)
    officer, head = (users[name] for name in _STAFF[_COMMUNE_1])
    criteria = services.period_criteria(report)
    services.report_save(
        actor=officer,
        report=report,
        values={criteria[0].pk: ("98.7", "Đã đối chiếu"), criteria[1].pk: ("2", "")},
        narrative="Cả năm: 98,7% hồ sơ đúng hạn (đã đối chiếu); 02 sáng kiến.",
    )
    report = services.report_submit(actor=head, report=report)
    _date_last_step(report, moment(due + dt.timedelta(days=2)), "submitted_at")
    _accept(board, report, due + dt.timedelta(days=4))
    # Reviewed at mid-year and concluded in January, with the Board's assessment for the reports; Bản
    # Bo's last quarter stays missing.
    for kind, on, text in (
        (ReviewKind.MIDTERM, dt.date(2025, 7, 15), _MIDTERM_2025),
        (ReviewKind.FINAL, dt.date(2026, 1, 22), _FINAL_2025),
    ):
        movement = services.review_record(
            actor=board,
            movement=movement,
            kind=kind,
            held_on=on,
            place="Hội trường UBND tỉnh Lai Châu",
            chaired_by="Phó Chủ tịch UBND tỉnh, Chủ tịch Hội đồng Thi đua – Khen thưởng tỉnh",
            signer_title="Phó Chủ tịch",
            **text,
        ).movement
        last = (
            MovementTransition.objects.filter(movement=movement)
            .order_by("-pk")[:1]
            .values_list("pk", flat=True)
        )
        MovementTransition.objects.filter(pk__in=list(last)).update(at=moment(on))
    return Movement.objects.get(pk=movement.pk)


# The Board's assessment at the reviews of the 2025 movement: what the figures of the report cannot say.
_MIDTERM_2025 = {
    "situation": (
        "Sáu tháng đầu năm 2025, tỉnh tập trung sắp xếp tổ chức bộ máy và chuẩn bị vận hành chính quyền "
        "địa phương hai cấp từ ngày 01/7/2025; mưa lũ đầu mùa gây thiệt hại tại một số xã vùng cao."
    ),
    "strengths": (
        "Các cơ quan, địa phương ban hành kế hoạch hưởng ứng kịp thời; tỷ lệ hồ sơ thủ tục hành chính giải "
        "quyết đúng hạn duy trì trên 95%.\nBáo cáo quý I, quý II được gửi đầy đủ, phần lớn đúng hạn."
    ),
    "weaknesses": (
        "Số sáng kiến được công nhận còn ít so với chỉ tiêu; một số xã gửi báo cáo quý II chậm do cán bộ "
        "phụ trách thay đổi khi sắp xếp bộ máy."
    ),
    "lessons": "Phân công rõ người phụ trách báo cáo ở từng đơn vị; đôn đốc trước hạn báo cáo.",
    "directions": (
        "Đẩy mạnh phong trào sáng kiến, cải tiến trong các cơ quan; hoàn thành chỉ tiêu hồ sơ đúng hạn "
        "trên 98% đến cuối năm 2025."
    ),
    "recommendations": "Đề nghị Sở Nội vụ hướng dẫn các xã mới thành lập về chế độ báo cáo phong trào.",
}
_FINAL_2025 = {
    "situation": (
        "Năm 2025 là năm cuối thực hiện Kế hoạch phát triển kinh tế – xã hội 5 năm 2021–2025 và năm đầu "
        "vận hành chính quyền địa phương hai cấp; thời tiết cực đoan, sạt lở tại nhiều xã vùng cao."
    ),
    "strengths": (
        "Phong trào được triển khai sâu rộng; tỷ lệ hồ sơ thủ tục hành chính đúng hạn của các đơn vị đạt "
        "từ 97,4% trở lên; Sở Y tế có 03 sáng kiến cấp tỉnh được công nhận.\nCông tác theo dõi, báo cáo "
        "tiến độ thực hiện trên hệ thống, số liệu được tổng hợp kịp thời."
    ),
    "weaknesses": (
        "Chỉ tiêu sáng kiến của các xã chưa đạt; xã Bản Bo chưa gửi báo cáo quý IV. Nguyên nhân: đội ngũ "
        "công chức cấp xã mới sắp xếp, chưa quen quy trình báo cáo; kinh phí cho hoạt động sáng kiến hạn chế."
    ),
    "lessons": (
        "Tiêu chí thi đua phải cụ thể, định lượng, gắn với nhiệm vụ chính trị của đơn vị; người đứng đầu "
        "trực tiếp chỉ đạo và kiểm tra; khen thưởng kịp thời những tập thể, cá nhân tiêu biểu."
    ),
    "directions": (
        "Phát động phong trào thi đua năm 2026 ngay từ đầu năm; tiếp tục nâng tỷ lệ hồ sơ đúng hạn; hỗ trợ "
        "các xã đăng ký và thực hiện sáng kiến."
    ),
    "recommendations": (
        "Đề nghị UBND tỉnh tặng Bằng khen cho các tập thể, cá nhân có thành tích tiêu biểu trong phong trào "
        "năm 2025."
    ),
}


def _rural_2026(board: User, users: dict[str, User], units: dict[str, Unit], pdf: bytes) -> Movement:
    authority = province_authority()
    assert authority is not None
    movement = services.movement_create(
        actor=board,
        authority=authority,
        title="Phong trào thi đua “Lai Châu chung sức xây dựng nông thôn mới” giai đoạn 2026–2030",
        kind=MovementKind.THEMATIC,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2030, 12, 31),
        description=(
            "Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND tỉnh: các xã, phường báo cáo theo quý các chỉ "
            "tiêu xây dựng nông thôn mới, chậm nhất 05 ngày làm việc sau khi hết quý."
        ),
        target_mode=TargetMode.ALL_COMMUNES,
    )
    services.criterion_add(
        actor=board,
        movement=movement,
        name="Số tiêu chí nông thôn mới đạt chuẩn",
        unit_of_measure="tiêu chí",
        target=19,
        direction=Direction.AT_LEAST,
        weight=3,
        period=Period.QUARTER,
        evidence_required="Biên bản đánh giá mức độ đạt tiêu chí",
    )
    services.criterion_add(
        actor=board,
        movement=movement,
        name="Tỷ lệ hộ nghèo",
        unit_of_measure="%",
        target=5,
        direction=Direction.AT_MOST,
        weight=2,
        period=Period.QUARTER,
    )
    services.criterion_add(
        actor=board,
        movement=movement,
        name="Đường giao thông nông thôn được cứng hóa",
        unit_of_measure="km",
        target=12,
        direction=Direction.AT_LEAST,
        weight=1,
        period=Period.QUARTER,
    )
    movement = _launch(board, movement, dt.date(2026, 1, 20), pdf)
    # A mountain commune starts further away: its own target for the roads, set once the communes are
    # resolved at launch.
    criteria = list(movement.criteria.order_by("position"))
    services.unit_target_set(actor=board, criterion=criteria[2], unit=units[_COMMUNE_2], target=8)
    reports = {p.end: p for p in services.movement_periods(movement)}
    q1, q2, q3 = dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)
    today = timezone.localdate()
    # Bình Lư: Q1 and Q2 accepted, Q3 returned with the Board's reason (waiting for its correction).
    for end, figures in ((q1, (14, "6.8", 3)), (q2, (15, "6.1", 5))):
        report = _report(
            users=users,
            movement=movement,
            unit=units[_COMMUNE_1],
            period_end=end,
            values=[Decimal(v) for v in figures],
            narrative="Xã hoàn thiện hồ sơ các tiêu chí giao thông, thủy lợi; giảm hộ nghèo theo kế hoạch.",
            submitted=reports[end].due - dt.timedelta(days=1),
            evidence=pdf,
        )
        _accept(board, report, reports[end].due + dt.timedelta(days=2))
    if reports[q3].due < today:
        report = _report(
            users=users,
            movement=movement,
            unit=units[_COMMUNE_1],
            period_end=q3,
            values=[Decimal(16), Decimal("5.4"), Decimal(7)],
            narrative="Đạt thêm tiêu chí môi trường; cứng hóa thêm 2 km đường liên thôn.",
            submitted=reports[q3].due,
            evidence=pdf,
        )
        _return(
            board,
            report,
            reports[q3].due + dt.timedelta(days=3),
            "Biên bản đánh giá tiêu chí môi trường chưa có chữ ký của Ban Chỉ đạo xã; đề nghị bổ sung.",
        )
    # Bản Bo: Q1 sent late and accepted, Q2 never sent (missing), Q3 waiting for the Board.
    report = _report(
        users=users,
        movement=movement,
        unit=units[_COMMUNE_2],
        period_end=q1,
        values=[Decimal(11), Decimal("12.5"), Decimal(1)],
        narrative="Xã vùng cao, đang tập trung tiêu chí điện, đường.",
        submitted=reports[q1].due + dt.timedelta(days=9),
        evidence=pdf,
    )
    _accept(board, report, reports[q1].due + dt.timedelta(days=12))
    if reports[q3].due < today:
        _report(
            users=users,
            movement=movement,
            unit=units[_COMMUNE_2],
            period_end=q3,
            values=[Decimal(12), Decimal("11.2"), Decimal(3)],
            narrative="Hoàn thành tiêu chí điện nông thôn; hộ nghèo giảm 1,3 điểm phần trăm.",
            submitted=reports[q3].due - dt.timedelta(days=1),
            evidence=pdf,
        )
    return movement


def demo_movements() -> int:
    """Launch and report the demo's movements; returns how many were launched."""
    names = {"chuyenvien", *(name for pair in _STAFF.values() for name in pair)}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    units = {u.code: u for u in Unit.objects.filter(code__in=_STAFF)}
    board = users["chuyenvien"]
    pdf = _pdf("Kế hoạch phát động phong trào thi đua và minh chứng kèm theo (tài liệu mẫu).")
    launched = [_regular_2025(board, users, units, pdf), _rural_2026(board, users, units, pdf)]
    return len(launched)
