"""Rows and files for the import tests, built in memory."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from thidua.imports.templates_spec import generate_awards_workbook, generate_people_workbook

__all__ = ["award_row", "generate_awards_workbook", "generate_people_workbook", "person_row", "raw_workbook"]


def person_row(unit_code: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "family_name": "Phạm",
        "middle_name": "Minh",
        "given_name": "Tuấn",
        "gender": "Nam",
        "birth_date": "12/05/1985",
        "ethnicity": "",
        "identity_number": "001085000123",
        "unit_code": unit_code,
        "position": "Chuyên viên",
        "category": "Công chức",
    }
    row.update(overrides)
    return row


def award_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "recipient_kind": "Cá nhân",
        "identity_number": "012345678901",
        "full_name": "Nguyễn Văn Đức",
        "award": "LDTT",
        "year": 2023,
        "commendation_kind": "Công trạng",
        "decision_number": "15/QĐ-UBND",
        "decision_date": "10/01/2024",
        "issuing_authority": "UBND tỉnh Lai Châu",
        "signer_name": "Lê Văn Lương",
        "signer_title": "Chủ tịch",
        "reason": "Hoàn thành xuất sắc nhiệm vụ",
        "bonus_amount": "1.500.000",
    }
    row.update(overrides)
    return row


def raw_workbook(rows: list[list[Any]], title: str = "Sheet") -> bytes:
    """A workbook with exactly these rows, header included, for files that do not follow a template."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
