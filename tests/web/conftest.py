from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


def read_xlsx(response: Any) -> list[list[Any]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
