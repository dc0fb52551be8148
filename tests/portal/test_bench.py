from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_bench_prints_both_pages_both_ways(portal_world: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("portal_bench", requests=20, stdout=out)
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if line.startswith(("Trang chủ", "Trang điển hình"))]
    assert len(rows) == 4
    for row in rows:
        p50, p95, slowest = (float(v) for v in row.split()[-3:])
        assert 0 < p50 <= p95 <= slowest


def test_bench_needs_a_published_role_model(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("portal_bench", requests=20, stdout=io.StringIO())
