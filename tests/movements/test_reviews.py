"""Sơ kết and tổng kết (issue 10, item 3): a review record with its date and the Board's assessment takes
the movement's step; its report (DOCX, PDF, Decree 30 layout) holds the movement page's figures, from
accepted reports only, and the awards proposed; the review and its report follow the movement's scope."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tests.movements.conftest import Q1, Q2, Q3, drafted, on, report
from tests.proposals.conftest import attach_required, docx_text, pdf_text
from tests.proposals.test_api import Api
from thidua.awards.models import AwardType
from thidua.core.models import AuditLog
from thidua.movements import reviews, selectors, services
from thidua.movements.models import (
    MovementReview,
    MovementTransition,
    ProgressReport,
    ReportValue,
    ReviewKind,
)
from thidua.movements.workflow import MovementState, ReportState
from thidua.proposals import services as dossier_services

pytestmark = pytest.mark.django_db

LAUNCH_DAY = dt.date(2026, 3, 2)


def launched_in_march(w: dict[str, Any], units: list[Any] | None = None) -> Any:
    """The conftest's movement, launched on 02/3/2026 (so a review can be dated after it)."""
    with on(LAUNCH_DAY):
        movement = drafted(w, units=units)
        return services.movement_launch(actor=w["specialist"], movement=movement)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------------------------------------------
# The step


def test_a_sơ_kết_then_a_tổng_kết_move_the_movement_through_its_log(world: dict[str, Any]) -> None:
    movement = launched_in_march(world)
    midterm = services.review_record(
        actor=world["specialist"],
        movement=movement,
        kind=ReviewKind.MIDTERM,
        held_on=dt.date(2026, 7, 15),
        place="Hội trường UBND tỉnh",
        strengths="Các đơn vị báo cáo đầy đủ.",
    )
    movement.refresh_from_db()
    assert movement.state == MovementState.MIDTERM_REVIEWED
    assert (midterm.place, midterm.strengths, midterm.created_by) == (
        "Hội trường UBND tỉnh",
        "Các đơn vị báo cáo đầy đủ.",
        world["specialist"],
    )
    final = services.review_record(
        actor=world["specialist"], movement=movement, kind=ReviewKind.FINAL, held_on=dt.date(2026, 12, 4)
    )
    movement.refresh_from_db()
    assert movement.state == MovementState.CONCLUDED
    log = list(
        MovementTransition.objects.filter(movement=movement).values_list("source", "target", "comment")
    )
    assert log[-2:] == [
        ("launched", "midterm_reviewed", "Sơ kết ngày 15/07/2026."),
        ("midterm_reviewed", "concluded", "Tổng kết ngày 04/12/2026."),
    ]
    audited = set(
        AuditLog.objects.filter(target_type="movements.movementreview").values_list("action", "target_id")
    )
    assert audited == {("movement_review_midterm", str(midterm.pk)), ("movement_review_final", str(final.pk))}


def test_the_step_taken_without_the_form_records_a_review_held_today(world: dict[str, Any]) -> None:
    """The older step (its page button, any caller of movement_step) goes through the same service."""
    movement = launched_in_march(world)
    movement = services.movement_step(
        actor=world["specialist"], movement=movement, action="conclude", text="Hội nghị"
    )
    assert movement.state == MovementState.CONCLUDED
    review = MovementReview.objects.get(movement=movement)
    assert (review.kind, review.held_on) == (ReviewKind.FINAL, dt.date(2026, 12, 7))
    assert movement.transitions.last().comment == "Tổng kết ngày 07/12/2026. Hội nghị"  # type: ignore[union-attr]


def test_a_movement_has_at_most_one_review_of_each_kind(world: dict[str, Any]) -> None:
    movement = launched_in_march(world)
    specialist = world["specialist"]
    services.review_record(
        actor=specialist, movement=movement, kind=ReviewKind.MIDTERM, held_on=dt.date(2026, 7, 1)
    )
    movement.refresh_from_db()
    with pytest.raises(ValidationError) as again:
        services.review_record(
            actor=specialist, movement=movement, kind=ReviewKind.MIDTERM, held_on=dt.date(2026, 8, 1)
        )
    assert (again.value.code, again.value.messages) == (
        "state_not_allowed",
        ["Không thể ghi sơ kết khi phong trào đang ở trạng thái “Đã sơ kết”."],
    )
    services.review_record(
        actor=specialist, movement=movement, kind=ReviewKind.FINAL, held_on=dt.date(2026, 12, 1)
    )
    movement.refresh_from_db()
    for kind in (ReviewKind.MIDTERM, ReviewKind.FINAL):
        with pytest.raises(ValidationError) as closed:
            services.review_record(
                actor=specialist, movement=movement, kind=kind, held_on=dt.date(2026, 12, 2)
            )
        assert closed.value.code == "state_not_allowed"
    assert MovementReview.objects.filter(movement=movement).count() == 2
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        MovementReview.objects.create(
            movement=movement, kind=ReviewKind.FINAL, held_on=dt.date(2026, 12, 3), created_by=specialist
        )


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ("", "Cần nhập ngày sơ kết hợp lệ"),
        ("31/02/2026", "Cần nhập ngày sơ kết hợp lệ"),
        ("2026-02-27", "Ngày sơ kết không được trước ngày phát động phong trào (02/03/2026)."),
        ("2026-12-08", "Ngày sơ kết không được sau ngày hôm nay."),
    ],
)
def test_a_bad_date_is_refused_in_vietnamese_and_nothing_is_saved(
    world: dict[str, Any], client_for: Any, held_on: str, message: str
) -> None:
    movement = launched_in_march(world)
    transitions = MovementTransition.objects.count()
    client = client_for(world["specialist"])
    url = reverse("movements:review_create", args=[movement.pk, "so-ket"])
    response = client.post(url, {"held_on": held_on, "strengths": "Tốt"})
    assert response.status_code == 200
    assert any(message in m for m in _messages(response))
    # The form keeps what was typed.
    assert "Tốt</textarea>" in response.text
    movement.refresh_from_db()
    assert movement.state == MovementState.LAUNCHED
    assert not MovementReview.objects.exists()
    assert MovementTransition.objects.count() == transitions


def test_a_tổng_kết_before_the_sơ_kết_is_refused(world: dict[str, Any]) -> None:
    movement = launched_in_march(world)
    services.review_record(
        actor=world["specialist"], movement=movement, kind=ReviewKind.MIDTERM, held_on=dt.date(2026, 7, 15)
    )
    movement.refresh_from_db()
    with pytest.raises(ValidationError, match=r"Ngày tổng kết không được trước ngày sơ kết \(15/07/2026\)"):
        services.review_record(
            actor=world["specialist"], movement=movement, kind=ReviewKind.FINAL, held_on=dt.date(2026, 7, 1)
        )
    movement.refresh_from_db()
    assert movement.state == MovementState.MIDTERM_REVIEWED


def test_the_form_records_the_review_and_the_assessment_can_be_written_afterwards(
    world: dict[str, Any], client_for: Any
) -> None:
    movement = launched_in_march(world)
    client = client_for(world["specialist"])
    detail = client.get(reverse("movements:detail", args=[movement.pk])).text
    create = reverse("movements:review_create", args=[movement.pk, "so-ket"])
    # The step's button leads to the form.
    assert f'href="{create}"' in detail
    response = client.post(create, {"held_on": "15/07/2026", "place": "Lai Châu"}, follow=True)
    review = MovementReview.objects.get(movement=movement)
    assert response.redirect_chain[-1][0] == reverse("movements:review", args=[movement.pk, review.pk])
    assert "Đã ghi sơ kết phong trào." in _messages(response)
    edit = reverse("movements:review_edit", args=[movement.pk, review.pk])
    client.post(edit, {"held_on": "2026-07-16", "lessons": "Bám sát cơ sở."})
    review.refresh_from_db()
    assert (review.held_on, review.lessons, review.place) == (dt.date(2026, 7, 16), "Bám sát cơ sở.", "")
    movement.refresh_from_db()
    assert movement.state == MovementState.MIDTERM_REVIEWED
    assert movement.transitions.filter(target=MovementState.MIDTERM_REVIEWED).count() == 1
    # The movement page links its reviews.
    assert (
        reverse("movements:review", args=[movement.pk, review.pk])
        in client.get(reverse("movements:detail", args=[movement.pk])).text
    )


# ---------------------------------------------------------------------------------------------------
# Scope


def test_the_review_follows_the_movement_scope_and_its_report_is_the_authoritys(
    world: dict[str, Any], client: Client
) -> None:
    """Sở Y tế and Bình Lư are the targets; Bản Bo, a commune the movement is not for, sees nothing. The
    report covers every unit and every dossier: the launching authority's (and province-wide accounts')."""
    movement = launched_in_march(world, units=[world["health"], world["xa1"]])
    review = services.review_record(
        actor=world["specialist"], movement=movement, kind=ReviewKind.MIDTERM, held_on=dt.date(2026, 7, 15)
    )
    page = reverse("movements:review", args=[movement.pk, review.pk])
    files = [
        reverse("movements:review_document", args=[movement.pk, review.pk, fmt]) for fmt in ("docx", "pdf")
    ]
    edit = reverse("movements:review_edit", args=[movement.pk, review.pk])
    create = reverse("movements:review_create", args=[movement.pk, "tong-ket"])

    def codes(user: Any) -> list[int]:
        client.force_login(user)
        return [client.get(url).status_code for url in (page, *files, edit, create)]

    assert codes(world["xa2_officer"]) == [404, 404, 404, 404, 404]
    assert codes(world["xa2_head"]) == [404, 404, 404, 404, 404]
    assert codes(world["education_officer"]) == [404, 404, 404, 404, 404]
    # A target unit's staff see the review, not the whole movement's report, and do not write it.
    assert codes(world["xa1_officer"]) == [200, 404, 404, 404, 404]
    assert codes(world["health_head"]) == [200, 404, 404, 404, 404]
    assert codes(world["specialist"]) == [200, 200, 200, 200, 200]
    # A Council member of the province sees the report, does not write the review.
    assert codes(world["council"]) == [200, 200, 200, 404, 404]
    # A review of another movement is not reached through this one's address.
    other = launched_in_march(world)
    assert client.get(reverse("movements:review", args=[other.pk, review.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# The report's figures


@pytest.fixture
def reported(world: dict[str, Any]) -> dict[str, Any]:
    """Q1: Sở Y tế sends on 03/4 (on time), Bình Lư on 20/4 (after the due date 07/4), both accepted.
    Q2: Sở Y tế's report is returned, Bình Lư's waits for the Board. Bản Bo never reports."""
    movement = launched_in_march(world)
    h = world["health"]
    with on(dt.date(2026, 4, 3)):
        services.report_accept(
            actor=world["specialist"], report=report(world, movement, h, Q1, {"c_classes": 3, "c_poor": 6})
        )
    with on(dt.date(2026, 4, 20)):
        services.report_accept(
            actor=world["specialist"],
            report=report(world, movement, world["xa1"], Q1, {"c_classes": 4, "c_poor": 4}),
        )
    with on(dt.date(2026, 7, 2)):
        services.report_return(
            actor=world["specialist"],
            report=report(world, movement, h, Q2, {"c_classes": 9, "c_poor": 1}),
            reason="Thiếu danh sách lớp",
        )
        report(world, movement, world["xa1"], Q2, {"c_classes": 12, "c_poor": 0})
    review = services.review_record(
        actor=world["specialist"],
        movement=movement,
        kind=ReviewKind.MIDTERM,
        held_on=dt.date(2026, 7, 15),
        situation="Năm 2026 nhiều thiên tai.",
        strengths="Sở Y tế tổ chức tốt các lớp tập huấn.",
        weaknesses="Một xã chưa báo cáo.",
    )
    return {**world, "movement": movement, "review": review}


def _independent(world: dict[str, Any], movement: Any) -> dict[str, Any]:
    """The figures worked out here from the accepted reports' values alone (the latest accepted period of
    each unit and criterion), with the rules of docs/movements.md, not through progress.py."""
    latest: dict[tuple[int, int], tuple[dt.date, Decimal]] = {}
    for v in ReportValue.objects.filter(
        report__movement=movement, report__state=ReportState.ACCEPTED
    ).select_related("report"):
        key = (v.report.unit_id, v.criterion_id)
        if key not in latest or latest[key][0] < v.report.period_end:
            latest[key] = (v.report.period_end, v.value)
    units = [world["health"], world["xa1"], world["xa2"]]
    criteria = [world["c_classes"], world["c_poor"], world["c_initiatives"]]
    share: dict[tuple[int, int], float] = {}
    for u in units:
        for c in criteria:
            found = latest.get((u.pk, c.pk))
            value, target = (float(found[1]) if found else None), float(c.target)
            if value is None:
                share[(u.pk, c.pk)] = 0.0
            elif c.direction == "at_most":
                share[(u.pk, c.pk)] = 1.0 if value <= target else target / value
            else:
                share[(u.pk, c.pk)] = min(value / target, 1.0)
    weights = {c.pk: float(c.weight) for c in criteria}
    overall = {
        u.pk: sum(weights[c.pk] * share[(u.pk, c.pk)] for c in criteria) / sum(weights.values())
        for u in units
    }
    return {
        "criteria": {c.pk: sum(share[(u.pk, c.pk)] for u in units) / len(units) for c in criteria},
        "reached": {c.pk: sum(share[(u.pk, c.pk)] == 1.0 for u in units) for c in criteria},
        "overall": sum(overall.values()) / len(units),
    }


def test_the_figures_come_from_accepted_reports_only_and_equal_the_movement_page(
    reported: dict[str, Any],
) -> None:
    w, movement = reported, reported["movement"]
    figures = reviews.review_figures(movement)
    expected = _independent(w, movement)
    # By hand: classes (at least 4, weight 2): Sở Y tế 3/4, Bình Lư 4/4, Bản Bo 0; poor households (at
    # most 5 %): 5/6, 1, 0; initiatives: none accepted. The returned 9 classes and the waiting 12 count
    # for nothing.
    assert expected["criteria"][w["c_classes"].pk] == pytest.approx((0.75 + 1 + 0) / 3)
    assert expected["criteria"][w["c_poor"].pk] == pytest.approx((5 / 6 + 1 + 0) / 3)
    assert expected["overall"] == pytest.approx(((2 * 0.75 + 5 / 6) / 4 + 3 / 4 + 0) / 3)
    by_id = {row.criterion.pk: row for row in figures.criteria}
    for cid, average in expected["criteria"].items():
        assert float(by_id[cid].average) == pytest.approx(average)
        assert by_id[cid].reached == expected["reached"][cid]
    assert float(figures.overall) == pytest.approx(expected["overall"])
    assert [r.reached for r in figures.criteria] == [1, 1, 0]
    # The movement page, as the Board sees it, shows the same figures.
    page = selectors.movement_page(user=w["specialist"], pk=movement.pk)
    assert [r.average for r in page.criteria] == [r.average for r in figures.criteria]
    assert page.overall == figures.overall
    # Reports: Q1 to Q3 are due (Q4 not yet on 07/12/2026): Sở Y tế's Q1 and Q2 and Bình Lư's Q2 on time
    # (a report returned still went on time); Bình Lư's Q1 late; Bản Bo's three quarters and the others'
    # Q3 missing. The page's flags count the same.
    t = figures.timeliness
    assert (t.on_time, t.late, t.missing, t.accepted) == (3, 1, 5, 2)
    assert (t.late, t.missing) == (sum(r.late for r in page.units), sum(r.missing for r in page.units))
    assert t.late_units == ["Xã Bình Lư"]
    assert sorted(t.missing_units) == sorted(["Sở Y tế", "Xã Bình Lư", "Xã Bản Bo"])


def test_the_docx_report_follows_the_outline_with_the_figures(
    reported: dict[str, Any], client_for: Any
) -> None:
    from docx import Document

    w, movement, review = reported, reported["movement"], reported["review"]
    response = client_for(w["specialist"]).get(
        reverse("movements:review_document", args=[movement.pk, review.pk, "docx"])
    )
    assert response.status_code == 200
    assert 'filename="bao-cao-so-ket-' in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Công tác chỉ đạo, tổ chức triển khai",
        "2. Kết quả thực hiện các tiêu chí",
        "3. Công tác khen thưởng",
        "III. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Hạn chế, nguyên nhân",
        "IV. BÀI HỌC KINH NGHIỆM",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ TRONG THỜI GIAN CÒN LẠI CỦA PHONG TRÀO",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    positions = [paragraphs.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "BÁO CÁO" in paragraphs
    assert "Sơ kết phong trào thi đua chung tay vì người nghèo năm 2026" in paragraphs
    text = "\n".join(paragraphs)
    assert f"phát động phong trào “{movement.title}”" in text
    assert "Lai Châu, ngày 15 tháng 7 năm 2026" in "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    # Signed for the People's Committee by its chairman unless the review names a deputy.
    assert [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text.strip()][:2] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]
    # The Board's words where it wrote them; a dotted line where it did not.
    assert "Sở Y tế tổ chức tốt các lớp tập huấn." in paragraphs
    assert paragraphs[paragraphs.index("IV. BÀI HỌC KINH NGHIỆM") + 1].startswith("……")
    # The criteria table: one row a criterion, the figures as the page computes them.
    figures = reviews.figures_of(review)
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Tiêu chí")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == [
        [
            str(i),
            r.criterion.name,
            r.criterion.unit_of_measure,
            ("≤ " if r.criterion.direction == "at_most" else "≥ ")
            + f"{r.criterion.target:f}".rstrip("0").rstrip("."),
            f"{float(r.average) * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%",
            f"{r.reached}/3",
        ]
        for i, r in enumerate(figures.criteria, start=1)
    ]
    assert rows[0][4] == "58,3%"  # (0.75 + 1 + 0) / 3
    # As of the sơ kết (15/7): Bình Lư's Q1 late; Bản Bo's Q1 and Q2 missing; Q3 not yet due.
    assert "01 lượt trễ hạn, 02 lượt quá hạn chưa báo cáo" in text


def test_a_reviews_report_stands_at_the_reviews_day(reported: dict[str, Any]) -> None:
    """A report accepted, or sent, after the sơ kết is not in the sơ kết's report downloaded later; the
    movement page, and a report of today, have it."""
    w, movement, review = reported, reported["movement"], reported["review"]
    waiting = ProgressReport.objects.get(movement=movement, unit=w["xa1"], period_end=Q2)
    with on(dt.date(2026, 7, 20)):
        services.report_accept(actor=w["specialist"], report=waiting)
    with on(dt.date(2026, 10, 2)):
        report(w, movement, w["xa2"], Q3, {"c_classes": 5, "c_poor": 2})
    at_review = reviews.figures_of(review)
    today = reviews.review_figures(movement)
    classes = w["c_classes"].pk
    by_id = {r.criterion.pk: r for r in at_review.criteria}
    # On 15/7 only the two Q1 reports were accepted: classes 3/4 and 4/4 (Bản Bo nothing).
    assert float(by_id[classes].average) == pytest.approx((0.75 + 1 + 0) / 3)
    assert (at_review.as_of, at_review.timeliness.accepted) == (dt.date(2026, 7, 15), 2)
    assert (at_review.timeliness.late, at_review.timeliness.missing) == (1, 2)
    # Today Bình Lư's Q2 (12 classes) is accepted and counts, as on the movement page.
    page = selectors.movement_page(user=w["specialist"], pk=movement.pk)
    assert [r.average for r in today.criteria] == [r.average for r in page.criteria]
    assert today.timeliness.accepted == 3
    assert today.criteria[0].average == page.criteria[0].average


def test_the_pdf_report_is_produced_with_the_same_content(reported: dict[str, Any], client_for: Any) -> None:
    w, movement, review = reported, reported["movement"], reported["review"]
    response = client_for(w["specialist"]).get(
        reverse("movements:review_document", args=[movement.pk, review.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "VI. ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert movement.title in text
    assert "58,3%" in text


# ---------------------------------------------------------------------------------------------------
# The awards proposed


def test_the_review_lists_the_dossiers_of_the_movement_and_opens_a_new_one_with_it(
    reported: dict[str, Any], client_for: Any
) -> None:
    w, movement, review = reported, reported["movement"], reported["review"]
    dossier = dossier_services.dossier_create(
        actor=w["health_officer"],
        unit=w["health"],
        kind="chuyen_de",
        year=2026,
        title="Đề nghị khen thưởng sơ kết phong trào",
        linked_movement=movement,
    )
    dossier_services.nominee_add(
        actor=w["health_officer"],
        dossier=dossier,
        recipient=w["health_person"],
        award_type=AwardType.objects.get(code="BK_TINH"),
    )
    # Another unit's dossier on the same movement: the Board sees it, Sở Y tế's staff do not.
    other = dossier_services.dossier_create(
        actor=w["xa1_officer"],
        unit=w["xa1"],
        kind="chuyen_de",
        year=2026,
        title="Đề nghị của xã Bình Lư",
        linked_movement=movement,
    )
    page_url = reverse("movements:review", args=[movement.pk, review.pk])
    board = client_for(w["specialist"]).get(page_url).text
    assert dossier.code in board and other.code in board and "Nguyễn Văn Đức" in board
    health = client_for(w["health_officer"]).get(page_url)
    assert dossier.code in health.text and other.code not in health.text
    create = reverse("proposals:create") + f"?phong_trao={movement.pk}"
    assert f'href="{create}"' in health.text
    form = client_for(w["health_officer"]).get(create)
    assert form.context["form"]["linked_movement"] == movement.pk
    assert form.context["form"]["kind"] == "chuyen_de"
    assert f'<option value="{movement.pk}" selected>' in form.text
    # The report lists the lines proposed: drafts are not yet proposed.
    assert reviews.review_figures(movement).dossiers == []
    attach_required(w["health_officer"], dossier)
    dossier_services.dossier_submit(actor=w["health_head"], dossier=dossier)
    figures = reviews.review_figures(movement)
    assert [
        (row.dossier.pk, [(x.name, x.award, x.outcome_label) for x in row.lines]) for row in figures.dossiers
    ] == [(dossier.pk, [("Nguyễn Văn Đức", AwardType.objects.get(code="BK_TINH").name, "Chưa xét")])]
    document = client_for(w["specialist"]).get(
        reverse("movements:review_document", args=[movement.pk, review.pk, "docx"])
    )
    text = docx_text(document.content)
    assert "Nguyễn Văn Đức" in text and f"Sở Y tế ({dossier.code})" in text
    assert "01 hồ sơ đề nghị khen thưởng với 01 lượt đề nghị; 00 lượt đã được khen thưởng" in text
    assert "Đề nghị của xã Bình Lư" not in text and other.code not in text


# ---------------------------------------------------------------------------------------------------
# The REST API


def test_the_api_lists_records_and_reads_reviews_within_the_scope(
    world: dict[str, Any], client: Client
) -> None:
    movement = launched_in_march(world, units=[world["health"], world["xa1"]])
    path = f"/movements/{movement.pk}/reviews"
    board = Api(client, world["specialist"])
    bad = board.post(path, {"kind": "midterm", "held_on": "2026-02-01"})
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": "Ngày sơ kết không được trước ngày phát động phong trào (02/03/2026).",
        "code": "review_before_launch",
    }
    assert not MovementReview.objects.exists()
    created = board.post(
        path, {"kind": "midterm", "held_on": "2026-07-15", "strengths": "Tốt", "place": "Lai Châu"}
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert (body["kind"], body["kind_label"], body["held_on"], body["strengths"]) == (
        "midterm",
        "Sơ kết",
        "2026-07-15",
        "Tốt",
    )
    assert set(body["report"]) == {"docx", "pdf"}
    movement.refresh_from_db()
    assert movement.state == MovementState.MIDTERM_REVIEWED
    rid = body["id"]
    assert [r["id"] for r in board.get(path).json()["items"]] == [rid]
    updated = Api(client, world["specialist"]).client.put(
        f"/api{path}/{rid}",
        json.dumps({"lessons": "Bám sát cơ sở"}),
        content_type="application/json",
        headers=board.headers,
    )
    assert updated.json()["lessons"] == "Bám sát cơ sở"
    # A target unit's officer reads the review (without the report) and cannot record one.
    officer = Api(client, world["xa1_officer"])
    seen = officer.get(f"{path}/{rid}")
    assert seen.status_code == 200 and seen.json()["report"] == {}
    refused = officer.post(path, {"kind": "final", "held_on": "2026-12-01"})
    assert (refused.status_code, refused.json()["code"]) == (403, "role_not_allowed")
    # Bản Bo is not a target: nothing of the movement exists for it.
    outsider = Api(client, world["xa2_officer"])
    assert outsider.get(path).status_code == 404
    assert outsider.get(f"{path}/{rid}").status_code == 404
    assert outsider.post(path, {"kind": "final", "held_on": "2026-12-01"}).status_code == 404
    movement.refresh_from_db()
    assert movement.state == MovementState.MIDTERM_REVIEWED


def test_the_review_page_reads_a_constant_number_of_queries(world: dict[str, Any], client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_unit
    from thidua.organisation.models import UnitKind

    def queries(units: list[Any]) -> int:
        movement = launched_in_march(world, units=units)
        review = services.review_record(
            actor=world["specialist"], movement=movement, kind=ReviewKind.FINAL, held_on=dt.date(2026, 12, 1)
        )
        client = client_for(world["specialist"])
        url = reverse("movements:review", args=[movement.pk, review.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries([world["health"], world["xa1"]])
    more = [make_unit(f"Xã thứ {i}", parent=world["ubnd"], kind=UnitKind.COMMUNE) for i in range(12)]
    assert queries([world["health"], world["xa1"], world["xa2"], *more]) == few
