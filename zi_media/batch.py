"""Many unit folders in one run: each subfolder of ROOT is a unit, checked in a worker
process; a unit that fails (a corrupt file, a crash in a decoder) becomes an error row and
the batch goes on. Each worker writes its unit's JSON and HTML; the batch writes index.html,
summary.csv and summary.json. Transcripts come from the shared cache on a re-run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .profiles import load_profile
from .validate import TranscribeSettings

SUMMARY_FIELDS = ["unit", "verdict", "met", "not_met", "warnings", "missing", "error", "json", "html"]


@dataclass(frozen=True)
class BatchOptions:
    profile_ref: str
    lang: str
    transcribe: bool = True
    engine: str = "faster-whisper"
    model: str = "base"
    use_cache: bool = True
    threads: int = 0  # CPU threads per worker for the speech model; 0: the engine's default


def slug(name: str) -> str:
    """A file name for a unit's reports: letters kept (any script), the rest dashes."""
    return re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.") or "unit"


def units(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "__")))


def _row(name: str, unit: Any | None, error: str | None, out_json: str, out_html: str) -> dict[str, Any]:
    if unit is None:
        return {"unit": name, "verdict": "error", "met": 0, "not_met": 0, "warnings": 0,
                "missing": "", "error": error, "json": "", "html": ""}
    findings = unit.all_findings()
    return {
        "unit": name, "verdict": unit.verdict,
        "met": sum(f.status == "met" for f in findings),
        "not_met": sum(f.status == "not_met" for f in findings),
        "warnings": sum(f.status == "warning" for f in findings),
        "missing": " ".join(f.id for f in findings if f.status == "not_met"),
        "error": unit.error or "", "json": out_json, "html": out_html,
    }


def check_one(folder: Path, out: Path, options: BatchOptions) -> dict[str, Any]:
    """Worker: check one unit and write its reports; never raises (an error is a row)."""
    from .report import render_unit_json
    from .report_html import render_unit_html
    from .thumbnails import for_unit
    from .unit import check_unit

    name = folder.name
    try:
        settings = TranscribeSettings(options.engine, options.model, options.use_cache,
                                      threads=options.threads) if options.transcribe else None
        unit = check_unit(folder, load_profile(options.profile_ref), settings)
        base = slug(name)
        (out / f"{base}.json").write_text(render_unit_json(unit, options.lang), encoding="utf-8")
        (out / f"{base}.html").write_text(render_unit_html(unit, options.lang, for_unit(unit)), encoding="utf-8")
        return _row(name, unit, None, f"{base}.json", f"{base}.html")
    except Exception as e:  # one bad unit must not stop the batch: report it and go on
        if os.environ.get("ZI_MEDIA_DEBUG"):
            traceback.print_exc()
        return _row(name, None, f"{type(e).__name__}: {e}", "", "")


def run_batch(root: Path, out: Path, options: BatchOptions, jobs: int = 1,
              progress: Callable[[int, int], None] = lambda done, total: None) -> list[dict[str, Any]]:
    """Check every unit under `root`, `jobs` at a time; write the summaries; return the rows."""
    out.mkdir(parents=True, exist_ok=True)
    folders = [f for f in units(root) if f.resolve() != out.resolve()]
    rows: list[dict[str, Any]] = []
    if jobs <= 1:
        for folder in folders:
            rows.append(check_one(folder, out, options))
            progress(len(rows), len(folders))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(check_one, f, out, options) for f in folders]
            for future in as_completed(futures):
                rows.append(future.result())
                progress(len(rows), len(folders))
    rows.sort(key=lambda r: r["unit"])
    write_summaries(rows, out, options.lang)
    return rows


def write_summaries(rows: list[dict[str, Any]], out: Path, lang: str) -> None:
    from .report_html import render_index

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    (out / "summary.csv").write_text(buf.getvalue(), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "index.html").write_text(render_index(rows, lang), encoding="utf-8")
