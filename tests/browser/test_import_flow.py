"""An Excel import in a real browser against `thidua serve` as installed on one machine: the upload answers at
once, the batch page's progress bar follows the worker serve runs beside gunicorn (htmx, no inline script),
and the page shows the result by itself, for the check and for the commit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.test_search_flow import CHROMIUM, CHROMIUM_ARGS
from tests.imports.helpers import generate_people_workbook, person_row
from tests.otp import TEST_KEY, code

PASSWORD = "Mat-khau-thu-nghiem-1!"
ROWS = 10_000

_SETUP = f"""
from tests.factories import make_unit, make_user
from tests.otp import enrol
from thidua.accounts.models import Role
from thidua.organisation.models import UnitKind
ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
health = make_unit("Sở Y tế", parent=ubnd)
enrol(make_user("chuyenvien.e2e", Role.BOARD_SPECIALIST, ubnd, password={PASSWORD!r}))
print("UNIT=" + health.code)
"""


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """`thidua serve` on a new SQLite installation, with the worker it starts."""
    env = {**os.environ, "THIDUA_HOME": str(tmp_path / "home"), "DJANGO_SETTINGS_MODULE": "thidua.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("THIDUA_TASKS_BACKEND", None)
    env.pop("THIDUA_RUN_WORKER", None)
    migrate = [sys.executable, "-m", "thidua.cli", "migrate", "-v", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=300)
    setup = subprocess.run(
        [sys.executable, "-m", "thidua.cli", "shell", "-c", _SETUP],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    unit = next(line for line in setup.stdout.splitlines() if line.startswith("UNIT=")).split("=", 1)[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        [sys.executable, "-m", "thidua.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or serve.poll() is not None:
                pytest.fail("thidua serve did not start:\n" + log.read_text())
            time.sleep(0.3)
        yield {"url": url, "unit": unit, "log": log}
    finally:
        serve.terminate()
        serve.wait(timeout=120)


@pytest.mark.browser
def test_an_import_is_checked_and_written_in_the_background(
    installed: dict[str, Any], tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    url = installed["url"]
    rows = [person_row(installed["unit"], identity_number=f"0010851{i:05d}") for i in range(ROWS)]
    upload = tmp_path / "nhan-su.xlsx"
    upload.write_bytes(generate_people_workbook(rows))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(60_000)
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{url}/tai-khoan/dang-nhap/")
            page.fill("#id_username", "chuyenvien.e2e")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            # A Board specialist types the authenticator's code (the test key enrolled above; a new
            # installation, so the current step's code has not been used).
            page.wait_for_url("**/tai-khoan/xac-thuc/**")
            page.fill("#id_token", code(TOTPDevice(key=TEST_KEY)))
            page.click("#otp-submit")
            page.wait_for_url("**/tong-quan/")

            page.goto(f"{url}/nhap-du-lieu/")
            page.set_input_files("#file-people", str(upload))
            form = page.locator("form").filter(has=page.locator("#file-people"))
            form.get_by_role("button", name="Kiểm tra tệp").click()
            page.wait_for_url("**/nhap-du-lieu/*/")
            batch_url = page.url
            # A file of this size takes the worker seconds: the page opens on the progress bar.
            expect(page.locator("#import-progress")).to_be_visible()

            # The page asks by itself and shows the result once the worker is done: no reload by the test.
            expect(page.get_by_role("button", name="Xác nhận ghi vào sổ")).to_be_visible(timeout=60_000)
            assert page.url == batch_url
            expect(page.locator(".alert-success").first).to_contain_text(f"{ROWS:,}".replace(",", "."))

            page.get_by_role("button", name="Xác nhận ghi vào sổ").click()
            expect(page.locator("#import-progress")).to_be_visible()
            expect(page.locator(".alert-success")).to_contain_text(f"{ROWS} bản ghi mới", timeout=60_000)
            assert page.url == batch_url
            assert refused == [], refused
        finally:
            browser.close()
