"""The blocs' pages, as every role: who sees which sheet, which unit's scores and which file, before and
after publication; a unit of another bloc gets 404 everywhere; the grid's queries do not grow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.blocs.conftest import YEAR, approved, make_bloc, reviewed, self_scored
from tests.conftest import FIXED_TODAY
from tests.factories import make_unit
from tests.proposals.conftest import pdf_upload
from thidua.blocs import services
from thidua.blocs.models import (
    Score,
    ScoreChange,
    ScoreEvidence,
    ScoreSheet,
    SheetGroup,
    SheetItem,
    UnitSheet,
)
from thidua.blocs.workflow import SheetState, UnitSheetState
from thidua.organisation.models import BlocRole

pytestmark = pytest.mark.django_db

ROLES = (
    "specialist",
    "admin",
    "council",
    "health_officer",
    "bloc_leader",
    "education_officer",
    "finance_officer",
    "finance_head",
    "xa_officer",
)


@pytest.fixture
def scored(world: dict[str, Any]) -> dict[str, Any]:
    """Approved; Sở Y tế and Sở Tài chính submitted with evidence (Sở Tài chính reviewed by the leader);
    Sở Giáo dục still drafting."""
    sheet = approved(world)
    world["sheet"] = sheet
    world["health_us"] = self_scored(world, sheet, "health", {"c1": 9, "c3": 5})
    world["finance_us"] = self_scored(world, sheet, "finance", {"c1": 8, "c3": 4})
    world["education_us"] = self_scored(world, sheet, "education", {"c1": 7}, submit=False)
    reviewed(world, world["finance_us"], {"c1": ("7", "Thiếu báo cáo quý IV")})
    for key in ("health", "finance", "education"):
        world[f"{key}_file"] = ScoreEvidence.objects.get(unit_sheet=world[f"{key}_us"])
    return world


def _status(client: Client, user: Any, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


def test_every_page_follows_the_scope_for_every_role(client: Client, scored: dict[str, Any]) -> None:
    w, sheet = scored, scored["sheet"]
    unit_page = lambda key: reverse("blocs:unit_sheet", args=[sheet.pk, w[key].pk])  # noqa: E731
    file_url = lambda key: reverse("blocs:evidence", args=[w[f"{key}_file"].pk])  # noqa: E731
    # 200 for these roles, 404 for the others.
    expected = {
        reverse("blocs:list"): set(ROLES),
        reverse("blocs:sheet", args=[sheet.pk]): set(ROLES) - {"xa_officer"},
        # Sở Tài chính, sent: the Board, province-wide accounts, its own staff, the leader that reviews it.
        unit_page("finance"): {
            "specialist",
            "admin",
            "council",
            "health_officer",
            "bloc_leader",
            "finance_officer",
            "finance_head",
        },
        file_url("finance"): {
            "specialist",
            "admin",
            "council",
            "health_officer",
            "bloc_leader",
            "finance_officer",
            "finance_head",
        },
        # Sở Y tế, sent: the deputy reviews the leader's own sheet; Sở Tài chính does not see it.
        unit_page("health"): {
            "specialist",
            "admin",
            "council",
            "health_officer",
            "bloc_leader",
            "education_officer",
        },
        file_url("health"): {
            "specialist",
            "admin",
            "council",
            "health_officer",
            "bloc_leader",
            "education_officer",
        },
        # Sở Giáo dục, still a draft: only its own staff and the Board.
        unit_page("education"): {"specialist", "admin", "council", "education_officer"},
        file_url("education"): {"specialist", "admin", "council", "education_officer"},
    }
    failures = []
    for url, allowed in expected.items():
        for role in ROLES:
            got = _status(client, w[role], url)
            want = 200 if role in allowed else 404
            if got != want:
                failures.append(f"{role} {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_before_publication_the_grid_shows_a_unit_only_its_own_row(
    client: Client, scored: dict[str, Any]
) -> None:
    w, sheet = scored, scored["sheet"]
    url = reverse("blocs:sheet", args=[sheet.pk])
    client.force_login(w["finance_officer"])
    page = client.get(url).context["page"]
    assert [row.unit for row in page.grid] == [w["finance"]] and page.hidden_rows == 2
    client.force_login(w["specialist"])
    assert len(client.get(url).context["page"].grid) == 3
    client.force_login(w["bloc_leader"])
    # The leader sees the sheets sent to it, not Sở Giáo dục's draft.
    assert {row.unit for row in client.get(url).context["page"].grid} == {w["health"], w["finance"]}


def test_after_publication_every_member_sees_what_was_published(
    client: Client, scored: dict[str, Any]
) -> None:
    w, sheet = scored, scored["sheet"]
    services.unit_sheet_submit(actor=w["education_head"], unit_sheet=w["education_us"])
    reviewed(w, UnitSheet.objects.get(pk=w["education_us"].pk))
    reviewed(w, w["health_us"])
    services.meeting_settle(actor=w["bloc_leader"], sheet=sheet, meeting_date=FIXED_TODAY, minutes="Biên bản")
    # Settled but not yet published: still only its own.
    assert _status(client, w["finance_officer"], reverse("blocs:evidence", args=[w["health_file"].pk])) == 404
    services.ranking_publish(actor=w["specialist"], sheet=ScoreSheet.objects.get(pk=sheet.pk))
    for key in ("health", "education"):
        assert (
            _status(client, w["finance_officer"], reverse("blocs:evidence", args=[w[f"{key}_file"].pk]))
            == 200
        )
        assert _status(client, w["xa_officer"], reverse("blocs:evidence", args=[w[f"{key}_file"].pk])) == 404
    client.force_login(w["finance_officer"])
    html = client.get(reverse("blocs:sheet", args=[sheet.pk])).content.decode()
    assert "xếp trên" in html and "Sở Giáo dục và Đào tạo" in html


def test_a_removed_file_is_never_served(client: Client, scored: dict[str, Any]) -> None:
    w = scored
    extra = services.evidence_add(
        actor=w["education_officer"],
        unit_sheet=w["education_us"],
        item=w["c1"],
        upload=pdf_upload("them.pdf"),
    )
    services.evidence_remove(actor=w["education_officer"], evidence=extra)
    assert ScoreEvidence.objects.filter(pk=extra.pk, is_active=False).exists()
    for role in ("specialist", "education_officer"):
        assert _status(client, w[role], reverse("blocs:evidence", args=[extra.pk])) == 404


def test_posts_out_of_scope_answer_404_and_write_nothing(client: Client, scored: dict[str, Any]) -> None:
    w, sheet = scored, scored["sheet"]
    before = ScoreChange.objects.count()
    client.force_login(w["xa_officer"])
    for name, args in (
        ("blocs:self_save", [sheet.pk, w["education"].pk]),
        ("blocs:review_save", [sheet.pk, w["finance"].pk]),
        ("blocs:approve", [sheet.pk]),
        ("blocs:settle", [sheet.pk]),
        ("blocs:publish", [sheet.pk]),
    ):
        assert client.post(reverse(name, args=args), {f"points-{w['c3'].pk}": "1"}).status_code == 404, name
    client.force_login(w["finance_officer"])
    # Another member's draft: hidden (404), nothing written.
    assert (
        client.post(
            reverse("blocs:self_save", args=[sheet.pk, w["education"].pk]), {f"points-{w['c3'].pk}": "1"}
        ).status_code
        == 404
    )
    assert ScoreChange.objects.count() == before


def test_the_pages_walk_the_whole_process(client: Client, world: dict[str, Any]) -> None:
    """Through the forms: the Board drafts and approves, a unit self-scores with a file and its head
    sends, the leader reviews with a reason, the meeting settles, the Board publishes."""
    w = world
    client.force_login(w["specialist"])
    response = client.post(reverse("blocs:create"), {"bloc": w["bloc"].pk, "year": YEAR, "approver": "board"})
    sheet = ScoreSheet.objects.get()
    assert response.url == reverse("blocs:sheet", args=[sheet.pk])
    client.post(reverse("blocs:group_add", args=[sheet.pk]), {"name": "I. Chuyên môn"})
    group = SheetGroup.objects.get()
    client.post(
        reverse("blocs:item_add", args=[sheet.pk]),
        {"kind": "base", "group": group.pk, "name": "Chỉ tiêu", "max_points": "10"},
    )
    item = SheetItem.objects.get()
    client.post(reverse("blocs:approve", args=[sheet.pk]))
    assert ScoreSheet.objects.get().state == SheetState.APPROVED
    for unit, officer, head, points in (
        ("finance", "finance_officer", "finance_head", "9,5"),
        ("education", "education_officer", "education_head", "8"),
    ):
        client.force_login(w[officer])
        client.post(reverse("blocs:unit_open", args=[sheet.pk, w[unit].pk]))
        client.post(
            reverse("blocs:self_save", args=[sheet.pk, w[unit].pk]),
            {f"points-{item.pk}": points, "explanation": "Đạt"},
        )
        client.post(
            reverse("blocs:evidence_add", args=[sheet.pk, w[unit].pk]),
            {"item": item.pk, "file": pdf_upload()},
        )
        client.force_login(w[head])
        client.post(reverse("blocs:submit", args=[sheet.pk, w[unit].pk]))
    # The leader's own unit scores too; the deputy reviews it.
    client.force_login(w["health_officer"])
    client.post(reverse("blocs:unit_open", args=[sheet.pk, w["health"].pk]))
    client.post(reverse("blocs:self_save", args=[sheet.pk, w["health"].pk]), {f"points-{item.pk}": "8"})
    client.force_login(w["health_head"])
    client.post(reverse("blocs:submit", args=[sheet.pk, w["health"].pk]))
    assert set(UnitSheet.objects.values_list("state", flat=True)) == {UnitSheetState.SUBMITTED}
    client.force_login(w["bloc_leader"])
    response = client.post(
        reverse("blocs:review_save", args=[sheet.pk, w["finance"].pk]),
        {f"review-{item.pk}": "8"},
        follow=True,
    )
    assert "cần ghi lý do" in response.content.decode()
    client.post(
        reverse("blocs:review_save", args=[sheet.pk, w["finance"].pk]),
        {f"review-{item.pk}": "8", f"reason-{item.pk}": "Thiếu minh chứng quý IV"},
    )
    for unit in ("finance", "education"):
        client.post(reverse("blocs:review_finish", args=[sheet.pk, w[unit].pk]))
    client.force_login(w["education_officer"])
    client.post(reverse("blocs:review_finish", args=[sheet.pk, w["health"].pk]))
    client.force_login(w["bloc_leader"])
    client.post(
        reverse("blocs:settle", args=[sheet.pk]),
        {"meeting_date": FIXED_TODAY.isoformat(), "minutes": "Hội nghị khối"},
    )
    assert ScoreSheet.objects.get().state == SheetState.SETTLED
    client.force_login(w["specialist"])
    client.post(reverse("blocs:publish", args=[sheet.pk]))
    html = client.get(reverse("blocs:sheet", args=[sheet.pk])).content.decode()
    # 8 each for Sở Giáo dục, Sở Tài chính (after review) and Sở Y tế: all equal, said so.
    assert ScoreSheet.objects.get().state == SheetState.PUBLISHED
    assert html.count("đồng hạng") == 2
    assert Score.objects.get(unit_sheet__unit=w["finance"]).points == Decimal(8)


def _grid_world(w: dict[str, Any], members: int, criteria: int) -> Any:
    ubnd = w["ubnd"]
    units = [make_unit(f"Đơn vị {members}-{i}", parent=ubnd) for i in range(members)]
    bloc = make_bloc(
        f"Khối {members}x{criteria}",
        [
            (u, [BlocRole.LEADER, BlocRole.DEPUTY][i] if i < 2 else BlocRole.MEMBER)
            for i, u in enumerate(units)
        ],
    )
    sheet = services.sheet_create(actor=w["specialist"], bloc=bloc, year=YEAR)
    group = services.group_add(actor=w["specialist"], sheet=sheet, name="Nhóm")
    items = [
        services.item_add(actor=w["specialist"], sheet=sheet, group=group, name=f"TC {i}", max_points="5")
        for i in range(criteria)
    ]
    sheet = services.sheet_approve(actor=w["specialist"], sheet=sheet)
    for u in units:
        us = UnitSheet.objects.create(sheet=sheet, unit=u)
        Score.objects.bulk_create([Score(unit_sheet=us, item=i, self_points=Decimal(3)) for i in items])
    return sheet


def test_the_scoring_grid_reads_a_constant_number_of_queries(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["specialist"])
    counts = []
    for members, criteria in ((2, 3), (8, 12)):
        sheet = _grid_world(world, members, criteria)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("blocs:sheet", args=[sheet.pk]))
        assert len(response.context["page"].grid) == members
        assert len(response.context["page"].grid[0].cells) == criteria
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_every_route_of_the_blocs_answers_404_to_a_unit_of_another_bloc(
    client: Client, scored: dict[str, Any]
) -> None:
    """Read from the URL conf, so a route added later is covered: GET and POST, as Xã Bình Lư's officer
    and head, on Khối các sở's sheet, scorings, files and documents."""
    from django.urls import get_resolver

    w, sheet = scored, scored["sheet"]
    values = {
        "pk": sheet.pk,
        "unit_id": w["finance"].pk,
        "item_id": w["c1"].pk,
        "file_id": w["finance_file"].pk,
        "fmt": "pdf",
    }
    open_to_all = {"list", "create"}
    resolver = get_resolver().url_patterns
    blocs = next(p for p in resolver if getattr(p, "namespace", None) == "blocs")
    checked = 0
    for role in ("xa_officer", "xa_head"):
        client.force_login(w[role])
        for pattern in blocs.url_patterns:
            if pattern.name in open_to_all:
                continue
            names = pattern.pattern.regex.groupindex
            url = reverse(f"blocs:{pattern.name}", kwargs={k: values[k] for k in names})
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code == 405:
                    continue
                assert response.status_code == 404, (role, method, url, response.status_code)
                checked += 1
    assert checked >= 2 * len(blocs.url_patterns) - 4
    assert ScoreChange.objects.filter(actor__in=[w["xa_officer"], w["xa_head"]]).count() == 0


def test_a_draft_sheet_page_is_the_boards_and_the_leaders(client: Client, world: dict[str, Any]) -> None:
    from tests.blocs.conftest import drafted

    sheet = drafted(world)
    url = reverse("blocs:sheet", args=[sheet.pk])
    for role, status in (
        ("specialist", 200),
        ("bloc_leader", 200),
        ("finance_officer", 404),
        ("xa_officer", 404),
    ):
        assert _status(client, world[role], url) == status, role
    client.force_login(world["specialist"])
    html = client.get(url).content.decode()
    assert "Duyệt bảng tiêu chí" in html and "Cải cách hành chính" in html and "Một cửa" in html


def test_the_meeting_form_takes_as_many_changed_scores_as_the_meeting_made(
    client: Client, world: dict[str, Any]
) -> None:
    """ "+ Thêm dòng" fetches one more row (and the button for the next) for the leader only; the form
    settles every row sent, here eight, more than the three shown at first."""
    w = world
    sheet = approved(w)
    for unit in ("health", "finance", "education"):
        reviewed(w, self_scored(w, sheet, unit, {"c1": 9, "c3": 5, "c2a": 10, "c2b": 6}))
    row_url = reverse("blocs:meeting_row", args=[sheet.pk]) + "?n=4"
    for role in ("specialist", "finance_officer", "education_head", "xa_officer"):
        assert _status(client, w[role], row_url) == 404, role
    client.force_login(w["bloc_leader"])
    row = client.get(row_url).content.decode()
    assert 'name="final-target-4"' in row and "?n=5" in row
    assert f'value="{w["finance"].pk}-{w["c1"].pk}"' in row
    assert client.get(reverse("blocs:meeting_row", args=[sheet.pk]) + "?n=0").status_code == 404
    changes = [
        (unit, item, points)
        for unit in ("health", "finance")
        for item, points in (("c1", "8"), ("c3", "4"), ("c2a", "9"), ("c2b", "5"))
    ]
    form: dict[str, str] = {"meeting_date": FIXED_TODAY.isoformat(), "minutes": "Hội nghị khối"}
    for n, (unit, item, points) in enumerate(changes, start=1):
        form[f"final-target-{n}"] = f"{w[unit].pk}-{w[item].pk}"
        form[f"final-points-{n}"] = points
        form[f"final-reason-{n}"] = "Hội nghị thống nhất"
    client.post(reverse("blocs:settle", args=[sheet.pk]), form)
    assert ScoreSheet.objects.get().state == SheetState.SETTLED
    for unit, item, points in changes:
        score = Score.objects.get(unit_sheet__unit=w[unit], item=w[item])
        assert score.points == Decimal(points), (unit, item)
    assert ScoreChange.objects.filter(stage="final").count() == len(changes)
