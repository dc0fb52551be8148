from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_authority, make_award, make_person, make_unit, make_user
from thidua.accounts.models import Role
from thidua.awards.models import AwardType
from thidua.organisation.models import AuthorityLevel, UnitKind
from thidua.organisation.services import household_create
from thidua.proposals import procedure, services
from thidua.proposals.models import CouncilMember, CouncilRole


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a Word document, as the office would read it."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@functools.cache
def pdf_bytes(text: str = "Báo cáo thành tích") -> bytes:
    """A real one-page PDF, as a unit would scan or export one (rendered once per text)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=f"<p>{text}</p>").write_pdf())


def pdf_upload(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def flow(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """The people of the workflow: the Sở Y tế's officer and head, the Board's specialists (one of them
    from Sở Y tế), the chairman, and a Council of five with its chair and secretary."""
    health = province["health"]
    people = {
        **province,
        **users,
        "health_head": make_user("thutruong.yte", Role.UNIT_HEAD, health),
        "education_head": make_user("thutruong.gd", Role.UNIT_HEAD, province["education"]),
        "conflicted_specialist": make_user("chuyenvien.yte", Role.BOARD_SPECIALIST, health),
        "chairman": make_user("chutich", Role.CHAIRMAN, province["ubnd"]),
    }
    since = dt.date(2024, 1, 1)
    council = [
        CouncilMember.objects.create(user=people["chairman"], role=CouncilRole.CHAIR, valid_from=since),
        CouncilMember.objects.create(user=people["council"], role=CouncilRole.MEMBER, valid_from=since),
        CouncilMember.objects.create(user=people["specialist"], role=CouncilRole.SECRETARY, valid_from=since),
        CouncilMember.objects.create(
            user=make_user("uyvien.yte", Role.COUNCIL_MEMBER, health),
            role=CouncilRole.MEMBER,
            valid_from=since,
        ),
        CouncilMember.objects.create(
            user=make_user("uyvien.gd", Role.COUNCIL_MEMBER, province["education"]),
            role=CouncilRole.MEMBER,
            valid_from=since,
        ),
    ]
    people["members"] = council
    # Nguyễn Văn Đức: LĐTT 2023 and 2024, the ground of a Bằng khen.
    make_award(province["health_person"], "LDTT", 2023)
    make_award(province["health_person"], "LDTT", 2024)
    return people


def award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def attach_required(actor: Any, dossier: Any) -> None:
    codes = set(dossier.nominees.filter(is_active=True).values_list("award_type__code", flat=True))
    for component in procedure.required_components(codes, dossier.kind):
        services.attachment_add(actor=actor, dossier=dossier, component=component.code, upload=pdf_upload())


def drafted(
    flow: dict[str, Any], code: str = "BK_TINH", *, person: Any = None, kind: str = "cong_trang"
) -> Any:
    """Sở Y tế's dossier addressed to the province (UBND tỉnh decides a Bằng khen)."""
    dossier = services.dossier_create(
        actor=flow["health_officer"],
        unit=flow["health"],
        kind=kind,
        year=2024,
        title="Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2024",
        authority=flow["ubnd"].authority,
    )
    services.nominee_add(
        actor=flow["health_officer"],
        dossier=dossier,
        recipient=person or flow["health_person"],
        award_type=award(code),
        achievement="Hoàn thành xuất sắc nhiệm vụ hai năm liền",
    )
    attach_required(flow["health_officer"], dossier)
    return dossier


@pytest.fixture
def levels(flow: dict[str, Any]) -> dict[str, Any]:
    """Sở Y tế becomes an authority with its own specialist and Council; it has a hospital that is an
    authority of its own; a commune decides its households' titles. The flow's province accounts were
    made before, so they serve the province."""
    health = flow["health"]
    syt = make_authority(
        health,
        AuthorityLevel.DEPARTMENT,
        abbreviation="SYT",
        head_title="Giám đốc",
        name="Sở Y tế tỉnh Lai Châu",
        superior_name="UBND tỉnh Lai Châu",
    )
    hospital = make_unit("Bệnh viện Đa khoa tỉnh", parent=health, kind=UnitKind.HOSPITAL)
    make_authority(hospital, AuthorityLevel.DEPARTMENT, abbreviation="BVĐK", head_title="Giám đốc")
    commune = make_unit("Xã Bình Lư", parent=flow["ubnd"], kind=UnitKind.COMMUNE)
    xa = make_authority(commune, AuthorityLevel.COMMUNE, head_title="Chủ tịch", name="UBND xã Bình Lư")
    specialist = make_user("chuyenvien.syt", Role.BOARD_SPECIALIST, health)
    members = [make_user(f"uyvien.syt{i}", Role.COUNCIL_MEMBER, health) for i in (1, 2)]
    since = dt.date(2024, 1, 1)
    seats = [
        CouncilMember.objects.create(
            authority=syt, user=flow["health_head"], role=CouncilRole.CHAIR, valid_from=since
        ),
        CouncilMember.objects.create(
            authority=syt, user=specialist, role=CouncilRole.SECRETARY, valid_from=since
        ),
        *(
            CouncilMember.objects.create(authority=syt, user=m, role=CouncilRole.MEMBER, valid_from=since)
            for m in members
        ),
    ]
    return {
        **flow,
        "syt": syt,
        "xa": xa,
        "hospital": hospital,
        "hospital_person": make_person(hospital, "Phạm Văn Bình"),
        "commune": commune,
        "household": household_create(actor=None, code="BL-01", head_name="Lò Văn Pọm", unit=commune),
        "syt_specialist": specialist,
        "syt_members": members,
        "syt_seats": seats,
    }


def engine_answer(person: Any, line_result: dict[str, Any]) -> str:
    """The engine's verdict for this person alone, on the same question a line was asked (award, year, kind,
    day): a fresh evaluator, no shared cache; the independent answer a line's verdict must equal."""
    from thidua.appraisal.candidates import candidate_for_person
    from thidua.eligibility.engine import Evaluator, default_evaluator

    result = Evaluator(default_evaluator().library).evaluate(
        candidate_for_person(person),
        line_result["award"],
        line_result["year"],
        dt.date.fromisoformat(line_result["as_of"]),
        line_result["kind"],
    )
    return str(result.verdict)
