"""Issuing and revoking a decision ask again for the second factor (or the password, for an account without
one), on the page and through the API (issue 13, item 6)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import FIXED_TODAY
from tests.otp import code, enrol
from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised, _decide
from thidua.accounts.tokens import token_create
from thidua.awards.models import AwardRecord
from thidua.proposals.models import DossierState, LineOutcome

PASSWORD = "mat-khau-thu-nghiem-1"


def _decide_form(dossier: Any, number: str, **extra: str) -> dict[str, Any]:
    return {"dossiers": [dossier.pk], "number": number, "date": FIXED_TODAY.isoformat(), **extra}


def test_issuing_on_the_page_without_a_fresh_code_is_refused_and_nothing_is_written(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _appraised(flow, drafted(flow))
    chairman = client_for(flow["chairman"])
    device = enrol(flow["chairman"])
    page = chairman.get(reverse("proposals:decide")).text
    assert 'name="reauth_code"' in page

    for given in ("", "12345", f"{(int(code(device)) + 7) % 1_000_000:06d}", PASSWORD):
        refused = chairman.post(
            reverse("proposals:decide"), _decide_form(dossier, "31/QĐ-UBND", reauth_code=given)
        )
        assert refused.status_code == 403, given
        assert "mã xác thực" in refused.text
        dossier.refresh_from_db()
        assert dossier.state == DossierState.APPRAISED
        assert not AwardRecord.objects.filter(decision__number="31/QĐ-UBND").exists()

    # Past the throttle of the failures above, the authenticator's code issues the decision.
    with time_machine.travel(dt.timedelta(minutes=2), tick=True):
        issued = chairman.post(
            reverse("proposals:decide"), _decide_form(dossier, "31/QĐ-UBND", reauth_code=code(device))
        )
        assert issued.status_code == 302
        dossier.refresh_from_db()
        assert dossier.state == DossierState.DECIDED
        assert AwardRecord.objects.filter(decision__number="31/QĐ-UBND").count() == 1


def test_a_fresh_code_holds_for_five_minutes_then_is_asked_again(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    first, second = _appraised(flow, drafted(flow)), _appraised(flow, drafted(flow))
    chairman = client_for(flow["chairman"])
    device = enrol(flow["chairman"])
    answer = chairman.post(
        reverse("proposals:decide"), _decide_form(first, "41/QĐ-UBND", reauth_code=code(device))
    )
    assert answer.status_code == 302
    with time_machine.travel(dt.timedelta(minutes=6), tick=True):
        late = chairman.post(reverse("proposals:decide"), _decide_form(second, "42/QĐ-UBND"))
        assert late.status_code == 403
        second.refresh_from_db()
        assert second.state == DossierState.APPRAISED
    with time_machine.travel(dt.timedelta(minutes=3), tick=True):
        within = chairman.post(reverse("proposals:decide"), _decide_form(second, "42/QĐ-UBND"))
        assert within.status_code == 302
        second.refresh_from_db()
        assert second.state == DossierState.DECIDED


def test_a_head_without_a_device_is_asked_for_the_password(
    levels: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    # Sở Y tế's director signs its decisions; the role does not require a second factor.
    head = levels["health_head"]
    client = client_for(head)
    form = {"number": "1/QĐ-SYT", "date": FIXED_TODAY.isoformat()}
    wrong = client.post(reverse("proposals:decide"), {**form, "reauth_code": "sai-mat-khau"})
    assert wrong.status_code == 403
    assert "Cần nhập lại mật khẩu" in wrong.text
    # The right password gets past the question to the decision's own checks (no dossier chosen here).
    right = client.post(reverse("proposals:decide"), {**form, "reauth_code": PASSWORD})
    assert right.status_code == 200
    assert "Cần nhập lại mật khẩu" not in right.text


def test_revoking_on_the_page_needs_a_fresh_code(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _appraised(flow, drafted(flow))
    _decide(flow, dossier, "51/QĐ-UBND")
    line = dossier.nominees.get()
    chairman = client_for(flow["chairman"])
    device = enrol(flow["chairman"])
    url = reverse("proposals:nominee_revoke", args=[dossier.pk, line.pk])
    body = {"reason": "Khai man thành tích", "basis": "Luật Thi đua, khen thưởng 2022, Điều 93 khoản 1"}
    refused = chairman.post(url, body, follow=True)
    assert "mã xác thực" in refused.text
    line.refresh_from_db()
    assert line.outcome == LineOutcome.APPROVED
    assert AwardRecord.objects.get(decision__number="51/QĐ-UBND").revoked_on is None

    chairman.post(url, {**body, "reauth_code": code(device)})
    line.refresh_from_db()
    assert line.outcome == LineOutcome.REVOKED
    assert AwardRecord.objects.get(decision__number="51/QĐ-UBND").revoked_on is not None


class _Api:
    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        _token, raw = token_create(actor=None, user=user, name="kiểm thử")
        self.headers = {"Authorization": f"Bearer {raw}"}

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            f"/api{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )


def test_the_api_asks_for_a_code_before_issuing_and_revoking(flow: dict[str, Any], client: Client) -> None:
    dossier = _appraised(flow, drafted(flow))
    api = _Api(client, flow["chairman"])
    body = {"dossier_ids": [dossier.pk], "number": "61/QĐ-UBND", "date": FIXED_TODAY.isoformat()}

    missing = api.post("/decisions", body)
    assert missing.status_code == 422 and "code" in missing.text
    # No device: the password is what is asked again.
    wrong = api.post("/decisions", {**body, "code": "sai-mat-khau"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "reauth_required"
    dossier.refresh_from_db()
    assert dossier.state == DossierState.APPRAISED

    issued = api.post("/decisions", {**body, "code": PASSWORD})
    assert issued.status_code == 201, issued.content
    line = dossier.nominees.get()

    # With a device, the password no longer does: the authenticator's code does, once.
    device = enrol(flow["chairman"])
    path = f"/dossiers/{dossier.pk}/lines/{line.pk}/revoke"
    revoke = {"reason": "Khai man thành tích", "basis": "Luật Thi đua, khen thưởng 2022, Điều 93 khoản 1"}
    by_password = api.post(path, {**revoke, "code": PASSWORD})
    assert by_password.status_code == 403 and by_password.json()["code"] == "reauth_required"
    line.refresh_from_db()
    assert line.outcome == LineOutcome.APPROVED
    with time_machine.travel(dt.timedelta(seconds=5), tick=True):
        token = code(device)
        done = api.post(path, {**revoke, "code": token})
        assert done.status_code == 200, done.content
        assert done.json()["outcome"] == "revoked"


@pytest.mark.parametrize("with_device", [False, True])
def test_a_code_used_once_does_not_issue_a_second_decision_through_the_api(
    flow: dict[str, Any], client: Client, with_device: bool
) -> None:
    first, second = _appraised(flow, drafted(flow)), _appraised(flow, drafted(flow))
    api = _Api(client, flow["chairman"])
    secret = PASSWORD
    if with_device:
        secret = code(enrol(flow["chairman"]))
    one = api.post(
        "/decisions",
        {"dossier_ids": [first.pk], "number": "71/QĐ-UBND", "date": FIXED_TODAY.isoformat(), "code": secret},
    )
    assert one.status_code == 201
    two = api.post(
        "/decisions",
        {"dossier_ids": [second.pk], "number": "72/QĐ-UBND", "date": FIXED_TODAY.isoformat(), "code": secret},
    )
    # A password can be given again; a TOTP code cannot (django-otp keeps the last time step used).
    assert two.status_code == (403 if with_device else 201)
