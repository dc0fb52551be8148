"""Registrations through the pages: the officer fills, the head sends, the province returns and approves;
every URL of another unit's registration is 404 (the exports too); the summary's totals are the lines it
lists; the dossier line says whether its recipient registered; the dashboard's to-do."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from thidua.registrations import selectors, services
from thidua.registrations.models import CollectiveLine, PersonLine, Registration
from thidua.registrations.workflow import RegistrationState as S

from .conftest import filled, sent

pytestmark = pytest.mark.django_db


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_fill_send_return_correct_approve_through_the_pages(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    officer = client_for(world["health_officer"])
    response = officer.post(reverse("registrations:open"), {"unit": world["health"].pk, "year": 2027})
    registration = Registration.objects.get(unit=world["health"], year=2027)
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    page = officer.get(response.url)
    assert "31/03/2027" in page.content.decode() and "chưa xác nhận" in page.content.decode()
    url = lambda name, *args: reverse(f"registrations:{name}", args=[registration.pk, *args])  # noqa: E731
    officer.post(url("people_add_all"), {"award": "LDTT"})
    officer.post(url("people_set"), {f"title-{world['health_person'].pk}": "CSTDCS"})
    officer.post(url("collective_add"), {"award": "TTLDTT", "collective": world["health"].pk})
    assert {(p.person_id, p.award_type.code) for p in PersonLine.objects.all()} == {
        (world["health_person"].pk, "CSTDCS"),
        (world["health_person2"].pk, "LDTT"),
    }
    # The officer has no submit button and the service refuses the step.
    assert "Gửi bản đăng ký" not in officer.get(url("detail")).content.decode()
    officer.post(url("step", "gui"))
    assert Registration.objects.get().state == S.DRAFT
    head = client_for(world["health_head"])
    assert "Gửi bản đăng ký" in head.get(url("detail")).content.decode()
    head.post(url("step", "gui"), {"text": ""})
    assert Registration.objects.get().state == S.SUBMITTED
    specialist = client_for(world["specialist"])
    body = specialist.get(url("detail")).content.decode()
    assert "Duyệt" in body and "Trả lại để sửa" in body
    response = specialist.post(url("step", "tra-lai"), {"text": ""}, follow=True)
    assert Registration.objects.get().state == S.SUBMITTED
    assert any("lý do" in m for m in _messages(response))
    specialist.post(url("step", "tra-lai"), {"text": "Thiếu đăng ký của Khoa Nội"})
    assert Registration.objects.get().state == S.RETURNED
    officer = client_for(world["health_officer"])
    officer.post(url("collective_add"), {"award": "TTLDTT", "collective": world["clinic"].pk})
    client_for(world["health_head"]).post(url("step", "gui"))
    client_for(world["specialist"]).post(url("step", "duyet"))
    registration.refresh_from_db()
    assert registration.state == S.APPROVED
    assert (
        "Thiếu đăng ký của Khoa Nội"
        in client_for(world["health_officer"]).get(url("detail")).content.decode()
    )


def test_another_units_staff_get_404_on_every_url(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    registration = sent(world)
    line = CollectiveLine.objects.get()
    pk = registration.pk
    urls = [
        ("get", reverse("registrations:detail", args=[pk])),
        ("get", reverse("registrations:export", args=[pk])),
        ("post", reverse("registrations:collective_add", args=[pk])),
        ("post", reverse("registrations:collective_remove", args=[pk, line.pk])),
        ("post", reverse("registrations:people_set", args=[pk])),
        ("post", reverse("registrations:people_add_all", args=[pk])),
        ("post", reverse("registrations:pledge_save", args=[pk, 1])),
        ("post", reverse("registrations:pledge_remove", args=[pk, 1])),
        ("post", reverse("registrations:note_save", args=[pk])),
        *[("post", reverse("registrations:step", args=[pk, slug])) for slug in ("gui", "duyet", "tra-lai")],
    ]
    for user in ("education_officer", "education_head", "xa1_officer", "xa1_head"):
        client = client_for(world[user])
        for method, url in urls:
            response = (
                client.get(url) if method == "get" else client.post(url, {"text": "x", "award": "LDTT"})
            )
            assert response.status_code == 404, (user, url, response.status_code)
    assert Registration.objects.get().state == S.SUBMITTED
    assert PersonLine.objects.count() == 2 and CollectiveLine.objects.count() == 1
    # Lists, the summary and its export are 200 and hold none of Sở Y tế's rows.
    client = client_for(world["education_officer"])
    for url in (
        reverse("registrations:list"),
        reverse("registrations:summary") + "?year=2027",
        reverse("registrations:summary_export") + "?year=2027",
    ):
        response = client.get(url)
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith("2027") and content[:2] == b"PK":
            rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
            assert [r[0] for r in rows] == ["Đơn vị", "Tổng cộng"]
        else:
            assert "Sở Y tế" not in content.decode()


def test_a_unit_sees_only_its_own_registrations_the_province_sees_all(world: dict[str, Any]) -> None:
    health, commune = sent(world), sent(world, unit="xa1")
    own = lambda user: set(selectors.registration_list(user=world[user]))  # noqa: E731
    assert own("health_officer") == {health}
    assert own("xa1_head") == {commune}
    assert own("education_officer") == set()
    assert own("specialist") == {health, commune}
    assert own("admin") == {health, commune}


def test_the_summary_counts_the_lines_it_lists(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    health = sent(world)  # TTLDTT ×1, LDTT ×2
    health = services.registration_return(actor=world["specialist"], registration=health, reason="Sửa")
    services.people_set(
        actor=world["health_officer"], registration=health, titles={world["health_person"].pk: "CSTDCS"}
    )
    health = services.registration_submit(actor=world["health_head"], registration=health)
    services.registration_approve(actor=world["specialist"], registration=health)
    sent(world, unit="xa1")  # TTLDTT ×1, LDTT ×1, waiting
    filled(world, unit="education")  # a draft: not sent up, not counted
    s = selectors.summary(user=world["specialist"], year=2027)
    by_unit = {row.unit.name: {a.code: row.counts.get(a.pk, 0) for a in s.titles} for row in s.rows}
    assert by_unit == {
        "Sở Y tế": {"LDTT": 1, "CSTDCS": 1, "TTLDTT": 1},
        "Xã Bình Lư": {"LDTT": 1, "CSTDCS": 0, "TTLDTT": 1},
    }
    sent_ids = Registration.objects.filter(year=2027, state__in=(S.SUBMITTED, S.APPROVED))
    listed = PersonLine.objects.filter(registration__in=sent_ids).count()
    listed += CollectiveLine.objects.filter(registration__in=sent_ids).count()
    assert s.total == listed == 5
    assert s.waiting == 1
    approved = selectors.summary(user=world["specialist"], year=2027, approved_only=True)
    assert [row.unit.name for row in approved.rows] == ["Sở Y tế"] and approved.total == 3
    # The unit's own staff see their row only.
    assert [row.unit.name for row in selectors.summary(user=world["health_officer"], year=2027).rows] == [
        "Sở Y tế"
    ]
    response = client_for(world["specialist"]).get(reverse("registrations:summary_export") + "?year=2027")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    header = list(rows[0])
    assert header[:3] == ["Đơn vị", "Trạng thái", "Gửi trễ hạn"] and header[-1] == "Tổng"
    assert rows[-1][0] == "Tổng cộng" and rows[-1][-1] == 5
    assert {r[0]: r[-1] for r in rows[1:-1]} == {"Sở Y tế": 3, "Xã Bình Lư": 2}
    body = (
        client_for(world["specialist"]).get(reverse("registrations:summary") + "?year=2027").content.decode()
    )
    assert "Xã Bình Lư" in body and "Tổng cộng" in body


def test_the_summary_reads_a_constant_number_of_queries(world: dict[str, Any]) -> None:
    sent(world)
    with CaptureQueriesContext(connection) as one:
        selectors.summary(user=world["specialist"], year=2027)
    sent(world, unit="xa1")
    filled(world, 2027, unit="education")
    services.registration_submit(
        actor=world["education_head"], registration=Registration.objects.get(unit=world["education"])
    )
    with CaptureQueriesContext(connection) as three:
        selectors.summary(user=world["specialist"], year=2027)
    assert len(one) == len(three)


def test_the_dashboard_lists_what_to_fill_send_and_review(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    texts = lambda user: [i.text for i in selectors.todo(user=world[user])]  # noqa: E731
    # 07/12/2026: 2026's deadline has passed without a registration, and 2027's season is open.
    assert texts("health_officer") == [
        "Lập bản đăng ký thi đua năm 2026 (Sở Y tế)",
        "Lập bản đăng ký thi đua năm 2027 (Sở Y tế)",
    ]
    assert selectors.todo(user=world["health_officer"])[0].overdue
    filled(world, 2027)
    assert "Xem và gửi bản đăng ký thi đua năm 2027 (Sở Y tế)" in texts("health_head")
    assert "Hoàn thiện bản đăng ký thi đua năm 2027 (Sở Y tế)" in texts("health_officer")
    services.registration_submit(actor=world["health_head"], registration=Registration.objects.get())
    assert texts("specialist") == ["Duyệt bản đăng ký thi đua năm 2027 của Sở Y tế"]
    assert texts("conflicted_specialist") == []
    body = client_for(world["specialist"]).get(reverse("core:dashboard")).content.decode()
    assert "Duyệt bản đăng ký thi đua năm 2027 của Sở Y tế" in body


def test_a_pledge_with_a_figure_through_the_page(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    import datetime as dt

    from thidua.movements import services as movements

    movement = movements.movement_create(
        actor=world["specialist"],
        authority=world["authority"],
        title="Phong trào Chuyển đổi số năm 2027",
        kind="regular",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        units=[world["health"]],
    )
    criterion = movements.criterion_add(
        actor=world["specialist"],
        movement=movement,
        name="Số thủ tục trực tuyến",
        unit_of_measure="thủ tục",
        target="10",
    )
    movements.movement_launch(actor=world["specialist"], movement=movement)
    registration = services.registration_open(actor=world["health_officer"], unit=world["health"], year=2027)
    officer = client_for(world["health_officer"])
    detail = reverse("registrations:detail", args=[registration.pk])
    assert "Phong trào Chuyển đổi số năm 2027" in officer.get(detail).content.decode()
    officer.post(
        reverse("registrations:pledge_save", args=[registration.pk, movement.pk]),
        {"text": "Toàn bộ thủ tục trực tuyến", f"target-{criterion.pk}": "15"},
    )
    pledge = registration.pledges.get()
    assert (pledge.text, [str(t.target) for t in pledge.targets.all()]) == (
        "Toàn bộ thủ tục trực tuyến",
        ["15.00"],
    )
    client_for(world["health_head"]).post(reverse("registrations:step", args=[registration.pk, "gui"]))
    body = client_for(world["specialist"]).get(detail).content.decode()
    assert "Toàn bộ thủ tục trực tuyến" in body and "Số thủ tục trực tuyến: 15" in body
