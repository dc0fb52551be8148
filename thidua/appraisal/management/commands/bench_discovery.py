"""`thidua bench_discovery`: how fast the discovery page (appraisal:discovery) answers on the demo province.

Not a test: it prints measured figures against the target of the page, p95 under 500 ms for the
province-wide board specialist on the default 5,000-person demo province, with its default filters (the
year under review). The unit officer is measured too, for a scope of one department.

It reads the database of DATABASE_URL and writes nothing there but planner statistics (ANALYZE) and the
sessions of its logins: the demo must already be loaded (`thidua migrate` then `thidua demo`, as
`make bench-discovery` does).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.accounts.two_factor import bench_login
from thidua.appraisal import discovery, panel
from thidua.demo.benchtable import write_rows, write_verdicts
from thidua.demo.generator import vn_number
from thidua.demo.loader import existing_load
from thidua.demo.management.commands.bench import Timing, Verdict, ms
from thidua.demo.management.commands.demo import table

TARGET_MS = 500.0
# The province the target is set for: the default demo (`thidua demo`).
DEMO_PEOPLE = 5000
WARM_UP = 2
# The province-wide specialist is the target; the Sở Y tế officer shows the cost of a narrower scope.
SPECIALIST, OFFICER = "chuyenvien", "canbo"
ACCOUNTS = ((SPECIALIST, "toàn tỉnh"), (OFFICER, "đơn vị"))


def ratio_text(value: float | None) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "–"


def floor_ms(value: float) -> str:
    return f"{value:.2f} ms".replace(".", ",")


def span(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


@dataclass
class Measured:
    username: str
    scope: str
    timing: Timing
    sql_ms: list[float]
    selector_ms: list[float]
    rows: int
    checked: int
    year: int


class Command(BaseCommand):
    help = (
        "Đo thời gian trả lời của trang phát hiện cá nhân đủ điều kiện (/tham-dinh/phat-hien/) trên tỉnh "
        "mẫu, với bộ lọc mặc định (năm đang xét), cho chuyên viên Ban Thi đua – Khen thưởng (toàn tỉnh, "
        "mục tiêu p95 < 500 ms) và cán bộ một đơn vị. Chạy trên cơ sở dữ liệu của DATABASE_URL, đã nạp "
        "tỉnh mẫu (thidua migrate rồi thidua demo); hãy dùng một cơ sở dữ liệu NHÁP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--runs", type=int, default=20, help="số lần tải trang mỗi tài khoản (mặc định 20)"
        )
        parser.add_argument("--year", type=int, help="năm thành tích (mặc định: như trang, năm đang xét)")
        parser.add_argument("--json", help="ghi các số đo ra tệp JSON này")
        parser.add_argument(
            "--rows",
            help="ghi mọi dòng trang tìm được của mỗi tài khoản, theo thứ tự và với nội dung hiển thị, ra "
            "tệp JSON này, để so sánh trước và sau một thay đổi",
        )
        parser.add_argument("--strict", action="store_true", help="trả mã lỗi khác 0 nếu chỉ tiêu không đạt")

    def handle(self, *args: Any, **options: Any) -> None:
        self.runs = max(3, options["runs"])
        self.year: int | None = options["year"]
        vendor = connection.vendor
        self.heading(f"Đo trang phát hiện trên {vendor} ({connection.settings_dict.get('NAME')})")
        self.ensure_demo()
        floor = self.bench_floor()
        measured = [self.bench_page(self.demo_user(name), scope) for name, scope in ACCOUNTS]
        verdicts = self.summary(measured, floor)
        if options["json"]:
            self.write_json(options["json"], measured, floor, verdicts)
        if options["rows"]:
            self.write_found_rows(options["rows"])
        if options["strict"] and not all(v.passed for v in verdicts):
            raise CommandError("Chỉ tiêu hiệu năng của trang phát hiện không đạt.")

    # Output

    def heading(self, text: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(text))

    def say(self, text: str) -> None:
        self.stdout.write(text)

    # The database

    def ensure_demo(self) -> None:
        self.heading("(a) Tỉnh mẫu trong cơ sở dữ liệu đo")
        hint = (
            "Hãy nạp tỉnh mẫu vào cơ sở dữ liệu nháp trước: `thidua migrate` rồi `thidua demo` "
            "(hoặc `make bench-discovery`, `make bench-discovery-pg`)."
        )
        if "demo_demoload" not in connection.introspection.table_names():
            raise CommandError(f"Cơ sở dữ liệu này chưa có bảng của Thi Đua. {hint}")
        load = existing_load()
        if load is None:
            raise CommandError(f"Cơ sở dữ liệu này chưa có tỉnh mẫu. {hint}")
        self.say(
            f"Tỉnh mẫu đã nạp: {vn_number(load.people)} cá nhân, hạt giống {load.seed}"
            + (
                "."
                if load.people == DEMO_PEOPLE
                else f" (mục tiêu đặt cho {vn_number(DEMO_PEOPLE)} cá nhân)."
            )
        )
        # The pages are measured with planner statistics, as autovacuum (or a DBA on SQLite) would
        # have them soon after a load.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say(f"ANALYZE: {ms((time.perf_counter() - started) * 1000)}.")

    def demo_user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).select_related("unit").first()
        if user is None:
            raise CommandError(f"Không có tài khoản mẫu “{username}” để đo.")
        return user

    # Timing

    def timed(self, client: Client, url: str, params: dict[str, str]) -> tuple[float, int, float]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} {params} trả về mã {response.status_code}.")
        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        return elapsed, len(captured.captured_queries), sql

    def bench_floor(self) -> Timing:
        """The bare view (core:healthz: no database, session or template) through the same test client
        and middleware: what any page costs before it does anything."""
        self.heading("(b) Mức sàn: trang trống (core:healthz) qua cùng test client và middleware")
        client = Client()
        url = reverse("core:healthz")
        client.get(url)
        timing = Timing("healthz", [], [])
        for _n in range(max(50, self.runs * 5)):
            elapsed, queries, _sql = self.timed(client, url, {})
            timing.samples_ms.append(elapsed)
            timing.queries.append(queries)
        self.say(f"p50 {floor_ms(timing.p50)}, p95 {floor_ms(timing.p95)}, max {ms(timing.worst)}.")
        return timing

    def params(self) -> dict[str, str]:
        return {"year": str(self.year)} if self.year else {}

    def filters(self) -> discovery.DiscoveryFilters:
        # The view's default: the year under review on today's date.
        return discovery.DiscoveryFilters(year=self.year or panel.review_year(timezone.localdate()))

    def bench_page(self, user: User, scope: str) -> Measured:
        filters = self.filters()
        self.heading(
            f"(c) Trang phát hiện, năm {filters.year}, tài khoản {user.username} ({scope}): "
            f"{WARM_UP} lần khởi động rồi {self.runs} lần đo"
        )
        client = Client()
        bench_login(client, user)
        url = reverse("appraisal:discovery")
        for _n in range(WARM_UP):
            self.timed(client, url, self.params())
        timing = Timing(user.username, [], [])
        sql_ms: list[float] = []
        for _n in range(self.runs):
            elapsed, queries, sql = self.timed(client, url, self.params())
            timing.samples_ms.append(elapsed)
            timing.queries.append(queries)
            sql_ms.append(sql)
        # The selector alone, outside the request: how much of the page is the list itself.
        selector_ms: list[float] = []
        for _n in range(max(3, self.runs // 4)):
            started = time.perf_counter()
            result = discovery.discovery(user=user, filters=filters, as_of=timezone.localdate())
            selector_ms.append((time.perf_counter() - started) * 1000)
        self.say(
            f"p50 {ms(timing.p50)}, p95 {ms(timing.p95)}, max {ms(timing.worst)}; "
            f"{span(timing.queries)} truy vấn, SQL p50 {ms(statistics.median(sql_ms))}; "
            f"{vn_number(len(result.rows))} dòng trong {vn_number(result.checked)} cá nhân đã kiểm tra."
        )
        return Measured(
            username=user.username,
            scope=scope,
            timing=timing,
            sql_ms=sql_ms,
            selector_ms=selector_ms,
            rows=len(result.rows),
            checked=result.checked,
            year=filters.year,
        )

    # Results

    def summary(self, measured: list[Measured], floor: Timing) -> list[Verdict]:
        self.heading(f"Tổng hợp ({connection.vendor}, {self.runs} lần đo mỗi tài khoản)")
        rows = []
        verdicts = []
        for m in measured:
            t = m.timing
            rows.append(
                (
                    f"{m.username} ({m.scope})",
                    vn_number(m.rows),
                    ms(t.p50),
                    ms(t.p95),
                    ms(t.worst),
                    ms(statistics.median(m.selector_ms)),
                    ms(statistics.median(m.sql_ms)),
                    span(t.queries),
                    f"{t.p50 / floor.p50:.0f}×",
                    ratio_text(t.p95 / TARGET_MS),
                )
            )
            ratio = t.p95 / TARGET_MS
            verdicts.append(
                Verdict(
                    f"Trang phát hiện p95 ({m.username}, {m.scope})",
                    "< 500 ms",
                    f"p50 {ms(t.p50)}, p95 {ms(t.p95)}",
                    ratio,
                    ratio <= 1.0,
                    f"{floor_ms(floor.p50)} (healthz)",
                )
            )
        self.say(
            table(
                rows,
                (
                    "Tài khoản",
                    "Số dòng",
                    "p50",
                    "p95",
                    "max",
                    "Bộ chọn p50",
                    "SQL p50",
                    "Số truy vấn",
                    "p50 / mức sàn",
                    "p95 / 500 ms",
                ),
            )
        )
        self.say(f"Mức sàn (core:healthz): p50 {floor_ms(floor.p50)}.")
        self.say("")
        self.say(
            table(
                [
                    (v.label, v.target, v.measured, ratio_text(v.ratio), "ĐẠT" if v.passed else "KHÔNG ĐẠT")
                    for v in verdicts
                ],
                ("Chỉ tiêu", "Mục tiêu", "Đo được", "Tỉ lệ", "Kết quả"),
            )
        )
        return verdicts

    def write_json(self, path: str, measured: list[Measured], floor: Timing, verdicts: list[Verdict]) -> None:
        suite = f"phát hiện ({connection.vendor})"
        write_verdicts(path, suite, verdicts)
        # The rows of the benchmarks' common table (thidua.demo.benchtable), each with its figures.
        out = json.loads(Path(path).read_text(encoding="utf-8"))
        for row, m in zip(out, measured, strict=True):
            row["figures"] = {
                "username": m.username,
                "year": m.year,
                "runs": len(m.timing.samples_ms),
                "p50_ms": round(m.timing.p50, 1),
                "p95_ms": round(m.timing.p95, 1),
                "max_ms": round(m.timing.worst, 1),
                "selector_p50_ms": round(statistics.median(m.selector_ms), 1),
                "sql_p50_ms": round(statistics.median(m.sql_ms), 1),
                "queries": sorted(set(m.timing.queries)),
                "rows": m.rows,
                "checked": m.checked,
                "floor_p50_ms": round(floor.p50, 2),
                "samples_ms": [round(s, 1) for s in m.timing.samples_ms],
            }
        write_rows(path, out)
        self.say(f"Đã ghi số đo vào {path}.")

    def write_found_rows(self, path: str) -> None:
        filters = self.filters()
        found = {}
        for username, _scope in ACCOUNTS:
            result = discovery.discovery(
                user=self.demo_user(username), filters=filters, as_of=timezone.localdate()
            )
            # Everything a row shows, its explanation included: the check is of the page, not of the ids.
            found[username] = [
                {
                    "person": row.person.pk,
                    "award": row.award,
                    "name": row.award_name,
                    "unit": row.person.unit.name,
                    "area": row.area_flags,
                    "reason": row.reason,
                    "judgments": row.judgments,
                    "confirmed": row.confirmed,
                }
                for row in result.rows
            ]
        Path(path).write_text(json.dumps({"year": filters.year, "rows": found}, ensure_ascii=False))
        self.say(f"Đã ghi các dòng tìm được vào {path}.")
