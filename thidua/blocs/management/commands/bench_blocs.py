"""`thidua bench_blocs`: the blocs' ranking and scoring grid at the issue's size.

Not a test: it prints figures against the targets of issue 11: ranking 40 blocs × 15 units × 60 criteria in
under 1 s, and the scoring grid of one bloc (15 units × 60 criteria) under 300 ms at the 95th percentile
with a number of queries that does not depend on the size. Everything it writes (a province if there is
none, the blocs, sheets and scores, in bulk) lives in one transaction rolled back at the end.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import Role, User
from thidua.accounts.two_factor import bench_login
from thidua.blocs import ranking, services
from thidua.blocs.models import Score, ScoreSheet, SheetGroup, SheetItem, UnitSheet
from thidua.blocs.workflow import ItemKind, SheetState, UnitSheetState
from thidua.demo.management.commands.bench import Timing, ms
from thidua.organisation.models import (
    Authority,
    AuthorityLevel,
    Bloc,
    BlocMembership,
    BlocRole,
    Unit,
    UnitKind,
)

TARGET_RANKING_S = 1.0
TARGET_GRID_MS = 300.0


class Command(BaseCommand):
    help = (
        "Đo xếp hạng 40 khối × 15 đơn vị × 60 tiêu chí (mục tiêu < 1 giây) và bảng điểm của một khối "
        "15 đơn vị × 60 tiêu chí (mục tiêu p95 < 300 ms, số truy vấn không đổi). Chạy trên cơ sở dữ liệu "
        "NHÁP của DATABASE_URL; mọi dữ liệu đo được hoàn tác khi xong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--blocs", type=int, default=40)
        parser.add_argument("--units", type=int, default=15)
        parser.add_argument("--criteria", type=int, default=60)
        parser.add_argument("--samples", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        blocs, units, criteria = options["blocs"], options["units"], options["criteria"]
        self.stdout.write(f"Đo trên {connection.vendor}: {blocs} khối × {units} đơn vị × {criteria} tiêu chí")
        with transaction.atomic():
            board = self.board()
            rng = random.Random(11)
            year = timezone.localdate().year
            sheets = [self.build(board, rng, f"{i:02d}", year, units, criteria) for i in range(blocs)]
            small = self.build(board, rng, "NHO", year, 3, 5)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

            # The ranking, whole: read each sheet's scores and rank its units (what publishing does).
            ranking_runs = []
            for _ in range(3):
                started = time.perf_counter()
                results = [services.current_ranking(ScoreSheet.objects.get(pk=s.pk)) for s in sheets]
                ranking_runs.append(time.perf_counter() - started)
            assert all(len(r.rows) == units for r in results)
            # The ranking rule alone (plain Python), from the figures already summed.
            figures = [[row.figures for row in r.rows] for r in results]
            started = time.perf_counter()
            for _ in range(10):
                for group, sheet in zip(figures, sheets, strict=True):
                    ranking.rank(reversed(group), sheet.tie_break)
            pure = (time.perf_counter() - started) / 10

            client = Client()
            bench_login(client, board)
            samples = max(5, options["samples"])
            grid_big = self.measure(
                client, reverse("blocs:sheet", args=[sheets[0].pk]), samples, f"bảng điểm {units}×{criteria}"
            )
            grid_small = self.measure(
                client, reverse("blocs:sheet", args=[small.pk]), samples, "bảng điểm 3×5"
            )
            unit_page = self.measure(
                client,
                reverse("blocs:unit_sheet", args=[sheets[0].pk, sheets[0]._first_unit]),  # type: ignore[attr-defined]
                samples,
                f"bảng chấm của một đơn vị ({criteria} tiêu chí)",
            )
            bare = self.measure(client, reverse("core:healthz"), samples, "trang trần (healthz)")
            transaction.set_rollback(True)

        best = min(ranking_runs)
        self.stdout.write("")
        self.stdout.write(
            f"Xếp hạng {blocs} khối (đọc điểm + xếp): tốt nhất {best:.3f} s, trung vị "
            f"{statistics.median(ranking_runs):.3f} s; chỉ quy tắc xếp hạng: {pure * 1000:.1f} ms".replace(
                ".", ","
            )
        )
        self.stdout.write(
            f"  mục tiêu < {TARGET_RANKING_S:.0f} giây: "
            + ("ĐẠT" if max(ranking_runs) < TARGET_RANKING_S else "KHÔNG ĐẠT")
        )
        self.stdout.write("")
        self.stdout.write(f"{'Trang':<42} {'p50':>10} {'p95':>10} {'truy vấn':>9}")
        for timing in (grid_small, grid_big, unit_page, bare):
            queries = statistics.median(timing.queries)
            self.stdout.write(f"{timing.label:<42} {ms(timing.p50):>10} {ms(timing.p95):>10} {queries:>9.0f}")
        small_q, big_q = statistics.median(grid_small.queries), statistics.median(grid_big.queries)
        self.stdout.write("")
        self.stdout.write(
            f"Số truy vấn bảng điểm: {small_q:.0f} (3×5) và {big_q:.0f} ({units}×{criteria}): "
            + ("không đổi — ĐẠT" if small_q == big_q else "khác nhau — KHÔNG ĐẠT")
        )
        self.stdout.write(
            f"p95 bảng điểm {ms(grid_big.p95)}; mục tiêu < {ms(TARGET_GRID_MS)}: "
            + ("ĐẠT" if grid_big.p95 < TARGET_GRID_MS else "KHÔNG ĐẠT")
        )

    def board(self) -> User:
        """The province's Board specialist: the demo's, or one made for the run."""
        authority = Authority.objects.filter(level=AuthorityLevel.PROVINCE).select_related("unit").first()
        if authority is None:
            root = Unit.objects.create(
                code="BENCH.UBND", name="UBND tỉnh đo", kind=UnitKind.PROVINCIAL_COMMITTEE
            )
            root.path = f"/{root.pk}/"
            root.save(update_fields=["path"])
            authority = Authority.objects.create(unit=root, level=AuthorityLevel.PROVINCE, name=root.name)
        found = User.objects.filter(role=Role.BOARD_SPECIALIST, authority=authority, is_active=True).first()
        if found is not None:
            return found
        return User.objects.create_user(
            username="bench.chuyenvien", role=Role.BOARD_SPECIALIST, unit=authority.unit, authority=authority
        )

    def build(
        self, board: User, rng: random.Random, tag: str, year: int, units: int, criteria: int
    ) -> ScoreSheet:
        """A bloc of `units` new units with an approved sheet of `criteria` items in 6 groups (plus two
        bonus and two penalty items), every unit's scoring sent and reviewed, written in bulk."""
        root = board.authority.unit if board.authority else Unit.objects.get(code="BENCH.UBND")
        made = Unit.objects.bulk_create(
            [
                Unit(code=f"BENCH.K{tag}.{i:03d}", name=f"Đơn vị đo {tag} {i:03d}", parent=root)
                for i in range(units)
            ]
        )
        for unit in made:
            unit.path = f"{root.path}{unit.pk}/"
            unit.sort_key = unit.name
        Unit.objects.bulk_update(made, ["path", "sort_key"])
        bloc = Bloc.objects.create(code=f"BENCH.K{tag}", name=f"Khối đo {tag}", sort_key=f"khoi do {tag}")
        BlocMembership.objects.bulk_create(
            [
                BlocMembership(
                    bloc=bloc,
                    unit=u,
                    year=year,
                    role=BlocRole.LEADER if i == 0 else BlocRole.DEPUTY if i == 1 else BlocRole.MEMBER,
                )
                for i, u in enumerate(made)
            ]
        )
        sheet = ScoreSheet.objects.create(
            bloc=bloc,
            year=year,
            authority=board.authority,
            created_by=board,
            bonus_cap=Decimal(3),
            penalty_cap=Decimal(3),
            vote_required=True,
        )
        ScoreSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SETTLED)
        sheet.refresh_from_db()
        groups = SheetGroup.objects.bulk_create(
            [SheetGroup(sheet=sheet, position=g, name=f"Nhóm {g}") for g in range(1, 7)]
        )
        items = SheetItem.objects.bulk_create(
            [
                SheetItem(
                    sheet=sheet,
                    group=groups[c % len(groups)],
                    position=c,
                    name=f"Tiêu chí {c}",
                    max_points=Decimal(5),
                )
                for c in range(criteria)
            ]
            + [
                SheetItem(sheet=sheet, kind=kind, position=k, name=f"{kind} {k}", max_points=Decimal(2))
                for kind in (ItemKind.BONUS, ItemKind.PENALTY)
                for k in range(2)
            ]
        )
        unit_sheets = UnitSheet.objects.bulk_create([UnitSheet(sheet=sheet, unit=u) for u in made])
        UnitSheet.objects.filter(sheet=sheet).update(state=UnitSheetState.REVIEWED)
        Score.objects.bulk_create(
            [
                Score(
                    unit_sheet=us,
                    item=item,
                    self_points=Decimal(rng.randint(0, int(item.max_points) * 2)) / 2,
                    review_points=Decimal(rng.randint(0, 10)) / 2
                    if rng.random() < 0.05 and item.max_points == 5
                    else None,
                )
                for us in unit_sheets
                for item in items
            ]
        )
        from thidua.blocs.models import VoteCount

        VoteCount.objects.bulk_create([VoteCount(sheet=sheet, unit=u, votes=rng.randint(0, 9)) for u in made])
        sheet._first_unit = made[0].pk  # type: ignore[attr-defined]
        return sheet

    def measure(self, client: Client, url: str, samples: int, label: str) -> Timing:
        times: list[float] = []
        queries: list[int] = []
        client.get(url)  # warm-up: templates and caches
        for _ in range(samples):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} trả về {response.status_code}")
            queries.append(len(captured.captured_queries))
        return Timing(label, times, queries)
