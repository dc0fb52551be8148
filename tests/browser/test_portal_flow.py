"""A visitor without an account, on a phone: finds a role model by typing the name without accents and
opens the profile, by keyboard first (the skip link), with nothing refused by the Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS
from tests.factories import make_authority, make_award, make_person, make_unit, make_user
from tests.portal.conftest import published
from thidua.accounts.models import Role


@pytest.fixture(autouse=True)
def _allow_orm_inside_playwright_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_finds_a_role_model_without_accents(live_server: Any, tmp_path: Path, settings: Any) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ubnd = make_unit("UBND tỉnh Lai Châu", kind="provincial_committee")

    make_authority(ubnd)
    health = make_unit("Sở Y tế", parent=ubnd)
    officer = make_user("canbo.e2e", Role.UNIT_OFFICER, health)
    specialist = make_user("chuyenvien.e2e", Role.BOARD_SPECIALIST, ubnd)
    person = make_person(health, "Nguyễn Văn Đức", position="Bác sĩ")
    make_award(person, "CSTDCS", 2024, number="15/QĐ-UBND")
    other = make_person(health, "Trần Văn Nam")
    role_model = published(officer, specialist, person=person)
    published(officer, specialist, person=other, headline="Kỹ thuật viên giỏi")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.set_default_timeout(15_000)
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{live_server.url}/")
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
            expect(page.get_by_role("heading", level=1)).to_have_text("Thi đua, khen thưởng")

            page.get_by_role("search").get_by_role("searchbox").fill("nguyen van duc")
            page.keyboard.press("Enter")
            page.wait_for_url("**/tim-kiem/?q=nguyen+van+duc")
            result = page.get_by_role("link", name="Nguyễn Văn Đức")
            expect(result).to_be_visible()
            expect(page.get_by_role("link", name="Trần Văn Nam")).to_have_count(0)

            result.click()
            page.wait_for_url(f"**/dien-hinh/{role_model.slug}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn Đức")
            photo = page.get_by_role("img", name="Nguyễn Văn Đức")
            expect(photo).to_be_visible()
            assert photo.evaluate("img => img.naturalWidth") > 0
            expect(page.locator("article")).to_contain_text("Chiến sĩ thi đua cơ sở")
            expect(page.locator("article")).to_contain_text("15/QĐ-UBND")
            page.screenshot(path=str(tmp_path / "role-model.png"), full_page=True)
            assert not refused, refused
        finally:
            browser.close()
    assert (tmp_path / "role-model.png").stat().st_size > 0
