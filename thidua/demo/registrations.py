"""Emulation registrations (đăng ký thi đua) in the demo province, written through the real services by
the demo users after the movements are launched:

- 2025: Sở Y tế and both communes registered their collective and people and were approved, Bản Bo after
  the deadline;
- 2026: Sở Y tế's registration waits for the Board; Bình Lư's, with its pledge to the new-rural-areas
  movement, was returned for correction; Bản Bo's is still a draft past the deadline.

As for the movements, the steps of past dates are dated to when an office would have taken them; only
timestamps are changed.
"""

from __future__ import annotations

import datetime as dt

from thidua.accounts.models import User
from thidua.demo import data as D
from thidua.demo.clock import date_last_step, moment
from thidua.movements.models import Movement
from thidua.organisation.models import Person, Unit
from thidua.registrations import services
from thidua.registrations.models import Registration, RegistrationTransition

_HEALTH = "LC.SYT"
_COMMUNE_1, _COMMUNE_2 = D.WORKFLOW_COMMUNES
_STAFF = {
    _HEALTH: ("canbo", "thutruong"),
    _COMMUNE_1: ("canboxa1", "chutichxa1"),
    _COMMUNE_2: ("canboxa2", "chutichxa2"),
}


def _date_last_step(registration: Registration, on: dt.date, *fields: str, hour: int = 9) -> None:
    date_last_step(registration, RegistrationTransition, "registration", moment(on, hour), *fields)


def _drafted(users: dict[str, User], unit: Unit, year: int, stars: int) -> Registration:
    """The unit's registration: its collective for Tập thể lao động tiên tiến, every active person for
    Lao động tiên tiến, and its first `stars` people (by name) for Chiến sĩ thi đua cơ sở."""
    officer = users[_STAFF[unit.code][0]]
    registration = services.demo_register(unit=unit, year=year, actor=officer)
    leaders = Person.objects.filter(unit=unit, is_active=True).order_by("sort_key")[:stars]
    if leaders:
        services.people_set(
            actor=officer, registration=registration, titles={p.pk: "CSTDCS" for p in leaders}
        )
    return Registration.objects.get(pk=registration.pk)


def _sent(users: dict[str, User], registration: Registration, on: dt.date) -> Registration:
    head = users[_STAFF[registration.unit.code][1]]
    services.registration_submit(actor=head, registration=registration)
    _date_last_step(registration, on, "first_submitted_at", "submitted_at")
    return Registration.objects.get(pk=registration.pk)


def demo_registrations() -> int:
    """Register the demo's units for 2025 and 2026; returns how many registrations were written."""
    names = {"chuyenvien", *(name for pair in _STAFF.values() for name in pair)}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    units = {u.code: u for u in Unit.objects.filter(code__in=_STAFF)}
    board = users["chuyenvien"]
    written = 0
    for code, sent_on in ((_HEALTH, dt.date(2025, 2, 20)), (_COMMUNE_1, dt.date(2025, 3, 12))):
        registration = _sent(users, _drafted(users, units[code], 2025, stars=2), sent_on)
        services.registration_approve(actor=board, registration=registration)
        _date_last_step(registration, sent_on + dt.timedelta(days=6), "reviewed_at", hour=15)
        written += 1
    late = _sent(users, _drafted(users, units[_COMMUNE_2], 2025, stars=1), dt.date(2025, 4, 14))
    services.registration_approve(actor=board, registration=late)
    _date_last_step(late, dt.date(2025, 4, 18), "reviewed_at", hour=15)
    written += 1

    _sent(users, _drafted(users, units[_HEALTH], 2026, stars=3), dt.date(2026, 3, 20))
    rural = Movement.objects.filter(start_date=dt.date(2026, 1, 1), kind="thematic").first()
    commune = _drafted(users, units[_COMMUNE_1], 2026, stars=1)
    if rural is not None:
        services.pledge_save(
            actor=users[_STAFF[_COMMUNE_1][0]],
            registration=commune,
            movement=rural,
            text="Phấn đấu đạt thêm 03 tiêu chí nông thôn mới, giảm tỷ lệ hộ nghèo xuống dưới 5% trong năm.",
        )
    commune = _sent(users, commune, dt.date(2026, 3, 25))
    services.registration_return(
        actor=board,
        registration=commune,
        reason="Danh sách cá nhân còn 02 người đã nghỉ hưu; đề nghị rà soát lại trước khi gửi.",
    )
    _date_last_step(commune, dt.date(2026, 3, 30), "reviewed_at", hour=15)
    _drafted(users, units[_COMMUNE_2], 2026, stars=0)
    return written + 3
