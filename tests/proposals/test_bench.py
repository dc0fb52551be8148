"""The dossier benchmark runs end to end on a tiny province (timings are not asserted here, query counts
are: they do not depend on the machine)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from thidua.accounts.models import User
from thidua.proposals.models import Dossier, Nominee


def _verdict_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


@pytest.mark.django_db
def test_bench_dossiers_prints_the_figures_and_leaves_no_dossier_behind() -> None:
    out = io.StringIO()
    call_command(
        "bench_dossiers",
        people=40,
        dossiers=200,
        nominees=20,
        samples=3,
        runs=2,
        stdout=out,
        no_color=True,
    )
    text = out.getvalue()
    for heading in ("(a)", "(b)", "(c)", "(d)", "(e)", "Tổng hợp"):
        assert heading in text, heading
    # The appraisal figures: each measured step with its median, max and queries.
    for step in (
        "appraise_dossier(dossier, as_of)",
        "services.dossier_submit",
        "services.dossier_reappraise",
    ):
        row = _verdict_line(text, step)
        assert re.search(r"\d+,\d{3} s\s+\d+,\d{3} s\s+\d+", row), row
        assert _verdict_line(text, f"Kiểm tra hồ sơ 20 dòng: {step}")
    assert re.search(r"Số truy vấn của appraise_dossier: \d+ với \d+ dòng, \d+ với 20 dòng\.", text)
    assert _verdict_line(text, "Số truy vấn kiểm tra hồ sơ không đổi")
    # The list figures: every page of each user, with p50/p95 and the same query count on every page.
    for user in ("chuyenvien", "canbo"):
        pages = [line for line in text.splitlines() if line.startswith(f"{user} (")]
        assert len(pages) == 5, pages
        for page in pages:
            assert re.search(r"\d+,\d ms\s+\d+,\d ms", page), page
        counts = {re.findall(r"ms\s+(\d+(?:–\d+)?)\s+\d+,\d+\s*$", page)[0] for page in pages}
        assert len(counts) == 1 and "–" not in next(iter(counts)), pages
        assert _verdict_line(text, f"Danh sách hồ sơ p95 ({user}")
        constant = _verdict_line(text, f"Số truy vấn danh sách không đổi ({user})")
        assert constant.split()[-1] == "ĐẠT" and "KHÔNG ĐẠT" not in constant, constant
    # Everything the bench wrote was rolled back.
    assert not User.objects.filter(username="bench.hoso").exists()
    assert not Dossier.objects.filter(title__contains="đo hiệu năng").exists()
    assert not Nominee.objects.filter(achievement__contains="đo hiệu năng").exists()
    # The demo's three dossiers and the one its bloc ranking became (thidua/demo/blocs.py).
    assert Dossier.objects.count() <= 4
