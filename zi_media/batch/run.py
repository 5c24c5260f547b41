"""Many unit folders in one run: each subfolder of ROOT is a unit, checked in a worker
process; a unit that fails (a corrupt file, a crash in a decoder) becomes an error row and
the batch goes on. Each worker writes its unit's JSON and HTML; the batch writes index.html,
summary.csv and summary.json. Transcripts come from the shared cache on a re-run.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..file_check import TranscribeSettings
from ..files import shown, write_atomic
from ..profiles import load_profile
from ..report.html import render_html
from ..report.jsondoc import render_json
from ..report.pictures import prepare
from ..types import BatchRow, UnitReport
from ..unit.check import check_unit, is_archive
from .summary import write_summaries


@dataclass(frozen=True)
class BatchOptions:
    profile_ref: str
    lang: str
    transcribe: bool = True
    engine: str = "faster-whisper"
    model: str = "base"
    use_cache: bool = True
    threads: int = 0  # CPU threads per worker for the speech model; 0: the engine's default


RESERVED = frozenset({"index", "summary"})  # the batch's own files: no unit's report may take their names


def slug(name: str) -> str:
    """A file name for a unit's reports: letters kept (any script), the rest dashes."""
    return re.sub(r"[^\w.-]+", "-", shown(name), flags=re.UNICODE).strip("-.") or "unit"


def report_names(names: list[str]) -> dict[str, str]:
    """Each unit's report name: its slug, made unique (a short hash of the full name added
    where two units would share one, "PN A" and "PN-A"), never a name of the batch's own files."""
    slugs = {n: slug(n) for n in names}
    taken: dict[str, int] = {}
    for s in slugs.values():
        taken[s.lower()] = taken.get(s.lower(), 0) + 1
    out = {}
    for n, s in slugs.items():
        clash = taken[s.lower()] > 1 or s.lower() in RESERVED
        out[n] = f"{s}-{hashlib.sha1(os.fsencode(n)).hexdigest()[:8]}" if clash else s
    return out


def units(root: Path) -> list[Path]:
    """The units under `root`: its folders and its .zip files. A link is listed too (it is
    reported, never followed: it may point anywhere outside ROOT)."""
    return sorted(p for p in root.iterdir()
                  if (p.is_symlink() or p.is_dir() or is_archive(p)) and not p.name.startswith((".", "__")))


def _row(name: str, unit: UnitReport, out_json: str, out_html: str) -> BatchRow:
    findings = unit.all_findings()
    return BatchRow(
        unit=name, verdict=unit.verdict,
        met=sum(f.status == "met" for f in findings),
        not_met=sum(f.status == "not_met" for f in findings),
        warnings=sum(f.status == "warning" for f in findings),
        missing=" ".join(f.id for f in findings if f.status == "not_met"),
        error=unit.error or "", json=out_json, html=out_html,
    )


def check_one(folder: Path, out: Path, options: BatchOptions, base: str | None = None) -> BatchRow:
    """Worker: check one unit and write its reports (as `base`.json/.html); never raises (an
    error is a row)."""
    name = shown(folder.name)
    if folder.is_symlink():
        return BatchRow(unit=name, verdict="error",
                        error="a link, not followed (a unit must be a folder or .zip in ROOT)")
    try:
        settings = TranscribeSettings(options.engine, options.model, options.use_cache,
                                      threads=options.threads) if options.transcribe else None
        unit = check_unit(folder, load_profile(options.profile_ref), settings)
        base = base or slug(folder.name)
        write_atomic(out / f"{base}.json", render_json(unit, options.lang))
        write_atomic(out / f"{base}.html", render_html(unit, options.lang, prepare(unit)))
        return _row(name, unit, f"{base}.json", f"{base}.html")
    except Exception as e:  # one bad unit must not stop the batch: report it and go on
        if os.environ.get("ZI_MEDIA_DEBUG"):
            traceback.print_exc()
        return BatchRow(unit=name, verdict="error", error=f"{type(e).__name__}: {e}")


def run_batch(root: Path, out: Path, options: BatchOptions, jobs: int = 1,
              progress: Callable[[int, int], None] = lambda done, total: None) -> list[BatchRow]:
    """Check every unit under `root`, `jobs` at a time; write the summaries; return the rows."""
    folders = [f for f in units(root) if f.is_symlink() or f.resolve() != out.resolve()]
    for f in folders:
        if not f.is_symlink() and f.is_dir() and out.resolve().is_relative_to(f.resolve()):
            raise InputError(f"--out {out} lies inside the unit {shown(f.name)}: its reports would become "
                             "part of that unit; choose a folder outside the units")
    out.mkdir(parents=True, exist_ok=True)
    names = report_names([f.name for f in folders])
    rows: list[BatchRow] = []
    if jobs <= 1:
        for folder in folders:
            rows.append(check_one(folder, out, options, names[folder.name]))
            progress(len(rows), len(folders))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(check_one, f, out, options, names[f.name]) for f in folders]
            for future in as_completed(futures):
                rows.append(future.result())
                progress(len(rows), len(folders))
    rows.sort(key=lambda r: r.unit)
    write_summaries(rows, out, options.lang)
    return rows
