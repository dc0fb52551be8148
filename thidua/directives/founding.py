"""The founding directive (Chỉ thị 02/CT-UBND ngày 06/3/2014 của UBND tỉnh Lai Châu, the product's seed) as a
plan to follow: its nine items as tasks, summarised in our own words, assigned to the bodies it names, mapped
to the units of the province where they exist.

The directive names no report dates; every item is reported yearly by 15/11 (the date the product's example
uses, ahead of the year-end review) from `start_year`, except item 2, the year's own programme and plan,
reported by 31/03. These dates are the demo's, not the text's.

`load_founding_directive` is for the demo (it is not wired there yet); run again, it returns the directive
already loaded and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from thidua.accounts.models import User
from thidua.directives import services
from thidua.directives.models import Directive, DirectiveKind, Recurrence
from thidua.directives.workflow import DirectiveState
from thidua.organisation.models import Authority, Unit, UnitKind

NUMBER = "02/CT-UBND"
ISSUED_ON = dt.date(2014, 3, 6)
TITLE = (
    "Về việc đẩy mạnh các phong trào thi đua yêu nước thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã "
    "hội, "
    "đảm bảo quốc phòng - an ninh năm 2014 và chào mừng kỷ niệm 10 năm chia tách, thành lập tỉnh"
)
SUMMARY = (
    "UBND tỉnh yêu cầu thủ trưởng các sở, ban, ngành, đoàn thể tỉnh và chủ tịch UBND cấp huyện (nay là cấp "
    "xã) "
    "đẩy mạnh phong trào thi đua với tiêu chí cụ thể, định lượng; tuyên truyền, nhân rộng điển hình; kiện "
    "toàn "
    "Hội đồng Thi đua – Khen thưởng các cấp; giao Ban Thi đua – Khen thưởng (Sở Nội vụ) theo dõi, đôn đốc, "
    "kiểm tra và báo cáo việc thực hiện."
)


@dataclass(frozen=True)
class Item:
    number: str
    text: str
    lead: str
    coordinating: tuple[str, ...]
    expected_report: str
    day: int = 15
    month: int = 11


# The bodies: "snv" Sở Nội vụ, "board" its Ban (Phòng) Thi đua – Khen thưởng, "departments" the
# departments, boards and sectors, "mass" the mass organisations, "front" the Fatherland Front, "media"
# the provincial newspaper and radio-television, "communes" the communes and wards.
ITEMS: tuple[Item, ...] = (
    Item(
        "1",
        "Quán triệt tư tưởng Hồ Chí Minh về thi đua ái quốc, Luật Thi đua, Khen thưởng và các văn bản hướng "
        "dẫn "
        "đến từng cơ quan, đơn vị, cá nhân, để thi đua trở thành việc tự giác của mỗi cấp, mỗi ngành.",
        "snv",
        ("departments", "mass", "communes"),
        "Các hình thức quán triệt đã tổ chức, số cuộc, số người tham dự.",
    ),
    Item(
        "2",
        "Mỗi cơ quan, đơn vị, địa phương tự xây dựng chương trình, kế hoạch thi đua của năm bám sát nhiệm vụ "
        "trọng tâm, với tiêu chí thi đua cụ thể, rõ ràng, định lượng được.",
        "snv",
        ("departments", "communes"),
        "Kế hoạch thi đua năm đã ban hành (đính kèm), các tiêu chí định lượng.",
        day=31,
        month=3,
    ),
    Item(
        "3",
        "Tuyên truyền, phát hiện và nhân rộng gương điển hình tiên tiến; làm tốt sơ kết, tổng kết phong "
        "trào và "
        "tổ chức trao tặng khen thưởng trang trọng, tiết kiệm.",
        "board",
        ("departments", "communes", "media"),
        "Số điển hình được biểu dương, nhân rộng; các hội nghị sơ kết, tổng kết đã tổ chức.",
    ),
    Item(
        "4",
        "Nâng cao trách nhiệm của cấp ủy, chính quyền, đoàn thể và người đứng đầu trong tổ chức phong trào; "
        "các khối thi đua hoàn thiện quy chế, tiêu chí và đổi mới sinh hoạt chuyên đề.",
        "snv",
        ("departments", "mass"),
        "Quy chế, tiêu chí của khối thi đua; các buổi sinh hoạt chuyên đề của khối.",
    ),
    Item(
        "5",
        "Rà soát, kiện toàn Hội đồng Thi đua – Khen thưởng các cấp, ban hành quy chế hoạt động và tăng cường "
        "kiểm tra, giám sát công tác thi đua, khen thưởng ở cơ sở.",
        "snv",
        ("departments", "communes"),
        "Quyết định kiện toàn Hội đồng, quy chế hoạt động, số cuộc kiểm tra và kiến nghị sau kiểm tra.",
    ),
    Item(
        "6",
        "Đổi mới công tác khen thưởng, chú trọng người trực tiếp lao động, sản xuất, công tác; tập huấn, bồi "
        "dưỡng nghiệp vụ thi đua, khen thưởng cho cán bộ làm công tác này.",
        "board",
        ("departments", "communes"),
        "Tỷ lệ khen thưởng người trực tiếp lao động; số lớp tập huấn và số người được tập huấn.",
    ),
    Item(
        "7",
        "Các cơ quan thông tin đại chúng mở chuyên trang, chuyên mục về thi đua, khen thưởng, đưa tin về "
        "gương "
        "người tốt, việc tốt và các phong trào thi đua của tỉnh.",
        "media",
        ("board",),
        "Số chuyên trang, chuyên mục, tin bài đã đăng, phát.",
    ),
    Item(
        "8",
        "Ủy ban Mặt trận Tổ quốc và các đoàn thể tỉnh tuyên truyền để đoàn viên, hội viên tham gia phong "
        "trào "
        "thi đua, phối hợp với cấp ủy, chính quyền trong các hoạt động kỷ niệm.",
        "front",
        ("mass",),
        "Các hoạt động tuyên truyền, phối hợp đã thực hiện trong năm.",
    ),
    Item(
        "9",
        "Ban Thi đua – Khen thưởng (Sở Nội vụ) hướng dẫn, đôn đốc, theo dõi việc thực hiện chỉ thị; cùng "
        "thành "
        "viên Hội đồng tỉnh kiểm tra, báo cáo thường xuyên và thẩm định thành tích để khen thưởng kịp thời.",
        "board",
        ("snv",),
        "Báo cáo tổng hợp kết quả thực hiện chỉ thị của các cơ quan, đơn vị, địa phương.",
    ),
)


def _bodies(authority: Authority) -> dict[str, list[Unit]]:
    below = list(services.units_below(authority).order_by("path"))
    snv = [u for u in below if u.name.strip().lower() == "sở nội vụ"]
    board = [
        u
        for u in below
        if snv
        and u.parent_id == snv[0].pk
        and "thi đua" in u.name.lower()
        and "khen thưởng" in u.name.lower()
    ]
    mass = [u for u in below if u.kind == UnitKind.MASS_ORGANISATION]
    front = [u for u in mass if "mặt trận" in u.name.lower()]
    media = [
        u
        for u in below
        if u.parent_id == authority.unit_id
        and (u.name.lower().startswith("báo") or "phát thanh" in u.name.lower())
    ]
    departments = [
        u
        for u in below
        if u.parent_id == authority.unit_id
        and u.kind in (UnitKind.DEPARTMENT, UnitKind.BOARD, UnitKind.SECTOR)
        and u not in snv
        and u not in media
    ]
    communes = [u for u in below if u.kind in (UnitKind.COMMUNE, UnitKind.WARD)]
    own = [authority.unit]
    return {
        "snv": snv or own,
        "board": board or snv or own,
        "mass": [u for u in mass if u not in front],
        "front": front or mass[:1],
        "media": media,
        "departments": departments,
        "communes": communes,
    }


@transaction.atomic
def load_founding_directive(
    *,
    actor: User,
    authority: Authority,
    start_year: int = 2024,
    end_year: int | None = None,
    issue: bool = True,
) -> Directive:
    """The seed directive as a plan of `authority`, created by `actor` (its specialist), issued unless
    `issue` is False. Items whose lead body the province lacks go to the next body named (the Board, then
    the authority's own unit); bodies it lacks among the coordinating ones are left out."""
    existing = Directive.objects.filter(authority=authority, number=NUMBER, issued_on=ISSUED_ON).first()
    if existing is not None:
        return existing
    directive = services.directive_create(
        actor=actor,
        authority=authority,
        kind=DirectiveKind.DIRECTIVE,
        number=NUMBER,
        issued_on=ISSUED_ON,
        title=TITLE,
        summary=SUMMARY,
    )
    bodies = _bodies(authority)
    for item in ITEMS:
        leads = bodies[item.lead] or bodies["board"]
        coordinating = [u for key in item.coordinating for u in bodies[key] if u.pk != leads[0].pk]
        services.task_add(
            actor=actor,
            directive=directive,
            item=item.number,
            text=item.text,
            lead_unit=leads[0],
            coordinating_units=coordinating,
            recurrence=Recurrence.YEARLY,
            due_day=item.day,
            due_month=item.month,
            start_year=start_year,
            end_year=end_year,
            expected_report=item.expected_report,
        )
    if issue:
        directive = services.directive_step(actor=actor, directive=directive, action="issue")
    assert directive.state in (DirectiveState.DRAFT, DirectiveState.ISSUED)
    return directive
