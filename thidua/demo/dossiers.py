"""A few proposal dossiers in the demo province, written through the real services by the demo users, so a
first visit finds the workflow in motion: one awaiting the Board, one returned for amendment, one still
being drafted."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.accounts.models import User
from thidua.awards.models import AwardType
from thidua.organisation.models import Person, Unit
from thidua.proposals import procedure, services
from thidua.proposals.models import Dossier


def _pdf(title: str, body: str) -> bytes:
    import weasyprint

    html = f"<h1 style='font-size:14pt'>{title}</h1><p>{body}</p>"
    return bytes(weasyprint.HTML(string=html).write_pdf())


def _attach_all(actor: User, dossier: Dossier, pdf: bytes) -> None:
    codes = set(dossier.nominees.values_list("award_type__code", flat=True))
    for i, component in enumerate(procedure.required_components(codes, dossier.kind), start=1):
        upload = SimpleUploadedFile(f"thanh-phan-{i}.pdf", pdf, content_type="application/pdf")
        services.attachment_add(actor=actor, dossier=dossier, component=component.code, upload=upload)


def demo_dossiers(*, year: int) -> int:
    officer = User.objects.get(username="canbo")
    head = User.objects.get(username="thutruong")
    specialist = User.objects.get(username="chuyenvien")
    unit = officer.unit
    assert unit is not None
    people = list(
        Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .exclude(full_name__in=[officer.full_name, head.full_name])
        .order_by("pk")[:4]
    )
    if len(people) < 4:
        return 0
    award = {a.code: a for a in AwardType.objects.filter(code__in=["BK_TINH", "CSTD_TINH", "TTLDXS"])}
    pdf = _pdf("Hồ sơ đề nghị khen thưởng", f"Tài liệu mẫu của {unit.name}, năm {year}.")

    awaiting = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="cong_trang",
        year=year,
        title=f"Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm {year}",
        proposal_number=f"15/TTr-{unit.code.split('.')[-1]}",
    )
    for person in people[:2]:
        services.nominee_add(
            actor=officer,
            dossier=awaiting,
            recipient=person,
            award_type=award["BK_TINH"],
            achievement=f"Hoàn thành xuất sắc nhiệm vụ năm {year - 1} và năm {year}",
        )
    collective = Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("pk").first()
    if collective is not None:
        services.nominee_add(
            actor=officer,
            dossier=awaiting,
            recipient=collective,
            award_type=award["TTLDXS"],
            achievement=f"Tập thể hoàn thành xuất sắc nhiệm vụ năm {year}",
        )
    _attach_all(officer, awaiting, pdf)
    services.dossier_submit(actor=head, dossier=awaiting)

    returned = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="cong_trang",
        year=year,
        title=f"Đề nghị xét tặng danh hiệu Chiến sĩ thi đua tỉnh năm {year}",
    )
    services.nominee_add(
        actor=officer,
        dossier=returned,
        recipient=people[2],
        award_type=award["CSTD_TINH"],
        achievement="Có sáng kiến được áp dụng hiệu quả trong toàn ngành",
    )
    _attach_all(officer, returned, pdf)
    services.dossier_submit(actor=head, dossier=returned)
    returned.refresh_from_db()
    services.dossier_return(
        actor=specialist,
        dossier=returned,
        reason=(
            "Bổ sung văn bản của Chủ tịch UBND tỉnh công nhận hiệu quả áp dụng của sáng kiến "
            "trong phạm vi tỉnh."
        ),
    )

    draft = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="dot_xuat",
        year=year + 1,
        title="Đề nghị khen thưởng đột xuất cho cá nhân có thành tích cứu người trong lũ",
    )
    services.nominee_add(
        actor=officer,
        dossier=draft,
        recipient=people[3],
        award_type=award["BK_TINH"],
        achievement="Dũng cảm cứu 03 người bị nước lũ cuốn trôi",
    )
    return 3
