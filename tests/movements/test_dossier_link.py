"""A chuyên đề dossier points to the movement it answers (issue 10, item 3): chosen among the launched
movements of the unit, named by the movement, refused for another unit's or a draft movement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.movements.conftest import drafted, launched
from tests.proposals.test_api import Api
from thidua.awards.models import AwardType
from thidua.proposals import services as dossier_services
from thidua.proposals.models import Dossier

pytestmark = pytest.mark.django_db


def test_the_officer_links_a_thematic_dossier_to_the_movement_through_the_page(
    world: dict[str, Any], client_for: Any
) -> None:
    movement = launched(world)
    client = client_for(world["health_officer"])
    form = client.get(reverse("proposals:create"))
    assert f'<option value="{movement.pk}"' in form.text
    response = client.post(
        reverse("proposals:create"),
        {
            "unit": world["health"].pk,
            "kind": "chuyen_de",
            "year": "2026",
            "title": "Đề nghị khen thưởng chuyên đề phong trào chung tay vì người nghèo",
            "linked_movement": str(movement.pk),
            "movement": "",
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.linked_movement == movement
    # The name comes from the movement when none is typed: the chuyên đề dossier's required movement.
    assert dossier.movement == movement.title
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).text
    assert reverse("movements:detail", args=[movement.pk]) in page


def test_a_draft_or_another_units_movement_is_refused(world: dict[str, Any]) -> None:
    draft = drafted(world, title="Bản nháp")
    # Sở Giáo dục is not a target of the province's movement for Sở Y tế and two communes.
    movement = launched(world)
    for unit, officer, chosen in (
        (world["health"], world["health_officer"], draft),
        (world["education"], world["education_officer"], movement),
    ):
        with pytest.raises(ValidationError) as raised:
            dossier_services.dossier_create(
                actor=officer,
                unit=unit,
                kind="chuyen_de",
                year=2026,
                title="Đề nghị khen chuyên đề",
                linked_movement=chosen,
            )
        assert raised.value.code == "wrong_movement"
    assert not Dossier.objects.exists()


def test_the_api_links_and_unlinks_a_movement(world: dict[str, Any], client: Client) -> None:
    movement = launched(world)
    as_officer = Api(client, world["health_officer"])
    created = as_officer.post(
        "/dossiers",
        {
            "unit_id": world["health"].pk,
            "kind": "chuyen_de",
            "year": 2026,
            "title": "Đề nghị khen chuyên đề",
            "movement_id": movement.pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["movement_id"], body["movement"]) == (movement.pk, movement.title)
    unlinked = as_officer.patch(f"/dossiers/{body['id']}", {"movement_id": 0, "movement": "Phong trào khác"})
    assert unlinked.status_code == 200
    assert (unlinked.json()["movement_id"], unlinked.json()["movement"]) == (None, "Phong trào khác")
    # A movement the caller does not see is not found, and nothing is written.
    hidden = drafted(world, title="Bản nháp của Ban")
    refused = as_officer.post(
        "/dossiers",
        {
            "unit_id": world["health"].pk,
            "kind": "chuyen_de",
            "year": 2026,
            "title": "X",
            "movement_id": hidden.pk,
        },
    )
    assert refused.status_code == 404
    assert Dossier.objects.count() == 1


# The engine reads the linked movement (Luật 2022 Điều 26 khoản 2): kind and dates are data; leading it
# stays a person's judgment. (id, start, end, the movement condition's outcome, the line's verdict)
MOVEMENT_ROWS = [
    (
        "Luật 2022 Điều 26 khoản 2 – chuyên đề 01/01/2026–31/12/2028 (03 năm): đạt, người xét dẫn đầu",
        dt.date(2026, 1, 1),
        dt.date(2028, 12, 31),
        True,
        "needs_review",
    ),
    (
        "Luật 2022 Điều 26 khoản 2 – chuyên đề 01/3/2026–31/12/2026 (chưa đủ 03 năm): tuyến đóng",
        dt.date(2026, 3, 1),
        dt.date(2026, 12, 31),
        False,
        "ineligible",
    ),
]


@pytest.mark.parametrize(
    ("start", "end", "met", "verdict"), [r[1:] for r in MOVEMENT_ROWS], ids=[r[0] for r in MOVEMENT_ROWS]
)
def test_a_thematic_dossier_line_for_the_provincial_flag_reads_its_linked_movement(
    world: dict[str, Any], client_for: Any, start: dt.date, end: dt.date, met: bool, verdict: str
) -> None:
    movement = launched(world, start_date=start, end_date=end)
    dossier = dossier_services.dossier_create(
        actor=world["health_officer"],
        unit=world["health"],
        kind="chuyen_de",
        year=2026,
        title="Đề nghị Cờ thi đua tỉnh chuyên đề",
        linked_movement=movement,
    )
    line = dossier_services.nominee_add(
        actor=world["health_officer"],
        dossier=dossier,
        recipient=world["health"],
        award_type=AwardType.objects.get(code="CO_TINH"),
    )
    line.refresh_from_db()
    by_code = {c["code"]: c for c in line.check_result["conditions"]}
    cond = by_code["phong_trao_chuyen_de_3_nam"]
    assert (cond["met"], cond["mechanical"], cond["basis"]) == (
        met,
        True,
        "Luật Thi đua, khen thưởng 2022, Điều 26 khoản 2",
    )
    assert movement.title in cond["text"]
    assert line.verdict == verdict
    if met:
        # Only the leadership is left to a person.
        open_ = [c["code"] for c in line.check_result["conditions"] if c["met"] is None]
        assert open_ == ["dan_dau_phong_trao_chuyen_de"]
    # The page shows the appraisal with what the engine read of the movement.
    page = client_for(world["health_officer"]).get(reverse("proposals:detail", args=[dossier.pk])).text
    found = cond["text"].split(", không phải")[0]
    assert found in page


def test_a_thematic_dossier_without_a_linked_movement_asks_for_one(world: dict[str, Any]) -> None:
    dossier = dossier_services.dossier_create(
        actor=world["health_officer"],
        unit=world["health"],
        kind="chuyen_de",
        year=2026,
        title="Đề nghị Cờ thi đua tỉnh chuyên đề",
        movement="Phong trào ghi tay",
    )
    line = dossier_services.nominee_add(
        actor=world["health_officer"],
        dossier=dossier,
        recipient=world["health"],
        award_type=AwardType.objects.get(code="CO_TINH"),
    )
    line.refresh_from_db()
    cond = next(c for c in line.check_result["conditions"] if c["code"] == "phong_trao_chuyen_de_3_nam")
    assert cond["met"] is None and "cần chọn phong trào" in cond["text"]
    assert line.verdict == "needs_review"


def test_choosing_a_lines_initiatives_reappraises_with_the_movement_at_no_extra_query(
    world: dict[str, Any],
) -> None:
    """The line's re-appraisal after its initiatives change reads the locked dossier with its movement:
    a linked dossier costs the same queries as one without, and the movement's reading is kept."""
    movement = launched(world, start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31))
    counts = []
    for linked in (None, movement):
        dossier = dossier_services.dossier_create(
            actor=world["health_officer"],
            unit=world["health"],
            kind="chuyen_de",
            year=2026,
            title="Đề nghị Cờ thi đua tỉnh chuyên đề",
            movement="Phong trào ghi tay",
            linked_movement=linked,
        )
        line = dossier_services.nominee_add(
            actor=world["health_officer"],
            dossier=dossier,
            recipient=world["health"],
            award_type=AwardType.objects.get(code="CO_TINH"),
        )
        fresh_line = type(line).objects.select_related("dossier").get(pk=line.pk)
        with CaptureQueriesContext(connection) as captured:
            dossier_services.nominee_set_initiatives(
                actor=world["health_officer"], nominee=fresh_line, initiatives=[]
            )
        counts.append(len(captured.captured_queries))
        fresh_line.refresh_from_db()
        codes = {c["code"]: c["met"] for c in fresh_line.check_result["conditions"]}
        assert codes.get("phong_trao_chuyen_de_3_nam") is (True if linked else None)
    assert counts[0] == counts[1]
