"""The batch's own files, one row per unit and one column per requirement: summary.xlsx (the
evaluator's sheet: coloured, filtered, frozen header, a link to each unit's report),
summary.csv (UTF-8 with BOM, so Excel reads it as such), summary.json and index.html (the
same matrix, sortable and filterable in the browser)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from ..files import atomic_path, json_text, write_atomic
from ..profiles import Profile
from ..report.common import column_groups, failing_units
from ..report.html import render_index
from ..report.i18n import label
from ..timefmt import checked_now
from ..types import BatchRow, Cell
from ..version import __version__

ROW_FIELDS = [f.name for f in fields(BatchRow) if f.name != "cells"]
COUNTS = ("met", "not_met", "warnings")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
# Excel's own good/neutral/bad
FILLS = {"met": "C6EFCE", "warning": "FFEB9C", "incomplete": "FFEB9C", "not_met": "FFC7CE", "error": "D9D9D9",
         "unchecked": "EDEDED"}
UNIT_WIDTH, STATUS_WIDTH, WHY_WIDTH = 28, 13, 48  # column widths, in characters
HEADER_LINES = 5  # a short requirement name wraps onto at most this many lines


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted
    ("'=HYPERLINK(...)"), so a unit folder's name can never run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def columns(rows: Sequence[BatchRow]) -> list[Cell]:
    """The requirement columns, one cell each to name it (key, title, group), in the order
    the reports list them."""
    found: dict[str, Cell] = {}
    for r in rows:
        for c in r.cells:
            found.setdefault(c.key, c)
    return list(found.values())


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


def _xlsx(rows: Sequence[BatchRow], cols: Sequence[Cell], lang: str, about: Mapping[str, str], path: Path) -> None:
    """The evaluator's sheet: two header rows (what the requirement belongs to, merged; its
    short name, wrapped, the full title in a comment), the unit column and the headers frozen,
    a reason in each failed cell's comment and a "why" column, unchecked cells filled and
    labelled, a count of failing units under each column, A4 landscape with the headers and the
    unit column repeated on every page; a legend sheet with the check's date, profile and tool."""
    from openpyxl import Workbook  # imported here: it brings numpy, which `--help` must not wait for
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = label("summary_sheet", lang)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    line = Border(bottom=Side("thin", color="808080"))
    fixed = [label("unit", lang), label("verdict", lang), label("why", lang),
             *(label(f"count.{k.rstrip('s')}", lang) for k in COUNTS)]
    first = len(fixed) + 1  # the first requirement column
    for j, head in enumerate(fixed, start=1):
        ws.cell(1, j, head).font = bold
        ws.merge_cells(start_row=1, start_column=j, end_row=2, end_column=j)
    for j, c in enumerate(cols, start=first):
        short = ws.cell(2, j, _text(c.name))
        short.font, short.alignment, short.border = bold, centre, line
        short.comment = Comment(_text(c.title), "zi-media")
    j = first
    for group, n in column_groups(cols):  # each part's title over its columns
        ws.cell(1, j, _text(group)).font = bold
        ws.cell(1, j).alignment = centre
        if n > 1:
            ws.merge_cells(start_row=1, start_column=j, end_row=1, end_column=j + n - 1)
        j += n
    ws.cell(1, first + len(cols), label("error", lang)).font = bold
    ws.merge_cells(start_row=1, start_column=first + len(cols), end_row=2, end_column=first + len(cols))
    unchecked = PatternFill("solid", fgColor=FILLS["unchecked"])
    for i, r in enumerate(rows, start=3):
        by_key = {c.key: c for c in r.cells}
        why = "\n".join(_reason(c) for c in r.cells if c.status == "not_met")
        named = " \u2014 ".join(x for x in (r.title, r.region) if x)  # the full name and region, when given
        values = [_text(f"{r.unit}\n{named}" if named else r.unit), label(f"verdict.{r.verdict}", lang),
                  _text(why or r.error), *(getattr(r, k) for k in COUNTS)]
        for j, value in enumerate(values, start=1):
            ws.cell(i, j, value).alignment = wrap
        unit = ws.cell(i, 1)
        unit.data_type = "s"  # a folder named "=HYPERLINK(...)" stays text, never a formula
        if r.html:
            unit.hyperlink = r.html
            unit.style = "Hyperlink"
            unit.alignment = wrap
        ws.cell(i, 2).fill = fills["error" if r.verdict == "error" else r.verdict]
        for j, col in enumerate(cols, start=first):
            target = ws.cell(i, j)
            target.alignment = centre
            if (found := by_key.get(col.key)) is None:
                target.value, target.fill = label("unchecked", lang), unchecked
                target.font = Font(italic=True, color="595959")
                continue
            target.value, target.fill = _status(found, lang), fills[found.status]
            notes = [found.why] if found.why else []
            if found.machine:
                notes.append(f"{label('overridden', lang, machine=label(f'status.{found.machine}', lang))}: "
                             f"{found.note}")
            if notes:
                target.comment = Comment(_text("\n".join(notes)), "zi-media", width=320, height=120)
        ws.cell(i, first + len(cols), _text(r.error)).alignment = wrap
    total = len(rows) + 3
    ws.cell(total, 1, label("count.failing_units", lang)).font = bold
    for j, col in enumerate(cols, start=first):
        ws.cell(total, j, len(failing_units(rows, col.key))).font = bold
        ws.cell(total, j).alignment = centre
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{get_column_letter(first + len(cols))}{len(rows) + 2}"
    ws.row_dimensions[2].height = 15 * HEADER_LINES
    widths = {1: UNIT_WIDTH, 2: STATUS_WIDTH, 3: WHY_WIDTH}
    for j in range(1, first + len(cols) + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, STATUS_WIDTH if j < first + len(cols)
                                                                      else WHY_WIDTH)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:2"
    ws.print_title_cols = "A:A"
    page_top, page_foot = ws.oddHeader, ws.oddFooter
    assert page_top is not None and page_foot is not None and page_top.center is not None \
        and page_foot.left is not None and page_foot.right is not None
    page_top.center.text = label("summary_title", lang)
    page_foot.left.text = " · ".join(about.values())
    page_foot.right.text = "&P / &N"
    _legend(wb.create_sheet(label("legend_sheet", lang)), cols, lang, about)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _reason(c: Cell) -> str:
    """Why a cell failed, in a line: the finding's message, after the file's kind for a file's
    requirement (a unit's own messages name what they are about)."""
    said = c.why or c.title
    return said if "." not in c.key else f"{c.group}: {said}"


def _legend(ws: Any, cols: Sequence[Cell], lang: str, about: Mapping[str, str]) -> None:
    """What the sheet was made from, what its marks mean, and every column's full title."""
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    for key, value in about.items():
        ws.append([label(f"about.{key}", lang), value])
    ws.append([])
    ws.append([label("legend_sheet", lang)])
    ws.cell(ws.max_row, 1).font = bold
    for status in ("met", "warning", "not_met", "unchecked"):
        shown = label("unchecked", lang) if status == "unchecked" else label(f"status.{status}", lang)
        ws.append([shown, label(f"legend.{status}", lang)])
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=FILLS[status])
    ws.append([f"{label('status.met', lang)}*", label("legend.overridden", lang)])
    ws.append([label("comment", lang), label("legend.comment", lang)])
    ws.append([])
    ws.append([label("column", lang), label("group", lang), label("title", lang), label("key", lang)])
    for c in ws[ws.max_row]:
        c.font = bold
    for c in cols:
        ws.append([_text(c.name), _text(c.group), _text(c.title), c.key])
    for letter, width in zip("ABCD", (28, 60, 60, 28), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def write_summaries(rows: Sequence[BatchRow], out: Path, lang: str, profile: Profile) -> None:
    """Every summary file of the rows so far, each written whole or not at all."""
    rows = sorted(rows, key=lambda r: r.unit)
    cols = columns(rows)
    about = {"date": checked_now(),
             "profile": f"{profile.name} {profile.version}", "tool": f"zi-media {__version__}",
             "units": str(len(rows))}
    write_atomic(out / "summary.csv", _csv(rows, [c.key for c in cols]))
    write_atomic(out / "summary.json", json_text([asdict(r) for r in rows]))
    _xlsx(rows, cols, lang, about, out / "summary.xlsx")
    write_atomic(out / "index.html", render_index(rows, cols, lang, about))
