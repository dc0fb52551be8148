"""`thidua bench`: the performance figures of the product on a scaled demo province.

Not a test: it prints a table of measured figures against the targets of the product brief
(search p95 < 100 ms, profile p95 < 150 ms with a constant query count, the dashboard of every role
p95 < 150 ms with a constant query count, each page's p50 within 10× the bare view's, an import of
100,000 rows < 60 s, the default demo load < 60 s). `page_figures()` returns the same figures as data,
and `--json` writes them for `make bench-all`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.accounts.two_factor import bench_login
from thidua.awards.models import AwardRecord, Decision, Initiative
from thidua.core import dataversion
from thidua.core.text import fold
from thidua.demo.benchtable import write_verdicts
from thidua.demo.generator import vn_number
from thidua.demo.loader import DemoError, demo_load, existing_load
from thidua.demo.management.commands.demo import table
from thidua.organisation.models import Person, Unit

DEFAULT_PEOPLE = 140_000
TARGET_DEMO_SECONDS = 60.0
TARGET_SEARCH_MS = 100.0
TARGET_PROFILE_MS = 150.0
TARGET_IMPORT_SECONDS = 60.0
TARGET_DASHBOARD_MS = 150.0
# Unloaded, a page's p50 within this many times the bare view's p50 (the floor) measured in the same run.
TARGET_FLOOR_RATIO = 10.0
# The demo logins of each role, as the README lists them.
DASHBOARD_ROLES = ("quantri", "chuyenvien", "hoidong", "chutich", "khoitruong", "thutruong", "canbo")


@dataclass
class Timing:
    label: str
    samples_ms: list[float]
    queries: list[int]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples_ms)
        # Nearest rank: the smallest sample with at least `share` of the samples at or below it.
        rank = max(1, -(-len(ordered) * share // 1))
        return ordered[int(rank) - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def worst(self) -> float:
        return max(self.samples_ms)


@dataclass
class Verdict:
    label: str
    target: str
    measured: str
    ratio: float | None
    passed: bool
    floor: str = ""


@dataclass
class PageFigures:
    """What `thidua bench` measured: every verdict of its summary, and the timings behind them."""

    verdicts: list[Verdict] = field(default_factory=list)
    timings: dict[str, Timing] = field(default_factory=dict)
    floor_ms: float | None = None


def page_figures(**options: Any) -> PageFigures:
    """Run the benchmark (the options of `thidua bench`, e.g. samples=20, skip_import=True) on the
    configured database and return its figures as data; its report goes nowhere unless `stdout` is
    given."""
    command = Command(stdout=options.pop("stdout", None) or io.StringIO(), no_color=True)
    defaults = {
        "people": DEFAULT_PEOPLE,
        "samples": 60,
        "seed": 2026,
        "import_rows": 100_000,
        "skip_default_load": False,
        "skip_import": False,
        "strict": False,
        "json": None,
    }
    return command.run(**{**defaults, **options})


def _span(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def ms(value: float) -> str:
    return f"{value:.1f} ms".replace(".", ",")


def seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Đo hiệu năng trên tỉnh mẫu phóng to (khoảng 1 triệu bản ghi khen thưởng): thời gian nạp tỉnh mẫu "
        "mặc định, độ trễ tìm kiếm và trang hồ sơ cá nhân (p50/p95, số truy vấn), nhập 100.000 dòng Excel. "
        "Chạy trên cơ sở dữ liệu của DATABASE_URL: hãy trỏ vào một cơ sở dữ liệu NHÁP (trống hoặc đã có "
        "tỉnh mẫu), không bao giờ vào cơ sở dữ liệu thật. Phần nhập dữ liệu được hoàn tác sau khi đo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"số cá nhân của tỉnh mẫu phóng to nếu cơ sở dữ liệu còn trống (mặc định {DEFAULT_PEOPLE})",
        )
        parser.add_argument("--samples", type=int, default=60, help="số lần đo mỗi trang (mặc định 60)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống của tỉnh mẫu (mặc định 2026)")
        parser.add_argument(
            "--import-rows", type=int, default=100_000, help="số dòng tệp nhập (mặc định 100.000)"
        )
        parser.add_argument(
            "--skip-default-load", action="store_true", help="bỏ qua đo nạp tỉnh mẫu mặc định"
        )
        parser.add_argument("--skip-import", action="store_true", help="bỏ qua đo nhập tệp Excel")
        parser.add_argument(
            "--strict", action="store_true", help="trả mã lỗi khác 0 nếu có chỉ tiêu không đạt"
        )
        parser.add_argument("--json", help="ghi các chỉ tiêu ra tệp JSON này (cho make bench-all)")

    def handle(self, *args: Any, **options: Any) -> None:
        figures = self.run(**options)
        if options["strict"] and not all(v.passed for v in figures.verdicts):
            raise CommandError("Có chỉ tiêu hiệu năng không đạt.")

    def run(self, **options: Any) -> PageFigures:
        self.samples = max(4, options["samples"])
        self.verdicts: list[Verdict] = []
        self.timings: dict[str, Timing] = {}
        vendor = connection.vendor
        self.heading(f"Đo hiệu năng Thi Đua trên {vendor} ({connection.settings_dict.get('NAME')})")
        call_command("migrate", interactive=False, verbosity=0)
        if not options["skip_default_load"]:
            self.bench_default_load()
        self.ensure_scaled(options["people"], options["seed"])
        specialist = self.specialist()
        client = Client()
        bench_login(client, specialist)
        self.bench_floor(client)
        self.bench_search(client)
        self.bench_profile(client)
        self.bench_dashboards()
        self.bench_reports()
        if not options["skip_import"]:
            self.bench_import(specialist, options["import_rows"])
        self.summary()
        if options.get("json"):
            write_verdicts(options["json"], f"trang ({vendor})", self.verdicts)
        return PageFigures(verdicts=self.verdicts, timings=self.timings, floor_ms=self.floor_ms)

    # Output

    def heading(self, text: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(text))

    def say(self, text: str) -> None:
        self.stdout.write(text)

    def verdict(
        self,
        label: str,
        target: str,
        measured: str,
        value: float | None,
        limit: float | None,
        floor: str = "",
    ) -> None:
        ratio = value / limit if value is not None and limit else None
        passed = ratio is not None and ratio <= 1.0
        self.verdicts.append(Verdict(label, target, measured, ratio, passed, floor))

    def floor_label(self) -> str:
        return f"{self.floor_ms:.2f} ms (healthz)".replace(".", ",")

    def floor_line(self, timing: Timing) -> str:
        return (
            f"p50 gấp {timing.p50 / self.signed_in_ms:.0f} lần trang trần sau đăng nhập "
            f"({ms(self.signed_in_ms)}), {timing.p50 / self.floor_ms:.0f} lần healthz ({self.floor_label()})"
        )

    def floor_verdict(self, label: str, timing: Timing) -> None:
        """A staff page's p50 against the signed-in bare view's p50 of this run (the ratio column is
        (p50/floor)/10); its ratio to /healthz is shown beside it."""
        times = timing.p50 / self.signed_in_ms
        self.verdict(
            f"{label} p50 / mức sàn",
            f"≤ {TARGET_FLOOR_RATIO:.0f}× mức sàn",
            f"{ms(timing.p50)} = {times:.0f}× (healthz: {timing.p50 / self.floor_ms:.0f}×)".replace(".", ","),
            times,
            TARGET_FLOOR_RATIO,
            f"{self.signed_in_ms:.2f} ms (trang trần sau đăng nhập)".replace(".", ","),
        )

    # (a) The default demo load, in a fresh SQLite file, as a user runs it.

    def bench_default_load(self) -> None:
        self.heading("(a) Nạp tỉnh mẫu mặc định (5.000 cá nhân) vào một tệp SQLite mới")
        workdir = tempfile.mkdtemp(prefix="thidua-bench-demo-")
        try:
            env = dict(os.environ)
            env["DATABASE_URL"] = f"sqlite:///{workdir}/demo.sqlite3"
            env["THIDUA_HOME"] = workdir
            command = [sys.executable, "-m", "thidua.cli", "demo"]
            started = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - started
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if done.returncode != 0:
            self.say(done.stdout[-2000:] + done.stderr[-2000:])
            self.verdict("Nạp tỉnh mẫu mặc định", "< 60 s", "lỗi", None, TARGET_DEMO_SECONDS)
            return
        found = re.search(r"Đã nạp tỉnh mẫu trong ([\d,]+) giây", done.stdout)
        inner = float(found.group(1).replace(",", ".")) if found else None
        rows = [
            ("Lệnh", "DATABASE_URL=sqlite:///<thư mục tạm>/demo.sqlite3 thidua demo"),
            ("Tổng thời gian (cả tạo bảng)", seconds(wall)),
            ("Riêng phần nạp dữ liệu", seconds(inner) if inner is not None else "?"),
        ]
        self.say(table(rows, ("Chỉ số", "Giá trị")))
        self.verdict(
            "Nạp tỉnh mẫu mặc định (5.000 người)", "< 60 s", seconds(wall), wall, TARGET_DEMO_SECONDS
        )

    # (b) The scaled province in the configured database.

    def ensure_scaled(self, people: int, seed: int) -> None:
        self.heading("(b) Tỉnh mẫu phóng to trong cơ sở dữ liệu đo")
        load = existing_load()
        if load is None:
            if Unit.objects.exists():
                raise CommandError(
                    "Cơ sở dữ liệu này có dữ liệu nhưng không phải tỉnh mẫu. Hãy trỏ DATABASE_URL vào "
                    "một cơ sở dữ liệu nháp."
                )
            self.say(f"Cơ sở dữ liệu còn trống: nạp tỉnh mẫu {vn_number(people)} cá nhân…")
            started = time.perf_counter()
            try:
                demo_load(people=people, seed=seed, progress=self.say)
            except DemoError as error:
                raise CommandError(str(error)) from error
            elapsed = time.perf_counter() - started
            self.say(f"Đã nạp trong {seconds(elapsed)}.")
        else:
            self.say(
                f"Dùng tỉnh mẫu đã nạp: {vn_number(load.people)} cá nhân, hạt giống {load.seed}"
                + ("" if load.people == people else f" (không nạp lại {vn_number(people)} cá nhân).")
            )
        # A freshly filled database has no planner statistics; PostgreSQL's autovacuum (or a DBA on
        # SQLite) gathers them soon after a load, so the pages are measured with them. Autovacuum also
        # marks the pages all-visible, which index-only scans (the people count, short search words)
        # need: VACUUM does it now, as it would have been done by the time users arrive.
        # (VACUUM cannot run inside a transaction, as under the test suite: ANALYZE alone there.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        statement = "VACUUM ANALYZE" if vacuum else "ANALYZE"
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        self.say(f"{statement}: {seconds(time.perf_counter() - started)}.")
        self.award_count = AwardRecord.objects.count()
        rows = [
            ("Cá nhân", vn_number(Person.objects.count())),
            ("Đơn vị", vn_number(Unit.objects.count())),
            ("Quyết định", vn_number(Decision.objects.count())),
            ("Bản ghi khen thưởng", vn_number(self.award_count)),
        ]
        self.say(table(rows, ("Bảng", "Số dòng")))

    def specialist(self) -> User:
        user = User.objects.filter(role=Role.BOARD_SPECIALIST, is_active=True).order_by("id").first()
        if user is None:
            raise CommandError("Không có tài khoản chuyên viên Ban Thi đua – Khen thưởng để đo.")
        return user

    # Timing of pages

    def measure(
        self,
        label: str,
        client: Client,
        requests: list[tuple[str, dict[str, Any]]],
        before: Callable[[], object] | None = None,
    ) -> Timing:
        """`before` runs ahead of each timed request, outside the timing (a cache to empty)."""
        # One untimed request first: templates compile and caches fill once per process, not per page.
        url, params = requests[0]
        client.get(url, params)
        timing = Timing(label, [], [])
        for url, params in requests:
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url} {params} trả về mã {response.status_code}.")
            timing.samples_ms.append(elapsed)
            timing.queries.append(len(captured.captured_queries))
        self.timings[label] = timing
        return timing

    def bench_floor(self, client: Client) -> None:
        """The bare view (core:healthz: no database, session or template) through the same test client
        and middleware: the floor every page's p50 is compared with, in the same run."""
        self.heading("(c0) Mức sàn: trang trống (core:healthz) qua cùng test client và middleware")
        url = reverse("core:healthz")
        timing = self.measure("healthz", client, [(url, {})] * max(50, self.samples * 5))
        self.floor_ms = timing.p50
        count = len(timing.samples_ms)
        self.say(f"p50 {ms(timing.p50)}, p95 {ms(timing.p95)}, max {ms(timing.worst)}, {count} lần")
        # The staff pages' own floor: an empty page behind the login, which pays what every signed-in
        # request pays (the session, the account, the second factor) and nothing else.
        self.heading("(c0') Mức sàn của trang cán bộ: trang trống sau đăng nhập (core:bare_signed_in)")
        with override_settings(THIDUA_BENCH_VIEWS=True):
            url = reverse("core:bare_signed_in")
            timing = self.measure("bare_signed_in", client, [(url, {})] * max(50, self.samples * 5))
        self.signed_in_ms = timing.p50
        self.say(f"p50 {ms(timing.p50)}, p95 {ms(timing.p95)}, max {ms(timing.worst)}, {count} lần")

    def search_terms(self, count: int) -> list[tuple[str, str]]:
        """(kind, term): names folded and accented, common name beginnings, units and decision numbers."""
        rng = random.Random(20_260)
        ids = list(
            Person.objects.order_by("id").values_list("id", flat=True)[
                :: max(1, Person.objects.count() // 500)
            ]
        )
        people = list(Person.objects.filter(id__in=rng.sample(ids, min(len(ids), count))).order_by("id"))
        units = list(Unit.objects.order_by("id").values_list("name", flat=True))
        decisions = list(Decision.objects.order_by("id").values_list("number", flat=True)[:5000])
        starts = ["nguyen van", "lo thi", "giang a", "tran thi", "lo van", "vang seo", "tan lao", "lu thi"]
        terms: list[tuple[str, str]] = []
        kinds: list[Callable[[int], tuple[str, str]]] = [
            lambda i: ("họ tên không dấu", fold(people[i % len(people)].full_name)),
            lambda i: ("họ tên có dấu", people[i % len(people)].full_name),
            lambda i: ("đầu họ tên", starts[i % len(starts)]),
            lambda i: (
                "tên và họ",
                fold(f"{people[i % len(people)].given_name} {people[i % len(people)].family_name}"),
            ),
            lambda i: ("đơn vị", rng.choice(units)),
            lambda i: ("đơn vị không dấu", fold(rng.choice(units))),
            lambda i: ("số quyết định", rng.choice(decisions)),
        ]
        for i in range(count):
            terms.append(kinds[i % len(kinds)](i))
        return terms

    def bench_search(self, client: Client) -> None:
        self.heading("(c) Tìm kiếm (awards:search), chuyên viên Ban, toàn tỉnh")
        url = reverse("awards:search")
        terms = self.search_terms(self.samples)
        timing = self.measure("search", client, [(url, {"q": term}) for _kind, term in terms])
        by_kind: dict[str, list[float]] = {}
        for (kind, _term), sample in zip(terms, timing.samples_ms, strict=True):
            by_kind.setdefault(kind, []).append(sample)
        rows = [(kind, str(len(v)), ms(statistics.median(v)), ms(max(v))) for kind, v in by_kind.items()]
        self.say(table(rows, ("Loại từ khóa", "Số lần", "p50", "max")))
        slowest = sorted(zip(timing.samples_ms, terms, timing.queries, strict=True), reverse=True)[:3]
        self.say("Chậm nhất: " + "; ".join(f"«{t[1]}» {ms(s)} ({q} truy vấn)" for s, t, q in slowest))
        self.say(
            f"p50 {ms(timing.p50)}, p95 {ms(timing.p95)}, max {ms(timing.worst)}; "
            f"số truy vấn mỗi trang: {min(timing.queries)}–{max(timing.queries)}"
        )
        self.say(self.floor_line(timing))
        self.verdict(
            "Tìm kiếm p95", "< 100 ms", ms(timing.p95), timing.p95, TARGET_SEARCH_MS, self.floor_label()
        )
        self.floor_verdict("Tìm kiếm", timing)

    def bench_profile(self, client: Client) -> None:
        self.heading("(d) Trang hồ sơ cá nhân (organisation:person_detail)")
        per_person = AwardRecord.objects.filter(person__isnull=False).values("person").annotate(n=Count("id"))
        half = max(2, self.samples // 2)
        most = list(per_person.order_by("-n", "person")[:half].values_list("person", "n"))
        # The page runs one more query when the person has initiatives (their uses are prefetched), so
        # the people with one award are taken half with initiatives, half without, like the others.
        singles = list(per_person.filter(n=1).order_by("person")[: half * 50].values_list("person", "n"))
        if not singles:
            singles = list(per_person.order_by("n", "person")[: half * 50].values_list("person", "n"))
        authors = set(
            Initiative.objects.filter(person_id__in=[p for p, _n in singles]).values_list(
                "person_id", flat=True
            )
        )
        with_initiatives = [s for s in singles if s[0] in authors][: half // 2]
        few = with_initiatives + [s for s in singles if s[0] not in authors][: half - len(with_initiatives)]
        people = few + most
        requests: list[tuple[str, dict[str, str]]] = [
            (reverse("organisation:person_detail", args=[pk]), {}) for pk, _n in people
        ]
        timing = self.measure("profile", client, requests)
        few_part = Timing("few", timing.samples_ms[: len(few)], timing.queries[: len(few)])
        most_part = Timing("most", timing.samples_ms[len(few) :], timing.queries[len(few) :])
        rows = [
            (
                f"Ít khen thưởng ({few[0][1]})",
                str(len(few)),
                ms(few_part.p50),
                ms(few_part.p95),
                ms(few_part.worst),
                f"{min(few_part.queries)}–{max(few_part.queries)}",
            ),
            (
                f"Nhiều khen thưởng nhất ({most[-1][1]}–{most[0][1]})",
                str(len(most)),
                ms(most_part.p50),
                ms(most_part.p95),
                ms(most_part.worst),
                f"{min(most_part.queries)}–{max(most_part.queries)}",
            ),
            (
                "Tất cả",
                str(len(people)),
                ms(timing.p50),
                ms(timing.p95),
                ms(timing.worst),
                f"{min(timing.queries)}–{max(timing.queries)}",
            ),
        ]
        self.say(table(rows, ("Nhóm (số khen thưởng)", "Số lần", "p50", "p95", "max", "Số truy vấn")))
        self.say(self.floor_line(timing))
        self.verdict(
            "Trang hồ sơ p95", "< 150 ms", ms(timing.p95), timing.p95, TARGET_PROFILE_MS, self.floor_label()
        )
        self.floor_verdict("Trang hồ sơ", timing)
        # Constant means the count does not grow with the awards: the people with the most awards
        # need no query that the people with one award do not also need.
        constant = set(most_part.queries) <= set(few_part.queries)
        self.say(
            "Số truy vấn chỉ khác nhau 1 khi cá nhân có sáng kiến (truy vấn lấy các lần sử dụng sáng kiến), "
            "không phụ thuộc số khen thưởng."
            if len(set(timing.queries)) > 1
            else "Mọi trang hồ sơ có cùng số truy vấn."
        )
        self.verdicts.append(
            Verdict(
                "Số truy vấn trang hồ sơ không đổi",
                "không tăng theo số khen thưởng",
                f"1 khen thưởng: {_span(few_part.queries)}; "
                f"{most[0][1]} khen thưởng: {_span(most_part.queries)}",
                None,
                constant,
            )
        )

    # (d2) The dashboard, where every user lands after logging in.

    def bench_dashboards(self) -> None:
        self.heading("(d2) Trang Tổng quan (core:dashboard) của từng vai trò")
        url = reverse("core:dashboard")
        users = {u.username: u for u in User.objects.filter(username__in=DASHBOARD_ROLES, is_active=True)}
        rows = []
        timings: list[tuple[User, Timing]] = []
        for username in DASHBOARD_ROLES:
            user = users.get(username)
            if user is None:
                continue
            client = Client()
            bench_login(client, user)
            # Judged computed afresh, as after any change in the province (the data version replaced before
            # each request); the same page served again from the cache is shown beside it.
            timing = self.measure(
                f"dashboard:{username}", client, [(url, {})] * self.samples, before=dataversion.bump
            )
            cached = self.measure(f"dashboard-cached:{username}", client, [(url, {})] * self.samples)
            timings.append((user, timing))
            rows.append(
                (
                    f"{user.get_role_display()} ({username})",
                    ms(timing.p50),
                    ms(timing.p95),
                    ms(timing.worst),
                    f"{timing.p50 / self.signed_in_ms:.0f}×",
                    _span(timing.queries),
                    ms(cached.p50),
                    f"{cached.p50 / self.signed_in_ms:.1f}×",
                    _span(cached.queries),
                )
            )
        if not timings:
            raise CommandError("Không có tài khoản mẫu nào để đo trang Tổng quan.")
        self.say(
            table(
                rows,
                (
                    "Vai trò",
                    "p50",
                    "p95",
                    "max",
                    "p50/sàn đăng nhập",
                    "Số truy vấn",
                    "p50 từ bộ nhớ đệm",
                    "/sàn",
                    "Số truy vấn (đệm)",
                ),
            )
        )
        slowest_user, slowest = max(timings, key=lambda t: t[1].p95)
        self.verdict(
            "Tổng quan p95, mọi vai trò",
            "< 150 ms",
            f"{ms(slowest.p95)} ({slowest_user.username})",
            slowest.p95,
            TARGET_DASHBOARD_MS,
            self.floor_label(),
        )
        median_user, median = max(timings, key=lambda t: t[1].p50)
        self.floor_verdict(f"Tổng quan ({median_user.username})", median)
        # Constant: a role's page asks the same queries every time; the suite also checks that the count
        # does not grow when records are added (tests/core/test_dashboard.py).
        spans = {user.username: set(t.queries) for user, t in timings}
        self.verdicts.append(
            Verdict(
                "Số truy vấn trang Tổng quan không đổi",
                "như nhau ở mọi lần, mỗi vai trò",
                ", ".join(f"{name} {_span(sorted(q))}" for name, q in spans.items()),
                None,
                all(len(q) == 1 for q in spans.values()),
            )
        )

    # (d3) The reports: charts counted by the database over each role's scope, and the builder.

    def bench_reports(self) -> None:
        self.heading("(d3) Biểu đồ, thống kê (reports:dashboard) và báo cáo tự chọn của từng vai trò")
        pages: tuple[tuple[str, str, dict[str, Any]], ...] = (
            ("biểu đồ", reverse("reports:dashboard"), {}),
            (
                "tự chọn",
                reverse("reports:builder"),
                {"dim": ["unit", "award_type", "ethnic_minority"]},
            ),
        )
        users = {u.username: u for u in User.objects.filter(username__in=DASHBOARD_ROLES, is_active=True)}
        rows = []
        spans: dict[str, set[int]] = {}
        for username in DASHBOARD_ROLES:
            user = users.get(username)
            if user is None:
                continue
            client = Client()
            bench_login(client, user)
            for name, url, params in pages:
                timing = self.measure(f"reports:{name}:{username}", client, [(url, params)] * self.samples)
                spans[f"{name} {username}"] = set(timing.queries)
                rows.append(
                    (
                        f"{name}: {user.get_role_display()} ({username})",
                        ms(timing.p50),
                        ms(timing.p95),
                        ms(timing.worst),
                        _span(timing.queries),
                    )
                )
        self.say(table(rows, ("Trang, vai trò", "p50", "p95", "max", "Số truy vấn")))
        # tests/reports/ check that the count does not grow when records are added.
        self.verdicts.append(
            Verdict(
                "Số truy vấn trang báo cáo không đổi",
                "như nhau ở mọi lần, mỗi vai trò",
                ", ".join(f"{name} {_span(sorted(q))}" for name, q in spans.items()),
                None,
                all(len(q) == 1 for q in spans.values()),
            )
        )

    # (e) Import of 100,000 rows, rolled back.

    def bench_import(self, actor: User, row_count: int) -> None:
        from thidua.imports.services import import_commit, import_validate
        from thidua.imports.templates_spec import generate_awards_workbook

        self.heading(f"(e) Nhập {vn_number(row_count)} dòng khen thưởng từ Excel (hoàn tác sau khi đo)")
        people = list(
            Person.objects.filter(identity_number__isnull=False)
            .order_by("id")
            .values_list("identity_number", "full_name")[:row_count]
        )
        if not people:
            raise CommandError("Không có cá nhân có số CCCD để tạo tệp nhập.")
        rows = []
        decision_day = dt.date(2026, 10, 15)
        for n in range(row_count):
            number, name = people[n % len(people)]
            rows.append(
                {
                    "recipient_kind": "Cá nhân",
                    "identity_number": number,
                    "full_name": name,
                    "award": "GK",
                    "year": 2025,
                    "commendation_kind": "Chuyên đề",
                    "decision_number": f"{9000 + n // 1000}/QĐ-BENCH",
                    "decision_date": decision_day,
                    "issuing_authority": "Sở Nội vụ tỉnh Lai Châu",
                    "signer_name": "Người ký đo hiệu năng",
                    "signer_title": "Giám đốc",
                    "reason": "Đã có thành tích trong phong trào thi đua chuyên đề (dữ liệu đo hiệu năng)",
                }
            )
        started = time.perf_counter()
        data = generate_awards_workbook(rows)
        build = time.perf_counter() - started
        size = len(data)
        limit = settings.THIDUA_IMPORT_MAX_BYTES
        self.say(
            f"Tệp: {vn_number(size // 1024)} KB, tạo trong {seconds(build)} (không tính vào thời gian nhập)."
        )
        if size > limit:
            self.say(
                f"Lưu ý: tệp lớn hơn giới hạn tải lên {vn_number(limit // 1024)} KB "
                "(THIDUA_IMPORT_MAX_BYTES); khi đo tạm nâng giới hạn."
            )
        media = tempfile.mkdtemp(prefix="thidua-bench-media-")
        validate_s = commit_s = 0.0
        created = 0
        errors: list[Any] = []
        try:
            with (
                override_settings(MEDIA_ROOT=media, THIDUA_IMPORT_MAX_BYTES=max(limit, size + 1)),
                transaction.atomic(),
            ):
                started = time.perf_counter()
                validation = import_validate(actor=actor, kind="awards", file_name="bench.xlsx", data=data)
                validate_s = time.perf_counter() - started
                errors = list(validation.errors) or ([validation.file_error] if validation.file_error else [])
                if validation.batch is not None and not errors:
                    started = time.perf_counter()
                    batch = import_commit(actor=actor, batch=validation.batch)
                    if connection.vendor == "postgresql":
                        # The rollback below would skip the deferred foreign-key checks a real commit
                        # pays for; run them now so the figure includes them.
                        with connection.cursor() as cursor:
                            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    commit_s = time.perf_counter() - started
                    created = AwardRecord.objects.filter(import_batch=batch).count()
                # Only the figures are kept: the bench database leaves this step as it came in.
                transaction.set_rollback(True)
        finally:
            shutil.rmtree(media, ignore_errors=True)
        if errors:
            self.say(f"Tệp bị từ chối ({len(errors)} lỗi), ví dụ: {errors[:3]}")
            self.verdict("Nhập 100.000 dòng", "< 60 s", "lỗi", None, TARGET_IMPORT_SECONDS)
            return
        total = validate_s + commit_s
        rows_out = [
            ("Kiểm tra (import_validate)", seconds(validate_s)),
            ("Ghi vào sổ (import_commit, kiểm tra lại cả tệp)", seconds(commit_s)),
            ("Tổng", seconds(total)),
            ("Bản ghi đã tạo rồi hoàn tác", vn_number(created)),
        ]
        self.say(table(rows_out, ("Bước", "Thời gian")))
        self.verdict(
            f"Nhập {vn_number(row_count)} dòng", "< 60 s", seconds(total), total, TARGET_IMPORT_SECONDS
        )

    def summary(self) -> None:
        self.heading(
            f"Tổng hợp (quy mô: {vn_number(self.award_count)} bản ghi khen thưởng, {connection.vendor})"
        )
        rows = [
            (
                v.label,
                v.measured,
                v.floor or "–",
                f"{v.ratio:.2f}".replace(".", ",") if v.ratio is not None else "–",
                v.target,
                "ĐẠT" if v.passed else "KHÔNG ĐẠT",
            )
            for v in self.verdicts
        ]
        self.say(table(rows, ("Chỉ tiêu", "Đo được", "Mức sàn", "Tỉ lệ", "Mục tiêu", "Kết quả")))
