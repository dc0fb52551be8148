from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import FIXED_TODAY
from tests.factories import make_award, make_user
from thidua.accounts.models import Role
from thidua.portal import services
from thidua.portal.models import RoleModel


@pytest.fixture(autouse=True)
def _real_cache(settings: Any) -> None:
    """A real cache backend, new for each test, so a cached page is really served from the cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"portal-{uuid.uuid4().hex}",
        }
    }


def png(name: str = "anh.png", colour: str = "red") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def published(
    officer: Any, specialist: Any, *, person: Any = None, collective: Any = None, **extra: Any
) -> RoleModel:
    """A role model nominated, approved, consented and published through the services."""
    fields: dict[str, Any] = {
        "headline": "Bác sĩ tận tụy vùng cao",
        "story": "Mười năm gắn bó với trạm y tế bản.",
        "year": 2025,
        "photo": png(),
        "contact_phone": "0912345678",
        "contact_email": "bacsi.an@example.vn",
        "internal_note": "Ghi chú nội bộ: chờ xác minh hồ sơ đảng viên",
    }
    fields.update(extra)
    role_model = services.role_model_nominate(actor=officer, person=person, collective=collective, **fields)
    services.role_model_approve(actor=specialist, role_model=role_model)
    name = person.full_name if person is not None else "Nguyễn Thị Đại Diện"
    services.consent_record(
        actor=officer,
        role_model=role_model,
        given_by=name,
        capacity="Bản thân" if person is not None else "Trưởng khoa",
        given_on=FIXED_TODAY,
        purpose="Đăng trên cổng thông tin điển hình tiên tiến",
    )
    return services.role_model_publish(actor=specialist, role_model=role_model)


@pytest.fixture
def portal_world(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    health_head = make_user("thutruong.yte", Role.UNIT_HEAD, province["health"])
    person = province["health_person"]
    make_award(
        person, "CSTDCS", 2024, number="15/QĐ-UBND", reason="Thành tích riêng tư", bonus_amount=2340000
    )
    role_model = published(users["health_officer"], users["specialist"], person=person)
    return {**province, **users, "health_head": health_head, "role_model": role_model}
