"""The benchmark command runs end to end on a small province (figures are not asserted here)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from thidua.awards.models import AwardRecord
from thidua.imports.models import ImportBatch


@pytest.mark.django_db
def test_bench_prints_every_figure_and_leaves_the_data_as_it_was() -> None:
    out = io.StringIO()
    call_command(
        "bench", people=60, samples=4, import_rows=30, skip_default_load=True, stdout=out, no_color=True
    )
    text = out.getvalue()
    for heading in (
        "(b)",
        "(c)",
        "(d)",
        "(e)",
        "Tổng hợp",
        "Tìm kiếm p95",
        "Trang hồ sơ p95",
        "Nhập 30 dòng",
    ):
        assert heading in text, heading
    # The import is measured inside a transaction that is rolled back.
    assert not AwardRecord.objects.filter(import_batch__isnull=False).exists()
    assert not ImportBatch.objects.exists()
