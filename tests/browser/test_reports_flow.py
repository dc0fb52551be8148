"""The reports in a real browser: the dashboard's charts and tables, printing without the menus and
forms, the builder's form, saving a report and running it for another year; nothing refused by the
Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from tests.factories import make_authority, make_award, make_person, make_unit, make_user
from tests.otp import browser_login, enrol
from thidua.accounts.models import Role
from thidua.organisation.models import PersonCategory
from thidua.reports.models import SavedReport


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboard_print_and_builder(live_server: Any, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    ubnd = make_unit("UBND tỉnh Lai Châu", kind="provincial_committee")
    make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd, is_highland=True)
    education = make_unit("Sở Giáo dục và Đào tạo", parent=ubnd)
    enrol(make_user("chuyenvien.bc", Role.BOARD_SPECIALIST, ubnd, password=PASSWORD))
    mai = make_person(
        health, "Lò Thị Mai", gender="female", ethnicity="Thái", category=PersonCategory.DIRECT_WORKER
    )
    hoa = make_person(education, "Trần Thị Hoa", gender="female")
    make_award(mai, "CSTT", 2025)
    make_award(hoa, "BK_TINH", 2025)
    make_award(health, "TTLDTT", 2025)
    make_award(hoa, "LDTT", 2024)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_default_timeout(15_000)
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            # A Board specialist types the authenticator's code after the password.
            browser_login(page, live_server.url, "chuyenvien.bc", PASSWORD)
            page.wait_for_url("**/tong-quan/")

            page.goto(f"{live_server.url}/bao-cao/?nam=2025")
            shares = page.locator("#ty-le table")
            # Mai is the only direct worker among the two awards to individuals; Hoa and Mai are women.
            expect(shares.locator("tbody tr").nth(0)).to_contain_text("50,0")
            expect(shares.locator("tbody tr").nth(1)).to_contain_text("100,0")
            expect(page.locator("#theo-don-vi svg")).to_be_visible()
            page.screenshot(path=str(tmp_path / "bao-cao.png"), full_page=True)
            # Printed: the charts and tables stay, the menu, the filters and the buttons go.
            page.emulate_media(media="print")
            expect(page.locator("nav.navbar")).to_be_hidden()
            expect(page.locator("form.filter-bar")).to_be_hidden()
            expect(page.locator("#ty-le table")).to_be_visible()
            expect(page.locator("#theo-cap table")).to_be_visible()
            page.emulate_media(media="screen")

            page.goto(f"{live_server.url}/bao-cao/tu-chon/")
            page.select_option("#dim-1", "unit")
            page.select_option("#dim-2", "gender")
            page.fill("#f-year", "2025")
            page.get_by_role("button", name="Lập báo cáo").click()
            table = page.locator("#ket-qua table")
            expect(table.locator("tfoot")).to_contain_text("3")
            page.fill("#save-name", "Khen theo đơn vị và giới")
            page.click("form[action$='/luu/'] button[type=submit]")
            page.wait_for_url("**/bao-cao/da-luu/*/")
            saved = SavedReport.objects.get()
            assert saved.definition == {"dimensions": ["unit", "gender"], "filters": {"year": 2025}}
            page.select_option("#s-year", "2024")
            page.get_by_role("button", name="Chạy", exact=True).click()
            page.wait_for_url(f"**/bao-cao/da-luu/{saved.pk}/?nam=2024")
            expect(page.locator("#ket-qua tfoot")).to_contain_text("1")
            page.screenshot(path=str(tmp_path / "bao-cao-da-luu.png"), full_page=True)
        finally:
            browser.close()
    assert not refused, refused
    print(tmp_path)
