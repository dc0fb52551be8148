"""The data version: one token that every change the staff dashboards show replaces.

`audit_append` bumps it for every audit row except the few that record a reading (an export asked for or
expired), and the ballot, which writes no audit row, bumps it itself. A dashboard kept in the cache under an
older token is never served again (thidua.core.selectors.dashboard_overview). The bump is an UPDATE of one
row inside the writer's transaction, which the audit chain's lock already serialises, so it adds no wait.
"""

from __future__ import annotations

import uuid

from thidua.core.models import DataVersion, VersionToken

# Audit actions that record a reading or a file's life, not a change of what a dashboard counts or lists:
# exports are asked for every few seconds under load and would otherwise retire every dashboard each time.
READ_ACTIONS = frozenset({"export_queue", "export_expire"})


def token_of(model: type[VersionToken]) -> str:
    """The token of a one-row version table (this one, or the portal's), made on first use."""
    token = model._default_manager.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        token = model._default_manager.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})[0].token
    return token


def token_replace(model: type[VersionToken]) -> None:
    """A new random token in a one-row version table; called inside the change's transaction."""
    token = uuid.uuid4().hex
    if not model._default_manager.filter(pk=1).update(token=token):
        model._default_manager.get_or_create(pk=1, defaults={"token": token})


def current() -> str:
    return token_of(DataVersion)


def bump() -> None:
    """Retire every cached dashboard; called inside the transaction of the change."""
    token_replace(DataVersion)
