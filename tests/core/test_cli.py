"""The console command end to end, as an installer would use it: a new database, demo, serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

THIDUA = str(Path(sys.executable).with_name("thidua"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_then_serve_answers_in_vietnamese(fresh_env: dict[str, str]) -> None:
    demo = subprocess.run(
        [THIDUA, "demo", "--people", "60"], env=fresh_env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stderr
    again = subprocess.run(
        [THIDUA, "demo", "--people", "60"], env=fresh_env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr

    port = _free_port()
    server = subprocess.Popen(
        [THIDUA, "serve", "--port", str(port)],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert '<html lang="vi">' in body
        assert "Đăng nhập" in body
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_django_management_commands_pass_through(fresh_env: dict[str, str]) -> None:
    result = subprocess.run([THIDUA, "check"], env=fresh_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_pass_the_deploy_check(fresh_env: dict[str, str]) -> None:
    env = dict(
        fresh_env, THIDUA_HTTPS="true", THIDUA_SECRET_KEY="k" * 20 + "-production-secret-key-Zx9!q7@p3#w"
    )
    result = subprocess.run(
        [THIDUA, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bare_command_lists_serve_demo_and_eligibility(fresh_env: dict[str, str]) -> None:
    result = subprocess.run([THIDUA], env=fresh_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for word in ("thidua serve", "thidua demo", "thidua eligibility check", "migrate"):
        assert word in result.stdout
