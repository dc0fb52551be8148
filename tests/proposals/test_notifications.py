"""Notifications link to their object, read well, and leave the bell once their object has moved on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.proposals import selectors, services
from thidua.proposals.models import Notification

pytestmark = pytest.mark.django_db


def _unread(user: Any, **about: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user, read_at__isnull=True, **about))


def test_a_dossier_notice_links_to_it_and_clears_when_the_dossier_moves_on(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    waiting = _unread(flow["specialist"], dossier=dossier)
    assert len(waiting) == 1 and "chờ tiếp nhận" in waiting[0].text
    assert waiting[0].target_url == f"/ho-so/{dossier.pk}/"
    before = selectors.unread_count(user=flow["specialist"])

    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    # Received: "waiting for reception" waits for no one any more, and the bell says so.
    assert _unread(flow["specialist"], dossier=dossier) == []
    assert selectors.unread_count(user=flow["specialist"]) == before - 1
    # The unit's staff now hold only the latest news of their dossier.
    latest = _unread(flow["health_officer"], dossier=dossier)
    assert [n.text for n in latest] == [f"Hồ sơ {dossier.code} đã được tiếp nhận, đang thẩm định"]

    # Opening the notice marks it read and goes to the dossier; another user's notice is not found.
    officer = client_for(flow["health_officer"])
    response = officer.get(f"/ho-so/thong-bao/{latest[0].pk}/")
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    latest[0].refresh_from_db()
    assert latest[0].read_at is not None
    other = Notification.objects.filter(user=flow["specialist"]).first()
    assert other is not None
    assert officer.get(f"/ho-so/thong-bao/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is not None  # cleared when the dossier moved on, not by the officer


def test_a_session_invitation_reads_well_links_to_the_session_and_clears_when_it_closes(
    flow: dict[str, Any],
) -> None:
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"],
        title="Phiên họp xét khen thưởng năm 2024",
        date=dt.date(2026, 12, 10),
        dossiers=[dossier],
    )
    member = flow["members"][1].user
    invitation = _unread(member, session=session)
    assert len(invitation) == 1
    assert invitation[0].text == (
        "Mời dự họp Hội đồng Thi đua – Khen thưởng ngày 10/12/2026: Phiên họp xét khen thưởng năm 2024"
    )
    assert "Phiên họp Phiên họp" not in invitation[0].text
    assert invitation[0].target_url == f"/ho-so/hoi-dong/{session.pk}/"

    for m in flow["members"]:
        services.attendance_set(actor=flow["specialist"], session=session, member=m, present=True)
    line = dossier.nominees.get()
    services.tally_enter(actor=flow["specialist"], session=session, nominee=line, agree=5, disagree=0)
    services.session_close(actor=flow["specialist"], session=session)
    assert _unread(member, session=session) == []
    closed = _unread(flow["chairman"], session=session)
    assert [n.text for n in closed] == [
        "Hội đồng đã họp xong, kết quả bỏ phiếu đã khóa: Phiên họp xét khen thưởng năm 2024"
    ]
