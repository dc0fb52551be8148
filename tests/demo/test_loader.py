"""Loading the demo province: what the plan says ends up in the database, once."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts import two_factor
from thidua.accounts.models import Role, User
from thidua.appraisal.candidates import member_stats_for_units
from thidua.awards.models import AwardRecord, Decision, YearlyRating
from thidua.core.models import AuditLog
from thidua.demo import data as D
from thidua.demo.generator import build_plan
from thidua.demo.loader import DemoError, demo_load
from thidua.demo.models import DemoLoad
from thidua.demo.targets import YEARS as DEMO_TARGET_YEARS
from thidua.organisation.models import Household, Person, PositionHistory, Unit
from thidua.reports.models import Measure, Target

PEOPLE = 200


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "households": Household.objects.count(),
        "decisions": Decision.objects.count(),
        "awards": AwardRecord.objects.count(),
        "ratings": YearlyRating.objects.count(),
        "users": User.objects.count(),
        "history": AwardRecord.history.count(),  # type: ignore[attr-defined]
    }


def _snapshot() -> list[Any]:
    """The loaded data by natural keys, without database ids."""
    people = list(
        Person.objects.order_by("identity_number").values_list(
            "identity_number", "full_name", "unit__code", "position", "search_text", "sort_key"
        )
    )
    awards = sorted(
        AwardRecord.objects.values_list(
            "award_type__code",
            "person__identity_number",
            "unit__code",
            "household__code",
            "year",
            "decision__number",
            "decision__date",
            "bonus_amount",
        ),
        key=repr,
    )
    units = list(Unit.objects.order_by("code").values_list("code", "name", "parent__code", "successor__code"))
    return [people, awards, units]


@pytest.mark.django_db
def test_load_writes_the_plan() -> None:
    plan = build_plan(PEOPLE, seed=3)
    result = demo_load(people=PEOPLE, seed=3)
    assert result.created
    counts = _counts()
    assert counts["people"] == PEOPLE
    assert counts["units"] == len(plan.units)
    assert counts["awards"] == len(plan.awards) == counts["history"]
    assert counts["ratings"] == len(plan.ratings)
    assert AwardRecord.initiatives.through.objects.count() == sum(len(a.initiatives) for a in plan.awards)
    # The planner has statistics of the tables just filled (the loader runs ANALYZE).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'organisation_person'")
            assert cursor.fetchone()[0] == PEOPLE
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'organisation_person' LIMIT 1")
            assert int(cursor.fetchone()[0].split()[0]) == PEOPLE
    load = DemoLoad.objects.get()
    assert (load.people, load.seed, load.digest) == (PEOPLE, 3, plan.digest())

    root = Unit.objects.get(code="LC")
    commune = Unit.objects.get(code="LC.X.BINHLU")
    school = Unit.objects.get(code="LC.X.BINHLU.TH")
    assert root.path == f"/{root.pk}/"
    assert school.path == f"/{root.pk}/{commune.pk}/{school.pk}/"
    district = Unit.objects.get(code="LC.H.TAMDUONG")
    assert district.successor == commune and str(district.valid_to) == "2025-06-30"
    person = Person.objects.order_by("id").first()
    assert person is not None and person.full_name and person.search_text and person.sort_key

    # The province's Board set the reports' targets for 2024–2026, one per share, through the service.
    targets = Target.objects.filter(authority__unit=root)
    assert sorted(targets.values_list("year", "measure")) == sorted(
        (year, measure.value) for year in DEMO_TARGET_YEARS for measure in Measure
    )
    assert AuditLog.objects.filter(action="reports.targets_set").count() == len(DEMO_TARGET_YEARS)

    for user in User.objects.all():
        assert user.check_password("thiduatinh2026"), user.username
        # The roles that require a second factor have the README's demo key; the others none.
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if two_factor.otp_required(user):
            assert [base64.b32encode(d.bin_key).decode() for d in devices] == [D.DEMO_TOTP_SECRET], (
                user.username
            )
        else:
            assert devices == [], user.username
    validate_password(D.DEMO_PASSWORD)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    admin = User.objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser


@pytest.mark.django_db
def test_second_load_changes_nothing_and_another_size_is_refused() -> None:
    demo_load(people=PEOPLE, seed=3)
    before = _counts()
    again = demo_load(people=PEOPLE, seed=3)
    assert not again.created
    assert _counts() == before
    with pytest.raises(DemoError, match="không nạp thêm"):
        demo_load(people=PEOPLE + 50, seed=3)
    assert _counts() == before


@pytest.mark.django_db
def test_two_loads_into_empty_databases_give_the_same_data() -> None:
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            demo_load(people=PEOPLE, seed=9, history=False)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0]


@pytest.mark.django_db
def test_command_reports_logins_and_is_idempotent() -> None:
    out = io.StringIO()
    call_command("demo", people=PEOPLE, stdout=out)
    text = out.getvalue()
    assert "Đã nạp tỉnh mẫu" in text
    for username in ("quantri", "chuyenvien", "hoidong", "chutich", "khoitruong", "thutruong", "canbo"):
        assert username in text
    out = io.StringIO()
    call_command("demo", people=PEOPLE, stdout=out)
    assert "đã được nạp trước đó" in out.getvalue()
    with pytest.raises(CommandError, match="không nạp thêm"):
        call_command("demo", people=PEOPLE * 2, stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_data() -> None:
    from tests.factories import make_unit

    make_unit("UBND tỉnh Lai Châu")
    Unit.objects.filter(pk=Unit.objects.get().pk).update(code="LC")
    with pytest.raises(DemoError, match="trùng mã"):
        demo_load(people=PEOPLE, seed=3)


@pytest.mark.django_db
def test_the_demo_members_of_a_unit_differ_by_year_as_people_moved() -> None:
    demo_load(people=PEOPLE, seed=3, history=False)
    movers = list(
        PositionHistory.objects.filter(end_date__isnull=False).select_related("unit", "person__unit")
    )
    assert len(movers) >= 3
    mover = movers[0]
    left, year = mover.unit, mover.end_date.year

    def members_on(unit: Unit, day: dt.date) -> set[int]:
        """Who held a position in the unit's subtree on the day, read straight from the positions."""
        return {
            p.person_id
            for p in PositionHistory.objects.filter(unit__path__startswith=unit.path)
            if (p.start_date is None or p.start_date <= day) and (p.end_date is None or p.end_date >= day)
        }

    before, after = members_on(left, dt.date(year - 1, 12, 31)), members_on(left, dt.date(year, 12, 31))
    assert mover.person_id in before and mover.person_id not in after
    stats = member_stats_for_units([left])[left.pk]
    assert (stats[year - 1].total, stats[year].total) == (len(before), len(after))
    # Where people work now would have counted the mover nowhere near this unit in either year.
    now = set(Person.objects.filter(unit__path__startswith=left.path).values_list("id", flat=True))
    assert mover.person_id not in now


@pytest.mark.django_db
def test_the_demo_launches_its_movements_with_reports_in_every_state() -> None:
    from decimal import Decimal

    from thidua.movements.models import Movement, MovementState, ReportState
    from thidua.movements.selectors import movement_page

    demo_load(people=PEOPLE, seed=3, history=False)
    regular, rural = Movement.objects.order_by("start_date")
    assert regular.state == MovementState.CONCLUDED and rural.state == MovementState.LAUNCHED
    board = User.objects.get(username="chuyenvien")
    page = movement_page(user=board, pk=regular.pk)
    rows = {row.unit.code: row for row in page.units}
    # Worked by hand from the demo's accepted figures (targets 98% and 3 initiatives, weights 2 and 1):
    # Sở Y tế 99% and 3 → 100; Bình Lư 98,7% and 2 → (2·100 + 66,67)/3; Bản Bo's last accepted quarter
    # 97,4% and 1 → (2·97,4/98·100 + 33,33)/3.
    tenth = Decimal("0.1")
    assert rows["LC.SYT"].percent == 100
    assert rows["LC.X.BINHLU"].percent.quantize(tenth) == Decimal("88.9")
    assert rows["LC.X.BANBO"].percent.quantize(tenth) == Decimal("77.4")
    assert (rows["LC.X.BANBO"].late, rows["LC.X.BANBO"].missing) == (1, 1)
    assert (rows["LC.SYT"].late, rows["LC.SYT"].missing) == (0, 0)
    # Its sơ kết and tổng kết are recorded with the Board's assessment, and the tổng kết's report opens.
    reviews = list(regular.reviews.order_by("held_on").values_list("kind", "held_on"))
    assert reviews == [("midterm", dt.date(2025, 7, 15)), ("final", dt.date(2026, 1, 22))]
    final = regular.reviews.get(kind="final")
    assert final.strengths and final.weaknesses and final.lessons
    from thidua.movements import documents
    from thidua.movements import reviews as review_reads

    figures = review_reads.review_figures(regular)
    assert figures.overall == page.overall
    text = documents.docx_bytes(documents.context(final, figures))
    assert text.startswith(b"PK")
    # The thematic movement reached every commune and ward at launch; its reports are in every state.
    assert (
        rural.targets.count()
        == Unit.objects.filter(kind__in=["commune", "ward"], valid_to__isnull=True).count()
    )
    states = set(rural.reports.values_list("state", flat=True))
    assert {ReportState.ACCEPTED, ReportState.RETURNED, ReportState.SUBMITTED} <= states


@pytest.mark.django_db
def test_the_demo_registers_its_units_for_both_years() -> None:
    from thidua.registrations.models import Registration, RegistrationState

    demo_load(people=PEOPLE, seed=3, history=False)
    states = {(r.unit.code, r.year): r.state for r in Registration.objects.select_related("unit")}
    approved, submitted = RegistrationState.APPROVED, RegistrationState.SUBMITTED
    assert states == {
        ("LC.SYT", 2025): approved,
        ("LC.X.BINHLU", 2025): approved,
        ("LC.X.BANBO", 2025): approved,
        ("LC.SYT", 2026): submitted,
        ("LC.X.BINHLU", 2026): RegistrationState.RETURNED,
        ("LC.X.BANBO", 2026): RegistrationState.DRAFT,
    }
    late = Registration.objects.get(unit__code="LC.X.BANBO", year=2025)
    assert late.first_submitted_at is not None and late.first_submitted_at.date() > late.due_date
    pledged = Registration.objects.get(unit__code="LC.X.BINHLU", year=2026)
    assert pledged.pledges.get().movement.kind == "thematic"


@pytest.mark.django_db
def test_the_demo_follows_the_founding_directive_with_reports() -> None:
    from thidua.directives.models import Directive, TaskReport

    demo_load(people=PEOPLE, seed=3, history=False)
    directive = Directive.objects.get()
    assert directive.number == "02/CT-UBND" and directive.tasks.count() == 9
    reports = TaskReport.objects.select_related("task", "unit")
    by_unit_year: dict[tuple[str, int], int] = {}
    for report in reports:
        key = (report.unit.code, report.due_date.year)
        by_unit_year[key] = by_unit_year.get(key, 0) + 1
    # Bản Bo sent nothing for 2025; Bình Lư's 2025 reports came after their due dates.
    assert ("LC.X.BANBO", 2025) not in by_unit_year and by_unit_year[("LC.X.BANBO", 2024)] > 0
    late = [r for r in reports if r.unit.code == "LC.X.BINHLU" and r.due_date.year == 2025]
    assert late and all(r.submitted_at.date() > r.due_date for r in late)
    on_time = [r for r in reports if r.unit.code == "LC.SYT"]
    assert on_time and all(r.submitted_at.date() < r.due_date for r in on_time)
