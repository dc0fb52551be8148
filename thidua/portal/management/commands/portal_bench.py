"""`thidua portal_bench`: how fast the public portal answers a visitor, through Django's test client on
the current database (load the demo first: `thidua demo`). Prints p50, p95 and the slowest request of the
home page and of a role model's page, served from the cache and rendered afresh."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client, RequestFactory

from thidua.portal.cache import current_version, page_key
from thidua.portal.selectors import public_role_models

TARGET_MS = 100.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Command(BaseCommand):
    help = (
        "Đo thời gian trả lời của cổng thông tin công khai (trang chủ, trang một điển hình) qua N lượt "
        "truy cập không đăng nhập: p50, p95 khi lấy từ bộ nhớ đệm và khi dựng lại trang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=200, help="số lượt mỗi phép đo (mặc định 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["requests"]
        if count < 20:
            raise CommandError("Số lượt (--requests) phải từ 20 trở lên.")
        role_model = public_role_models().first()
        if role_model is None:
            raise CommandError("Chưa có điển hình nào được công bố: hãy nạp tỉnh mẫu (thidua demo) trước.")
        client = Client()
        pages = [("Trang chủ", "/"), ("Trang điển hình", f"/dien-hinh/{role_model.slug}/")]
        self.stdout.write(f"{count} lượt mỗi phép đo, không đăng nhập; mục tiêu p95 < {TARGET_MS:.0f} ms.")
        header = f"{'Trang':<18}{'Cách phục vụ':<16}{'p50 (ms)':>10}{'p95 (ms)':>10}{'chậm nhất':>11}"
        self.stdout.write(header)
        for label, url in pages:
            key = page_key(RequestFactory().get(url), current_version())
            for mode, fresh in (("bộ nhớ đệm", False), ("dựng lại", True)):
                timings = self._measure(client, url, key if fresh else None, count)
                p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
                self.stdout.write(f"{label:<18}{mode:<16}{p50:>10.1f}{p95:>10.1f}{max(timings):>11.1f}")

    def _measure(self, client: Client, url: str, forget: str | None, count: int) -> list[float]:
        client.get(url)  # the first request warms the process and fills the cache
        timings: list[float] = []
        for _ in range(count):
            if forget:
                cache.delete(forget)
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} trả lời {response.status_code}.")
        return timings
