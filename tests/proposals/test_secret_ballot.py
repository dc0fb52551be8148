"""The secret ballot stays secret: after a vote nothing links a member to a choice (no table, history,
audit row, notification, log line or time), and no one sees a count before the session closes."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.accounts.models import Role, User
from thidua.accounts.tokens import token_create
from thidua.proposals import services
from thidua.proposals.models import BallotCast, BallotTally, CouncilSession, Nominee

pytestmark = pytest.mark.django_db

COUNT_KEYS = {"agree", "disagree", "invalid", "passed", "council_passed"}


def _open_session(flow: dict[str, Any]) -> tuple[CouncilSession, Nominee]:
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp xét khen thưởng", date=FIXED_TODAY, dossiers=[dossier]
    )
    for member in flow["members"]:
        services.attendance_set(actor=flow["specialist"], session=session, member=member, present=True)
    return session, dossier.nominees.get()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(actor=None, user=user, name='t')[1]}"}


def _rows_of_every_table() -> dict[str, set[Any]]:
    return {
        model._meta.label: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_no_table_history_audit_row_notification_or_log_links_a_member_to_a_choice(
    flow: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    session, line = _open_session(flow)
    # Four members who may vote (the fifth is from the proposing unit), two on the pages, two by the API,
    # agreeing and disagreeing alternately.
    chair, member, secretary, _conflicted, other = (m.user for m in flow["members"])
    voters = [(chair, True, "page"), (member, False, "api"), (secretary, True, "api"), (other, False, "page")]
    clients = {user.pk: (_client(user), _api(user)) for user, _agree, _way in voters}
    before = _rows_of_every_table()
    caplog.set_level(logging.DEBUG)
    for user, agree, way in voters:
        client, headers = clients[user.pk]
        if way == "page":
            response = client.post(
                reverse("proposals:session_vote", args=[session.pk, line.pk]),
                {"vote": "agree" if agree else "disagree"},
            )
            assert response.status_code == 302
        else:
            response = client.post(
                f"/api/council/sessions/{session.pk}/ballots",
                json.dumps({"line_id": line.pk, "agree": agree}),
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code == 200, response.content
    after = _rows_of_every_table()

    # Four votes add four "has voted" markers and one count, and no row anywhere else: no history of the
    # count, no audit row, no workflow entry, no notification.
    added = {label: after[label] - before.get(label, set()) for label in after}
    assert {label: len(rows) for label, rows in added.items() if rows} == {
        "proposals.BallotCast": 4,
        "proposals.BallotTally": 1,
    }
    assert not [m for m in apps.get_models() if m.__name__ == "HistoricalBallotTally"]
    # The markers say who voted on which line, and nothing of the choice or the time.
    fields = {f.name for f in BallotCast._meta.concrete_fields}
    assert fields == {"id", "session", "nominee", "member"}
    for model in (BallotCast, BallotTally):
        assert not [f for f in model._meta.concrete_fields if isinstance(f, models.DateField)], model
    # The count holds only the totals.
    tally = BallotTally.objects.get(session=session, nominee=line)
    assert (tally.agree, tally.disagree) == (2, 2)
    # No log line names a voter or a choice.
    names = {u.username for u, _a, _w in voters} | {u.full_name for u, _a, _w in voters}
    for record in caplog.records:
        text = record.getMessage()
        assert not any(name in text for name in names), text
        assert not re.search(r"agree|đồng ý", text, re.IGNORECASE), text


def _counts_in(value: Any, path: str = "") -> list[str]:
    """Every count (or pass mark derived from one) in a JSON answer that is not null."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in COUNT_KEYS and inner is not None:
                found.append(f"{path}.{key}={inner}")
            found += _counts_in(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += _counts_in(inner, f"{path}[{i}]")
    return found


def _numbers_in_vote_rows(html: str) -> list[str]:
    rows = re.findall(r'<li[^>]* id="phieu-\d+">(.*?)</li>', html, re.DOTALL)
    # A page with vote rows must be read, not skipped: no rows found would make the check hollow.
    assert rows or 'id="phieu-' not in html
    return sorted(n for row in rows for n in re.findall(r"\d+", re.sub(r"<[^>]+>", " ", row)))


def test_no_count_in_any_page_or_api_answer_before_the_session_closes(flow: dict[str, Any]) -> None:
    session, line = _open_session(flow)
    root = User.objects.create_superuser("root", password="x", role=Role.ADMINISTRATOR)
    roles = [
        "health_officer",
        "health_head",
        "education_officer",
        "specialist",
        "conflicted_specialist",
        "council",
        "chairman",
        "admin",
    ]
    people = {role: flow[role] for role in roles} | {
        "root": root,
        **{f"member {m.user.username}": m.user for m in flow["members"]},
    }
    logins = {who: (_client(user), _api(user)) for who, user in people.items()}
    page_url = reverse("proposals:session", args=[session.pk])
    # What each page shows in the vote rows before anyone has voted: nothing may be added by the votes.
    unvoted = {
        who: _numbers_in_vote_rows(client.get(page_url).content.decode())
        for who, (client, _headers) in logins.items()
    }
    members = flow["members"]
    for seat, agree in ((members[0], True), (members[1], True), (members[2], True), (members[4], False)):
        services.ballot_cast(actor=seat.user, session=session, nominee=line, agree=agree)

    dossier_id = line.dossier_id
    for who, (client, headers) in logins.items():
        page = client.get(page_url)
        if page.status_code == 200:
            assert _numbers_in_vote_rows(page.content.decode()) == unvoted[who], who
            assert "Đạt" not in page.content.decode(), who
        for url in (
            f"/api/council/sessions/{session.pk}",
            "/api/council/sessions",
            f"/api/dossiers/{dossier_id}",
        ):
            answer = client.get(url, headers=headers)
            if answer.status_code == 200:
                assert not _counts_in(answer.json()), (who, url, _counts_in(answer.json()))
        # The minutes and the ballot-count record carry the counts: not before the close.
        for which in ("bien-ban", "kiem-phieu"):
            for fmt in ("docx", "pdf"):
                document = client.get(reverse("proposals:session_document", args=[session.pk, which, fmt]))
                assert document.status_code != 200, (who, which, fmt)

    services.session_close(actor=flow["specialist"], session=session)
    client, headers = logins["specialist"]
    closed = client.get(f"/api/council/sessions/{session.pk}", headers=headers).json()
    assert (closed["results"][0]["agree"], closed["results"][0]["disagree"]) == (3, 1)
    assert closed["results"][0]["passed"] is False
    assert _numbers_in_vote_rows(client.get(page_url).content.decode()) != unvoted["specialist"]
    document = client.get(reverse("proposals:session_document", args=[session.pk, "kiem-phieu", "docx"]))
    assert document.status_code == 200
