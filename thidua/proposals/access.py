"""Who acts for which deciding authority. A role is held within an authority: the specialist who
appraises, the Council members who vote and the head who decides for the province are not those of
Sở Y tế. No account flag (the administrator's superuser included) stands in for a role."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from thidua.accounts.models import Role
from thidua.accounts.scope import works_in
from thidua.core.errors import Forbidden
from thidua.organisation.models import Authority


def headed_authority(user: Any) -> Authority | None:
    """The authority whose head this user is by office: the chairman of the authority the account
    serves, or the head of a unit that is itself an authority (the director of Sở Y tế)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.CHAIRMAN:
        return user.authority  # type: ignore[no-any-return]
    if user.role != Role.UNIT_HEAD or not user.unit_id:
        return None
    # A page asks this several times (its buttons, the menu, the to-do list): one query per request's
    # user object, asked again if the account's unit changes.
    cached = getattr(user, "_headed", None)
    if cached is None or cached[0] != user.unit_id:
        found = Authority.objects.filter(unit_id=user.unit_id, is_active=True).select_related("unit").first()
        cached = user._headed = (user.unit_id, found)
    return cached[1]  # type: ignore[no-any-return]


def is_head(user: Any, authority: Authority) -> bool:
    found = headed_authority(user)
    return found is not None and found.pk == authority.pk


def serves(user: Any, authority: Authority, *roles: str) -> bool:
    """The user holds one of `roles` within `authority`."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in roles
        and user.authority_id == authority.pk
    )


def require_serves(user: Any, authority: Authority, *roles: str) -> None:
    if user.role not in roles:
        raise Forbidden(_("Vai trò của bạn không được thực hiện thao tác này."), "role_not_allowed")
    if user.authority_id != authority.pk:
        raise Forbidden(
            _("Việc này thuộc {name}; tài khoản của bạn làm việc cho cấp khác.").format(name=authority.name),
            "other_authority",
        )


def require_specialist(user: Any, authority: Authority) -> None:
    """The authority's specialist: the role the workflow table gives its appraisal steps."""
    from thidua.proposals.workflow import BY_NAME

    require_serves(user, authority, *BY_NAME["receive"].roles)


def conflicted(user: Any, dossier: Any) -> bool:
    """The user works in the proposing unit (or one of its sub-units): a conflict of interest. Not when
    the unit proposes to its own authority: a department's Council and specialist all work in it, and
    the law gives its head the decision (Luật Thi đua, khen thưởng 2022, Điều 80 khoản 1)."""
    return dossier.unit_id != dossier.authority.unit_id and works_in(user, dossier.unit)


def council_authority_ids(user: Any) -> set[int]:
    """The authorities whose Council business the user sees: the one the role is held in, those where
    the user has a seat, and the one the user heads."""
    if not getattr(user, "is_authenticated", False):
        return set()
    from thidua.proposals.models import CouncilMember

    ids: set[int] = set()
    if user.role_authority is not None:
        ids.add(user.role_authority.pk)
    ids.update(CouncilMember.objects.filter(user=user).values_list("authority_id", flat=True))
    headed = headed_authority(user)
    if headed is not None:
        ids.add(headed.pk)
    return ids


def handles_for_authority(user: Any, dossier: Any) -> bool:
    """The user works for the authority the dossier is addressed to (its specialist, a Council member,
    its chairman or head), or sees the whole province: who reads the appraisal report and the Board's
    notes on a dossier."""
    if getattr(user, "is_province_wide", False):
        return True
    authority = getattr(user, "role_authority", None)
    return (authority is not None and authority.pk == dossier.authority_id) or is_head(
        user, dossier.authority
    )
