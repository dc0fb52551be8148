"""The `thidua` console command: serve, demo, and every Django management command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def default_workers() -> int:
    """One worker per core, plus one: a page spends part of its time waiting for the database, and the
    extra worker keeps the cores busy meanwhile; beyond that the cores are full (docs/benchmarks.md:
    on 2 cores, 2, 3 and 4 workers served 39-40 requests/s alike)."""
    configured = os.environ.get("THIDUA_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return (os.cpu_count() or 1) + 1


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


def _end_with_parent() -> None:
    """In the worker's process, before it runs: end it if `thidua serve` ends without a word (killed)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        # Not Linux: serve still stops its worker on any normal exit.
        pass


def start_worker(**popen: Any) -> subprocess.Popen[Any]:
    """One background-task worker beside the web server, for a single machine (`thidua worker`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "thidua.cli", "worker", "--verbosity", "1"],
        preexec_fn=_end_with_parent if sys.platform.startswith("linux") else None,
        **popen,
    )


def stop_worker(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        # The worker finishes the task it is on (an import is one transaction) before leaving.
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="thidua serve", description="Chạy Thi Đua trên 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="địa chỉ (mặc định 127.0.0.1)")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="số tiến trình phục vụ (mặc định: số lõi CPU + 1, hoặc THIDUA_WORKERS)",
    )
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="không áp dụng migration khi khởi động (nhiều máy chủ: chạy `thidua migrate` một lần trước)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="không chạy tác vụ nền bên cạnh (nhiều máy chủ: chạy `thidua worker` riêng)",
    )
    args = parser.parse_args(argv)
    _setup()
    # Several application servers on one database migrate once, from the deployment step, not each at start.
    on_start = os.environ.get("THIDUA_MIGRATE_ON_START", "true").lower() not in ("0", "false", "no")
    if on_start and not args.no_migrate:
        _migrate()
    from django.db import connections
    from gunicorn.app.wsgiapp import WSGIApplication

    # The migrations' connection must not reach the forked workers (thidua/gunicorn_conf.py).
    connections.close_all()
    from django.conf import settings

    # Imports are checked and written by a background worker (thidua/imports/tasks.py): on one machine serve
    # runs one; several servers run a dedicated `thidua worker` instead (THIDUA_RUN_WORKER=false).
    run_worker = (
        not args.no_worker and _flag("THIDUA_RUN_WORKER", True) and settings.TASKS_BACKEND != "immediate"
    )
    worker = start_worker() if run_worker else None

    print(f"Thi Đua đang chạy tại http://{args.host}:{args.port}/ (Ctrl+C để dừng)", flush=True)
    sys.argv = [
        "gunicorn",
        "thidua.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
        "--config",
        "python:thidua.gunicorn_conf",
    ]
    try:
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    finally:
        # gunicorn leaves by SystemExit once stopped (Ctrl+C, SIGTERM): the worker goes with it.
        if worker is not None:
            stop_worker(worker)
    return 0


USAGE = """Thi Đua – công tác thi đua, khen thưởng

  thidua serve [--port N] [--host H]   chạy hệ thống (áp dụng migration, phục vụ trên 127.0.0.1,
                                       cùng một tiến trình chạy tác vụ nền; --no-worker: không chạy)
  thidua worker                        chạy tác vụ nền (kiểm tra, ghi tệp nhập dữ liệu) khi có nhiều máy chủ
  thidua demo [--people N]             nạp tỉnh mẫu (chạy lại không thay đổi gì)
  thidua eligibility check FILE.json   thẩm định điều kiện khen thưởng (không cần cơ sở dữ liệu)
  thidua eligibility bonus ...         tính tiền thưởng theo quy định có hiệu lực
  thidua bench [--people N]            đo hiệu năng trên cơ sở dữ liệu nháp
  thidua portal_bench [--requests N]   đo thời gian trả lời của cổng thông tin công khai (p50, p95)
  thidua remind                        gửi nhắc hạn báo cáo nhiệm vụ (chạy hằng ngày)
  thidua backup [--output TỆP]         sao lưu CSDL, tệp tải lên, khóa bí mật vào một tệp .tar.gz
  thidua restore TỆP                   phục hồi tệp sao lưu vào bản cài đặt mới, trống
  thidua audit verify                  kiểm tra chuỗi mã băm của nhật ký thao tác
  thidua <lệnh Django>                 ví dụ: migrate, createsuperuser, shell, check

Các lệnh Django có sẵn:
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help") and len(argv) <= 1:
        print(USAGE, flush=True)
    if command == "eligibility":
        # The eligibility engine is plain Python: no Django set-up, no database, no server.
        from thidua.eligibility.cli import main as eligibility_main

        return eligibility_main(argv[1:])
    if command == "serve":
        return _serve(argv[1:])
    _setup()
    from django.core.management import execute_from_command_line

    if command == "demo":
        # The demo command applies migrations itself, so `thidua demo` works on a new database.
        _migrate()
    execute_from_command_line(["thidua", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
