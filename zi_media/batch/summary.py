"""The batch's own files: summary.csv and summary.json (one row per unit) and index.html."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from ..files import write_atomic
from ..report.html import render_index
from ..types import BatchRow

SUMMARY_FIELDS = [f.name for f in fields(BatchRow)]


def write_summaries(rows: Sequence[BatchRow], out: Path, lang: str) -> None:
    records = [asdict(r) for r in rows]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_FIELDS)
    writer.writeheader()
    writer.writerows(records)
    write_atomic(out / "summary.csv", buf.getvalue())
    write_atomic(out / "summary.json", json.dumps(records, ensure_ascii=False, indent=2))
    write_atomic(out / "index.html", render_index(rows, lang))
