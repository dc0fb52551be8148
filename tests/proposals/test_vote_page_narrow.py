"""The voting page works on a phone: each case is a block of its own (no wide table to scroll) with the
member's two buttons, and no template comment leaks into the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.proposals import services

pytestmark = pytest.mark.django_db


def test_each_case_is_a_block_with_the_members_buttons(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp cuối năm", date=dt.date(2026, 12, 10), dossiers=[dossier]
    )
    services.attendance_all_present(actor=flow["specialist"], session=session)
    html = client_for(flow["council"]).get(f"/ho-so/hoi-dong/{session.pk}/").text
    line = dossier.nominees.get()
    block = re.search(rf'<li class="list-group-item" id="phieu-{line.pk}">(.*?)</li>', html, re.DOTALL)
    assert block is not None
    assert "<table" not in html.split('id="du-hop"')[0].split("Biểu quyết từng trường hợp")[1]
    buttons = re.findall(r'<button class="btn btn-outline-(success|danger) flex-fill"', block.group(1))
    assert buttons == ["success", "danger"]
    assert "{#" not in html and "{%" not in html
