"""Who is told what at each step of a dossier: an in-app notification always, and an e-mail when a mail
server is configured (sent after the transaction commits, so a rolled-back step tells no one)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import Role, User
from thidua.proposals.access import conflicted
from thidua.proposals.models import DossierState, Notification

logger = logging.getLogger(__name__)


def _unit_staff(dossier: Any) -> list[User]:
    users = User.objects.filter(
        Q(unit=dossier.unit, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD]) | Q(pk=dossier.created_by_id),
        is_active=True,
    )
    return list(users)


def _specialists(authority: Any, dossier: Any = None) -> list[User]:
    """The specialists of the authority; for a dossier, those free of a conflict of interest."""
    users = User.objects.filter(role=Role.BOARD_SPECIALIST, is_active=True, authority=authority)
    if dossier is None:
        return list(users)
    # A specialist from the proposing unit must not handle it, so is not asked to.
    return [u for u in users if not conflicted(u, dossier)]


def _heads(authority: Any) -> list[User]:
    """Who decides for the authority: its chairman, or the head of the unit that is the authority."""
    return list(
        User.objects.filter(
            Q(role=Role.CHAIRMAN, authority=authority) | Q(role=Role.UNIT_HEAD, unit_id=authority.unit_id),
            is_active=True,
        )
    )


def _council(session: Any) -> list[User]:
    return list(User.objects.filter(council_seats__attendance__session=session, is_active=True).distinct())


def send(users: Iterable[User], text: str, dossier: Any = None, session: Any = None, link: str = "") -> int:
    """Tell each user once; `link` is the page of an object that is neither a dossier nor a session."""
    unique = {u.pk: u for u in users}
    Notification.objects.bulk_create(
        [
            Notification(user=u, dossier=dossier, session=session, link=link, text=text[:500])
            for u in unique.values()
        ]
    )
    if settings.EMAIL_HOST:
        # The same page the in-app notice opens.
        target = Notification(dossier=dossier, session=session, link=link).target_url
        link = settings.THIDUA_SITE_URL.rstrip("/") + target if target else ""
        messages = [
            (_("[Thi đua] {text}").format(text=text[:120]), f"{text}\n\n{link}".strip(), None, [u.email])
            for u in unique.values()
            if u.email
        ]
        if messages:
            transaction.on_commit(lambda: _mail(messages))
    return len(unique)


def _mail(messages: list[tuple[str, str, None, list[str]]]) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    # The step itself is committed; a mail server that is down must not undo it, but it is logged.
    except OSError:
        logger.exception("Không gửi được thư thông báo (%d thư)", len(messages))


_TEXTS = {
    DossierState.SUBMITTED: gettext_lazy("Hồ sơ {code} của {unit} đã được trình, chờ tiếp nhận"),
    DossierState.RECEIVED: _("Hồ sơ {code} đã được tiếp nhận, đang thẩm định"),
    DossierState.RETURNED: _("Hồ sơ {code} bị trả lại để bổ sung: {comment}"),
    DossierState.APPRAISED: _("Hồ sơ {code} đã thẩm định xong"),
    DossierState.COUNCIL: _("Hồ sơ {code} được đưa ra Hội đồng Thi đua – Khen thưởng"),
    DossierState.DECIDED: _("Hồ sơ {code} đã có quyết định khen thưởng: {comment}"),
    DossierState.FORWARDED: _("Hồ sơ {code} đã được trình cấp trên: {comment}"),
    DossierState.REJECTED: _("Hồ sơ {code} không được chấp thuận: {comment}"),
    DossierState.WITHDRAWN: _("Hồ sơ {code} đã được đơn vị rút: {comment}"),
}


def clear(**about: Any) -> int:
    """Notices about an object that has moved on no longer wait for anyone: they leave the bell's count
    (and stay in the list, read)."""
    return Notification.objects.filter(read_at__isnull=True, **about).update(read_at=timezone.now())


def transition(dossier: Any, entry: Any) -> int:
    clear(dossier=dossier)
    template = _TEXTS.get(entry.target)
    if template is None:
        return 0
    text = str(template).format(code=dossier.code, unit=dossier.unit.name, comment=entry.comment)
    audience = _unit_staff(dossier)
    if entry.target in (DossierState.SUBMITTED, DossierState.WITHDRAWN):
        audience += _specialists(dossier.authority, dossier)
    if entry.target == DossierState.APPRAISED:
        audience += _heads(dossier.authority)
    audience = [u for u in audience if u.pk != entry.actor_id]
    return send(audience, text, dossier)


# A session's title is free text and usually begins with "Phiên họp" itself: the texts put it after a
# colon, so they never read "Phiên họp Phiên họp …".
def session_opened(session: Any) -> int:
    text = _("Mời dự họp Hội đồng Thi đua – Khen thưởng ngày {date}: {title}").format(
        title=session.title, date=session.date.strftime("%d/%m/%Y")
    )
    return send(_council(session), text, session=session)


def session_closed(session: Any) -> int:
    clear(session=session)
    text = _("Hội đồng đã họp xong, kết quả bỏ phiếu đã khóa: {title}").format(title=session.title)
    return send([*_heads(session.authority), *_specialists(session.authority)], text, session=session)


def revoked(line: Any, reason: str) -> int:
    text = _("Hủy bỏ khen thưởng của {name} (hồ sơ {code}): {reason}").format(
        name=line.recipient, code=line.dossier.code, reason=reason
    )
    authority = line.dossier.authority
    return send([*_unit_staff(line.dossier), *_specialists(authority)], text, line.dossier)


def public_comment(comment: Any) -> int:
    line = comment.nominee
    text = _("Có ý kiến Nhân dân về {name} (hồ sơ {code})").format(
        name=line.recipient, code=line.dossier.code
    )
    return send(_specialists(line.dossier.authority, line.dossier), text, line.dossier)
