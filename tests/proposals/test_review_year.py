"""The default achievement year is the year under review (issue 8, point 6): a dossier drafted in December
2026 is for 2026, not flagged late against 10/12/2025; in March 2026 the year under review is still 2025.
The clock is fixed: `timezone.now` and `timezone.localdate` answer the chosen moment."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.proposals.conftest import attach_required
from thidua.appraisal import panel
from thidua.proposals import procedure, selectors, services
from thidua.proposals.models import Dossier

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def fix_clock(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: moment.astimezone(HANOI).date()
    )


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (dt.datetime(2026, 12, 6, 9, 0, tzinfo=HANOI), 2026),
        (dt.datetime(2026, 3, 16, 9, 0, tzinfo=HANOI), 2025),
    ],
    ids=["december", "march"],
)
def test_the_dossier_form_and_the_discovery_page_default_to_the_year_under_review(
    flow: dict[str, Any], client_for: Any, monkeypatch: pytest.MonkeyPatch, moment: dt.datetime, year: int
) -> None:
    fix_clock(monkeypatch, moment)
    officer = client_for(flow["health_officer"])
    form = officer.get(reverse("proposals:create"))
    assert form.context["form"]["year"] == str(year)
    assert f'name="year" min="1945" max="2100" value="{year}"' in form.content.decode()
    specialist = client_for(flow["specialist"])
    discovery = specialist.get(reverse("appraisal:discovery"))
    assert discovery.context["filters"].year == year
    # The eligibility panel of a profile answers for the same year.
    report = panel.person_eligibility(
        user=flow["specialist"], person_id=flow["health_person"].pk, as_of=moment.date()
    )
    assert report is not None and report.year == year


def test_a_december_dossier_drafted_with_the_default_year_is_not_late(
    flow: dict[str, Any], client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_clock(monkeypatch, dt.datetime(2026, 12, 6, 9, 0, tzinfo=HANOI))
    officer = client_for(flow["health_officer"])
    # The unit officer keeps the form's year: the POST carries what the form showed.
    shown = officer.get(reverse("proposals:create")).context["form"]["year"]
    officer.post(
        reverse("proposals:create"),
        {"unit": flow["health"].pk, "kind": "cong_trang", "year": shown, "title": "Khen thưởng tổng kết năm"},
    )
    dossier = Dossier.objects.get(title="Khen thưởng tổng kết năm")
    assert dossier.year == 2026
    services.nominee_add(
        actor=flow["health_officer"],
        dossier=dossier,
        recipient=flow["health_person"],
        award_type=flow["health_person"].awards.first().award_type,
        achievement="Hoàn thành tốt nhiệm vụ",
    )
    attach_required(flow["health_officer"], dossier)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    deadline = procedure.submission_deadline(dossier)
    assert deadline is not None and deadline.day == dt.date(2026, 12, 10)
    assert selectors.dossier_page(user=flow["specialist"], pk=dossier.pk).late is None


def test_the_old_default_year_would_have_been_flagged_late(
    flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same December dossier for 2025, the year the form used to propose: late against 10/12/2025.
    fix_clock(monkeypatch, dt.datetime(2026, 12, 6, 9, 0, tzinfo=HANOI))
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2025, title="Năm trước"
    )
    services.nominee_add(
        actor=flow["health_officer"],
        dossier=dossier,
        recipient=flow["health_person"],
        award_type=flow["health_person"].awards.first().award_type,
        achievement="Hoàn thành tốt nhiệm vụ",
    )
    attach_required(flow["health_officer"], dossier)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    late = selectors.dossier_page(user=flow["specialist"], pk=dossier.pk).late
    assert late is not None and late.day == dt.date(2025, 12, 10)
