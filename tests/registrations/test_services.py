"""Registrations' services: who may begin, fill, send, approve and return, what each refuses, the log,
the notices, the deadline and lateness. Expected answers are worked by hand from the fixture."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import FIXED_TODAY
from tests.movements.conftest import on
from thidua.proposals.models import Notification
from thidua.registrations import services
from thidua.registrations.deadline import deadline_for, open_year
from thidua.registrations.models import PersonLine, Registration
from thidua.registrations.workflow import RegistrationState as S

from .conftest import filled, sent

pytestmark = pytest.mark.django_db


def _code(exc: Any) -> str:
    return getattr(exc.value, "code", "")


def test_the_deadline_is_the_documented_default_until_the_rulebook_sets_one() -> None:
    deadline = deadline_for(2027)
    assert deadline.day == dt.date(2027, 3, 31)
    assert deadline.confirmed is False
    assert "chưa xác nhận" in deadline.basis
    # 07/12/2026: the year-end season has opened (01/11 in the provincial layer), units plan 2027.
    assert open_year(FIXED_TODAY) == 2027
    assert open_year(dt.date(2026, 10, 31)) == 2026


def test_a_registration_is_addressed_to_the_authority_above_with_the_years_deadline(
    world: dict[str, Any],
) -> None:
    registration = services.registration_open(actor=world["health_officer"], unit=world["health"], year=2027)
    assert registration.authority == world["authority"]
    assert registration.due_date == dt.date(2027, 3, 31)
    assert registration.state == S.DRAFT
    assert [(t.source, t.target) for t in registration.transitions.all()] == [(S.DRAFT, S.DRAFT)]
    # Opening again returns the same one: a unit registers once a year.
    again = services.registration_open(actor=world["health_head"], unit=world["health"], year=2027)
    assert again.pk == registration.pk
    with pytest.raises(ValidationError) as exc:
        services.registration_open(actor=world["health_officer"], unit=world["health"], year=2029)
    assert _code(exc) == "year_out_of_range"
    with pytest.raises(PermissionDenied):
        services.registration_open(actor=world["education_officer"], unit=world["health"], year=2027)
    with pytest.raises(PermissionDenied):
        services.registration_open(actor=world["specialist"], unit=world["health"], year=2027)


def test_people_are_added_at_once_with_lao_dong_tien_tien_then_adjusted(world: dict[str, Any]) -> None:
    officer = world["health_officer"]
    registration = services.registration_open(actor=officer, unit=world["health"], year=2027)
    # Sở Y tế's own people: Nguyễn Văn Đức and Phạm Thị Lan; Lò Thị Mai works in Khoa Nội.
    assert services.people_add_all(actor=officer, registration=registration) == 2
    assert services.people_add_all(actor=officer, registration=registration) == 0
    assert services.people_add_all(actor=officer, registration=registration, include_subunits=True) == 1
    lines = {line.person.full_name: line.award_type.code for line in registration.people.all()}
    assert lines == {"Nguyễn Văn Đức": "LDTT", "Phạm Thị Lan": "LDTT", "Lò Thị Mai": "LDTT"}
    changed = services.people_set(
        actor=officer,
        registration=registration,
        titles={world["health_person"].pk: "CSTDCS", world["clinic_person"].pk: ""},
    )
    assert changed == 2
    lines = {line.person.full_name: line.award_type.code for line in registration.people.all()}
    assert lines == {"Nguyễn Văn Đức": "CSTDCS", "Phạm Thị Lan": "LDTT"}


def test_a_person_or_title_from_elsewhere_is_refused_and_nothing_written(world: dict[str, Any]) -> None:
    officer = world["health_officer"]
    registration = services.registration_open(actor=officer, unit=world["health"], year=2027)
    with pytest.raises(ValidationError) as exc:
        services.people_set(
            actor=officer,
            registration=registration,
            titles={world["health_person"].pk: "LDTT", world["education_person"].pk: "LDTT"},
        )
    assert _code(exc) == "person_out_of_unit"
    # A collective title is not a person's, a form (Bằng khen) is no title to register.
    for code in ("TTLDTT", "BK_TINH"):
        with pytest.raises(ValidationError) as exc:
            services.people_set(
                actor=officer, registration=registration, titles={world["health_person"].pk: code}
            )
        assert _code(exc) == "award_not_allowed"
    assert PersonLine.objects.count() == 0
    # A department is no commune: "xã tiêu biểu" is not offered to it.
    with pytest.raises(ValidationError) as exc:
        services.collective_add(actor=officer, registration=registration, award_code="XA_TIEU_BIEU")
    assert _code(exc) == "award_not_allowed"
    with pytest.raises(ValidationError) as exc:
        services.collective_add(
            actor=officer, registration=registration, award_code="TTLDTT", collective=world["education"]
        )
    assert _code(exc) == "collective_out_of_unit"
    # Khoa Nội, a sub-unit, may aim for its own title.
    line = services.collective_add(
        actor=officer, registration=registration, award_code="TTLDXS", collective=world["clinic"]
    )
    assert (line.collective, line.award_type.code) == (world["clinic"], "TTLDXS")
    commune = services.registration_open(actor=world["xa1_officer"], unit=world["xa1"], year=2027)
    assert services.collective_add(
        actor=world["xa1_officer"], registration=commune, award_code="XA_TIEU_BIEU"
    )


def test_only_the_unit_head_submits_a_registration_with_content(world: dict[str, Any]) -> None:
    empty = services.registration_open(actor=world["health_officer"], unit=world["health"], year=2027)
    with pytest.raises(PermissionDenied) as exc:
        services.registration_submit(actor=world["health_officer"], registration=empty)
    assert _code(exc) == "role_not_allowed"
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(actor=world["health_head"], registration=empty)
    assert _code(exc) == "registration_empty"
    with pytest.raises(PermissionDenied):
        services.registration_submit(actor=world["education_head"], registration=empty)
    registration = sent(world)
    assert registration.state == S.SUBMITTED
    assert registration.first_submitted_at is not None
    # The province's specialist is told; the one working in Sở Y tế is not asked to review it.
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"chuyenvien"}
    with pytest.raises(ValidationError) as exc:
        services.people_add_all(actor=world["health_officer"], registration=registration)
    assert _code(exc) == "registration_not_editable"


def test_the_authority_above_returns_with_a_reason_and_approves(world: dict[str, Any]) -> None:
    registration = sent(world)
    for outsider, code in (
        (world["council"], "role_not_allowed"),
        (world["health_head"], "role_not_allowed"),
        (world["conflicted_specialist"], "conflict_of_interest"),
    ):
        with pytest.raises(PermissionDenied) as exc:
            services.registration_approve(actor=outsider, registration=registration)
        assert _code(exc) == code
    with pytest.raises(ValidationError) as exc:
        services.registration_return(actor=world["specialist"], registration=registration, reason="  ")
    assert _code(exc) == "reason_required"
    Notification.objects.all().delete()
    returned = services.registration_return(
        actor=world["specialist"], registration=registration, reason="Bổ sung danh hiệu của Khoa Nội"
    )
    assert returned.state == S.RETURNED
    texts = {n.user.username: n.text for n in Notification.objects.select_related("user")}
    assert set(texts) == {"canbo.yte", "thutruong.yte"}
    assert "Bổ sung danh hiệu của Khoa Nội" in texts["canbo.yte"]
    services.collective_add(
        actor=world["health_officer"], registration=returned, award_code="TTLDTT", collective=world["clinic"]
    )
    again = services.registration_submit(actor=world["health_head"], registration=returned)
    approved = services.registration_approve(actor=world["specialist"], registration=again)
    assert approved.state == S.APPROVED
    log = [(t.source, t.target, t.comment) for t in approved.transitions.order_by("at", "id")]
    assert log == [
        (S.DRAFT, S.DRAFT, "Lập bản đăng ký"),
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.RETURNED, "Bổ sung danh hiệu của Khoa Nội"),
        (S.RETURNED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.APPROVED, ""),
    ]
    with pytest.raises(ValidationError) as exc:
        services.registration_return(actor=world["specialist"], registration=approved, reason="Muộn")
    assert _code(exc) == "state_not_allowed"


def test_late_is_the_first_submission_after_the_deadline(world: dict[str, Any]) -> None:
    # 2026's deadline, 31/03/2026, has passed on the fixed clock (07/12/2026).
    draft = filled(world, 2026)
    assert draft.is_overdue(FIXED_TODAY) and not draft.is_late
    late = services.registration_submit(actor=world["health_head"], registration=draft)
    assert late.is_late and not late.is_overdue(FIXED_TODAY)
    # The commune sends its 2026 registration on the last day: on time, even if returned and sent again.
    with on(dt.date(2026, 3, 31)):
        commune = sent(world, 2026, unit="xa1")
    assert not commune.is_late
    returned = services.registration_return(actor=world["specialist"], registration=commune, reason="Sửa")
    again = services.registration_submit(actor=world["xa1_head"], registration=returned)
    assert not again.is_late
    early = sent(world, 2027)
    assert not early.is_late and not early.is_overdue(FIXED_TODAY)


def test_a_pledge_goes_to_a_running_movement_the_unit_is_a_target_of(world: dict[str, Any]) -> None:
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
    registration = services.registration_open(actor=world["health_officer"], unit=world["health"], year=2027)
    # Not launched yet: nothing to pledge to.
    assert services.pledge_movements(registration) == []
    movements.movement_launch(actor=world["specialist"], movement=movement)
    assert services.pledge_movements(registration) == [movement]
    pledge = services.pledge_save(
        actor=world["health_officer"],
        registration=registration,
        movement=movement,
        text="Đưa 100% thủ tục lên cổng dịch vụ công",
        targets={criterion.pk: "12,5"},
    )
    assert [(t.criterion_id, str(t.target)) for t in pledge.targets.all()] == [(criterion.pk, "12.50")]
    commune = services.registration_open(actor=world["xa1_officer"], unit=world["xa1"], year=2027)
    with pytest.raises(ValidationError) as exc:
        services.pledge_save(
            actor=world["xa1_officer"], registration=commune, movement=movement, text="Cam kết"
        )
    assert _code(exc) == "not_a_target"
    # The pledge alone is enough content to send.
    services.people_set(actor=world["health_officer"], registration=registration, titles={})
    assert services.missing_items(registration) == []
    assert Registration.objects.get(pk=registration.pk).state == S.DRAFT
