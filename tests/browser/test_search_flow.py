"""The official's daily path in a real browser: log in, search without accents, open the profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loadtest.demo_otp import totp
from tests.factories import make_award, make_person, make_unit, make_user
from thidua.accounts.models import Role


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
    # Set per test, not at import, so it never leaks into other tests or the processes they start.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_search_without_accents_and_open_profile(live_server: Any, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    ubnd = make_unit("UBND tỉnh Lai Châu", kind="provincial_committee")
    health = make_unit("Sở Y tế", parent=ubnd)
    make_user("chuyenvien.e2e", Role.BOARD_SPECIALIST, ubnd, password=PASSWORD)
    person = make_person(health, "Nguyễn Văn Đức", position="Bác sĩ")
    make_award(person, "CSTDCS", 2024, number="15/QĐ-UBND", bonus_amount=2340000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(15_000)
            # The Content-Security-Policy blocks nothing the pages need (htmx, Bootstrap, the forms).
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
            page.fill("#id_username", "chuyenvien.e2e")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            # A Board specialist without an authenticator enrols first: the key shown as text goes into
            # an independent RFC 6238 computation (as into a phone), whose code confirms the device.
            page.wait_for_url("**/tai-khoan/xac-thuc/dang-ky/**")
            expect(page.locator(".otp-qr svg")).to_be_visible()
            secret = page.inner_text("#otp-secret").replace(" ", "")
            page.fill("#id_token", totp(secret))
            page.click("#otp-submit")
            expect(page.locator("#recovery-codes li")).to_have_count(10)
            page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
            page.wait_for_url("**/tong-quan/")

            page.get_by_role("search").get_by_role("searchbox").fill("nguyen van duc")
            page.keyboard.press("Enter")
            page.wait_for_url("**/khen-thuong/tra-cuu/?q=nguyen+van+duc")
            result = page.get_by_role("link", name="Nguyễn Văn Đức")
            expect(result).to_be_visible()

            # The live search on the results page also works while typing, through htmx.
            box = page.locator("#search-q")
            box.fill("duc nguyen")
            expect(page.locator("#search-results")).to_contain_text("duc nguyen")
            expect(result).to_be_visible()

            result.click()
            page.wait_for_url(f"**/to-chuc/ca-nhan/{person.pk}/")
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_have_text("Nguyễn Văn Đức")
            timeline = page.locator("#khen-thuong")
            expect(timeline).to_contain_text("Chiến sĩ thi đua cơ sở")
            expect(timeline).to_contain_text("15/QĐ-UBND")
            expect(timeline).to_contain_text("2.340.000 đ")
            page.screenshot(path=str(tmp_path / "person-profile.png"), full_page=True)
            assert not refused, refused
        finally:
            browser.close()
    assert (tmp_path / "person-profile.png").stat().st_size > 0
