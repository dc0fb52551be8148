"""Write a demo plan into the database: one transaction, bulk inserts in chunks, history rows included."""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import AUTHORITY_ROLES, Role, User
from thidua.accounts.two_factor import otp_required
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    Decision,
    Discipline,
    Initiative,
    Investigation,
    RecordSource,
    YearlyRating,
)
from thidua.core import tallies
from thidua.core.audit import audit_record
from thidua.demo import data as D
from thidua.demo.blocs import demo_blocs
from thidua.demo.directives import demo_directives
from thidua.demo.dossiers import demo_dossiers
from thidua.demo.generator import Plan, build_plan, chunked, unit_depths, vn_number
from thidua.demo.models import DemoLoad
from thidua.demo.movements import demo_movements
from thidua.demo.portal import demo_portal
from thidua.demo.registrations import demo_registrations
from thidua.demo.statistics import demo_statistics
from thidua.demo.targets import demo_targets
from thidua.organisation.models import (
    Authority,
    Bloc,
    BlocMembership,
    Household,
    Person,
    PositionHistory,
    Unit,
)
from thidua.proposals.models import CouncilMember, CouncilRole

Progress = Callable[[str], None]

# Objects built in Python per round trip; large enough to amortise, small enough to keep memory flat.
CHUNK = 10_000
HISTORY_REASON = "Nạp tỉnh mẫu"


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why, in Vietnamese."""


@dataclass
class LoadResult:
    created: bool
    people: int
    seed: int
    counts: dict[str, int]
    award_counts: dict[str, int]
    seconds: float
    users: list[tuple[str, str, str, str]]


def _batch_size() -> int | None:
    # Django applies SQLite's own parameter limit; PostgreSQL has none, so keep its statements bounded.
    return None if connection.vendor == "sqlite" else 2_000


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive free ids, reserved so rows can be written with their ids."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = int(cursor.fetchone()[0]) + 1
        if connection.vendor == "postgresql" and count:
            # Move the sequence past the block, so other writers never draw an id inside it.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [model._meta.db_table, first + count - 1],
            )
    return first


def _raw_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    history: dict[str, Any] | None,
    progress: Callable[[int], None] | None = None,
    total: int = 0,
) -> int:
    """Plain INSERTs (COPY on PostgreSQL) for the big tables and their history, where the ORM's
    per-field work would dominate.

    Columns the caller does not give take the field's default, so a field added to the model later
    with a default keeps working here.
    """
    now = timezone.now()

    copy = connection.vendor == "postgresql"

    def statement(target: type[models.Model], given: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
        extra_columns: list[str] = []
        extra_values: list[Any] = []
        for f in target._meta.concrete_fields:
            if f.column in given or f.primary_key:
                continue
            value = (
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            )
            extra_columns.append(f.column)
            extra_values.append(f.get_db_prep_save(value, connection))
        names = [*given, *extra_columns]
        quoted = ", ".join(connection.ops.quote_name(n) for n in names)
        table = connection.ops.quote_name(target._meta.db_table)
        if copy:
            return f"COPY {table} ({quoted}) FROM STDIN", tuple(extra_values)
        marks = ", ".join(["%s"] * len(names))
        return f"INSERT INTO {table} ({quoted}) VALUES ({marks})", tuple(extra_values)

    sql, tail = statement(model, list(columns))
    history_sql = history_tail = None
    history_model = getattr(model, "history", None)
    if history is not None and history_model is not None:
        history_columns = [*columns, *history]
        history_sql, history_tail = statement(history_model.model, history_columns)
        history_tail = tuple(history.values()) + history_tail
    written = 0
    next_report = step = max(CHUNK * 5, total // 10) if total else 0
    with connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []

        def send(query: str, suffix: tuple[Any, ...]) -> None:
            if copy:
                # COPY is PostgreSQL's bulk path, several times faster than INSERTs for a million rows.
                with cursor.cursor.copy(query) as stream:
                    for row in batch:
                        stream.write_row(row + suffix)
            else:
                cursor.executemany(query, [row + suffix for row in batch])

        def flush() -> None:
            send(sql, tail)
            if history_sql is not None and history_tail is not None:
                send(history_sql, history_tail)

        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                flush()
                written += len(batch)
                batch.clear()
                if progress and written >= next_report:
                    progress(written)
                    next_report += step
        if batch:
            flush()
            written += len(batch)
    if progress:
        progress(written)
    return written


def _bulk(
    model: type[models.Model], objs: Sequence[models.Model], history: dict[str, Any] | None
) -> list[Any]:
    created = model._default_manager.bulk_create(objs, batch_size=_batch_size())
    if history is not None and hasattr(model, "history"):
        model.history.bulk_history_create(created, batch_size=_batch_size() or 500, **history)  # type: ignore[attr-defined]
    return created


DEMO_USERNAMES = (
    "quantri",
    "chuyenvien",
    "hoidong",
    "chutich",
    "khoitruong",
    "thutruong",
    "canbo",
    *(f"uyvien{i}" for i in range(1, 7)),
    "chuyenvienyte",
    "uyvienyte1",
    "uyvienyte2",
    *(f"{role}xa{i}" for i in (1, 2) for role in ("chutich", "canbo", "chuyenvien")),
)


def demo_users_table() -> list[tuple[str, str, str, str]]:
    """The demo logins as stored: username, role, unit and the shared demo password."""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("unit")}
    rows = []
    for name in DEMO_USERNAMES:
        user = users.get(name)
        if user is not None:
            unit = user.unit.name if user.unit is not None else ""
            rows.append((name, str(user.get_role_display()), unit, D.DEMO_PASSWORD))
    return rows


def existing_load() -> DemoLoad | None:
    return DemoLoad.objects.order_by("id").first()


def demo_load(
    *, people: int = 5000, seed: int = 2026, history: bool = True, progress: Progress | None = None
) -> LoadResult:
    """Load the demo province once; a second call with the same parameters changes nothing."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if progress is not None:
            elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
            progress(f"{message.rstrip('.')} ({elapsed} giây).")

    previous = existing_load()
    if previous is not None:
        if previous.people != people or previous.seed != seed:
            raise DemoError(
                f"Cơ sở dữ liệu này đã có tỉnh mẫu {vn_number(previous.people)} cá nhân (hạt giống "
                f"{previous.seed}); không nạp thêm tỉnh mẫu {vn_number(people)} cá nhân (hạt giống {seed}) "
                "để tránh trộn lẫn dữ liệu. Hãy dùng một cơ sở dữ liệu trống (DATABASE_URL khác)."
            )
        return LoadResult(
            created=False,
            people=people,
            seed=seed,
            counts=dict(previous.counts),
            award_counts={},
            seconds=time.perf_counter() - started,
            users=demo_users_table(),
        )
    if progress is not None:
        progress(f"Đang sinh dữ liệu tỉnh mẫu ({vn_number(people)} cá nhân, hạt giống {seed})…")
    plan = build_plan(people, seed)
    say("Đã sinh dữ liệu trong bộ nhớ.")
    codes = [u.code for u in plan.units]
    if Unit.objects.filter(code__in=codes).exists():
        raise DemoError(
            "Cơ sở dữ liệu đã có đơn vị trùng mã với tỉnh mẫu (ví dụ “LC”) nhưng không có dấu nạp tỉnh mẫu; "
            "không nạp để tránh trộn lẫn với dữ liệu thật. Hãy dùng một cơ sở dữ liệu trống."
        )
    usernames = [u.username for u in plan.users]
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoError(
            f"Đã có tài khoản trùng tên với tài khoản mẫu ({', '.join(taken)}); "
            "không nạp tỉnh mẫu vào cơ sở dữ liệu đang dùng."
        )
    with transaction.atomic():
        counts = _write(plan, history=history, progress=say)
        counts["dossiers"] = demo_dossiers(year=D.LAST_YEAR)
        say("Đã lập hồ sơ đề nghị mẫu.")
        counts["movements"] = demo_movements()
        say("Đã phát động phong trào thi đua mẫu và các báo cáo tiến độ.")
        counts["registrations"] = demo_registrations()
        say("Đã lập các bản đăng ký thi đua mẫu.")
        counts["directive_reports"] = demo_directives()
        say("Đã nạp chỉ thị của tỉnh thành kế hoạch theo dõi và các báo cáo.")
        counts.update(demo_blocs())
        say("Đã chấm điểm, xếp hạng các khối, cụm thi đua năm 2024 và 2025.")
        counts.update(demo_portal())
        say("Đã công bố điển hình tiên tiến và các quyết định khen thưởng năm 2025.")
        counts.update(demo_statistics())
        counts.update(demo_targets())
        # The records went in by raw inserts, past the code that keeps the dashboard's totals.
        tallies.rebuild()
        load = DemoLoad.objects.create(seed=seed, people=people, digest=plan.digest(), counts=counts)
        admin = User.objects.get(username="quantri")
        audit_record(
            actor=admin,
            action="demo_load",
            target=load,
            summary=f"Nạp tỉnh mẫu {vn_number(people)} cá nhân, hạt giống {seed}",
            extra={"counts": counts},
        )
    # Planner statistics for the tables just filled: without them PostgreSQL guesses row counts until
    # autovacuum's analyze comes round (never, where autovacuum is off) and picks poor plans meanwhile.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say("Đã cập nhật thống kê cho bộ lập kế hoạch truy vấn (ANALYZE).")
    return LoadResult(
        created=True,
        people=people,
        seed=seed,
        counts=counts,
        award_counts=plan.award_counts(),
        seconds=time.perf_counter() - started,
        users=demo_users_table(),
    )


# The demo Council under the 2025 two-level government: the chairman chairs it, the Director of the
# Sở Nội vụ is its vice-chair, the head of the Board's office is its secretary (QĐ 86/2025 Bắc Ninh Điều 8).
_COUNCIL_SEATS = {
    "chutich": (CouncilRole.CHAIR, "Chủ tịch UBND tỉnh"),
    "hoidong": (CouncilRole.VICE_CHAIR, "Giám đốc Sở Nội vụ"),
    "chuyenvien": (CouncilRole.SECRETARY, "Trưởng phòng Thi đua, khen thưởng, Sở Nội vụ"),
}
COUNCIL_FROM = dt.date(2025, 7, 1)


# Sở Y tế's own Council (unit councils: the head chairs, the unit's TĐKT officer is the standing member).
_HEALTH_SEATS = {
    "thutruong": (CouncilRole.CHAIR, "Giám đốc Sở Y tế"),
    "uyvienyte1": (CouncilRole.VICE_CHAIR, "Phó Giám đốc Sở Y tế"),
    "chuyenvienyte": (CouncilRole.SECRETARY, "Chuyên viên Văn phòng Sở, phụ trách thi đua, khen thưởng"),
    "uyvienyte2": (CouncilRole.MEMBER, "Trưởng phòng Kế hoạch – Tài chính"),
}


def _write_council(
    plan: Plan, units_by_code: dict[str, Unit], authority_of_unit: dict[int, Authority]
) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in plan.users])}
    province = authority_of_unit[units_by_code[D.PROVINCE_CODE].pk]
    health = authority_of_unit[units_by_code["LC.SYT"].pk]
    seats = []
    for spec in plan.users:
        if spec.username in _HEALTH_SEATS:
            role, title = _HEALTH_SEATS[spec.username]
            authority = health
        elif spec.username in _COUNCIL_SEATS:
            role, title = _COUNCIL_SEATS[spec.username]
            authority = province
        elif spec.role == Role.COUNCIL_MEMBER and spec.authority is None:
            role, title = CouncilRole.MEMBER, f"Người đứng đầu {units_by_code[spec.unit].name}"
            authority = province
        else:
            continue
        seats.append(
            CouncilMember(
                authority=authority,
                user=users[spec.username],
                role=role,
                title=title,
                valid_from=COUNCIL_FROM,
            )
        )
    CouncilMember.objects.bulk_create(seats)


def _write(plan: Plan, *, history: bool, progress: Progress) -> dict[str, int]:
    now = timezone.now()
    unit_ids: dict[str, int] = {}
    units_by_code: dict[str, Unit] = {}
    for level in unit_depths(plan.units):
        unit_objs = []
        for spec in level:
            unit = Unit(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent_id=unit_ids[spec.parent] if spec.parent else None,
                is_border=spec.is_border,
                is_highland=spec.is_highland,
                is_especially_difficult=spec.is_especially_difficult,
                valid_from=spec.valid_from,
                valid_to=spec.valid_to,
                address=spec.address,
            )
            unit.refresh_derived()
            unit_objs.append(unit)
        Unit.objects.bulk_create(unit_objs, batch_size=_batch_size())
        for spec, unit in zip(level, unit_objs, strict=True):
            parent_path = units_by_code[spec.parent].path if spec.parent else "/"
            unit.path = f"{parent_path}{unit.pk}/"
            unit_ids[spec.code] = unit.pk
            units_by_code[spec.code] = unit
    all_units = [units_by_code[spec.code] for spec in plan.units]
    for spec in plan.units:
        if spec.successor:
            units_by_code[spec.code].successor_id = unit_ids[spec.successor]
    Unit.objects.bulk_update(all_units, ["path", "successor"], batch_size=500)
    authorities = [
        Authority(
            unit=units_by_code[spec.unit],
            level=spec.level,
            name=spec.name,
            abbreviation=spec.abbreviation,
            head_title=spec.head_title,
            superior_name=spec.superior_name,
            is_active=spec.is_active,
        )
        for spec in plan.authorities
    ]
    Authority.objects.bulk_create(authorities, batch_size=_batch_size())
    authority_of_unit = {a.unit_id: a for a in authorities}

    admin: User | None = None
    # Argon2 is slow on purpose; one hash serves every demo login, which share the password anyway.
    password_hash = make_password(D.DEMO_PASSWORD)
    for user_spec in plan.users:
        user = User.objects.create_user(
            username=user_spec.username,
            password=None,
            role=user_spec.role,
            unit_id=unit_ids[user_spec.unit],
            # The province's specialists, Council members and chairman serve the province wherever
            # their own office sits (the specialist works in the Sở Nội vụ).
            authority=authority_of_unit[unit_ids[user_spec.authority or D.PROVINCE_CODE]]
            if user_spec.role in AUTHORITY_ROLES
            else None,
            full_name=user_spec.full_name,
            is_staff=user_spec.is_staff,
            is_superuser=user_spec.is_superuser,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        if otp_required(user):
            TOTPDevice.objects.create(
                user=user,
                name="Ứng dụng xác thực (khóa mẫu)",
                key=base64.b32decode(D.DEMO_TOTP_SECRET).hex(),
                confirmed=True,
            )
        if user_spec.username == "quantri":
            admin = user
    _write_council(plan, units_by_code, authority_of_unit)
    hist = (
        {"default_user": admin, "default_date": now, "default_change_reason": HISTORY_REASON}
        if history
        else None
    )
    if hist is not None:
        Unit.history.bulk_history_create(all_units, batch_size=_batch_size() or 500, **hist)  # type: ignore[attr-defined]
    progress(f"Đã ghi {vn_number(len(all_units))} đơn vị và {len(plan.users)} tài khoản mẫu.")

    blocs = []
    for bloc_spec in plan.blocs:
        bloc = Bloc(
            code=bloc_spec.code, name=bloc_spec.name, kind=bloc_spec.kind, description=bloc_spec.description
        )
        bloc.refresh_derived()
        blocs.append(bloc)
    _bulk(Bloc, blocs, hist)
    bloc_ids = {b.code: b.pk for b in blocs}
    _bulk(
        BlocMembership,
        [
            BlocMembership(bloc_id=bloc_ids[m.bloc], unit_id=unit_ids[m.unit], year=m.year, role=m.role)
            for m in plan.memberships
        ],
        hist,
    )

    person_ids: list[int] = []
    for rows in chunked(plan.people, CHUNK):
        person_objs = []
        for p in rows:
            person = Person(
                family_name=p.family_name,
                middle_name=p.middle_name,
                given_name=p.given_name,
                gender=p.gender,
                birth_date=p.birth_date,
                ethnicity=p.ethnicity,
                identity_number=p.identity_number,
                unit_id=unit_ids[p.unit],
                position=p.position,
                category=p.category,
            )
            person.refresh_derived()
            person_objs.append(person)
        person_ids.extend(o.pk for o in _bulk(Person, person_objs, hist))
    for rows in chunked(plan.positions, CHUNK):
        _bulk(
            PositionHistory,
            [
                PositionHistory(
                    person_id=person_ids[p.person],
                    unit_id=unit_ids[p.unit],
                    position=p.position,
                    start_date=p.start_date,
                    end_date=p.end_date,
                )
                for p in rows
            ],
            hist,
        )
    progress(f"Đã ghi {vn_number(len(person_ids))} cá nhân và quá trình công tác.")

    household_ids: dict[str, int] = {}
    for rows in chunked(plan.households, CHUNK):
        household_objs = []
        for h in rows:
            household = Household(
                code=h.code,
                head_name=h.head_name,
                unit_id=unit_ids[h.unit],
                village=h.village,
                ethnicity=h.ethnicity,
            )
            household.refresh_derived()
            household_objs.append(household)
        for household in _bulk(Household, household_objs, hist):
            household_ids[household.code] = household.pk
    progress(f"Đã ghi {vn_number(len(household_ids))} hộ gia đình.")

    initiative_ids: list[int] = []
    for rows in chunked(plan.initiatives, CHUNK):
        initiative_objs = [
            Initiative(
                person_id=person_ids[i.person] if i.person is not None else None,
                unit_id=unit_ids[i.unit] if i.unit else None,
                title=i.title,
                type=i.type,
                year=i.year,
                scope=i.scope,
                recognised_by=i.recognised_by,
                recognition_number=i.recognition_number,
            )
            for i in rows
        ]
        initiative_ids.extend(o.pk for o in _bulk(Initiative, initiative_objs, hist))

    decision_ids: list[int] = []
    for rows in chunked(plan.decisions, CHUNK):
        decision_objs = []
        for d in rows:
            decision = Decision(
                number=d.number,
                date=d.date,
                issuing_authority=d.issuing_authority,
                issuer_unit_id=unit_ids[d.issuer_unit] if d.issuer_unit else None,
                signer_name=d.signer_name,
                signer_title=d.signer_title,
                summary=d.summary,
                source=RecordSource.IMPORTED,
            )
            decision.refresh_derived()
            decision_objs.append(decision)
        decision_ids.extend(o.pk for o in _bulk(Decision, decision_objs, hist))
    progress(
        f"Đã ghi {vn_number(len(initiative_ids))} sáng kiến và {vn_number(len(decision_ids))} quyết định."
    )

    type_ids = dict(AwardType.objects.values_list("code", "id"))
    history_constants = (
        {
            "history_date": connection.ops.adapt_datetimefield_value(now),
            "history_change_reason": HISTORY_REASON,
            "history_type": "+",
            "history_user_id": admin.pk if admin else None,
        }
        if history
        else None
    )
    first_award = reserve_ids(AwardRecord, len(plan.awards))
    award_rows = (
        (
            first_award + n,
            type_ids[a.award],
            person_ids[a.person] if a.person is not None else None,
            unit_ids[a.unit] if a.unit else None,
            household_ids[a.household] if a.household else None,
            a.year,
            a.kind,
            decision_ids[a.decision],
            a.reason,
            a.bonus,
            RecordSource.IMPORTED,
        )
        for n, a in enumerate(plan.awards)
    )
    award_columns = [
        "id",
        "award_type_id",
        "person_id",
        "unit_id",
        "household_id",
        "year",
        "kind",
        "decision_id",
        "reason",
        "bonus_amount",
        "source",
    ]
    total = len(plan.awards)

    def award_progress(done: int) -> None:
        progress(f"Đã ghi {vn_number(done)}/{vn_number(total)} bản ghi khen thưởng.")

    _raw_insert(AwardRecord, award_columns, award_rows, history_constants, award_progress, total)
    through = AwardRecord.initiatives.through
    _raw_insert(
        through,
        ["awardrecord_id", "initiative_id"],
        ((first_award + n, initiative_ids[i]) for n, a in enumerate(plan.awards) for i in a.initiatives),
        None,
    )

    first_rating = reserve_ids(YearlyRating, len(plan.ratings))
    rating_rows = (
        (
            first_rating + n,
            person_ids[r.person] if r.person is not None else None,
            unit_ids[r.unit] if r.unit else None,
            r.year,
            r.rating,
            RecordSource.IMPORTED,
        )
        for n, r in enumerate(plan.ratings)
    )
    _raw_insert(
        YearlyRating,
        ["id", "person_id", "unit_id", "year", "rating", "source"],
        rating_rows,
        history_constants,
    )
    progress(f"Đã ghi {vn_number(len(plan.ratings))} kết quả xếp loại hằng năm.")

    _bulk(
        Discipline,
        [
            Discipline(
                person_id=person_ids[d.person],
                level=d.level,
                decision_number=d.decision_number,
                start_date=d.start_date,
                end_date=d.end_date,
                reason=d.reason,
            )
            for d in plan.disciplines
        ],
        hist,
    )
    _bulk(
        Investigation,
        [
            Investigation(
                person_id=person_ids[i.person], reason=i.reason, since=i.since, closed_on=i.closed_on
            )
            for i in plan.investigations
        ],
        hist,
    )
    return plan.counts()
