"""The whole proposal workflow at two levels, in a real browser, with the demo province's users.

Sở Y tế decides its own staff's titles: its officer drafts (a Lao động tiên tiến and a Bằng khen), its
director submits, its specialist returns it, the officer amends, the specialist appraises and takes it to
the Sở's Council, the members vote, the director decides (…/QĐ-SYT) and the registry shows the award.
The Bằng khen, beyond the Sở's power, goes up to the province with the Sở's tờ trình: the province's
specialist appraises it and the chairman decides it (…/QĐ-UBND)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS
from tests.otp import browser_login, next_code
from tests.proposals.conftest import docx_text, pdf_text
from thidua.accounts.models import User
from thidua.awards.models import AwardRecord, Rating, YearlyRating
from thidua.demo import data as D
from thidua.demo.loader import demo_load
from thidua.organisation.models import Authority, Unit
from thidua.organisation.services import person_create
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
def test_a_departments_cycle_then_the_provincial_cycle_of_what_it_sent_up(
    live_server: Any, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    demo_load(people=300, history=False)
    office = Unit.objects.get(code="LC.SYT.VP")
    nominee = person_create(
        actor=None, family_name="Lường", middle_name="Thị", given_name="Hiền", gender="female", unit=office
    )
    for year in (2023, 2024, 2025):
        YearlyRating.objects.create(person=nominee, year=year, rating=Rating.EXCELLENT)
    syt = Authority.objects.get(unit__code="LC.SYT")
    province = Authority.objects.get(unit__code=D.PROVINCE_CODE)
    evidence = [_pdf(tmp_path / f"tep-{i}.pdf", f"Tài liệu {i} của {nominee.full_name}") for i in range(8)]
    shots = tmp_path / "shots"
    shots.mkdir()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def login(username: str) -> Any:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(20_000)
            # The demo's specialists, Council members and chairman type the demo key's code.
            browser_login(page, live_server.url, username, D.DEMO_PASSWORD)
            page.wait_for_url("**/tong-quan/")
            return page

        def add_line(page: Any, award: str) -> None:
            page.fill("#f-q", nominee.search_text)
            page.locator("#recipient-choices").get_by_text(nominee.full_name).click()
            page.select_option("#f-award", label=award)
            page.fill("#f-achievement", "Hoàn thành xuất sắc nhiệm vụ năm 2025")
            page.get_by_role("button", name="Thêm vào hồ sơ").click()
            expect(page.locator("#de-nghi")).to_contain_text(award)

        def appraise(page: Any, dossier: Dossier) -> None:
            page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
            for line in dossier.nominees.filter(is_active=True):
                line.refresh_from_db()
                row = page.locator(f"#dong-{line.pk}")
                row.get_by_text("Đề nghị", exact=True).click()
                if line.verdict != "eligible":
                    row.locator("input[name=reason]").fill(
                        "Thành tích được đơn vị xác nhận, đã đối chiếu minh chứng"
                    )
                row.get_by_role("button", name="Ghi ý kiến").click()
                expect(page.get_by_text("Đã ghi ý kiến thẩm định")).to_be_visible()
            page.get_by_role("button", name="Hoàn thành thẩm định").click()
            expect(page.locator(".badge").filter(has_text="Đã thẩm định").first).to_be_visible()

        try:
            # 1. The Sở's officer drafts a dossier for the Sở's own decision (the default level).
            page = login("canbo")
            page.get_by_role("link", name="Hồ sơ đề nghị", exact=True).click()
            page.get_by_role("link", name="+ Lập hồ sơ mới").click()
            expect(page.locator("#f-authority")).to_have_value(str(syt.pk))
            page.fill("#f-title", "Đề nghị công nhận danh hiệu thi đua năm 2025, cơ quan Sở")
            page.fill("#f-year", "2025")
            page.get_by_role("button", name="Lưu và tiếp tục").click()
            page.wait_for_url("**/ho-so/*/")
            dossier = Dossier.objects.get(title="Đề nghị công nhận danh hiệu thi đua năm 2025, cơ quan Sở")
            expect(page.locator("#cap-quyet-dinh")).to_contain_text("Sở Y tế tỉnh Lai Châu")
            add_line(page, "Lao động tiên tiến")
            add_line(page, "Bằng khen của Chủ tịch UBND tỉnh")
            expect(page.get_by_text("Hồ sơ chưa đủ để trình")).to_be_visible()
            used = 0
            while page.get_by_text("Hồ sơ chưa đủ để trình").count():
                page.set_input_files("#f-file", str(evidence[used]))
                page.get_by_role("button", name="Tải lên").click()
                expect(page.locator("#tep")).to_contain_text(evidence[used].name)
                used += 1
            expect(page.get_by_text("Hồ sơ đã đủ thành phần")).to_be_visible()
            page.screenshot(path=str(shots / "1-officer-draft.png"), full_page=True)

            # 2. The director submits it to the Sở's own specialist.
            head = login("thutruong")
            head.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            head.get_by_role("button", name="Trình hồ sơ").click()
            expect(head.locator(".badge").filter(has_text="Đã trình").first).to_be_visible()

            # 3. The Sở's specialist returns it for amendment, with a reason.
            specialist = login("chuyenvienyte")
            specialist.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            specialist.get_by_text("Trả lại để bổ sung").first.click()
            specialist.fill("#f-return", "Bổ sung bản nhận xét của phòng")
            specialist.get_by_role("button", name="Trả lại", exact=True).click()
            expect(specialist.get_by_text("Đã trả lại hồ sơ")).to_be_visible()

            # 4. The officer sees why, amends, and the director resubmits.
            page.reload()
            expect(page.locator("body")).to_contain_text("Bổ sung bản nhận xét của phòng")
            page.select_option("#f-component", label="Tài liệu minh chứng khác")
            page.set_input_files("#f-file", str(evidence[used]))
            page.get_by_role("button", name="Tải lên").click()
            expect(page.locator("#tep")).to_contain_text(evidence[used].name)
            head.reload()
            head.get_by_role("button", name="Trình hồ sơ").click()
            expect(head.locator(".badge").filter(has_text="Đã trình").first).to_be_visible()

            # 5. The Sở's specialist receives and appraises it line by line; the province's does not see it
            # as theirs to handle.
            province_specialist = login("chuyenvien")
            province_specialist.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            expect(province_specialist.get_by_role("button", name="Tiếp nhận hồ sơ")).to_have_count(0)
            specialist.reload()
            appraise(specialist, dossier)
            specialist.screenshot(path=str(shots / "2-specialist-appraised.png"), full_page=True)

            # 6. The Sở's Council: a session, attendance, the members' secret votes, closing.
            specialist.get_by_role("link", name="Đưa ra phiên họp Hội đồng").click()
            specialist.fill("#s-title", "Phiên họp Hội đồng Thi đua – Khen thưởng Sở Y tế năm 2025")
            specialist.get_by_role("button", name="Lập phiên họp").click()
            specialist.wait_for_url("**/ho-so/hoi-dong/*/")
            specialist.get_by_role("button", name="Tất cả có mặt").click()
            session = dossier.council_sessions.get()
            assert session.authority == syt
            assert set(session.members.values_list("user__username", flat=True)) == {
                "thutruong",
                "uyvienyte1",
                "chuyenvienyte",
                "uyvienyte2",
            }
            member = login("uyvienyte1")
            member.goto(f"{live_server.url}/ho-so/hoi-dong/{session.pk}/")
            lines = list(dossier.nominees.filter(is_active=True))
            for line in lines:
                member.locator(f"#phieu-{line.pk}").get_by_role("button", name="Đồng ý", exact=True).click()
                expect(member.locator(f"#phieu-{line.pk}")).to_contain_text("Bạn đã bỏ phiếu")
            member.screenshot(path=str(shots / "3-council-member.png"), full_page=True)
            # The other members vote from their own devices.
            for seat in CouncilMember.objects.filter(authority=syt).exclude(user__username="uyvienyte1"):
                for line in lines:
                    services.ballot_cast(actor=seat.user, session=session, nominee=line, agree=True)
            specialist.reload()
            specialist.get_by_role("button", name="Kết thúc phiên họp và khóa kết quả").click()
            expect(specialist.get_by_text("kết quả đã khóa").first).to_be_visible()
            with specialist.expect_download() as minutes:
                specialist.get_by_role("link", name="DOCX").first.click()
            assert nominee.full_name in docx_text(Path(minutes.value.path()).read_bytes())

            # 7. The director decides the Sở's title and sends the Bằng khen up with the Sở's tờ trình.
            head.goto(f"{live_server.url}/ho-so/quyet-dinh/")
            head.fill(f"#q-number-{syt.pk}", "31/QĐ-SYT")
            # Issuing asks again: the director has no authenticator, so the password.
            head.fill("#q-reauth", D.DEMO_PASSWORD)
            head.fill(f"#q-proposal-{syt.pk}", "55/TTr-SYT")
            head.get_by_role("button", name="Ban hành quyết định").click()
            head.wait_for_url("**/khen-thuong/quyet-dinh/*/")
            expect(head.locator("body")).to_contain_text(nominee.full_name)
            expect(head.locator("body")).to_contain_text("Sở Y tế tỉnh Lai Châu")
            head.screenshot(path=str(shots / "4-decision-syt.png"), full_page=True)
            with head.expect_download() as docx:
                head.get_by_role("link", name="Tải văn bản (DOCX)").click()
            text = docx_text(Path(docx.value.path()).read_bytes())
            assert "31/QĐ-SYT" in text and "GIÁM ĐỐC SỞ Y TẾ" in text and nominee.full_name in text
            dossier.refresh_from_db()
            assert dossier.state == DossierState.DECIDED
            head.goto(f"{live_server.url}/to-chuc/ca-nhan/{nominee.pk}/")
            expect(head.locator("#khen-thuong")).to_contain_text("31/QĐ-SYT")

            # 8. At the province: the lines the Sở sent up, appraised by the Board, decided by the chairman.
            up = Dossier.objects.get(sent_up_from=dossier)
            assert (up.authority, up.state, up.proposal_number) == (
                province,
                DossierState.SUBMITTED,
                "55/TTr-SYT",
            )
            province_specialist.goto(f"{live_server.url}/ho-so/{up.pk}/")
            expect(province_specialist.locator("#cap-quyet-dinh")).to_contain_text(dossier.code)
            appraise(province_specialist, up)
            chairman = login("chutich")
            chairman.goto(f"{live_server.url}/ho-so/quyet-dinh/")
            expect(chairman.locator("body")).not_to_contain_text(dossier.code)
            chairman.fill(f"#q-number-{province.pk}", "125/QĐ-UBND")
            # The chairman types a fresh code (not the one of the login).
            chairman.fill("#q-reauth", next_code(User.objects.get(username="chutich")))
            chairman.get_by_role("button", name="Ban hành quyết định").click()
            chairman.wait_for_url("**/khen-thuong/quyet-dinh/*/")
            expect(chairman.locator("body")).to_contain_text(nominee.full_name)
            chairman.screenshot(path=str(shots / "5-decision-province.png"), full_page=True)
            with chairman.expect_download() as pdf:
                chairman.get_by_role("link", name="Tải văn bản (PDF)").click()
            assert nominee.full_name in pdf_text(Path(pdf.value.path()).read_bytes())
            codes = set(
                AwardRecord.objects.filter(person=nominee).values_list("award_type__code", "decision__number")
            )
            assert codes == {("LDTT", "31/QĐ-SYT"), ("BK_TINH", "125/QĐ-UBND")}
            chairman.goto(f"{live_server.url}/to-chuc/ca-nhan/{nominee.pk}/")
            expect(chairman.locator("#khen-thuong")).to_contain_text("125/QĐ-UBND")
            expect(chairman.locator("#khen-thuong")).to_contain_text("31/QĐ-SYT")

            # The officer follows both dossiers.
            page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
            expect(page.locator("#cap-quyet-dinh")).to_contain_text(up.code)
            page.screenshot(path=str(shots / "6-officer-timeline.png"), full_page=True)
        finally:
            browser.close()
            # The ORM calls above ran inside Playwright's greenlet, whose context has its own database
            # connection; close it here, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
