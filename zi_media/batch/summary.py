"""The batch's own files: summary.csv and summary.json (one row per unit) and index.html."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from ..files import json_text, write_atomic
from ..report.html import render_index
from ..types import BatchRow

SUMMARY_FIELDS = [f.name for f in fields(BatchRow)]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a leading formula character is quoted
    ("'=HYPERLINK(...)"), so a unit folder's name can never run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write_summaries(rows: Sequence[BatchRow], out: Path, lang: str) -> None:
    records = [asdict(r) for r in rows]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_FIELDS)
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in r.items()} for r in records)
    write_atomic(out / "summary.csv", buf.getvalue())
    write_atomic(out / "summary.json", json_text(records))
    write_atomic(out / "index.html", render_index(rows, lang))
