"""The whole proposal workflow in a real browser, with the demo province's users: the unit officer drafts,
the head submits, the specialist returns it, the officer amends, the specialist appraises and takes it
to the Council, the members vote, the chairman decides, and the registry shows the new award."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS
from tests.proposals.conftest import docx_text, pdf_text
from thidua.accounts.models import User
from thidua.demo import data as D
from thidua.demo.loader import demo_load
from thidua.organisation.models import Person
from thidua.proposals import services
from thidua.proposals.models import CouncilMember, Dossier, DossierState


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _pdf(path: Path, text: str) -> Path:
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=f"<p>{text}</p>").write_pdf())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dossier_from_draft_to_registry(live_server: Any, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    demo_load(people=300, history=False)
    officer = User.objects.get(username="canbo")
    assert officer.unit is not None
    staff = Person.objects.filter(unit__path__startswith=officer.unit.path, is_active=True)
    nominee = staff.exclude(full_name=officer.full_name).order_by("pk").first()
    assert nominee is not None
    evidence = [_pdf(tmp_path / f"tep-{i}.pdf", f"Tài liệu {i} của {nominee.full_name}") for i in range(4)]
    shots = tmp_path / "shots"
    shots.mkdir()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def login(username: str) -> Any:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", D.DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/tong-quan/")
            return page

        try:
            # 1. The unit officer drafts the dossier.
            page = login("canbo")
            page.get_by_role("link", name="Hồ sơ đề nghị", exact=True).click()
            page.get_by_role("link", name="+ Lập hồ sơ mới").click()
            page.fill("#f-title", "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025, đợt 2")
            page.fill("#f-year", "2025")
            page.get_by_role("button", name="Lưu và tiếp tục").click()
            page.wait_for_url("**/ho-so/*/")
            dossier = Dossier.objects.get(
                title="Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025, đợt 2"
            )
            page.fill("#f-q", nominee.search_text.split()[-1] + " " + nominee.search_text.split()[0])
            page.locator("#recipient-choices").get_by_text(nominee.full_name).click()
            page.select_option("#f-award", label="Bằng khen của Chủ tịch UBND tỉnh")
            page.fill("#f-achievement", "Hoàn thành xuất sắc nhiệm vụ năm 2025")
            page.get_by_role("button", name="Thêm vào hồ sơ").click()
            expect(page.locator("#de-nghi")).to_contain_text(nominee.full_name)
            expect(page.get_by_text("Hồ sơ chưa đủ để trình")).to_be_visible()
            components = page.locator("#f-component option")
            for i in range(components.count() - 1):
                page.select_option("#f-component", index=i)
                page.set_input_files("#f-file", str(evidence[i]))
                page.get_by_role("button", name="Tải lên").click()
                expect(page.locator("#tep")).to_contain_text(evidence[i].name)
            expect(page.get_by_text("Hồ sơ đã đủ thành phần")).to_be_visible()
            page.screenshot(path=str(shots / "1-officer-draft.png"), full_page=True)

            # 2. The unit head submits.
            head = login("thutruong")
            head.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            head.get_by_role("button", name="Trình hồ sơ").click()
            expect(head.locator(".badge").filter(has_text="Đã trình").first).to_be_visible()

            # 3. The specialist returns it for amendment, with a reason.
            specialist = login("chuyenvien")
            specialist.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            specialist.get_by_text("Trả lại để bổ sung").first.click()
            specialist.fill("#f-return", "Bổ sung bản sao bằng khen năm trước")
            specialist.get_by_role("button", name="Trả lại", exact=True).click()
            expect(specialist.get_by_text("Đã trả lại hồ sơ")).to_be_visible()

            # 4. The officer sees why, amends, and the head resubmits.
            page.reload()
            expect(page.locator("body")).to_contain_text("Bổ sung bản sao bằng khen năm trước")
            page.select_option("#f-component", label="Tài liệu minh chứng khác")
            page.set_input_files("#f-file", str(evidence[3]))
            page.get_by_role("button", name="Tải lên").click()
            expect(page.locator("#tep")).to_contain_text(evidence[3].name)
            head.reload()
            head.get_by_role("button", name="Trình hồ sơ").click()
            expect(head.locator(".badge").filter(has_text="Đã trình").first).to_be_visible()

            # 5. The specialist receives, appraises line by line, completes the appraisal.
            specialist.reload()
            specialist.get_by_role("button", name="Tiếp nhận hồ sơ").click()
            line = dossier.nominees.get()
            line.refresh_from_db()
            row = specialist.locator(f"#dong-{line.pk}")
            row.get_by_text("Đề nghị", exact=True).click()
            if line.verdict != "eligible":
                row.locator("input[name=reason]").fill("Thành tích đột phá được đơn vị xác nhận")
            row.get_by_role("button", name="Ghi ý kiến").click()
            expect(specialist.get_by_text("Đã ghi ý kiến thẩm định")).to_be_visible()
            specialist.get_by_role("button", name="Hoàn thành thẩm định").click()
            expect(specialist.locator(".badge").filter(has_text="Đã thẩm định").first).to_be_visible()
            specialist.screenshot(path=str(shots / "2-specialist-appraised.png"), full_page=True)

            # 6. The Council: a session, attendance, the members' secret votes, closing.
            specialist.get_by_role("link", name="Đưa ra phiên họp Hội đồng").click()
            specialist.fill("#s-title", "Phiên họp xét khen thưởng tổng kết năm 2025")
            specialist.get_by_role("button", name="Lập phiên họp").click()
            specialist.wait_for_url("**/ho-so/hoi-dong/*/")
            seats = CouncilMember.objects.count()
            for i in range(seats):
                specialist.locator("#du-hop form").nth(i).get_by_role("button", name="Có mặt").click()
                specialist.wait_for_load_state()
            session = dossier.council_sessions.get()
            member = login("hoidong")
            member.goto(f"{live_server.url}/ho-so/hoi-dong/{session.pk}/")
            member.locator(f"#phieu-{line.pk}").get_by_role("button", name="Đồng ý", exact=True).click()
            expect(member.get_by_text("Bạn đã bỏ phiếu")).to_be_visible()
            member.screenshot(path=str(shots / "3-council-member.png"), full_page=True)
            # The other members vote from their own devices.
            for seat in CouncilMember.objects.exclude(user__username="hoidong").select_related("user")[:5]:
                services.ballot_cast(actor=seat.user, session=session, nominee=line, agree=True)
            specialist.reload()
            specialist.get_by_role("button", name="Kết thúc phiên họp và khóa kết quả").click()
            expect(specialist.get_by_text("kết quả đã khóa").first).to_be_visible()
            with specialist.expect_download() as minutes:
                specialist.get_by_role("link", name="DOCX").first.click()
            assert nominee.full_name in docx_text(Path(minutes.value.path()).read_bytes())

            # 7. The chairman decides; the registry shows the award; the documents carry the names.
            chairman = login("chutich")
            chairman.goto(f"{live_server.url}/ho-so/quyet-dinh/")
            chairman.fill("#q-number", "125/QĐ-UBND")
            chairman.get_by_role("button", name="Ban hành quyết định").click()
            chairman.wait_for_url("**/khen-thuong/quyet-dinh/*/")
            expect(chairman.locator("body")).to_contain_text(nominee.full_name)
            chairman.screenshot(path=str(shots / "4-decision.png"), full_page=True)
            dossier.refresh_from_db()
            assert dossier.state == DossierState.DECIDED
            with chairman.expect_download() as docx:
                chairman.get_by_role("link", name="Tải văn bản (DOCX)").click()
            text = docx_text(Path(docx.value.path()).read_bytes())
            assert nominee.full_name in text and "125/QĐ-UBND" in text
            with chairman.expect_download() as pdf:
                chairman.get_by_role("link", name="Tải văn bản (PDF)").click()
            assert nominee.full_name in pdf_text(Path(pdf.value.path()).read_bytes())
            chairman.goto(f"{live_server.url}/to-chuc/ca-nhan/{nominee.pk}/")
            expect(chairman.locator("#khen-thuong")).to_contain_text("125/QĐ-UBND")

            # The officer follows the whole timeline of the dossier.
            page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            expect(page.locator("body")).to_contain_text("Đã có quyết định")
            page.screenshot(path=str(shots / "5-officer-timeline.png"), full_page=True)
        finally:
            browser.close()
            # The ORM calls above ran inside Playwright's greenlet, whose context has its own database
            # connection; close it here, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
