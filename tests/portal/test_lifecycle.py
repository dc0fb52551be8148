"""The role models' life cycle: who may do what, within which scope, and what each step leaves behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import FIXED_TODAY
from tests.portal.conftest import png
from thidua.core.models import AuditLog
from thidua.portal import services
from thidua.portal.models import RoleModel, RoleModelState

pytestmark = pytest.mark.django_db


def _nominate(officer: Any, person: Any, **extra: Any) -> RoleModel:
    return services.role_model_nominate(
        actor=officer, person=person, headline="Điển hình", story="Câu chuyện.", year=2025, **extra
    )


def test_each_step_writes_its_audit_row_and_state(portal_world: dict[str, Any]) -> None:
    role_model = portal_world["role_model"]
    assert role_model.state == RoleModelState.PUBLISHED
    actions = list(
        AuditLog.objects.filter(target_type="portal.rolemodel", target_id=str(role_model.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["role_model_nominate", "role_model_approve", "role_model_publish"]
    assert AuditLog.objects.filter(action="consent_record").count() == 1
    featured = services.role_model_feature(
        actor=portal_world["specialist"], role_model=role_model, featured=True
    )
    assert featured.featured
    retired = services.role_model_retire(
        actor=portal_world["specialist"], role_model=role_model, reason="Hết năm"
    )
    assert (retired.state, retired.featured) == (RoleModelState.RETIRED, False)
    assert AuditLog.objects.filter(action="role_model_retire", target_id=str(role_model.pk)).exists()


def test_unit_cannot_approve_publish_or_feature(portal_world: dict[str, Any], client_for: Any) -> None:
    officer = portal_world["health_officer"]
    role_model = _nominate(officer, portal_world["clinic_person"])
    with pytest.raises(PermissionDenied):
        services.role_model_approve(actor=officer, role_model=role_model)
    with pytest.raises(PermissionDenied):
        services.role_model_approve(actor=portal_world["health_head"], role_model=role_model)
    client = client_for(officer)
    response = client.post(f"/quan-ly-dien-hinh/{role_model.pk}/duyet/")
    assert response.status_code == 403
    role_model.refresh_from_db()
    assert role_model.state == RoleModelState.NOMINATED


def test_other_unit_gets_404_and_cannot_nominate_outside(
    portal_world: dict[str, Any], client_for: Any
) -> None:
    role_model = portal_world["role_model"]
    education = portal_world["education_officer"]
    client = client_for(education)
    assert client.get(f"/quan-ly-dien-hinh/{role_model.pk}/").status_code == 404
    assert client.get(f"/quan-ly-dien-hinh/{role_model.pk}/anh/").status_code == 404
    consent = role_model.consents.get()
    assert client.post(f"/quan-ly-dien-hinh/{role_model.pk}/dong-y/{consent.pk}/rut-lai/").status_code == 404
    assert role_model.name not in client.get("/quan-ly-dien-hinh/").text
    with pytest.raises(PermissionDenied):
        _nominate(education, portal_world["health_person"])
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=education, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_anonymous_cannot_reach_staff_pages(portal_world: dict[str, Any], client: Client) -> None:
    role_model = portal_world["role_model"]
    consent = role_model.consents.get()
    pages = [
        ("get", "/quan-ly-dien-hinh/"),
        ("get", "/quan-ly-dien-hinh/de-cu/"),
        ("get", f"/quan-ly-dien-hinh/{role_model.pk}/"),
        ("get", f"/quan-ly-dien-hinh/{role_model.pk}/anh/"),
        ("post", f"/quan-ly-dien-hinh/{role_model.pk}/thoi-dang/"),
        ("post", f"/quan-ly-dien-hinh/{role_model.pk}/dong-y/"),
        ("post", f"/quan-ly-dien-hinh/{role_model.pk}/dong-y/{consent.pk}/rut-lai/"),
        ("post", f"/quan-ly-cong-bo/quyet-dinh/{role_model.pk}/cong-bo/"),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/tai-khoan/dang-nhap/"), url
    role_model.refresh_from_db()
    assert role_model.state == RoleModelState.PUBLISHED


def test_publishing_needs_a_consent_in_force(portal_world: dict[str, Any]) -> None:
    officer, specialist = portal_world["health_officer"], portal_world["specialist"]
    role_model = _nominate(officer, portal_world["clinic_person"])
    services.role_model_approve(actor=specialist, role_model=role_model)
    with pytest.raises(ValidationError) as refused:
        services.role_model_publish(actor=specialist, role_model=role_model)
    assert "đồng ý" in refused.value.messages[0]
    consent = services.consent_record(
        actor=officer,
        role_model=role_model,
        given_by="Lò Thị Mai",
        capacity="Bản thân",
        given_on=FIXED_TODAY,
        purpose="Đăng trên cổng",
    )
    services.consent_withdraw(actor=specialist, consent=consent)
    with pytest.raises(ValidationError):
        services.role_model_publish(actor=specialist, role_model=role_model)
    role_model.refresh_from_db()
    assert role_model.state == RoleModelState.APPROVED


def test_staff_pages_walk_the_cycle(portal_world: dict[str, Any], client_for: Any) -> None:
    client = client_for(portal_world["health_officer"])
    page = client.get("/quan-ly-dien-hinh/de-cu/")
    assert page.status_code == 200
    response = client.post(
        "/quan-ly-dien-hinh/de-cu/",
        {
            "subject": "collective",
            "collective": portal_world["clinic"].pk,
            "headline": "Tập thể khoa tiêu biểu",
            "story": "Khoa Nội phục vụ người bệnh tận tình.",
            "year": "2025",
            "photo": png("khoa.png"),
        },
    )
    created = RoleModel.objects.get(collective=portal_world["clinic"])
    assert response.status_code == 302 and response["Location"] == f"/quan-ly-dien-hinh/{created.pk}/"
    client.post(
        f"/quan-ly-dien-hinh/{created.pk}/dong-y/",
        {
            "given_by": "Trần Văn Trưởng",
            "capacity": "Trưởng khoa",
            "given_on": "01/12/2026",
            "purpose": "Đăng",
        },
    )
    assert created.consents.filter(withdrawn_at__isnull=True).count() == 1
    detail = client.get(f"/quan-ly-dien-hinh/{created.pk}/").text
    assert "Trần Văn Trưởng" in detail and "Ghi nhận rút lại" in detail
    assert f"/quan-ly-dien-hinh/{created.pk}/duyet/" not in detail
    assert created.name in client.get("/quan-ly-dien-hinh/?state=nominated").text
    client.force_login(portal_world["specialist"])
    assert f"/quan-ly-dien-hinh/{created.pk}/duyet/" in client.get(f"/quan-ly-dien-hinh/{created.pk}/").text
    for action in ("duyet", "cong-bo", "noi-bat"):
        assert client.post(f"/quan-ly-dien-hinh/{created.pk}/{action}/").status_code == 302
    created.refresh_from_db()
    assert (created.state, created.featured) == (RoleModelState.PUBLISHED, True)
    client.logout()
    assert client.get(f"/dien-hinh/{created.slug}/").status_code == 200


def test_a_photo_is_checked_by_content_and_a_bad_one_saves_nothing(portal_world: dict[str, Any]) -> None:
    officer = portal_world["health_officer"]
    fake = SimpleUploadedFile("anh.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        _nominate(officer, portal_world["clinic_person"], photo=fake)
    misnamed = png("anh.jpg")
    with pytest.raises(ValidationError) as refused:
        _nominate(officer, portal_world["clinic_person"], photo=misnamed)
    assert "đuôi" in refused.value.messages[0]
    assert not RoleModel.objects.filter(person=portal_world["clinic_person"]).exists()


def test_decision_publication_by_the_board_only(portal_world: dict[str, Any], client_for: Any) -> None:
    from thidua.awards.models import Decision

    decision = Decision.objects.get(number="15/QĐ-UBND")
    client = client_for(portal_world["health_officer"])
    assert client.post(f"/quan-ly-cong-bo/quyet-dinh/{decision.pk}/cong-bo/").status_code == 403
    assert "Công bố trên cổng thông tin" not in client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").text
    client.force_login(portal_world["specialist"])
    assert "Công bố trên cổng thông tin" in client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").text
    assert client.post(f"/quan-ly-cong-bo/quyet-dinh/{decision.pk}/cong-bo/").status_code == 302
    assert "Gỡ khỏi cổng thông tin" in client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").text
    decision.refresh_from_db()
    assert decision.published_at is not None and decision.published_by == portal_world["specialist"]
    assert AuditLog.objects.filter(action="decision_publish", target_id=str(decision.pk)).count() == 1
    client.post(f"/quan-ly-cong-bo/quyet-dinh/{decision.pk}/go/")
    decision.refresh_from_db()
    assert decision.published_at is None
    assert AuditLog.objects.filter(action="decision_unpublish", target_id=str(decision.pk)).count() == 1


def test_bad_input_gets_a_vietnamese_message_and_saves_nothing(
    portal_world: dict[str, Any], client_for: Any
) -> None:
    officer = portal_world["health_officer"]
    big = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError) as refused:
        _nominate(officer, portal_world["clinic_person"], photo=big)
    assert refused.value.messages == ["Ảnh quá lớn: tối đa 5 MB."]
    with pytest.raises(ValidationError) as refused:
        services.role_model_nominate(
            actor=officer, person=portal_world["clinic_person"], headline=" ", story="x", year=2025
        )
    assert refused.value.messages == ["Cần nhập danh xưng của điển hình."]
    assert not RoleModel.objects.filter(person=portal_world["clinic_person"]).exists()
    role_model = portal_world["role_model"]
    client = client_for(officer)
    response = client.post(
        f"/quan-ly-dien-hinh/{role_model.pk}/dong-y/",
        {"given_by": "Nguyễn Văn Đức", "capacity": "Bản thân", "given_on": "31/02/2026", "purpose": "Đăng"},
        follow=True,
    )
    assert "Cần nhập ngày đồng ý (dd/mm/yyyy)." in response.text
    assert role_model.consents.count() == 1
    again = _nominate(officer, portal_world["clinic_person"])
    with pytest.raises(ValidationError) as refused:
        _nominate(officer, portal_world["clinic_person"])
    assert refused.value.messages == ["Điển hình này đã được đề cử cho năm 2025."]
    assert RoleModel.objects.filter(person=portal_world["clinic_person"]).get() == again
