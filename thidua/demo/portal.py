"""The demo's public portal, built through the portal's services by the demo users: role models put forward
by Sở Y tế and the two communes with accounts, approved by the Board's specialist, each with the person's
(or the collective's representative's) consent, a dozen published (the first four featured) and one whose
consent was then withdrawn, so it is off the portal; and the 2025 award decisions published.

Everything is chosen by sort order, never at random, so two loads give the same portal."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from thidua.accounts.models import User
from thidua.awards.models import Decision
from thidua.demo import data as D
from thidua.organisation.models import Person, Unit, UnitKind
from thidua.portal import services
from thidua.portal.models import RoleModel

PUBLISHED = 12
FEATURED = 4
YEAR = D.LAST_YEAR
# (officer, unit code, people, collectives)
_SOURCES = (
    ("canbo", "LC.SYT", 4, 2),
    *((f"canboxa{n}", code, 3, 1) for n, code in enumerate(D.WORKFLOW_COMMUNES, 1)),
)
_COLOURS = ("#8b1a1a", "#1f4e79", "#2e6b30", "#6b3f1f", "#4b2e83", "#7a5c00")
CONSENT_DAY = dt.date(2026, 1, 12)
PURPOSE = (
    "Đăng họ tên, đơn vị, câu chuyện và ảnh trên cổng thông tin điển hình tiên tiến của tỉnh, "
    "để tuyên truyền, nhân rộng điển hình; không dùng cho mục đích khác."
)


def _portrait(index: int, name: str) -> SimpleUploadedFile:
    """A plain card with the initials: the demo has no real photos to show."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), _COLOURS[index % len(_COLOURS)])
    initials = "".join(word[0] for word in name.split()[-2:]).upper()
    ImageDraw.Draw(image).text((200, 160), initials, fill="#ffffff", font_size=64)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"anh-{index}.png", buffer.getvalue(), content_type="image/png")


def _people(unit: Unit, count: int) -> list[Person]:
    """The unit's people with the most awards in the registry, then in name order."""
    return list(
        Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .annotate(n=Count("awards"))
        .filter(n__gt=0)
        .select_related("unit")
        .order_by("-n", "sort_key", "id")[:count]
    )


def _collectives(unit: Unit, count: int) -> list[Unit]:
    below = Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).exclude(pk=unit.pk)
    chosen = list(below.filter(kind=UnitKind.SUB_UNIT).order_by("sort_key", "id")[:count])
    return chosen or list(below.order_by("sort_key", "id")[:count]) or [unit]


def _story(index: int, name: str, place: str, collective: bool) -> tuple[str, str]:
    if collective:
        return (
            "Tập thể đoàn kết, hoàn thành xuất sắc nhiệm vụ",
            f"{name} ({place}) nhiều năm liền hoàn thành xuất sắc nhiệm vụ, đi đầu trong cải cách hành "
            "chính và chuyển đổi số, chăm lo đời sống của người lao động.\n\nTập thể có nhiều sáng kiến "
            "được áp dụng rộng rãi, là địa chỉ tin cậy của người dân.",
        )
    headlines = (
        "Tận tụy với công việc, gần dân",
        "Người đi đầu trong đổi mới, sáng tạo",
        "Gương sáng vượt khó vươn lên",
        "Tấm gương học tập và làm theo lời Bác",
    )
    return (
        headlines[index % len(headlines)],
        f"{name} công tác tại {place}. Nhiều năm liền hoàn thành xuất sắc nhiệm vụ, luôn sẵn sàng nhận "
        "việc khó, hướng dẫn đồng nghiệp trẻ.\n\nNhững sáng kiến của đồng chí giúp đơn vị tiết kiệm thời "
        "gian, phục vụ người dân tốt hơn.",
    )


def demo_portal() -> dict[str, int]:
    """Nominate, approve, consent and publish the demo's role models; publish the 2025 decisions."""
    board = User.objects.get(username="chuyenvien")
    officers = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in _SOURCES])}
    units = {u.code: u for u in Unit.objects.filter(code__in=[s[1] for s in _SOURCES])}
    nominated: list[tuple[User, RoleModel, str]] = []
    index = 0
    for username, code, people, collectives in _SOURCES:
        officer, unit = officers[username], units[code]
        subjects: list[Person | Unit] = [*_people(unit, people), *_collectives(unit, collectives)]
        for subject in subjects:
            is_person = isinstance(subject, Person)
            name = subject.full_name if isinstance(subject, Person) else subject.name
            place = subject.unit.name if isinstance(subject, Person) else unit.name
            headline, story = _story(index, name, place, not is_person)
            role_model = services.role_model_nominate(
                actor=officer,
                person=subject if isinstance(subject, Person) else None,
                collective=subject if isinstance(subject, Unit) else None,
                headline=headline,
                story=story,
                year=YEAR,
                photo=_portrait(index, name),
                photo_alt=f"Ảnh của {name}" if is_person else f"Ảnh tập thể {name}",
                contact_phone=f"09{index + 1:08d}",
                contact_email=f"dienhinh{index + 1}@demo.thidua.vn",
                internal_note=f"Ghi chú nội bộ số {index + 1}: hồ sơ gốc lưu tại văn phòng đơn vị.",
            )
            representative = name if is_person else f"Người đại diện {name}"
            nominated.append((officer, role_model, representative))
            index += 1
    # A dozen published and one withdrawn: the last nominated is the one whose consent is withdrawn.
    nominated = nominated[: PUBLISHED + 1]
    for position, (officer, role_model, representative) in enumerate(nominated):
        services.role_model_approve(actor=board, role_model=role_model)
        consent = services.consent_record(
            actor=officer,
            role_model=role_model,
            given_by=representative,
            capacity="Bản thân" if role_model.person_id else "Thủ trưởng đơn vị",
            given_on=CONSENT_DAY,
            purpose=PURPOSE,
        )
        services.role_model_publish(actor=board, role_model=role_model)
        if position < FEATURED:
            services.role_model_feature(actor=board, role_model=role_model, featured=True)
        if position == PUBLISHED:
            services.consent_withdraw(
                actor=officer, consent=consent, note="Người được nêu gương xin rút lại sự đồng ý."
            )
    decisions = 0
    for decision in Decision.objects.filter(date__year=YEAR, published_at__isnull=True).order_by(
        "date", "id"
    ):
        services.decision_publish(actor=board, decision=decision)
        decisions += 1
    return {"role_models": len(nominated), "published_decisions": decisions}
