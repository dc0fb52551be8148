"""The audit chain and the admin's audit rows keep the secret ballot secret (issue 13): after a ballot no
audit row, history row or log line holds a member's choice, and the chain still verifies."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.apps import apps

from tests.proposals.test_secret_ballot import _open_session
from thidua.core.audit import audit_verify
from thidua.core.models import AuditLog
from thidua.proposals import services

pytestmark = pytest.mark.django_db


def _history_rows() -> dict[str, set[Any]]:
    return {
        model._meta.label: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


def test_after_a_ballot_no_audit_history_or_log_row_holds_a_choice(
    flow: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    session, line = _open_session(flow)
    chair, member, _secretary, _conflicted, other = (m.user for m in flow["members"])
    voters = [(chair, True), (member, False), (other, True)]
    last_row = AuditLog.objects.order_by("pk").values_list("pk", flat=True).last()
    history_before = _history_rows()
    caplog.set_level(logging.DEBUG)

    for user, agree in voters:
        services.ballot_cast(actor=user, session=session, nominee=line, agree=agree)

    # The votes themselves write no audit row and no history row at all.
    assert AuditLog.objects.filter(pk__gt=last_row).count() == 0
    assert _history_rows() == history_before

    services.session_close(actor=flow["specialist"], session=session)
    written = list(AuditLog.objects.filter(pk__gt=last_row))
    assert [row.action for row in written] == ["council_session_close"]
    names = {u.username for u, _a in voters} | {u.full_name for u, _a in voters}
    voter_ids = {u.pk for u, _a in voters}
    member_ids = {m.pk for m in flow["members"]}
    # Rows before the first vote (the attendance) name members, but no choice existed yet.
    for row in written:
        assert row.actor_id not in voter_ids, row
        assert "ballot" not in row.target_type, row
        text = json.dumps([row.summary, row.extra, row.changes], ensure_ascii=False)
        assert not any(name in text for name in names), row
        assert "agree" not in text and "đồng ý" not in text.lower(), row
    # History rows written by the close belong to the session and nominees, made by the specialist.
    for label, pks in _history_rows().items():
        model = apps.get_model(label)
        for added in model._base_manager.filter(pk__in=pks - history_before.get(label, set())):
            assert added.history_user_id == flow["specialist"].pk, (label, added)
            assert getattr(added, "member_id", None) not in member_ids or label.endswith("Attendance"), label
    for record in caplog.records:
        message = record.getMessage()
        assert not any(name in message for name in names), message
    assert audit_verify().broken is None
