"""Only the holder of the signing authority issues the province's award decision: the chairman, or a
vice-chairman the chairman has named for the signing day. Every role is tried on the service, the page
and the API; a refusal writes nothing, and the signer recorded is always the user who signed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.otp import code, enrol, mark_verified
from tests.proposals.conftest import docx_text, drafted
from tests.proposals.test_workflow import _appraised
from thidua.accounts import two_factor
from thidua.accounts.models import Role, User
from thidua.accounts.tokens import token_create
from thidua.awards.models import AwardRecord, Decision
from thidua.core.models import AuditLog
from thidua.proposals import services
from thidua.proposals.models import DecisionSigner, DossierState, DossierTransition

pytestmark = pytest.mark.django_db

ROLES = [
    "health_officer",
    "health_head",
    "education_officer",
    "specialist",
    "conflicted_specialist",
    "council",
    "admin",
    "superuser",
    "vice_unnamed",
    "vice_named_before",
    "chairman",
    "vice_named",
]
SIGNERS = {"chairman": "Chủ tịch", "vice_named": "Phó Chủ tịch"}


@pytest.fixture
def people(flow: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    vice = make_user("phochutich", Role.COUNCIL_MEMBER, flow["ubnd"])
    ended = make_user("phochutich.cu", Role.COUNCIL_MEMBER, flow["ubnd"])
    services.signer_designate(actor=flow["chairman"], user=vice, valid_from=today - dt.timedelta(days=30))
    services.signer_designate(
        actor=flow["chairman"],
        user=ended,
        valid_from=today - dt.timedelta(days=400),
        valid_to=today - dt.timedelta(days=1),
    )
    # The demo's administrator is a superuser: its powers over accounts do not make it a signer.
    root = User.objects.create_superuser(
        "quantri.goc", password="x", role=Role.ADMINISTRATOR, unit=flow["ubnd"], full_name="Quản trị hệ thống"
    )
    return {
        **flow,
        "superuser": root,
        "vice_named": vice,
        "vice_named_before": ended,
        "vice_unnamed": make_user("phochutich.khac", Role.COUNCIL_MEMBER, flow["ubnd"]),
    }


def _written() -> tuple[int, int, int, int]:
    return (
        Decision.objects.count(),
        AwardRecord.objects.count(),
        DossierTransition.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_issuing_a_decision_by_service_page_and_api(people: dict[str, Any], role: str) -> None:
    user = people[role]
    dossiers = [_appraised(people, drafted(people)) for _ in range(3)]
    today = timezone.localdate()
    client = Client()
    client.force_login(user)
    device = None
    if two_factor.otp_required(user):
        mark_verified(client, user)
        device = enrol(user)

    def reauth(steps_ahead: int) -> str:
        # What the signer types when asked again: the authenticator's code, or the password without one.
        return code(device, steps_ahead) if device is not None else "mat-khau-thu-nghiem-1"

    headers = {"Authorization": f"Bearer {token_create(actor=None, user=user, name='t')[1]}"}
    before = _written()

    def by_service() -> Any:
        return services.dossiers_decide(
            actor=user,
            dossiers=[dossiers[0]],
            number="101/QĐ-UBND",
            date=today,
        )

    def by_page() -> Any:
        # Whatever a signer's name the form might carry, the signer is the one who posts it.
        return client.post(
            reverse("proposals:decide"),
            {
                "dossiers": [dossiers[1].pk],
                "number": "102/QĐ-UBND",
                "date": today.isoformat(),
                "signer_name": "Quản trị hệ thống",
                "signer_title": "Chủ tịch",
                "reauth_code": reauth(0),
            },
        )

    def by_api() -> Any:
        return client.post(
            "/api/decisions",
            json.dumps(
                {
                    "dossier_ids": [dossiers[2].pk],
                    "number": "103/QĐ-UBND",
                    "date": today.isoformat(),
                    "signer_name": "Quản trị hệ thống",
                    "code": reauth(1),
                }
            ),
            content_type="application/json",
            headers=headers,
        )

    if role not in SIGNERS:
        with pytest.raises(PermissionDenied):
            by_service()
        assert client.get(reverse("proposals:decide")).status_code == 403
        assert by_page().status_code == 403
        assert by_api().status_code == 403
        assert _written() == before, "a refused decision writes nothing"
        for dossier in dossiers:
            dossier.refresh_from_db()
            assert dossier.state == DossierState.APPRAISED
        return

    assert client.get(reverse("proposals:decide")).status_code == 200
    by_service()
    assert by_page().status_code == 302
    answer = by_api()
    assert answer.status_code == 201, answer.content
    assert answer.json()["decision"]["signer_name"] == user.full_name
    for number in ("101/QĐ-UBND", "102/QĐ-UBND", "103/QĐ-UBND"):
        decision = Decision.objects.get(number=number)
        assert (decision.signer_name, decision.signer_title) == (user.full_name, SIGNERS[role])
        assert AwardRecord.objects.filter(decision=decision).count() == 1
    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.state == DossierState.DECIDED
    # A vice-chairman signs on the chairman's behalf, and the document says so.
    document = client.get(
        reverse("proposals:decision_document", args=[Decision.objects.get(number="102/QĐ-UBND").pk, "docx"])
    )
    text = docx_text(document.content)
    assert user.full_name in text and "Quản trị hệ thống" not in text
    assert ("KT. CHỦ TỊCH" in text.upper()) is (role == "vice_named")


def test_a_vice_chairman_signs_only_within_the_designation(people: dict[str, Any]) -> None:
    dossier = _appraised(people, drafted(people))
    today = timezone.localdate()
    ended = people["vice_named_before"]
    designation = DecisionSigner.objects.get(user=ended)
    assert designation.valid_to is not None
    named = people["vice_named"]
    before = _written()
    attempts = [
        # Backdated into the days the ended designation covered: it no longer holds the authority.
        (ended, designation.valid_to),
        # Backdated to before the designation began.
        (named, DecisionSigner.objects.get(user=named).valid_from - dt.timedelta(days=1)),
    ]
    for actor, day in attempts:
        with pytest.raises(PermissionDenied):
            services.dossiers_decide(
                actor=actor,
                dossiers=[dossier],
                number="104/QĐ-UBND",
                date=day,
            )
    assert _written() == before
    decision = services.dossiers_decide(
        actor=named,
        dossiers=[dossier],
        number="104/QĐ-UBND",
        date=today,
    )
    assert decision is not None and (decision.signer_name, decision.signer_title) == (
        named.full_name,
        "Phó Chủ tịch",
    )


@pytest.mark.parametrize("role", ["admin", "superuser", "specialist", "vice_named"])
def test_only_the_chairman_names_a_vice_chairman(people: dict[str, Any], role: str) -> None:
    target = people["vice_unnamed"]
    count = DecisionSigner.objects.count()
    with pytest.raises(PermissionDenied):
        services.signer_designate(actor=people[role], user=target, valid_from=timezone.localdate())
    assert DecisionSigner.objects.count() == count


@pytest.mark.parametrize("target", ["admin", "superuser", "health_head", "chairman"])
def test_the_authority_is_named_only_to_a_vice_chairman(people: dict[str, Any], target: str) -> None:
    count = DecisionSigner.objects.count()
    with pytest.raises(ValidationError):
        services.signer_designate(
            actor=people["chairman"], user=people[target], valid_from=timezone.localdate()
        )
    assert DecisionSigner.objects.count() == count


def test_the_chairman_names_a_vice_chairman_on_the_decision_page(people: dict[str, Any]) -> None:
    today = timezone.localdate().isoformat()
    target = people["vice_unnamed"]
    url = reverse("proposals:signer_designate")
    for role in ("admin", "superuser", "specialist", "vice_named"):
        other = Client()
        other.force_login(people[role])
        assert other.post(url, {"user": target.pk, "valid_from": today}).status_code == 403, role
    assert not DecisionSigner.objects.filter(user=target).exists()
    named = Client()
    named.force_login(target)
    assert named.get(reverse("proposals:decide")).status_code == 403
    chairman = Client()
    chairman.force_login(people["chairman"])
    page = chairman.get(reverse("proposals:decide")).content.decode()
    assert "Giao cấp phó ký thay Chủ tịch" in page and target.full_name in page
    assert chairman.post(url, {"user": target.pk, "valid_from": today}).status_code == 302
    designation = DecisionSigner.objects.get(user=target)
    assert (designation.named_by, designation.title) == (people["chairman"], "Phó Chủ tịch")
    assert AuditLog.objects.filter(action="signer_designate", actor=people["chairman"]).exists()
    # From that day the vice-chairman has the decision page, and signs in their own name.
    _appraised(people, drafted(people))
    page = named.get(reverse("proposals:decide")).content.decode()
    assert f"{target.full_name} – Phó Chủ tịch" in page
