"""A small registry whose shares are worked out by hand in the tests (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.blocs.conftest import world  # noqa: F401  (the blocs' world, for the bloc results)
from tests.factories import make_award, make_person
from tests.proposals.conftest import flow  # noqa: F401  (the workflow's people, for the dossier figures)
from thidua.awards.models import AwardRecord
from thidua.awards.services import initiative_create
from thidua.core import tallies
from thidua.organisation.models import PersonCategory, Unit


@pytest.fixture
def registry(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """2025: five awards in force and one revoked; 2024: one award.

    R1 Nguyễn Văn Đức (nam, Kinh, Sở Y tế: vùng cao) LĐTT        cơ sở, danh hiệu, công trạng
    R2 Lò Thị Mai (nữ, Thái, trực tiếp lao động, Khoa Nội of Sở Y tế) CSTĐ
                                                              cơ sở, danh hiệu, công trạng, sáng kiến
    R3 Trần Thị Hoa (nữ, Kinh, Sở GD&ĐT) Bằng khen tỉnh           tỉnh,  hình thức, chuyên đề
    R4 Giàng A Páo (nam, Mông, trực tiếp lao động, Sở GD&ĐT) Giấy khen  cơ sở, hình thức, đột xuất
    R5 Sở Y tế (tập thể, vùng cao) TTLĐTT                        cơ sở, danh hiệu, công trạng
    R6 Trần Thị Hoa LĐTT, hủy bỏ: not counted
    R7 Nguyễn Văn Đức CSTĐ 2024
    """
    p = province
    Unit.objects.filter(pk=p["health"].pk).update(is_highland=True)
    p["health"].refresh_from_db()
    mai = p["clinic_person"]
    type(mai).objects.filter(pk=mai.pk).update(category=PersonCategory.DIRECT_WORKER)
    pao = make_person(p["education"], "Giàng A Páo", ethnicity="Mông", category=PersonCategory.DIRECT_WORKER)
    idea = initiative_create(
        actor=None, title="Cải tiến quy trình tiếp đón", year=2025, scope="co_so", person=mai
    )
    records = {
        "r1": make_award(p["health_person"], "LDTT", 2025),
        "r2": make_award(mai, "CSTT", 2025, initiatives=[idea]),
        "r3": make_award(p["education_person"], "BK_TINH", 2025, kind="chuyen_de"),
        "r4": make_award(pao, "GK", 2025, kind="dot_xuat"),
        "r5": make_award(p["health"], "TTLDTT", 2025),
        "r6": make_award(p["education_person"], "LDTT", 2025),
        "r7": make_award(p["health_person"], "CSTT", 2024),
    }
    revoked = AwardRecord.objects.filter(pk=records["r6"].pk)
    revoked.update(revoked_on=dt.date(2026, 3, 1), revocation_reason="Khai man thành tích")
    # As the revocation service does: the registry's tallies count it as revoked.
    tallies.revoked(revoked)
    return {**p, **users, **records, "pao": pao, "idea": idea}
