"""`thidua bench_dossiers`: the performance figures of proposal dossiers on a demo province.

Not a test: it prints measured figures against the two targets of the issue, a dossier of 500 nominees
appraised in under 2 s, and the dossier list under 150 ms at the 95th percentile with 50,000 dossiers
and a query count that does not depend on the page or the filter.

Everything the command writes (the dossiers, their nominees, files and users) lives inside one
transaction that is rolled back at the end, so the bench database keeps only the demo province.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import re
import shutil
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import Role, User
from thidua.accounts.two_factor import bench_login
from thidua.awards.models import AwardType, CommendationKind
from thidua.core.text import fold
from thidua.demo import data as D
from thidua.demo.benchtable import write_verdicts
from thidua.demo.generator import vn_number
from thidua.demo.loader import DemoError, demo_load, existing_load, reserve_ids
from thidua.demo.management.commands.bench import Timing, Verdict, ms, seconds
from thidua.demo.management.commands.demo import table
from thidua.organisation.authorities import province_authority
from thidua.organisation.models import Person, Unit
from thidua.proposals import procedure, services
from thidua.proposals.appraisal import appraise_dossier
from thidua.proposals.models import OPEN_STATES, Dossier, DossierState, Nominee

DEFAULT_PEOPLE = 5000
DEFAULT_DOSSIERS = 50_000
DEFAULT_NOMINEES = 500
TARGET_APPRAISAL_SECONDS = 2.0
TARGET_LIST_MS = 150.0
BENCH_USERNAME = "bench.hoso"

# The demo accounts the measured steps run as: the Sở Y tế's officer drafts, its head submits, the
# Board's specialist (Sở Nội vụ, so with no conflict of interest on a Sở Y tế dossier) appraises.
OFFICER, HEAD, SPECIALIST = "canbo", "thutruong", "chuyenvien"

# The mix of a department's yearly dossier: mostly base-level titles, fewer provincial and State ones.
PERSON_AWARDS = [
    ("LDTT", 40),
    ("CSTDCS", 20),
    ("BK_TINH", 14),
    ("CSTD_TINH", 8),
    ("GK", 8),
    ("BK_TTG", 5),
    ("HCLD3", 3),
    ("CSTT", 2),
]
COLLECTIVE_AWARDS = [("TTLDXS", 3), ("BK_TINH", 2), ("TTLDTT", 1)]
COLLECTIVE_LINES = 10

KIND_WEIGHTS = [
    (CommendationKind.MERIT, 65),
    (CommendationKind.THEMATIC, 15),
    (CommendationKind.SUDDEN, 10),
    (CommendationKind.DEDICATION, 4),
    (CommendationKind.SENIORITY, 4),
    (CommendationKind.FOREIGN, 1),
    (CommendationKind.RESISTANCE, 1),
]
MOVEMENTS = [
    "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
    "Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "Lai Châu chung sức xây dựng nông thôn mới",
    "Chuyển đổi số trong cơ quan nhà nước",
    "Thi đua thực hiện văn hóa công sở",
]
TITLES = {
    CommendationKind.MERIT: [
        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm {year}",
        "Đề nghị xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm {year}",
        "Đề nghị công nhận danh hiệu Tập thể lao động xuất sắc năm {year}",
        "Đề nghị khen thưởng tổng kết công tác năm {year}",
    ],
    CommendationKind.THEMATIC: ["Đề nghị khen thưởng phong trào “{movement}” năm {year}"],
    CommendationKind.SUDDEN: [
        "Đề nghị khen thưởng đột xuất thành tích phòng, chống thiên tai năm {year}",
        "Đề nghị khen thưởng đột xuất cá nhân dũng cảm cứu người năm {year}",
    ],
    CommendationKind.DEDICATION: ["Đề nghị khen thưởng quá trình cống hiến năm {year}"],
    CommendationKind.SENIORITY: ["Đề nghị khen thưởng theo niên hạn năm {year}"],
    CommendationKind.FOREIGN: ["Đề nghị khen thưởng đối ngoại năm {year}"],
    CommendationKind.RESISTANCE: ["Đề nghị khen thưởng thành tích kháng chiến năm {year}"],
}
# Dossiers of past years are settled; the current ones are spread over the workflow.
PAST_STATES = [
    (DossierState.DECIDED, 75),
    (DossierState.REJECTED, 8),
    (DossierState.WITHDRAWN, 5),
    (DossierState.FORWARDED, 4),
    (DossierState.RETURNED, 3),
    (DossierState.DRAFT, 5),
]
CURRENT_STATES = [
    (DossierState.DRAFT, 18),
    (DossierState.SUBMITTED, 16),
    (DossierState.RECEIVED, 14),
    (DossierState.APPRAISED, 10),
    (DossierState.COUNCIL, 5),
    (DossierState.RETURNED, 10),
    (DossierState.DECIDED, 20),
    (DossierState.REJECTED, 4),
    (DossierState.WITHDRAWN, 3),
]


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def secs(value: float) -> str:
    return f"{value:.3f} s".replace(".", ",")


def ratio_text(value: float | None) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "–"


def span(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def statement_kind(sql: str) -> str:
    """`UPDATE proposals_nominee`, `SELECT awards_awardrecord`: what a statement does, and to which table."""
    found = re.search(r'\b(?:FROM|UPDATE|INTO)\s+"?(\w+)"?', sql)
    return f"{sql.split()[0].upper()} {found.group(1) if found else '?'}"


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@contextlib.contextmanager
def dated_rows() -> Iterator[None]:
    """bulk_create keeps the given `created_at` instead of stamping every row with now."""
    field = Dossier._meta.get_field("created_at")
    saved = field.auto_now_add  # type: ignore[union-attr]
    field.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        field.auto_now_add = saved  # type: ignore[union-attr]


@dataclass
class Run:
    label: str
    seconds: list[float]
    queries: list[int]
    sql_seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def worst(self) -> float:
        return max(self.seconds)


@dataclass
class Measured:
    """One list page: its timing, the rows it shows, the SQL time per request, its slowest statement."""

    timing: Timing
    rows: int
    sql_p50: float
    slowest: dict[str, str]


class Command(BaseCommand):
    help = (
        "Đo hiệu năng hồ sơ đề nghị khen thưởng trên tỉnh mẫu: kiểm tra (thẩm định tự động) một hồ sơ "
        "500 người được đề nghị (mục tiêu < 2 giây) và trang danh sách hồ sơ với 50.000 hồ sơ (p95 < 150 ms, "
        "số truy vấn không đổi). Chạy trên cơ sở dữ liệu của DATABASE_URL: hãy trỏ vào một cơ sở dữ liệu "
        "NHÁP (trống hoặc đã có tỉnh mẫu). Mọi hồ sơ tạo ra để đo được hoàn tác sau khi đo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"số cá nhân của tỉnh mẫu nếu cơ sở dữ liệu trống (mặc định {vn_number(DEFAULT_PEOPLE)})",
        )
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống của tỉnh mẫu (mặc định 2026)")
        parser.add_argument(
            "--dossiers",
            type=int,
            default=DEFAULT_DOSSIERS,
            help=f"số hồ sơ của trang danh sách (mặc định {vn_number(DEFAULT_DOSSIERS)})",
        )
        parser.add_argument(
            "--nominees",
            type=int,
            default=DEFAULT_NOMINEES,
            help=f"số dòng đề nghị của hồ sơ được kiểm tra (mặc định {DEFAULT_NOMINEES})",
        )
        parser.add_argument(
            "--runs", type=int, default=5, help="số lần đo mỗi bước kiểm tra hồ sơ (mặc định 5)"
        )
        parser.add_argument(
            "--samples", type=int, default=30, help="số lần tải mỗi trang danh sách (mặc định 30)"
        )
        parser.add_argument(
            "--strict", action="store_true", help="trả mã lỗi khác 0 nếu có chỉ tiêu không đạt"
        )
        parser.add_argument("--json", help="ghi các chỉ tiêu ra tệp JSON này (cho make bench-all)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.samples = max(3, options["samples"])
        self.runs = max(1, options["runs"])
        self.verdicts: list[Verdict] = []
        self.rng = random.Random(options["seed"])
        self.heading(
            f"Đo hiệu năng hồ sơ đề nghị trên {connection.vendor} ({connection.settings_dict.get('NAME')})"
        )
        call_command("migrate", interactive=False, verbosity=0)
        self.ensure_province(options["people"], options["seed"])
        self.officer, self.head, self.specialist = (self.demo_user(n) for n in (OFFICER, HEAD, SPECIALIST))
        if self.officer.unit is None:
            raise CommandError(f"Tài khoản {OFFICER} không có đơn vị.")
        self.scope_unit: Unit = self.officer.unit
        media = tempfile.mkdtemp(prefix="thidua-bench-dossiers-")
        try:
            with override_settings(MEDIA_ROOT=media), transaction.atomic():
                self.build_list(options["dossiers"])
                dossier = self.build_dossier(options["nominees"])
                self.analyze()
                self.bench_appraisal(dossier)
                self.bench_list()
                # Only the figures are kept: the bench database leaves as it came in.
                transaction.set_rollback(True)
        finally:
            shutil.rmtree(media, ignore_errors=True)
        self.summary()
        if options["json"]:
            write_verdicts(options["json"], f"hồ sơ ({connection.vendor})", self.verdicts)
        if options["strict"] and not all(v.passed for v in self.verdicts):
            raise CommandError("Có chỉ tiêu hiệu năng không đạt.")

    # Output

    def heading(self, text: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(text))

    def say(self, text: str) -> None:
        self.stdout.write(text)

    def verdict(
        self, label: str, target: str, measured: str, value: float | None, limit: float | None
    ) -> None:
        ratio = value / limit if value is not None and limit else None
        passed = ratio is not None and ratio <= 1.0
        self.verdicts.append(Verdict(label, target, measured, ratio, passed))

    # (a) The province

    def ensure_province(self, people: int, seed: int) -> None:
        self.heading("(a) Tỉnh mẫu trong cơ sở dữ liệu đo")
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
            self.say(f"Đã nạp trong {seconds(time.perf_counter() - started)}.")
        else:
            self.say(
                f"Dùng tỉnh mẫu đã nạp: {vn_number(load.people)} cá nhân, hạt giống {load.seed}"
                + ("." if load.people == people else f" (không nạp lại {vn_number(people)} cá nhân).")
            )

    def demo_user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).select_related("unit").first()
        if user is None:
            raise CommandError(f"Không có tài khoản mẫu “{username}” để đo.")
        return user

    def analyze(self) -> None:
        # The pages are measured with planner statistics that include the dossiers, as autovacuum (or
        # a DBA on SQLite) would have them soon after a real load.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say(f"ANALYZE: {seconds(time.perf_counter() - started)}.")

    # (b) Set-up: the dossiers of the list page

    def build_list(self, count: int) -> None:
        """`count` dossiers spread over units, years, kinds and states, a third with a few nominees.

        Set-up only, written with bulk_create: creating them through the services would take hours and
        is not what is measured here.
        """
        # The dossiers are the province's: their lines are provincial awards.
        province = province_authority()
        if province is None:
            raise CommandError("Chưa có cấp UBND tỉnh (cấp có thẩm quyền) trong cơ sở dữ liệu.")
        self.heading(f"(b) Chuẩn bị: {vn_number(count)} hồ sơ cho trang danh sách (bulk_create, không đo)")
        started = time.perf_counter()
        rng = self.rng
        root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        if root is None:
            raise CommandError("Tỉnh mẫu không có đơn vị gốc.")
        # The author of the rows; a bench-only account, rolled back with them.
        author = User.objects.create_user(
            username=BENCH_USERNAME,
            password=None,
            role=Role.UNIT_OFFICER,
            unit=root,
            full_name="Đo hiệu năng",
        )
        units = list(Unit.objects.exclude(pk=root.pk).order_by("path"))
        people_by_unit: dict[int, list[int]] = defaultdict(list)
        for pk, unit_id in Person.objects.filter(is_active=True).order_by("pk").values_list("pk", "unit_id"):
            people_by_unit[unit_id].append(pk)
        award = {a.code: a for a in AwardType.objects.all()}
        person_awards = [(award[c], w) for c, w in PERSON_AWARDS if c in award]
        collective_awards = [(award[c], w) for c, w in COLLECTIVE_AWARDS if c in award]
        now = timezone.now()
        today = timezone.localdate()
        this_year = today.year
        years = list(range(D.FIRST_YEAR, this_year + 1))
        year_weights = [1 + i for i in range(len(years))]
        scoped = [u for u in units if u.path.startswith(self.scope_unit.path)]
        first = reserve_ids(Dossier, count)
        dossiers: list[Dossier] = []
        for n in range(count):
            pk = first + n
            # The scoped user's first dossiers cover every filter measured below, so no measured page of
            # a small bench is empty (an empty page needs one query fewer).
            forced = bool(scoped) and n < 3 * len(scoped) and n % 3 == 0
            unit = scoped[(n // 3) % len(scoped)] if forced else rng.choice(units)
            year = this_year if forced else rng.choices(years, weights=year_weights)[0]
            kind = CommendationKind.MERIT if forced else pick(rng, KIND_WEIGHTS)
            current = year >= this_year - 1
            state = (
                DossierState.SUBMITTED if forced else pick(rng, CURRENT_STATES if current else PAST_STATES)
            )
            submitted = received = due = None
            basis = ""
            if state in OPEN_STATES:
                # Submitted in the last two months: about half are past their due day.
                submitted = now - dt.timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1440))
                created = submitted - dt.timedelta(days=rng.randint(1, 15))
                due = (
                    today - dt.timedelta(days=3)
                    if forced
                    else timezone.localtime(submitted).date() + dt.timedelta(days=rng.randint(20, 30))
                )
                basis = "20 ngày làm việc"
            else:
                if current:
                    created = now - dt.timedelta(days=rng.randint(5, 300), minutes=rng.randint(0, 1440))
                else:
                    created = timezone.make_aware(
                        dt.datetime(year + 1, 1, 1) + dt.timedelta(days=rng.randint(0, 120), minutes=n % 1440)
                    )
                created = min(created, now)
                if state != DossierState.DRAFT:
                    submitted = min(now, created + dt.timedelta(days=rng.randint(1, 20)))
            if state in (DossierState.RECEIVED, DossierState.APPRAISED, DossierState.COUNCIL) and submitted:
                received = min(now, submitted + dt.timedelta(days=rng.randint(1, 5)))
            movement = rng.choice(MOVEMENTS) if kind == CommendationKind.THEMATIC else ""
            title = rng.choice(TITLES[kind]).format(year=year, movement=movement)
            number = "" if state == DossierState.DRAFT else f"{rng.randint(1, 250)}/TTr-{unit.code}"[:60]
            code = f"HS{year % 100:02d}-{pk:06d}"
            dossiers.append(
                Dossier(
                    pk=pk,
                    code=code,
                    unit=unit,
                    kind=kind,
                    year=year,
                    title=title,
                    movement=movement,
                    proposal_number=number,
                    authority=province,
                    state=state,
                    created_by=author,
                    created_at=created,
                    submitted_at=submitted,
                    received_at=received,
                    due_date=due,
                    due_basis=basis,
                    outcome_reason="Không đủ điều kiện"
                    if state in (DossierState.REJECTED, DossierState.WITHDRAWN)
                    else "",
                    search_text=fold(f"{code} {title} {unit.name} {number}"),
                )
            )
        with dated_rows():
            Dossier.objects.bulk_create(dossiers, batch_size=2000)
        lines: list[Nominee] = []
        subtree_people = self.subtree_people(units, people_by_unit)
        for dossier in dossiers:
            if rng.random() >= 0.35:
                continue
            pool = subtree_people.get(dossier.unit_id, [])
            for position in range(1, rng.randint(1, 5) + 1):
                if pool and rng.random() < 0.85:
                    recipient = {"person_id": rng.choice(pool)}
                    award_type = pick(rng, person_awards)
                else:
                    recipient = {"collective_id": dossier.unit_id}
                    award_type = pick(rng, collective_awards)
                lines.append(
                    Nominee(
                        dossier=dossier,
                        position=position,
                        award_type=award_type,
                        achievement="Hoàn thành xuất sắc nhiệm vụ",
                        is_active=rng.random() >= 0.05,
                        **recipient,
                    )
                )
        Nominee.objects.bulk_create(lines, batch_size=2000)
        by_state = Counter(d.state for d in dossiers)
        in_scope = sum(1 for d in dossiers if d.unit.path.startswith(self.scope_unit.path))
        rows = [
            ("Hồ sơ", vn_number(len(dossiers))),
            (
                f"Trong phạm vi {OFFICER} ({self.scope_unit.name})",
                vn_number(in_scope),
            ),
            ("Dòng đề nghị", vn_number(len(lines))),
            ("Năm thành tích", f"{years[0]}–{years[-1]}"),
            (
                "Trạng thái",
                ", ".join(f"{DossierState(s).label} {vn_number(c)}" for s, c in by_state.most_common()),
            ),
            ("Thời gian chuẩn bị", seconds(time.perf_counter() - started)),
        ]
        self.say(table(rows, ("Dữ liệu", "Giá trị")))

    def subtree_people(self, units: list[Unit], people_by_unit: dict[int, list[int]]) -> dict[int, list[int]]:
        # Units sorted by path: a unit's subtree is the run of paths that start with its own.
        out: dict[int, list[int]] = {}
        for i, unit in enumerate(units):
            found = list(people_by_unit.get(unit.pk, []))
            for other in units[i + 1 :]:
                if not other.path.startswith(unit.path):
                    break
                found.extend(people_by_unit.get(other.pk, []))
            out[unit.pk] = found
        return out

    # (c) Set-up: the dossier of `count` nominees

    def build_dossier(self, count: int) -> Dossier:
        self.heading(f"(c) Chuẩn bị: hồ sơ {count} dòng đề nghị của {OFFICER} (không đo)")
        started = time.perf_counter()
        unit = self.scope_unit
        year = D.LAST_YEAR
        dossier = services.dossier_create(
            actor=self.officer,
            unit=unit,
            kind=CommendationKind.MERIT,
            year=year,
            title=f"Đề nghị khen thưởng tổng kết công tác năm {year} (đo hiệu năng)",
            proposal_number=f"99/TTr-{unit.code}",
            authority=province_authority(),
        )
        rng = random.Random(count)
        people = list(
            Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not people:
            raise CommandError(f"Không có cá nhân nào trong phạm vi {unit.name}.")
        collectives = list(
            Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True)
            .order_by("path")
            .values_list("pk", flat=True)[:COLLECTIVE_LINES]
        )
        award = {a.code: a for a in AwardType.objects.all()}
        person_awards = [(award[c], w) for c, w in PERSON_AWARDS if c in award]
        collective_awards = [(award[c], w) for c, w in COLLECTIVE_AWARDS if c in award]
        collective_count = min(len(collectives), COLLECTIVE_LINES, count // 10)
        lines: list[Nominee] = []
        taken: set[tuple[int, int]] = set()
        for position in range(1, count - collective_count + 1):
            # More lines than people (a small province): the same people again, for other awards.
            person = people[(position - 1) % len(people)]
            award_type = pick(rng, person_awards)
            while (person, award_type.pk) in taken and len(taken) < len(people) * len(person_awards):
                award_type = pick(rng, person_awards)
            taken.add((person, award_type.pk))
            lines.append(Nominee(dossier=dossier, position=position, person_id=person, award_type=award_type))
        for i, pk in enumerate(collectives[:collective_count]):
            lines.append(
                Nominee(
                    dossier=dossier,
                    position=count - collective_count + i + 1,
                    collective_id=pk,
                    award_type=pick(rng, collective_awards),
                )
            )
        for line in lines:
            line.achievement = "Hoàn thành xuất sắc nhiệm vụ, có đóng góp nổi bật trong năm"
        # Set-up: nominee_add re-appraises the whole dossier on each line, so 500 of them would cost
        # 500 appraisals; the lines are written in bulk and the measured steps below are the real ones.
        Nominee.objects.bulk_create(lines, batch_size=2000)
        codes = {line.award_type.code for line in lines}
        pdf = blank_pdf()
        for i, component in enumerate(procedure.required_components(codes, dossier.kind), start=1):
            upload = SimpleUploadedFile(f"thanh-phan-{i}.pdf", pdf, content_type="application/pdf")
            services.attachment_add(
                actor=self.officer, dossier=dossier, component=component.code, upload=upload
            )
        self.extra_pool = [p for p in people if all((p, a.pk) not in taken for a, _w in person_awards)]
        mix = Counter(line.award_type.code for line in lines)
        rows = [
            ("Hồ sơ", f"{dossier.code} – {unit.name}, năm {year}"),
            (
                "Dòng đề nghị",
                f"{len(lines)} ({len({p for p, _a in taken})} cá nhân, {collective_count} tập thể)",
            ),
            ("Đề nghị", ", ".join(f"{c} {n}" for c, n in mix.most_common())),
            ("Thời gian chuẩn bị", seconds(time.perf_counter() - started)),
        ]
        self.say(table(rows, ("Dữ liệu", "Giá trị")))
        return dossier

    # (d) Appraisal of the dossier

    def timed(
        self, label: str, step: Callable[[int], Any], before: Callable[[int], Any] | None = None
    ) -> Run:
        run = Run(label, [], [], [])
        for i in range(self.runs):
            if before is not None:
                before(i)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                step(i)
                run.seconds.append(time.perf_counter() - started)
            run.queries.append(len(captured.captured_queries))
            run.sql_seconds.append(sum(float(q["time"]) for q in captured.captured_queries))
        return run

    def bench_appraisal(self, dossier: Dossier) -> None:
        active = dossier.nominees.filter(is_active=True).count()
        self.heading(f"(d) Kiểm tra hồ sơ {active} dòng đề nghị (mục tiêu < 2 giây)")
        today = timezone.localdate()
        # The first appraisal of a process also reads the rulebooks; a server pays that once, not per dossier.
        started = time.perf_counter()
        appraise_dossier(dossier, today)
        first = time.perf_counter() - started
        self.say(f"Lần đầu trong tiến trình (gồm nạp bộ quy tắc, không tính): {secs(first)}.")
        runs = [self.timed("appraise_dossier(dossier, as_of)", lambda _i: appraise_dossier(dossier, today))]
        added = self.nominee_add_run(dossier)
        if added is not None:
            runs.append(added)

        def send_back(i: int) -> None:
            if i:
                services.dossier_return(
                    actor=self.specialist,
                    dossier=Dossier.objects.get(pk=dossier.pk),
                    reason="Bổ sung (đo hiệu năng)",
                )

        runs.append(
            self.timed(
                "services.dossier_submit (gồm kiểm tra)",
                lambda _i: services.dossier_submit(
                    actor=self.head, dossier=Dossier.objects.get(pk=dossier.pk)
                ),
                send_back,
            )
        )
        runs.append(
            self.timed(
                "services.dossier_reappraise",
                lambda _i: services.dossier_reappraise(
                    actor=self.specialist, dossier=Dossier.objects.get(pk=dossier.pk)
                ),
            )
        )
        flagged = Nominee.objects.filter(dossier=dossier, is_active=True).exclude(flags=[]).count()
        verdicts = Counter(
            Nominee.objects.filter(dossier=dossier, is_active=True).values_list("verdict", flat=True)
        )
        rows = [
            (
                r.label,
                str(len(r.seconds)),
                secs(r.median),
                secs(r.worst),
                secs(statistics.median(r.sql_seconds)),
                span(r.queries),
                ratio_text(r.median / TARGET_APPRAISAL_SECONDS),
                ratio_text(r.worst / TARGET_APPRAISAL_SECONDS),
            )
            for r in runs
        ]
        self.say(
            table(
                rows,
                (
                    "Bước",
                    "Số lần",
                    "Trung vị",
                    "Max",
                    "SQL (trung vị)",
                    "Số truy vấn",
                    "Trung vị / 2 s",
                    "Max / 2 s",
                ),
            )
        )
        self.say(
            "Kết quả: "
            + ", ".join(f"{k or 'chưa kiểm tra'} {n}" for k, n in verdicts.most_common())
            + f"; {flagged} dòng có cảnh báo (trùng hồ sơ khác, đã được khen, tỉ lệ)."
        )
        few, full_sql, few_sql = self.queries_on_fewer_lines(dossier, today)
        few_queries = len(few_sql)
        self.say(
            f"Số truy vấn của appraise_dossier: {few_queries} với {few} dòng, "
            f"{span(runs[0].queries)} với {active} dòng."
        )
        extra = Counter(map(statement_kind, full_sql)) - Counter(map(statement_kind, few_sql))
        if extra:
            self.say(
                f"Câu lệnh thêm khi có {active} dòng: "
                + ", ".join(f"{n} × {kind}" for kind, n in extra.most_common())
                + (
                    " (Django chia bulk_update thành nhiều câu UPDATE vì SQLite giới hạn 999 tham số "
                    "mỗi câu lệnh)."
                    if connection.vendor == "sqlite" and set(extra) == {"UPDATE proposals_nominee"}
                    else "."
                )
            )
        for r in runs:
            if r.label.startswith("nominee_add"):
                continue
            self.verdict(
                f"Kiểm tra hồ sơ {active} dòng: {r.label}",
                "< 2 s",
                f"trung vị {secs(r.median)}, max {secs(r.worst)}",
                r.worst,
                TARGET_APPRAISAL_SECONDS,
            )
        self.verdicts.append(
            Verdict(
                "Số truy vấn kiểm tra hồ sơ không đổi",
                "không tăng theo số dòng",
                f"{few} dòng: {few_queries}; {active} dòng: {span(runs[0].queries)}",
                None,
                set(runs[0].queries) == {few_queries},
            )
        )

    def queries_on_fewer_lines(self, dossier: Dossier, today: dt.date) -> tuple[int, list[str], list[str]]:
        """The statements of appraise_dossier over the whole dossier and over a few lines of each kind
        of recipient."""
        with CaptureQueriesContext(connection) as full:
            appraise_dossier(dossier, today)
        lines = dossier.nominees.filter(is_active=True)
        keep = list(lines.filter(person__isnull=False).order_by("position").values_list("pk", flat=True)[:10])
        keep += list(lines.filter(person__isnull=True).values_list("pk", flat=True))
        hidden = list(lines.exclude(pk__in=keep).values_list("pk", flat=True))
        Nominee.objects.filter(pk__in=hidden).update(is_active=False)
        with CaptureQueriesContext(connection) as few:
            appraise_dossier(dossier, today)
        Nominee.objects.filter(pk__in=hidden).update(is_active=True)
        return len(keep), [q["sql"] for q in full.captured_queries], [q["sql"] for q in few.captured_queries]

    def nominee_add_run(self, dossier: Dossier) -> Run | None:
        """One more line through the service: it re-appraises the whole dossier each time."""
        pool = self.extra_pool
        if not pool:
            self.say("Không còn cá nhân ngoài hồ sơ để đo nominee_add.")
            return None
        award = AwardType.objects.get(code="LDTT")
        added: list[Nominee] = []

        def add(i: int) -> None:
            added.append(
                services.nominee_add(
                    actor=self.officer,
                    dossier=Dossier.objects.get(pk=dossier.pk),
                    recipient=Person.objects.get(pk=pool[i % len(pool)]),
                    award_type=award,
                    achievement="Thêm một dòng (đo hiệu năng)",
                )
            )

        def drop(_i: int) -> None:
            while added:
                services.nominee_remove(actor=self.officer, nominee=added.pop())

        run = self.timed(f"nominee_add (dòng thứ {dossier.nominees.count() + 1}, tham khảo)", add, drop)
        drop(0)
        return run

    # (e) The dossier list

    def measure(self, client: Client, params: dict[str, str]) -> Measured:
        url = reverse("proposals:list")
        row_link = re.compile(re.escape(reverse("proposals:detail", args=[0])).replace("0", r"\d+") + '"')
        # One untimed request first: templates compile and caches fill once per process, not per page.
        client.get(url, params)
        timing = Timing(str(params), [], [])
        sql_ms: list[float] = []
        for _n in range(self.samples):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url} {params} trả về mã {response.status_code}.")
            timing.samples_ms.append(elapsed)
            timing.queries.append(len(captured.captured_queries))
            sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        return Measured(
            timing=timing,
            rows=len(row_link.findall(response.content.decode())),
            sql_p50=statistics.median(sql_ms),
            slowest=max(captured.captured_queries, key=lambda q: float(q["time"])),
        )

    def fragment(self, user: User) -> str:
        """The end of the name of a unit in the user's scope, as someone types part of a name."""
        dossiers = Dossier.objects.filter(created_by__username=BENCH_USERNAME)
        if not user.is_province_wide and user.unit is not None:
            dossiers = dossiers.filter(unit__path__startswith=user.unit.path)
        units = sorted(set(dossiers.values_list("unit__name", flat=True)))
        name = self.rng.choice(units) if units else "Lai Châu"
        words = [w for w in name.split() if any(c.isalpha() for c in w)]
        return " ".join(words[-2:])

    def bench_list(self) -> None:
        self.heading(
            f"(e) Trang danh sách hồ sơ (proposals:list), {vn_number(Dossier.objects.count())} hồ sơ, "
            f"mỗi trang {self.samples} lần (mục tiêu p95 < 150 ms)"
        )
        rows = []
        slow: list[tuple[float, str, dict[str, str]]] = []
        for user, scope in ((self.specialist, "toàn tỉnh"), (self.officer, "đơn vị")):
            client = Client()
            bench_login(client, user)
            variants = [
                ("trang đầu", {}),
                ("state=submitted", {"state": DossierState.SUBMITTED.value}),
                ("overdue=1", {"overdue": "1"}),
                ("q", {"q": self.fragment(user)}),
                ("page=50", {"page": "50"}),
            ]
            timings: list[tuple[str, Timing]] = []
            for name, params in variants:
                label = f"q={params['q']}" if name == "q" else name
                measured = self.measure(client, params)
                timing = measured.timing
                timings.append((label, timing))
                rows.append(
                    (
                        f"{user.username} ({scope})",
                        label,
                        str(measured.rows),
                        ms(timing.p50),
                        ms(timing.p95),
                        ms(timing.worst),
                        ms(measured.sql_p50),
                        span(timing.queries),
                        ratio_text(timing.p95 / TARGET_LIST_MS),
                    )
                )
                slow.append((timing.p95, f"{user.username}, {label}", measured.slowest))
            worst_label, worst = max(timings, key=lambda t: t[1].p95)
            self.verdict(
                f"Danh sách hồ sơ p95 ({user.username}, {scope})",
                "< 150 ms",
                f"{ms(worst.p95)} ({worst_label})",
                worst.p95,
                TARGET_LIST_MS,
            )
            counts = [q for _label, t in timings for q in t.queries]
            self.verdicts.append(
                Verdict(
                    f"Số truy vấn danh sách không đổi ({user.username})",
                    "như nhau mọi trang, mọi bộ lọc",
                    "; ".join(f"{label}: {span(t.queries)}" for label, t in timings),
                    None,
                    len(set(counts)) == 1,
                )
            )
        self.say(
            table(
                rows,
                (
                    "Người dùng",
                    "Trang",
                    "Số dòng",
                    "p50",
                    "p95",
                    "max",
                    "SQL p50",
                    "Số truy vấn",
                    "Tỉ lệ p95",
                ),
            )
        )
        _p95, where, sql = max(slow, key=lambda s: s[0])
        self.say(f"Truy vấn chậm nhất của trang có p95 lớn nhất ({where}): {ms(float(sql['time']) * 1000)}")
        self.say(f"  {sql['sql'][:800]}")

    def summary(self) -> None:
        self.heading(f"Tổng hợp ({connection.vendor})")
        rows = [
            (
                v.label,
                v.target,
                v.measured,
                ratio_text(v.ratio),
                "ĐẠT" if v.passed else "KHÔNG ĐẠT",
            )
            for v in self.verdicts
        ]
        self.say(table(rows, ("Chỉ tiêu", "Mục tiêu", "Đo được", "Tỉ lệ", "Kết quả")))
