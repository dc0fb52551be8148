"""The cells of an .xlsx as its XML holds them: whether Excel would read a cell as a formula or as text.

Reading the file back with openpyxl would not do: it turns a formula and a string that looks like one into
the same value.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
# ECMA-376 ST_Xstring: a character XML cannot carry (a carriage return, say) is written _xHHHH_, and Excel
# reads it back as that character.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


PAYLOAD = '=HYPERLINK("http://x","y")'


@dataclass(frozen=True)
class XmlCell:
    sheet: str
    ref: str
    type: str  # the `t` attribute: "s", "inlineStr", "str" (a formula's result), "n", "b", ...
    text: str
    formula: bool
    quote_prefix: bool


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def xml_cells(body: bytes) -> list[XmlCell]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)
        ]
    quoted: list[bool] = []
    if "xl/styles.xml" in names:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", NS)
        quoted = [xf.get("quotePrefix") in ("1", "true") for xf in (xfs if xfs is not None else [])]
    cells = []
    for name in sorted(n for n in names if n.startswith("xl/worksheets/sheet")):
        root = ElementTree.fromstring(archive.read(name))
        for c in root.iter(f"{{{NS['m']}}}c"):
            kind = c.get("t", "n")
            value = c.find("m:v", NS)
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
            elif kind == "s" and value is not None and value.text is not None:
                text = shared[int(value.text)]
            else:
                text = value.text or "" if value is not None else ""
            text = _unescape(text)
            formula = c.find("m:f", NS)
            if formula is not None:
                text = "=" + (formula.text or "")
            style = int(c.get("s", "0"))
            cells.append(
                XmlCell(
                    sheet=name,
                    ref=c.get("r", ""),
                    type=kind,
                    text=text,
                    formula=formula is not None,
                    quote_prefix=style < len(quoted) and quoted[style],
                )
            )
    return cells


def cells_holding(body: bytes, needle: str) -> list[XmlCell]:
    """The cells whose text holds `needle`; a formula counts with its leading "=" put back."""
    return [c for c in xml_cells(body) if needle in c.text]


def assert_written_as_text(body: bytes, needle: str = PAYLOAD, *, count: int | None = None) -> list[XmlCell]:
    """Every cell holding `needle` is a string Excel keeps as text, even when the cell is edited; no cell
    of the file is a formula."""
    everything = xml_cells(body)
    assert [c for c in everything if c.formula] == []
    found = [c for c in everything if needle in c.text]
    assert found, f"no cell holds {needle!r}"
    if count is not None:
        assert len(found) == count, found
    for cell in found:
        assert cell.type in ("s", "inlineStr") and cell.quote_prefix, cell
    return found
