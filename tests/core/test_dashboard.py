"""The dashboard's registry figures come from tallies (core.AwardTally) kept by every kind of write; after
each one they equal a count of the records themselves, for every role, and the page asks the same number
of queries whatever the registry holds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_award, make_person, make_user
from tests.imports.helpers import award_row, generate_awards_workbook
from tests.proposals.conftest import drafted, flow  # noqa: F401  (the fixture, used by name)
from tests.proposals.test_workflow import _appraised, _decide
from thidua.accounts.models import Role, User
from thidua.awards.models import AwardRecord, Decision
from thidua.core import dataversion
from thidua.core.models import AuditLog, AwardTally
from thidua.core.tallies import differences
from thidua.imports.models import ImportKind
from thidua.imports.services import import_commit, import_validate
from thidua.organisation.models import Household, Person
from thidua.organisation.services import household_create
from thidua.proposals import services as proposals

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(province: dict[str, Any], users: dict[str, Any]) -> list[User]:
    """One account of every role, province-wide ones and the scoped ones of two departments."""
    return [
        users["admin"],
        users["specialist"],
        users["council"],
        make_user("tongquan.chutich", Role.CHAIRMAN, province["ubnd"]),
        make_user("tongquan.khoitruong", Role.BLOC_LEADER, province["education"]),
        make_user("tongquan.thutruong", Role.UNIT_HEAD, province["health"]),
        users["health_officer"],
        users["education_officer"],
    ]


def counted(user: User) -> dict[str, Any]:
    """The figures counted straight from the award records, as the dashboard computed them before it had
    tallies."""
    records = AwardRecord.objects.all()
    if not user.is_province_wide:
        path = user.unit.path
        records = records.filter(
            Q(person__unit__path__startswith=path)
            | Q(unit__path__startswith=path)
            | Q(household__unit__path__startswith=path)
        )
    years = records.values("year").annotate(n=Count("id")).order_by("-year").values_list("year", "n")
    decisions = Decision.objects.filter(records__in=records).distinct().order_by("-date", "number")
    return {
        "award_count": records.count(),
        "revoked_count": records.filter(revoked_on__isnull=False).count(),
        "awards_by_year": list(years[:5]),
        "latest_decisions": list(decisions[:8]),
    }


def assert_figures_match(users: list[User]) -> None:
    for user in users:
        client = Client()
        client.force_login(user)
        context = client.get(reverse("core:dashboard")).context
        shown = {key: context[key] for key in ("award_count", "revoked_count", "awards_by_year")}
        shown["latest_decisions"] = list(context["latest_decisions"])
        assert shown == counted(user), user.username
    assert not differences(), "the tallies differ from a count of the records"


def test_figures_equal_a_count_after_each_service_write(
    province: dict[str, Any], everyone: list[User]
) -> None:
    assert_figures_match(everyone)
    make_award(province["health_person"], "LDTT", 2023)
    make_award(province["clinic_person"], "CSTDCS", 2024)
    make_award(province["education_person"], "LDTT", 2024)
    make_award(province["education"], "TTLDXS", 2022)
    commune = province["clinic"]
    household = household_create(actor=None, code="H1", head_name="Lò Văn Ánh", unit=commune)
    make_award(household, "GDVH", 2024)
    assert AwardRecord.objects.count() == 5
    assert_figures_match(everyone)


def test_figures_equal_a_count_after_an_import(
    province: dict[str, Any], users: dict[str, Any], everyone: list[User]
) -> None:
    data = generate_awards_workbook(
        [
            award_row(),
            award_row(award="CSTDCS", year=2024, decision_number="16/QĐ-UBND"),
            award_row(identity_number="", full_name="Lò Thị Mai", unit_code=province["clinic"].code),
        ]
    )
    validation = import_validate(
        actor=users["specialist"], kind=ImportKind.AWARDS, file_name="a.xlsx", data=data
    )
    assert validation.ok, validation.errors
    import_commit(actor=users["specialist"], batch=validation.batch)
    assert AwardRecord.objects.count() == 3
    assert_figures_match(everyone)


def test_figures_equal_a_count_after_a_decision_and_a_revocation(
    flow: dict[str, Any],  # noqa: F811
    everyone: list[User],
) -> None:
    dossier = _appraised(flow, drafted(flow))
    decision = _decide(flow, dossier, "15/QĐ-UBND")
    assert decision is not None and AwardRecord.objects.filter(decision=decision).count() == 1
    assert_figures_match(everyone)

    proposals.award_revoke(
        actor=flow["chairman"],
        nominee=dossier.nominees.get(),
        reason="Khai man thành tích",
        basis="Luật Thi đua, khen thưởng 2022, Điều 93 khoản 1 điểm a",
    )
    assert AwardRecord.objects.filter(revoked_on__isnull=False).count() == 1
    assert_figures_match(everyone)
    page = Client()
    page.force_login(flow["specialist"])
    assert "trong đó 1 đã bị hủy bỏ" in page.get(reverse("core:dashboard")).text


def test_figures_follow_the_admin_pages(province: dict[str, Any], everyone: list[User]) -> None:
    """A person or household moved to another unit takes its awards along; a record changed or deleted
    in the admin changes the figures too."""
    health_person = province["health_person"]
    make_award(health_person, "LDTT", 2023)
    make_award(health_person, "CSTDCS", 2024)
    household = household_create(actor=None, code="H1", head_name="Lò Văn Ánh", unit=province["clinic"])
    make_award(household, "GDVH", 2024)
    request = RequestFactory().post("/")
    request.user = everyone[0]

    def admin_save(model: type, obj: Any, changed: list[str]) -> None:
        # As the admin's change form does: the object, then its related rows and the audit row.
        form = SimpleNamespace(changed_data=changed, cleaned_data={}, instance=obj, save_m2m=lambda: None)
        admin.site._registry[model].save_model(request, obj, form, True)
        admin.site._registry[model].save_related(request, form, [], True)

    for model, obj in ((Person, health_person), (Household, household)):
        obj.unit = province["education"]
        admin_save(model, obj, ["unit"])
        assert_figures_match(everyone)

    record_admin = admin.site._registry[AwardRecord]
    record = AwardRecord.objects.get(award_type__code="CSTDCS")
    record.year, record.person = 2022, province["clinic_person"]
    admin_save(AwardRecord, record, ["year", "person"])
    assert_figures_match(everyone)
    record_admin.delete_model(request, record)
    assert_figures_match(everyone)
    record_admin.delete_queryset(request, AwardRecord.objects.filter(household=household))
    assert_figures_match(everyone)


def test_tally_rebuild_finds_and_repairs_drift(province: dict[str, Any], everyone: list[User]) -> None:
    make_award(province["health_person"], "LDTT", 2023)
    make_award(province["education_person"], "LDTT", 2024)
    call_command("tally_rebuild", "--check")
    AwardTally.objects.filter(unit=province["health"]).update(records=7)
    AwardTally.objects.filter(unit=province["education"]).delete()
    with pytest.raises(CommandError, match="2 số liệu"):
        call_command("tally_rebuild", "--check")
    call_command("tally_rebuild")
    call_command("tally_rebuild", "--check")
    assert_figures_match(everyone)
    audit = AuditLog.objects.get(action="award_tally_rebuild")
    assert audit.summary.startswith("2 khác biệt")


def _dashboard_queries(users: list[User]) -> dict[str, tuple[int, int]]:
    """Each user's query count for the dashboard computed afresh (the data version replaced just before),
    then for the same dashboard served again from the cache."""
    url = reverse("core:dashboard")
    found: dict[str, tuple[int, int]] = {}
    for user in users:
        client = Client()
        client.force_login(user)
        client.get(url)
        dataversion.bump()
        with CaptureQueriesContext(connection) as computed:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(url).status_code == 200
        found[user.username] = (len(computed), len(cached))
    return found


def test_dashboard_queries_do_not_grow_with_the_registry(
    province: dict[str, Any], everyone: list[User]
) -> None:
    """For every role: the same number of queries with no awards, and after awards in and out of scope, in
    several years and decisions; served from the cache, fewer still."""
    before = _dashboard_queries(everyone)
    people = [province["health_person"], province["clinic_person"], province["education_person"]]
    people += [make_person(province["clinic"], f"Lò Văn Số{i}") for i in range(5)]
    for year in (2019, 2020, 2021, 2022, 2023, 2024):
        for person in people:
            make_award(person, "LDTT", year)
    make_award(province["health"], "TTLDXS", 2024)
    assert _dashboard_queries(everyone) == before
    # From the cache a role pays only the session, the account, its second factor and the data version.
    assert max(cached for _computed, cached in before.values()) <= 5
    assert max(cached for _computed, cached in before.values()) < min(c for c, _cached in before.values())


def test_the_people_unit_and_household_totals_are_those_in_scope(
    province: dict[str, Any], everyone: list[User]
) -> None:
    """The three totals, read in one query, equal their own counts for every role; a filter that matches
    nothing (a user without scope) counts 0 rather than failing."""
    from thidua.accounts.scope import scope_q
    from thidua.core.queries import counts
    from thidua.core.selectors import dashboard_overview
    from thidua.organisation.models import Unit

    household_create(actor=None, code="H1", head_name="Lò Văn Ánh", unit=province["clinic"])
    make_person(province["clinic"], "Lò Văn Một")
    for user in everyone:
        found = dashboard_overview(user=user)
        assert found["person_count"] == Person.objects.filter(scope_q(user)).count(), user
        assert found["household_count"] == Household.objects.filter(scope_q(user)).count(), user
        units = Unit.objects.filter(scope_q(user, None), valid_to__isnull=True).count()
        assert found["unit_count"] == units > 0, user
    assert counts(none=Person.objects.filter(pk__in=[]), all=Person.objects.all()) == {
        "none": 0,
        "all": Person.objects.count(),
    }
    assert counts() == {}
