"""The `thidua` console command: serve, demo, and every Django management command."""

from __future__ import annotations

import argparse
import os
import sys


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
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    return 0


USAGE = """Thi Đua – công tác thi đua, khen thưởng

  thidua serve [--port N] [--host H]   chạy hệ thống (áp dụng migration, phục vụ trên 127.0.0.1)
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
