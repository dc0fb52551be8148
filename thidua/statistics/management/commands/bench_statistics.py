"""`thidua bench_statistics`: how long each central statistical form (biểu 0601–0605.N/BNV-TĐKT) takes
for the whole province and for one department, on a scaled demo province.

Not a test: it prints measured figures against the target of issue 12 (every form under 5 s with
1,000,000 award records), the number of queries of each table, and the first page of the drill-down of
the form's total. A last line times the same grouped count over every award record of every level (the
forms 0602 and 0603 only read their own levels), the worst case of the method. It reads only: the demo
province is loaded on the first run (`thidua demo --people N`) and kept.
"""

from __future__ import annotations

import statistics as stats
import time
from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.awards.models import AwardRecord, AwardType
from thidua.demo.generator import vn_number
from thidua.demo.loader import DemoError, demo_load, existing_load
from thidua.demo.management.commands.bench import seconds
from thidua.demo.management.commands.demo import table
from thidua.organisation.authorities import province_authority
from thidua.organisation.models import Authority
from thidua.statistics import selectors
from thidua.statistics.definitions import F0603, FORMS, Line, StatForm
from thidua.statistics.selectors import Period

DEFAULT_PEOPLE = 140_000
TARGET_SECONDS = 5.0


def _every_award_form() -> StatForm:
    codes = tuple(AwardType.objects.values_list("code", flat=True))
    every = Line("every", "every", "", {"award": codes})
    return replace(F0603, levels=("co_so", "tinh", "nha_nuoc"), columns=(F0603.columns[0], every))


class Command(BaseCommand):
    help = (
        "Đo thời gian lập các biểu thống kê 0601–0605.N/BNV-TĐKT cho toàn tỉnh và cho một sở trên tỉnh mẫu "
        "phóng to (mặc định 140.000 cá nhân, khoảng 1,3 triệu bản ghi khen thưởng); "
        "mục tiêu mỗi biểu dưới 5 giây."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="Số cá nhân của tỉnh mẫu.")
        parser.add_argument("--repeat", type=int, default=3, help="Số lần đo mỗi biểu (lấy trung vị).")
        parser.add_argument("--first-year", type=int, default=2017)
        parser.add_argument("--last-year", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        people = options["people"]
        previous = existing_load()
        if previous is None:
            self.stdout.write(f"Nạp tỉnh mẫu {vn_number(people)} cá nhân (chỉ lần đầu)…")
            try:
                demo_load(people=people, history=False, progress=self.stdout.write)
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
        elif previous.people != people:
            self.stdout.write(f"Dùng tỉnh mẫu đã nạp: {vn_number(previous.people)} cá nhân.")
        # A freshly loaded database has no planner statistics yet; autovacuum would gather them soon after
        # a load, as `thidua bench` does now (VACUUM cannot run in a transaction: ANALYZE alone there).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        statement = "VACUUM ANALYZE" if vacuum else "ANALYZE"
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        self.stdout.write(f"{statement}: {seconds(time.perf_counter() - started)}.")
        province = province_authority()
        if province is None:
            raise CommandError("Cơ sở dữ liệu không có UBND tỉnh.")
        department = Authority.objects.filter(unit__code="LC.SYT").select_related("unit").first()
        period = Period(options["first_year"], options["last_year"])
        awards = AwardRecord.objects.count()
        self.stdout.write(
            f"{connection.vendor}: {vn_number(awards)} bản ghi khen thưởng; kỳ báo cáo {period}; "
            f"mỗi biểu đo {options['repeat']} lần, lấy trung vị."
        )
        rows: list[list[str]] = []
        forms = [(f"Biểu {f.code}", f) for f in FORMS.values()]
        forms.append(("Mọi khen thưởng (mọi cấp)", _every_award_form()))
        for label, form in forms:
            for authority in (province, department):
                if authority is None:
                    continue
                rows.append(self._measure(label, form, authority, period, options["repeat"]))
        self.stdout.write(
            table(
                rows,
                [
                    "Biểu",
                    "Đơn vị báo cáo",
                    "Số bản ghi được đếm",
                    "Truy vấn",
                    "Trung vị",
                    "Chậm nhất",
                    "Ô tổng: trang 1",
                    "Đạt (< 5 s)",
                ],
            )
        )

    def _measure(
        self, label: str, form: StatForm, authority: Authority, period: Period, repeat: int
    ) -> list[str]:
        samples = []
        queries = 0
        table_ = None
        for _ in range(max(1, repeat)):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                table_ = selectors.build_table(form=form, authority=authority, period=period)
                samples.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        assert table_ is not None
        started = time.perf_counter()
        records = selectors.cell_records(
            form=form, authority=authority, period=period, row="total", column="total"
        )
        counted = records.count()
        selectors.with_related(form, list(records.values_list("pk", flat=True)[:50]))
        drill = time.perf_counter() - started
        median = stats.median(samples)
        return [
            label,
            authority.name,
            vn_number(table_.value("total", "total")),
            str(queries),
            seconds(median),
            seconds(max(samples)),
            f"{seconds(drill)} ({vn_number(counted)})",
            "đạt" if max(samples) < TARGET_SECONDS else "KHÔNG ĐẠT",
        ]
