"""What happens on a login and on a lock-out."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from thidua.accounts import two_factor
from thidua.accounts.middleware import LAST_ACTIVITY_KEY


@receiver(user_logged_in)
def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_ACTIVITY_KEY] = time.time()
    if not two_factor.otp_required(user) and not two_factor.has_device(user):
        request.session[two_factor.FREE_SESSION_KEY] = user.pk


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    # Someone is guessing this account's password: the keys it handed out stop working too, in case
    # the guessing is the tail of a larger leak.
    from thidua.accounts.models import User
    from thidua.accounts.tokens import tokens_revoke_all

    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        tokens_revoke_all(actor=None, user=user, reason="lockout")
