"""Proposal dossiers in the demo province, written through the real services by the demo users, so a first
visit finds the workflow in motion at every level:

- Sở Y tế's year-end cycle for its own staff: drafted by its officer, appraised by its specialist, voted
  by its Council, decided by its director (…/QĐ-SYT); the Bằng khen and CSTĐ tỉnh lines it cannot
  decide go up to the province with its tờ trình, and wait there for the Board;
- two communes' cycles (Lao động tiên tiến, Giấy khen, Gia đình văn hóa), decided by their chairmen;
- at the province: one dossier awaiting the Board, one returned for amendment, one still being drafted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from thidua.accounts.models import User
from thidua.awards.models import AwardRecord, AwardType, Decision, Rating, YearlyRating
from thidua.demo import data as D
from thidua.organisation.authorities import authority_of, province_authority
from thidua.organisation.models import Household, Person, Unit
from thidua.proposals import procedure, services
from thidua.proposals.models import CouncilMember, Dossier


def _pdf(title: str, body: str) -> bytes:
    import weasyprint

    html = f"<h1 style='font-size:14pt'>{title}</h1><p>{body}</p>"
    return bytes(weasyprint.HTML(string=html).write_pdf())


def _attach_all(actor: User, dossier: Dossier, pdf: bytes) -> None:
    codes = set(dossier.nominees.values_list("award_type__code", flat=True))
    for i, component in enumerate(procedure.required_components(codes, dossier.kind), start=1):
        upload = SimpleUploadedFile(f"thanh-phan-{i}.pdf", pdf, content_type="application/pdf")
        services.attachment_add(actor=actor, dossier=dossier, component=component.code, upload=upload)


def _appraise(specialist: User, dossier: Dossier) -> Dossier:
    """The specialist receives the dossier and answers every line as the engine does; a line the engine
    leaves for a person is proposed, with the specialist's reason."""
    dossier = services.dossier_receive(actor=specialist, dossier=dossier)
    services.nominees_confirm_all(actor=specialist, dossier=dossier)
    for line in dossier.nominees.filter(is_active=True, recommend__isnull=True):
        services.nominee_review(
            actor=specialist,
            nominee=line,
            recommend=True,
            reason="Đã đối chiếu minh chứng của đơn vị; đủ tiêu chuẩn theo quy định.",
        )
    return services.dossier_complete_appraisal(actor=specialist, dossier=dossier)


def _free_number(authority: Any, first: int, today: dt.date) -> str:
    """The first decision number of this year not yet in the authority's series."""
    number = first
    while Decision.objects.filter(
        issuing_authority=authority.name, date__year=today.year, number=f"{number}{authority.decision_suffix}"
    ).exists():
        number += 1
    return f"{number}{authority.decision_suffix}"


def _rated(people: Any, year: int, *ratings: str) -> list[Person]:
    ids = set(
        YearlyRating.objects.filter(person__in=people, year=year, rating__in=ratings).values_list(
            "person_id", flat=True
        )
    )
    return [p for p in people if p.pk in ids]


def health_cycle(*, year: int) -> int:
    """Sở Y tế's own cycle for `year`, from draft to its director's decision and the tờ trình upward."""
    officer = User.objects.get(username="canbo")
    head = User.objects.get(username="thutruong")
    specialist = User.objects.get(username="chuyenvienyte")
    unit = officer.unit
    assert unit is not None
    authority = authority_of(unit)
    assert authority is not None and authority.unit_id == unit.pk
    # The Sở's own staff: its offices have no legal status of their own, its hospitals do.
    own = [
        p
        for p in Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .exclude(full_name__in=[officer.full_name, head.full_name])
        .select_related("unit")
        .order_by("pk")
        if (a := authority_of(p.unit)) is not None and a.pk == authority.pk
    ]
    good = _rated(own, year, Rating.GOOD, Rating.EXCELLENT)
    excellent = _rated(own, year, Rating.EXCELLENT)
    if len(good) < 5:
        return 0
    award = {a.code: a for a in AwardType.objects.filter(code__in=["LDTT", "CSTDCS", "GK", "BK_TINH"])}
    dossier = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="cong_trang",
        year=year,
        title=f"Đề nghị công nhận danh hiệu thi đua và khen thưởng năm {year} của cơ quan Sở Y tế",
        authority=authority,
    )
    # The Sở's emulation fighter: one with CSTĐ cơ sở the two years before, whose third, decided here,
    # opens the road to CSTĐ tỉnh (Luật Thi đua, khen thưởng 2022, Điều 22) at the province.
    streaks = set(
        AwardRecord.objects.filter(
            award_type__code="CSTDCS", year__in=[year - 1, year - 2], person__in=excellent
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n=2)
        .values_list("person_id", flat=True)
    )
    fighter = next((p for p in excellent if p.pk in streaks), excellent[0] if excellent else good[0])
    workers = [p for p in good if p.pk != fighter.pk][:4]
    for person in workers[:3]:
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=person,
            award_type=award["LDTT"],
            achievement=f"Hoàn thành tốt nhiệm vụ năm {year}",
        )
    for code in ("LDTT", "CSTDCS"):
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=fighter,
            award_type=award[code],
            achievement=f"Hoàn thành xuất sắc nhiệm vụ năm {year}",
        )
    services.nominee_add(
        actor=officer,
        dossier=dossier,
        recipient=workers[3],
        award_type=award["GK"],
        achievement=(
            f"Có thành tích trong phong trào thi đua “Ngành Y tế chung sức phòng, chống dịch bệnh” năm {year}"
        ),
    )
    # What the Sở cannot decide goes up to the province with its tờ trình: a Bằng khen, and CSTĐ tỉnh for
    # its fighter.
    if fighter.pk in streaks:
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=fighter,
            award_type=AwardType.objects.get(code="CSTD_TINH"),
            achievement=f"03 năm liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở ({year - 2}–{year})",
        )
    services.nominee_add(
        actor=officer,
        dossier=dossier,
        recipient=workers[0],
        award_type=award["BK_TINH"],
        achievement=f"Hoàn thành tốt nhiệm vụ 02 năm liên tục ({year - 1}–{year})",
    )
    _attach_all(
        officer, dossier, _pdf("Hồ sơ đề nghị khen thưởng", f"Tài liệu mẫu của {unit.name}, năm {year}.")
    )
    services.dossier_submit(actor=head, dossier=dossier)
    dossier = _appraise(specialist, Dossier.objects.get(pk=dossier.pk))
    today = timezone.localdate()
    session = services.council_session_create(
        actor=specialist,
        title=f"Họp Hội đồng Thi đua – Khen thưởng Sở Y tế xét khen thưởng năm {year}",
        date=today,
        location="Phòng họp Sở Y tế",
        dossiers=[dossier],
    )
    services.attendance_all_present(actor=specialist, session=session)
    lines = list(dossier.nominees.filter(is_active=True, recommend__isnull=False))
    for member in CouncilMember.objects.filter(attendance__session=session).select_related("user"):
        for line in lines:
            services.ballot_cast(actor=member.user, session=session, nominee=line, agree=True)
    services.session_close(actor=specialist, session=session)
    services.dossiers_decide(
        actor=head,
        dossiers=[Dossier.objects.get(pk=dossier.pk)],
        number=_free_number(authority, 30, today),
        date=today,
        summary=f"Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm {year}",
        proposal_number=f"52/TTr-{authority.abbreviation}",
    )
    return 2


def commune_cycle(*, number: int, year: int) -> int:
    """A commune's cycle: its households' Gia đình văn hóa and its people's titles, decided by its
    chairman (Nghị định 129/2025/NĐ-CP, Điều 59)."""
    officer = User.objects.get(username=f"canboxa{number}")
    head = User.objects.get(username=f"chutichxa{number}")
    specialist = User.objects.get(username=f"chuyenvienxa{number}")
    unit = officer.unit
    assert unit is not None
    households = list(Household.objects.filter(unit=unit).order_by("pk")[:3])
    people = _rated(
        list(
            Person.objects.filter(unit=unit, is_active=True)
            .exclude(full_name__in=[officer.full_name, head.full_name, specialist.full_name])
            .order_by("pk")
        ),
        year,
        Rating.GOOD,
        Rating.EXCELLENT,
    )
    if len(households) < 3 or len(people) < 3:
        return 0
    award = {a.code: a for a in AwardType.objects.filter(code__in=["LDTT", "GK", "GDVH"])}
    dossier = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="cong_trang",
        year=year,
        title=f"Đề nghị công nhận danh hiệu “Gia đình văn hóa”, “Lao động tiên tiến” năm {year}",
    )
    for household in households:
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=household,
            award_type=award["GDVH"],
            achievement=f"Gương mẫu chấp hành chủ trương, chính sách; đoàn kết, giúp đỡ cộng đồng năm {year}",
        )
    for person in people[:2]:
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=person,
            award_type=award["LDTT"],
            achievement=f"Hoàn thành tốt nhiệm vụ năm {year}",
        )
    services.nominee_add(
        actor=officer,
        dossier=dossier,
        recipient=people[2],
        award_type=award["GK"],
        achievement=(
            f"Có thành tích trong phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” năm {year}"
        ),
    )
    _attach_all(
        officer, dossier, _pdf("Hồ sơ đề nghị khen thưởng", f"Tài liệu mẫu của {unit.name}, năm {year}.")
    )
    services.dossier_submit(actor=head, dossier=dossier)
    dossier = _appraise(specialist, Dossier.objects.get(pk=dossier.pk))
    authority = dossier.authority
    today = timezone.localdate()
    services.dossiers_decide(
        actor=head,
        dossiers=[dossier],
        number=_free_number(authority, 40 + number, today),
        date=today,
        summary=(
            "Về việc công nhận danh hiệu “Gia đình văn hóa”, “Lao động tiên tiến” "
            f"và tặng Giấy khen năm {year}"
        ),
    )
    return 1


def demo_dossiers(*, year: int) -> int:
    made = health_cycle(year=year)
    for number in range(1, len(D.WORKFLOW_COMMUNES) + 1):
        made += commune_cycle(number=number, year=year)
    return made + province_dossiers(year=year)


def province_dossiers(*, year: int) -> int:
    """Sở Y tế's dossiers addressed to the province: one awaiting the Board, one returned, one a draft."""
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

    province = province_authority()
    awaiting = services.dossier_create(
        actor=officer,
        unit=unit,
        kind="cong_trang",
        year=year,
        title=f"Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm {year}",
        proposal_number=f"15/TTr-{unit.code.split('.')[-1]}",
        authority=province,
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
        authority=province,
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
        authority=province,
    )
    services.nominee_add(
        actor=officer,
        dossier=draft,
        recipient=people[3],
        award_type=award["BK_TINH"],
        achievement="Dũng cảm cứu 03 người bị nước lũ cuốn trôi",
    )
    return 3
