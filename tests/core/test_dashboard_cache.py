"""The dashboard kept in the cache (thidua.core.selectors.dashboard_overview): served again only while nothing
it shows has changed. After each kind of change the page equals the figures and to-do computed afresh for
that user alone, and a reading that changes nothing (an export asked for) keeps the cached page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import DATABASE_TASKS, FIXED_NOW, FIXED_TODAY
from tests.proposals.conftest import drafted, flow  # noqa: F401  (the fixture, used by name)
from tests.proposals.test_workflow import _appraised
from thidua.accounts.scope import scope_q
from thidua.core import dataversion
from thidua.core.selectors import _dashboard_overview, dashboard_key
from thidua.exports.services import export_job_create
from thidua.organisation.models import Person
from thidua.organisation.services import person_create
from thidua.proposals import services

pytestmark = pytest.mark.django_db

URL = "/tong-quan/"


def _todo_texts(context: Any) -> list[str]:
    return [item.text for item in context["todo"]]


def _shown(client: Client) -> Any:
    response = client.get(URL)
    assert response.status_code == 200
    return response.context


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_an_audited_change_shows_on_the_next_load(
    flow: dict[str, Any],  # noqa: F811
    client_for: Callable[[Any], Client],
) -> None:
    officer, specialist = flow["health_officer"], flow["specialist"]
    officer_page, specialist_page = client_for(officer), Client()
    specialist_page.force_login(specialist)
    before = _shown(officer_page)["person_count"]
    assert _todo_texts(_shown(specialist_page)) == []

    person_create(actor=officer, family_name="Lò", given_name="Mới", gender="male", unit=officer.unit)
    in_scope = Person.objects.filter(scope_q(officer)).count()
    assert _shown(officer_page)["person_count"] == before + 1 == in_scope

    draft = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=draft)
    shown = _shown(specialist_page)
    fresh = _dashboard_overview(user=specialist)
    expected = [f"Tiếp nhận hoặc trả lại hồ sơ {draft.code} của Sở Y tế"]
    assert _todo_texts(shown) == _todo_texts(fresh) == expected
    assert shown["dossier_counts"] == fresh["dossier_counts"] and fresh["dossier_counts"]["submitted"] == 1


def test_a_vote_leaves_the_members_todo_at_once(flow: dict[str, Any]) -> None:  # noqa: F811
    """The ballot writes no audit row (it would tell the choice); it replaces the data version itself."""
    ballot = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp cuối năm", date=dt.date(2026, 12, 10), dossiers=[ballot]
    )
    services.attendance_all_present(actor=flow["specialist"], session=session)
    member = flow["members"][1].user
    page = Client()
    page.force_login(member)
    assert _todo_texts(_shown(page)) == ["Bỏ phiếu 1 trường hợp: Phiên họp cuối năm"]
    services.ballot_cast(actor=member, session=session, nominee=ballot.nominees.get(), agree=True)
    assert _todo_texts(_shown(page)) == _todo_texts(_dashboard_overview(user=member)) == []


def test_an_export_asked_for_keeps_the_cached_page(
    flow: dict[str, Any],  # noqa: F811
    client_for: Callable[[Any], Client],
    settings: Any,
) -> None:
    settings.TASKS = DATABASE_TASKS
    specialist = flow["specialist"]
    page = client_for(specialist)
    _shown(page)
    cached = _queries(page)
    dataversion.bump()
    computed = _queries(page)
    assert cached < computed

    token = dataversion.current()
    export_job_create(actor=specialist, kind="quyet-dinh", params={}, rows_total=None)
    assert dataversion.current() == token
    assert _queries(page) == cached


def test_the_next_day_is_computed_afresh(
    flow: dict[str, Any],  # noqa: F811
    client_for: Callable[[Any], Client],
) -> None:
    """A deadline passes at midnight with nothing written: the to-do marks it overdue from 00:00."""
    draft = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=draft)
    draft.refresh_from_db()
    zone = FIXED_NOW.tzinfo
    with time_machine.travel(dt.datetime.combine(draft.due_date, dt.time(23, 58), tzinfo=zone), tick=False):
        page = client_for(flow["specialist"])
        (item,) = _shown(page)["todo"]
        assert item.due == draft.due_date and not item.overdue
    midnight = dt.datetime.combine(draft.due_date + dt.timedelta(days=1), dt.time(0, 1), tzinfo=zone)
    with time_machine.travel(midnight, tick=False):
        (item,) = _shown(page)["todo"]
        assert item.overdue
        assert _shown(page)["dossier_counts"]["overdue"] == 1


def test_a_cache_left_by_another_database_is_not_served(
    flow: dict[str, Any],  # noqa: F811
    client_for: Callable[[Any], Client],
) -> None:
    """A file cache outlives a database that is restored or replaced; the version lives in the database, so
    a page kept for another state of the data, under that state's version, is not served."""
    officer = flow["health_officer"]
    page = client_for(officer)
    in_scope = Person.objects.filter(scope_q(officer)).count()
    assert _shown(page)["person_count"] == in_scope
    (stamp, kept) = cache.get(dashboard_key(officer))
    assert stamp == (dataversion.current(), FIXED_TODAY.isoformat()) and kept["person_count"] == in_scope
    cache.set(dashboard_key(officer), (("b" * 32, stamp[1]), {**kept, "person_count": 999}))
    assert _shown(page)["person_count"] == in_scope
