"""Logging filters of the product."""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    """A refused request (403, 404, ...) is the user's answer, not the server's fault: log it as one line,
    without the traceback Django attaches to PermissionDenied, so real errors stand out in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
