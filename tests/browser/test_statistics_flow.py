"""The central statistical forms in a real browser (issue 12): the Board chooses 2025, opens form 0603,
downloads its Excel file, clicks a cell and follows the list behind it to a person's record; nothing
refused by the Content-Security-Policy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from tests.factories import make_authority, make_award, make_person, make_unit, make_user
from tests.otp import browser_login, enrol
from thidua.accounts.models import Role


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_board_exports_0603_for_2025_and_drills_into_a_cell(live_server: Any, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    ubnd = make_unit("UBND tỉnh Lai Châu", kind="provincial_committee")
    make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd)
    enrol(make_user("chuyenvien.tk", Role.BOARD_SPECIALIST, ubnd, password=PASSWORD))
    mai = make_person(health, "Lò Thị Mai", gender="female", ethnicity="Thái")
    duc = make_person(health, "Nguyễn Văn Đức", gender="male", ethnicity="Kinh")
    # Decisions of 15/01/2025 (the factory dates a decision the January after the award's year): in 2025.
    make_award(mai, "BK_TINH", 2024)
    make_award(duc, "BK_TINH", 2024)
    # A decision of 2024: outside the period, so no cell of 2025 may count it.
    make_award(duc, "BK_TINH", 2023)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            browser_login(page, live_server.url, "chuyenvien.tk", PASSWORD)
            page.wait_for_url("**/tong-quan/")

            page.get_by_role("link", name="Thống kê").first.click()
            page.wait_for_url("**/thong-ke/**")
            page.select_option("#s-year", "2025")
            page.select_option("#s-last", "2025")
            page.get_by_role("button", name="Xem").click()
            page.locator("#bieu-mau a", has_text="0603").click()
            page.wait_for_url("**/thong-ke/0603/**")
            expect(page.locator("h1")).to_be_visible()

            with page.expect_download() as download_info:
                page.get_by_role("link", name="Tải Excel").click()
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
            numbers = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)]
            # The two decisions of 2025 are in the file; the one of 2024 is not.
            assert 2 in numbers and max(numbers) == 2

            # The cell of individuals' Bằng khen of the province: the two people of 2025, nobody else.
            cell = page.locator('a[data-cell^="individual:"]', has_text="2").first
            page.screenshot(path=str(tmp_path / "bieu-0603.png"), full_page=True)
            cell.click()
            page.wait_for_url("**/thong-ke/0603/o/**")
            rows = page.locator("table tbody tr")
            expect(rows).to_have_count(2)
            expect(page.locator("table tbody")).to_contain_text("Lò Thị Mai")
            expect(page.locator("table tbody")).to_contain_text("Nguyễn Văn Đức")

            page.get_by_role("link", name="Lò Thị Mai").click()
            page.wait_for_url(f"**/to-chuc/ca-nhan/{mai.pk}/**")
            expect(page.locator("h1")).to_contain_text("Lò Thị Mai")
            assert not refused, refused
        finally:
            browser.close()
