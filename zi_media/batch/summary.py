"""The batch's own files, one row per unit and one column per requirement: summary.xlsx (the
evaluator's sheet: coloured, filtered, frozen header, a link to each unit's report),
summary.csv (UTF-8 with BOM, so Excel reads it as such), summary.json and index.html (the
same matrix, sortable and filterable in the browser)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from ..files import atomic_path, json_text, write_atomic
from ..report.html import render_index
from ..report.i18n import label
from ..types import BatchRow, Cell

ROW_FIELDS = [f.name for f in fields(BatchRow) if f.name != "cells"]
COUNTS = ("met", "not_met", "warnings")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
# Excel's own good/neutral/bad
FILLS = {"met": "C6EFCE", "warning": "FFEB9C", "incomplete": "FFEB9C", "not_met": "FFC7CE", "error": "D9D9D9"}
UNIT_WIDTH, STATUS_WIDTH = 32, 14  # column widths, in characters


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted
    ("'=HYPERLINK(...)"), so a unit folder's name can never run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def columns(rows: Sequence[BatchRow]) -> dict[str, str]:
    """The requirement columns (key -> header), in the order the reports list them."""
    found: dict[str, str] = {}
    for r in rows:
        for c in r.cells:
            found.setdefault(c.key, c.title)
    return found


def _status(c: Cell | None, lang: str) -> str:
    if c is None:
        return ""
    return label(f"status.{c.status}", lang) + ("*" if c.machine else "")


def _csv(rows: Sequence[BatchRow], keys: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([*ROW_FIELDS, *keys])
    for r in rows:
        by_key = {c.key: c for c in r.cells}
        statuses = [(f"{c.status} (machine: {c.machine}; {c.note})" if c.machine else c.status) if c else ""
                    for c in map(by_key.get, keys)]
        writer.writerow([cell(getattr(r, f)) for f in ROW_FIELDS] + [cell(s) for s in statuses])
    return "\ufeff" + buf.getvalue()  # the BOM: Excel reads the file as UTF-8, not as ANSI


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("?", value)  # control characters cannot be stored in xlsx


def _xlsx(rows: Sequence[BatchRow], heads: dict[str, str], lang: str, path: Path) -> None:
    from openpyxl import Workbook  # imported here: it brings numpy, which `--help` must not wait for
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = label("summary_sheet", lang)
    header = [label("unit", lang), label("verdict", lang), *(label(f"count.{k.rstrip('s')}", lang) for k in COUNTS),
              *heads.values(), label("error", lang)]
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    for i, r in enumerate(rows, start=2):
        by_key = {c.key: c for c in r.cells}
        ws.append([_text(r.unit), label(f"verdict.{r.verdict}", lang), *(getattr(r, k) for k in COUNTS),
                   *(_status(by_key.get(k), lang) for k in heads), _text(r.error)])
        unit = ws.cell(i, 1)
        unit.data_type = "s"  # a folder named "=HYPERLINK(...)" stays text, never a formula
        if r.html:
            unit.hyperlink = r.html
            unit.style = "Hyperlink"
        ws.cell(i, 2).fill = fills["error" if r.verdict == "error" else r.verdict]
        for j, k in enumerate(heads, start=2 + len(COUNTS) + 1):
            if (found := by_key.get(k)) is not None:
                ws.cell(i, j).fill = fills[found.status]
                if found.machine:
                    note = f"{label('overridden', lang, machine=label(f'status.{found.machine}', lang))}: {found.note}"
                    ws.cell(i, j).comment = Comment(_text(note), "zi-media")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    ws.column_dimensions["A"].width = UNIT_WIDTH
    for j in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = STATUS_WIDTH
    with atomic_path(path) as tmp:
        wb.save(tmp)


def write_summaries(rows: Sequence[BatchRow], out: Path, lang: str) -> None:
    """Every summary file of the rows so far, each written whole or not at all."""
    rows = sorted(rows, key=lambda r: r.unit)
    heads = columns(rows)
    write_atomic(out / "summary.csv", _csv(rows, list(heads)))
    write_atomic(out / "summary.json", json_text([asdict(r) for r in rows]))
    _xlsx(rows, heads, lang, out / "summary.xlsx")
    write_atomic(out / "index.html", render_index(rows, heads, lang))
