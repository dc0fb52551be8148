"""The chart of registrations by title: each bar, table cell and Excel cell equals the number of
registered collectives and people counted from the lines; the file follows the summary's scope."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from thidua.registrations.models import CollectiveLine, PersonLine, Registration
from thidua.registrations.workflow import RegistrationState as S

from .conftest import filled, sent

pytestmark = pytest.mark.django_db


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _counted(model: Any, registrations: Any) -> dict[str, int]:
    rows = model.objects.filter(registration__in=registrations).values_list("award_type__name")
    return dict(rows.annotate(n=Count("id")).order_by())


def test_registrations_by_title_equal_the_lines_counted(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    sent(world)
    sent(world, unit="xa1")
    filled(world, unit="education")  # a draft: not sent up, not counted
    board = client_for(world["specialist"])
    response = board.get(reverse("registrations:summary") + "?year=2027")
    chart = response.context["titles_chart"]
    up = Registration.objects.filter(year=2027, state__in=(S.SUBMITTED, S.APPROVED))
    collectives, people = _counted(CollectiveLine, up), _counted(PersonLine, up)
    expected = {
        name: [collectives.get(name, 0), people.get(name, 0), collectives.get(name, 0) + people.get(name, 0)]
        for name in set(collectives) | set(people)
    }
    assert expected and {row[0]: row[1:] for row in chart.table.rows} == expected
    assert {b.bar.label: b.bar.value for b in chart.bars} == {k: float(v[2]) for k, v in expected.items()}
    totals = [sum(collectives.values()), sum(people.values())]
    assert chart.table.footer == ["Tổng cộng", *totals, sum(totals)]
    sheet = _sheet(board.get(reverse("registrations:titles_export") + "?year=2027"))
    assert sheet == [chart.table.headers, *chart.table.rows, chart.table.footer]
    # Sở Y tế's officer: its own registration's lines only.
    own = Registration.objects.filter(pk__in=up, unit=world["health"])
    officer = client_for(world["health_officer"])
    sheet = _sheet(officer.get(reverse("registrations:titles_export") + "?year=2027"))
    mine_c, mine_p = _counted(CollectiveLine, own), _counted(PersonLine, own)
    assert {r[0]: r[1:3] for r in sheet[1:-1]} == {
        name: [mine_c.get(name, 0), mine_p.get(name, 0)] for name in set(mine_c) | set(mine_p)
    }
    # Sở Giáo dục sent nothing: an empty table, never another unit's lines.
    outsider = client_for(world["education_officer"])
    assert _sheet(outsider.get(reverse("registrations:titles_export") + "?year=2027"))[1:] == [
        ["Tổng cộng", 0, 0, 0]
    ]
