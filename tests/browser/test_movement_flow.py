"""A movement, its progress reports, a registration and a directive task, in a real browser.

The Board launches a thematic movement with three criteria to Sở Y tế and two communes; Sở Y tế's officer
reports its first quarter with evidence, its head submits, the Board returns it with a reason, the officer
corrects it, the head submits again and the Board accepts it; the movement's chart shows the progress
computed by hand from the accepted figures (docs/movements.md). Sở Y tế's registration for next year,
pledging to the movement, is submitted by its head and approved by the Board. A directive task whose due
date has passed is reported by the officer and shows as late.

Dates are relative to today: the browser tests run on the machine's clock (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from tests.factories import make_authority, make_unit, make_user
from tests.otp import browser_login, enrol
from thidua.accounts.models import Role
from thidua.directives import services as directive_services
from thidua.directives.models import DirectiveKind, Recurrence
from thidua.movements.models import Criterion, Movement, ProgressReport
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import UnitKind
from thidua.registrations.models import Registration
from thidua.registrations.workflow import RegistrationState


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _pdf(path: Path, text: str) -> Path:
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=f"<p>{text}</p>").write_pdf())
    return path


def _quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter holding `day`."""
    last_month = (day.month - 1) // 3 * 3 + 3
    following = dt.date(day.year + last_month // 12, last_month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _percent(share: Decimal) -> str:
    """A share as the pages print it: one decimal, the Vietnamese decimal comma."""
    return f"{share * 100:.1f}".replace(".", ",")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_movement_report_returned_corrected_accepted_registration_approved_directive_late(
    live_server: Any, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    today = timezone.localdate()
    ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
    province = make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd)
    xa1 = make_unit("Xã Bình Lư", parent=ubnd, kind=UnitKind.COMMUNE)
    xa2 = make_unit("Xã Bản Bo", parent=ubnd, kind=UnitKind.COMMUNE)
    specialist_user = make_user("chuyenvien.e2e", Role.BOARD_SPECIALIST, ubnd, password=PASSWORD)
    # The Board's role requires a second factor: an authenticator with the tests' known key.
    enrol(specialist_user)
    make_user("canbo.yte.e2e", Role.UNIT_OFFICER, health, password=PASSWORD)
    make_user("thutruong.yte.e2e", Role.UNIT_HEAD, health, password=PASSWORD)

    # The movement began 270 days ago, so its first quarter (cut to the start) is over and overdue; it runs
    # into next year, the year Sở Y tế registers for.
    start, end = today - dt.timedelta(days=270), today + dt.timedelta(days=400)
    first_end = _quarter_end(start)
    first_label = f"Quý {('I', 'II', 'III', 'IV')[(first_end.month - 1) // 3]}/{first_end.year}"
    next_year = today.year + 1

    # A directive task for Sở Y tế due 30 days ago: even pushed to the next working day, its deadline
    # has passed, so a report sent today is late.
    directive = directive_services.directive_create(
        actor=specialist_user,
        authority=province,
        kind=DirectiveKind.PLAN,
        number="15/KH-UBND",
        issued_on=today - dt.timedelta(days=60),
        title="Kế hoạch triển khai công tác thi đua, khen thưởng",
    )
    task = directive_services.task_add(
        actor=specialist_user,
        directive=directive,
        text="Kiện toàn Hội đồng Thi đua – Khen thưởng",
        lead_unit=health,
        recurrence=Recurrence.ONCE,
        due_date=today - dt.timedelta(days=30),
    )
    directive_services.directive_step(actor=specialist_user, directive=directive, action="issue")

    evidence = _pdf(tmp_path / "danh-sach-lop.pdf", "Danh sách lớp tập huấn quý I")
    task_file = _pdf(tmp_path / "quyet-dinh-kien-toan.pdf", "Quyết định kiện toàn Hội đồng")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def login(username: str) -> Any:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.set_default_timeout(20_000)
            browser_login(page, live_server.url, username, PASSWORD)
            page.wait_for_url("**/tong-quan/")
            return page

        try:
            # 1. The Board drafts the movement for Sở Y tế and the two communes, adds three criteria and
            # launches it.
            board = login("chuyenvien.e2e")
            board.goto(f"{live_server.url}/phong-trao/lap-moi/")
            board.fill("#f-title", "Phong trào thi đua chung tay vì người nghèo")
            board.select_option("#f-kind", "thematic")
            board.fill("#f-start", start.isoformat())
            board.fill("#f-end", end.isoformat())
            board.fill("#f-desc", "Kế hoạch số 15/KH-UBND")
            board.select_option("#f-units", [str(health.pk), str(xa1.pk), str(xa2.pk)])
            board.get_by_role("button", name="Lưu phong trào").click()
            board.wait_for_url("**/phong-trao/*/")
            expect(board.get_by_text("Đã lập phong trào")).to_be_visible()
            movement = Movement.objects.get(title="Phong trào thi đua chung tay vì người nghèo")
            criteria = [
                # name, unit of measure, direction, target, weight, evidence required
                ("Số lớp tập huấn", "lớp", "at_least", "4", "2", "Danh sách lớp tập huấn"),
                ("Tỷ lệ hộ nghèo", "%", "at_most", "5", "1", ""),
                ("Số sáng kiến", "sáng kiến", "at_least", "10", "1", ""),
            ]
            for name, uom, direction, target, weight, required in criteria:
                board.fill("#c-name", name)
                board.fill("#c-uom", uom)
                board.select_option("#c-dir", direction)
                board.fill("#c-target", target)
                board.fill("#c-weight", weight)
                board.select_option("#c-period", "quarter")
                board.fill("#c-evidence", required)
                board.get_by_role("button", name="Thêm tiêu chí").click()
                expect(board.locator("#tieu-chi")).to_contain_text(name)
            board.get_by_role("button", name="Phát động").click()
            expect(board.get_by_text("Đã phát động phong trào.")).to_be_visible()
            movement.refresh_from_db()
            assert movement.state == MovementState.LAUNCHED
            assert set(movement.targets.values_list("unit_id", flat=True)) == {health.pk, xa1.pk, xa2.pk}
            # Nothing accepted yet: no progress.
            expect(board.locator("#tien-do")).to_contain_text("Chung: 0,0%")

            # 2. Sở Y tế's officer opens the first quarter's report, enters the figures and the evidence.
            officer = login("canbo.yte.e2e")
            officer.goto(f"{live_server.url}/phong-trao/{movement.pk}/")
            officer.locator(f"#don-vi-{health.pk}").get_by_role(
                "button", name=f"Lập báo cáo {first_label}"
            ).click()
            officer.wait_for_url("**/phong-trao/bao-cao/*/")
            report = ProgressReport.objects.get(movement=movement, unit=health)
            assert report.period_end == first_end

            def fill_values(classes: str) -> None:
                officer.get_by_role("textbox", name="Số lớp tập huấn", exact=True).fill(classes)
                officer.get_by_role("textbox", name="Tỷ lệ hộ nghèo", exact=True).fill("6")
                officer.get_by_role("textbox", name="Số sáng kiến", exact=True).fill("5")
                officer.get_by_role("button", name="Lưu báo cáo").click()
                expect(officer.get_by_text("Đã lưu báo cáo.")).to_be_visible()

            fill_values("2")
            officer.fill("#r-narrative", "Đã tổ chức các lớp tập huấn cho cán bộ y tế cơ sở")
            officer.get_by_role("button", name="Lưu báo cáo").click()
            missing = officer.get_by_role("status").filter(has_text="Báo cáo chưa đủ để gửi")
            expect(missing).to_contain_text("Danh sách lớp tập huấn")
            officer.select_option("#e-criterion", label="Số lớp tập huấn")
            officer.locator("#minh-chung input[type=file]").set_input_files(str(evidence))
            officer.get_by_role("button", name="Đính kèm").click()
            expect(officer.locator("#minh-chung")).to_contain_text(evidence.name)
            expect(missing).to_have_count(0)

            # 3. Its head submits it.
            head = login("thutruong.yte.e2e")
            head.goto(f"{live_server.url}/phong-trao/bao-cao/{report.pk}/")
            head.get_by_role("button", name="Gửi báo cáo").click()
            expect(head.get_by_text("Đã gửi báo cáo.")).to_be_visible()

            # 4. The Board returns it with a reason; a submitted report counts for nothing.
            board.goto(f"{live_server.url}/phong-trao/bao-cao/{report.pk}/")
            board.get_by_placeholder("Lý do trả lại, nội dung cần sửa (bắt buộc)").fill(
                "Số lớp tập huấn chưa khớp danh sách: 3 lớp"
            )
            board.get_by_role("button", name="Trả lại để sửa").click()
            expect(board.get_by_text("Đã trả lại báo cáo để đơn vị sửa.")).to_be_visible()
            report.refresh_from_db()
            assert report.state == ReportState.RETURNED

            # 5. The officer reads the reason and corrects the figure; the head submits again.
            officer.reload()
            expect(officer.locator("body")).to_contain_text("Số lớp tập huấn chưa khớp danh sách: 3 lớp")
            fill_values("3")
            head.reload()
            head.get_by_role("button", name="Gửi báo cáo").click()
            expect(head.get_by_text("Đã gửi báo cáo.")).to_be_visible()

            # 6. The Board accepts it.
            board.reload()
            board.get_by_role("button", name="Chấp nhận").click()
            expect(board.get_by_text("Đã chấp nhận báo cáo.")).to_be_visible()
            report.refresh_from_db()
            assert report.state == ReportState.ACCEPTED

            # 7. The movement's chart: by hand from the accepted figures (docs/movements.md). Sở Y tế: 3 of
            # 4 classes, 6 % poor households against at most 5 %, 5 of 10 initiatives, weights 2, 1, 1; the
            # communes have nothing accepted, so the movement is the mean of (Sở Y tế, 0, 0).
            achieved = {
                "Số lớp tập huấn": Decimal(3) / 4,
                "Tỷ lệ hộ nghèo": Decimal(5) / 6,
                "Số sáng kiến": Decimal(5) / 10,
            }
            weights = {
                "Số lớp tập huấn": Decimal(2),
                "Tỷ lệ hộ nghèo": Decimal(1),
                "Số sáng kiến": Decimal(1),
            }
            unit_share = sum((weights[n] * a for n, a in achieved.items()), Decimal(0)) / sum(
                weights.values(), Decimal(0)
            )
            assert set(Criterion.objects.filter(movement=movement).values_list("name", flat=True)) == set(
                achieved
            )
            board.goto(f"{live_server.url}/phong-trao/{movement.pk}/")
            expect(board.locator("#tien-do")).to_contain_text(f"Chung: {_percent(unit_share / 3)}%")
            expect(board.locator(f"#don-vi-{health.pk}")).to_contain_text(_percent(unit_share))
            expect(board.locator(f"#don-vi-{xa1.pk}")).to_contain_text("0,0")
            # The chart's bar (its tooltip names the criterion) and its table's cell, in %.
            rows = board.locator("#tieu-chi table tbody tr")
            for name, share in achieved.items():
                expect(rows.filter(has_text=name)).to_contain_text(_percent(share / 3))
                expect(board.locator("#tieu-chi svg")).to_contain_text(f"{name}: {_percent(share / 3)}%")
            expect(board.locator(f"#don-vi-{health.pk}")).to_contain_text("Đã chấp nhận")
            board.screenshot(path=str(tmp_path / "1-movement-progress.png"), full_page=True)

            # 8. Sở Y tế registers for next year, pledging to the movement; its head submits, the Board
            # approves.
            officer.goto(f"{live_server.url}/dang-ky-thi-dua/")
            officer.select_option("#reg-unit", str(health.pk))
            officer.select_option("#reg-year", str(next_year))
            officer.get_by_role("button", name="Lập (hoặc mở) bản đăng ký").click()
            officer.wait_for_url("**/dang-ky-thi-dua/*/")
            registration = Registration.objects.get(unit=health, year=next_year)
            officer.fill(f"#pl-{movement.pk}", "Tổ chức ít nhất 4 lớp tập huấn mỗi quý")
            classes = Criterion.objects.get(movement=movement, name="Số lớp tập huấn")
            officer.fill(f"#t-{classes.pk}", "4")
            officer.get_by_role("button", name="Lưu đăng ký phong trào").click()
            expect(officer.get_by_text("Đã lưu đăng ký tham gia phong trào.")).to_be_visible()
            head.goto(f"{live_server.url}/dang-ky-thi-dua/{registration.pk}/")
            head.get_by_role("button", name="Gửi bản đăng ký").click()
            expect(head.get_by_text("Đã gửi bản đăng ký thi đua.")).to_be_visible()
            board.goto(f"{live_server.url}/dang-ky-thi-dua/")
            board.get_by_role("link", name="Sở Y tế").click()
            board.wait_for_url(f"**/dang-ky-thi-dua/{registration.pk}/")
            expect(board.locator(f"#phong-trao-{movement.pk}")).to_contain_text("Số lớp tập huấn: 4 lớp")
            board.get_by_role("button", name="Duyệt").click()
            expect(board.get_by_text("Đã duyệt bản đăng ký.")).to_be_visible()
            expect(board.locator(".badge").filter(has_text="Đã duyệt").first).to_be_visible()
            registration.refresh_from_db()
            assert registration.state == RegistrationState.APPROVED

            # 9. The officer reports the directive's task after its due date: late.
            officer.goto(f"{live_server.url}/chi-thi/nhiem-vu/{task.pk}/")
            results = officer.locator("table").filter(has_text="Tình trạng")
            expect(results.locator(".badge")).to_have_text("Quá hạn chưa báo cáo")
            officer.fill("#r-text", "Đã kiện toàn Hội đồng theo Quyết định số 20/QĐ-SYT")
            officer.set_input_files("#r-file", str(task_file))
            officer.get_by_role("button", name="Gửi báo cáo").click()
            expect(officer.get_by_text("Đã gửi báo cáo.")).to_be_visible()
            expect(results.locator(".badge")).to_have_text("Trễ hạn")
            expect(results).to_contain_text(task_file.name)
            officer.screenshot(path=str(tmp_path / "2-directive-late.png"), full_page=True)
        finally:
            browser.close()
            # The ORM calls above ran inside Playwright's greenlet, whose context has its own database
            # connection; close it here, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
