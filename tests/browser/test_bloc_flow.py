"""A bloc's scoring in a real browser (issue 11).

The Board approves Khối các sở's score sheet; Sở Giáo dục and Sở Tài chính self-score with evidence and
their heads send; the bloc leader (Sở Y tế) cross-reviews and lowers one of Sở Tài chính's scores with a
reason; the meeting settles; the Board publishes the ranking, where Sở Tài chính and Sở Giáo dục tie on the
total and the tie-break is explained; the Board turns the ranking into dossier lines and the leading unit
appears as a Cờ thi đua tỉnh line. Sở Y tế's own scoring, reviewed by the deputy, is set up beforehand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from tests.factories import make_authority, make_unit, make_user
from tests.otp import browser_login, enrol
from thidua.accounts.models import Role
from thidua.blocs import services
from thidua.blocs.models import Score, ScoreSheet
from thidua.blocs.workflow import ItemKind, SheetState
from thidua.organisation.models import Bloc, BlocMembership, BlocRole, UnitKind


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _pdf(path: Path, text: str) -> Path:
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=f"<p>{text}</p>").write_pdf())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sheet_approved_self_scored_reviewed_settled_published_and_proposed(
    live_server: Any, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    from tests.proposals.conftest import pdf_upload

    year = timezone.localdate().year
    ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
    make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd)
    education = make_unit("Sở Giáo dục và Đào tạo", parent=ubnd)
    finance = make_unit("Sở Tài chính", parent=ubnd)
    bloc = Bloc(code="KCS", name="Khối các sở")
    bloc.refresh_derived()
    bloc.save()
    for unit, role in ((health, BlocRole.LEADER), (education, BlocRole.DEPUTY), (finance, BlocRole.MEMBER)):
        BlocMembership.objects.create(bloc=bloc, unit=unit, year=year, role=role)
    board_user = make_user("chuyenvien.e2e", Role.BOARD_SPECIALIST, ubnd, password=PASSWORD)
    # The Board's role requires a second factor: an authenticator with the tests' known key.
    enrol(board_user)
    health_officer = make_user("canbo.yte.e2e", Role.UNIT_OFFICER, health, password=PASSWORD)
    health_head = make_user("thutruong.yte.e2e", Role.UNIT_HEAD, health, password=PASSWORD)
    make_user("khoitruong.e2e", Role.BLOC_LEADER, health, password=PASSWORD)
    education_officer = make_user("canbo.gd.e2e", Role.UNIT_OFFICER, education, password=PASSWORD)
    make_user("thutruong.gd.e2e", Role.UNIT_HEAD, education, password=PASSWORD)
    make_user("canbo.tc.e2e", Role.UNIT_OFFICER, finance, password=PASSWORD)
    make_user("thutruong.tc.e2e", Role.UNIT_HEAD, finance, password=PASSWORD)

    sheet = services.sheet_create(actor=board_user, bloc=bloc, year=year, bonus_cap="2")
    group = services.group_add(actor=board_user, sheet=sheet, name="I. Thực hiện nhiệm vụ")
    c1 = services.item_add(
        actor=board_user,
        sheet=sheet,
        group=group,
        name="Hoàn thành chỉ tiêu",
        max_points="10",
        evidence_required="Báo cáo tổng kết",
    )
    c2 = services.item_add(
        actor=board_user, sheet=sheet, group=group, name="Cải cách hành chính", max_points="5"
    )
    b1 = services.item_add(
        actor=board_user, sheet=sheet, kind=ItemKind.BONUS, name="Sáng kiến", max_points="2"
    )
    report = _pdf(tmp_path / "bao-cao-tong-ket.pdf", "Báo cáo tổng kết năm")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def login(username: str) -> Any:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.set_default_timeout(20_000)
            browser_login(page, live_server.url, username, PASSWORD)
            page.wait_for_url("**/tong-quan/")
            return page

        sheet_url = f"{live_server.url}/khoi-thi-dua/bang-diem/{sheet.pk}/"
        try:
            # 1. The Board approves the sheet, from the menu.
            board = login("chuyenvien.e2e")
            board.get_by_role("button", name="Thi đua").click()
            board.get_by_role("link", name="Chấm điểm khối, cụm thi đua").click()
            board.get_by_role("link", name="Khối các sở").click()
            board.get_by_role("button", name="Duyệt bảng tiêu chí").click()
            expect(board.get_by_text("Đã duyệt bảng tiêu chí")).to_be_visible()
            assert ScoreSheet.objects.get().state == SheetState.APPROVED

            # Sở Y tế's own scoring (15 points), sent and reviewed by the deputy, set up beside the browser.
            approved = ScoreSheet.objects.get()
            own = services.unit_sheet_open(actor=health_officer, sheet=approved, unit=health)
            services.self_score_save(
                actor=health_officer, unit_sheet=own, scores={c1.pk: "10", c2.pk: "5", b1.pk: "0"}
            )
            services.evidence_add(actor=health_officer, unit_sheet=own, item=c1, upload=pdf_upload())
            own = services.unit_sheet_submit(actor=health_head, unit_sheet=own)
            services.review_finish(actor=education_officer, unit_sheet=own)

            # 2. Two members self-score with evidence; their heads send.
            # Before publication the grid shows a unit its own row, and the deputy also the leader's
            # scoring it reviews.
            for unit, officer_name, head_name, points, rows in (
                (education, "canbo.gd.e2e", "thutruong.gd.e2e", ("9", "4", "1"), 2),
                (finance, "canbo.tc.e2e", "thutruong.tc.e2e", ("10", "5", "0"), 1),
            ):
                officer = login(officer_name)
                officer.goto(f"{sheet_url}don-vi/{unit.pk}/")
                officer.get_by_role("button", name="Bắt đầu tự chấm").click()
                for item, value in zip((c1, c2, b1), points, strict=True):
                    officer.get_by_role("textbox", name=item.name, exact=True).fill(value)
                officer.fill("#u-explanation", "Đơn vị đã hoàn thành các nhiệm vụ")
                officer.get_by_role("button", name="Lưu điểm tự chấm").click()
                expect(officer.get_by_text("Đã lưu điểm tự chấm.")).to_be_visible()
                expect(officer.get_by_role("status")).to_contain_text("Báo cáo tổng kết")
                officer.select_option("#minh-chung select[name=item]", str(c1.pk))
                officer.locator("#minh-chung input[type=file]").set_input_files(str(report))
                officer.get_by_role("button", name="Đính kèm").click()
                expect(officer.locator("#scores")).to_contain_text(report.name)
                officer.goto(sheet_url)
                expect(officer.locator("#grid tbody tr")).to_have_count(rows)
                expect(officer.locator("#grid")).not_to_contain_text(
                    "Sở Tài chính" if rows == 2 else "Sở Giáo dục"
                )
                head = login(head_name)
                head.goto(f"{sheet_url}don-vi/{unit.pk}/")
                head.get_by_role("button", name="Gửi bảng tự chấm").click()
                expect(head.get_by_text("Đã gửi bảng tự chấm để chấm chéo.")).to_be_visible()

            # 3. The bloc leader reviews: Sở Tài chính's administrative reform from 5 to 4, with a reason.
            leader = login("khoitruong.e2e")
            leader.goto(f"{sheet_url}don-vi/{finance.pk}/")
            leader.locator(f"input[name=review-{c2.pk}]").fill("4")
            leader.get_by_role("button", name="Lưu điểm chấm chéo").click()
            expect(leader.get_by_role("alert").or_(leader.locator(".alert"))).to_contain_text("cần ghi lý do")
            leader.locator(f"input[name=review-{c2.pk}]").fill("4")
            leader.locator(f"input[name=reason-{c2.pk}]").fill("Còn 2 thủ tục trễ hạn trên cổng dịch vụ công")
            leader.get_by_role("button", name="Lưu điểm chấm chéo").click()
            expect(leader.get_by_text("Đã lưu điểm chấm chéo.")).to_be_visible()
            leader.get_by_role("button", name="Chấm chéo xong").click()
            expect(leader.get_by_text("Đã chấm chéo xong bảng điểm.")).to_be_visible()
            leader.goto(f"{sheet_url}don-vi/{education.pk}/")
            leader.get_by_role("button", name="Chấm chéo xong").click()
            expect(leader.get_by_text("Đã chấm chéo xong bảng điểm.")).to_be_visible()
            assert Score.objects.get(unit_sheet__unit=finance, item=c2).points == 4

            # 4. The meeting settles.
            leader.goto(sheet_url)
            leader.fill("#m-minutes", "Hội nghị Khối các sở thống nhất kết quả chấm chéo.")
            leader.get_by_role("button", name="Chốt điểm").click()
            expect(leader.get_by_text("Đã ghi kết quả hội nghị khối và chốt điểm.")).to_be_visible()

            # 5. The Board publishes: Sở Y tế 15; Sở Tài chính and Sở Giáo dục 14 each, Sở Tài chính above
            # for its higher total before bonus (14 against 13).
            board.goto(sheet_url)
            board.get_by_role("button", name="Công bố xếp hạng").click()
            expect(board.get_by_text("Đã công bố xếp hạng của khối.")).to_be_visible()
            ranking = board.locator("#ranking")
            expect(ranking).to_contain_text(
                "Sở Tài chính xếp trên Sở Giáo dục và Đào tạo vì tổng điểm trước điểm thưởng cao hơn "
                "(14,0 so với 13,0), khi tổng điểm bằng nhau (14,0)."
            )
            expect(ranking.locator("tbody tr").first).to_contain_text("Sở Y tế")
            board.screenshot(path=str(tmp_path / "1-bloc-ranking.png"), full_page=True)

            # 6. The ranking becomes dossier lines: the leading unit for Cờ thi đua tỉnh.
            board.get_by_role("button", name="Lập hồ sơ đề nghị").click()
            board.wait_for_url("**/ho-so/*/")
            expect(board.locator("body")).to_contain_text("Cờ thi đua")
            expect(board.locator("body")).to_contain_text("Sở Y tế")
            dossier = ScoreSheet.objects.get().dossier
            assert dossier is not None
            lines = {(n.collective_id, n.award_type.code) for n in dossier.nominees.all()}
            assert (health.pk, "CO_TINH") in lines
            board.screenshot(path=str(tmp_path / "2-bloc-dossier.png"), full_page=True)
        finally:
            browser.close()
