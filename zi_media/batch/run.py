"""Many units in one run: each subfolder (or .zip) of ROOT is a unit. One at a time in this
process, or on Dask workers (batch.cluster); a unit that fails (a corrupt file, a crash in a
decoder, a dead worker) becomes an error row and the batch goes on. Each unit's JSON and
HTML are written as it finishes, with a record that lets a re-run skip it while its inputs
are unchanged (batch.state); the summaries (index.html, summary.xlsx, .csv, .json) are
refreshed as units finish, so an interrupted batch leaves a consistent index.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Interrupted
from ..file_check import TranscribeSettings
from ..files import shown, write_atomic
from ..profiles import load_profile
from ..report.html import render_html
from ..report.jsondoc import render_json
from ..report.pictures import prepare
from ..types import BatchRow, Override, UnitReport
from ..unit.check import check_unit, is_archive
from . import state
from .matrix import cells
from .overrides import apply_overrides, load_overrides
from .summary import write_summaries

REFRESH_S = 10.0  # the summaries are rewritten at most this often while units finish


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


def _row(name: str, unit: UnitReport, base: str, lang: str) -> BatchRow:
    findings = unit.all_findings()
    return BatchRow(
        unit=name, verdict=unit.verdict,
        met=sum(f.status == "met" for f in findings),
        not_met=sum(f.status == "not_met" for f in findings),
        warnings=sum(f.status == "warning" for f in findings),
        missing=" ".join(f.id for f in findings if f.status == "not_met"),
        error=unit.error or "", json=f"{base}.json", html=f"{base}.html", cells=cells(unit, lang),
    )


def error_row(folder: Path, why: str) -> BatchRow:
    return BatchRow(unit=shown(folder.name), verdict="error", error=why)


def check_one(folder: Path, out: Path, options: BatchOptions, base: str | None = None,
              overrides: tuple[Override, ...] = ()) -> BatchRow:
    """Worker: check one unit, apply the reviewer's overrides, write its reports (as
    `base`.json/.html); never raises (an error is a row)."""
    if folder.is_symlink():
        return error_row(folder, "a link, not followed (a unit must be a folder or .zip in ROOT)")
    try:
        settings = TranscribeSettings(options.engine, options.model, options.use_cache,
                                      threads=options.threads) if options.transcribe else None
        unit = apply_overrides(check_unit(folder, load_profile(options.profile_ref), settings), overrides)
        base = base or slug(folder.name)
        write_atomic(out / f"{base}.json", render_json(unit, options.lang))
        write_atomic(out / f"{base}.html", render_html(unit, options.lang, prepare(unit)))
        return _row(shown(folder.name), unit, base, options.lang)
    except Exception as e:  # one bad unit must not stop the batch: report it and go on
        if os.environ.get("ZI_MEDIA_DEBUG"):
            traceback.print_exc()
        return error_row(folder, f"{type(e).__name__}: {e}")


Task = tuple[Path, Path, BatchOptions, str, tuple[Override, ...]]  # check_one's arguments


def _in_process(tasks: list[Task]) -> Iterator[tuple[Task, BatchRow]]:
    for task in tasks:
        yield task, check_one(*task)


@contextmanager
def _engine(tasks: list[Task], jobs: int, scheduler: str | None,
            threads: int) -> Iterator[Iterator[tuple[Task, BatchRow]]]:
    """The rows of `tasks` as they finish: in this process, or on Dask (loaded only then)."""
    if jobs <= 1 and not scheduler:
        yield _in_process(tasks)
        return
    from .cluster import client, dask_rows

    with client(jobs, scheduler, threads) as c:
        yield dask_rows(c, check_one, tasks, lambda t, why: error_row(t[0], why))


def _folders(root: Path, out: Path) -> list[Path]:
    """The units to check: not the output folder itself, and never one that holds it."""
    folders = [f for f in units(root) if f.is_symlink() or f.resolve() != out.resolve()]
    for f in folders:
        if not f.is_symlink() and f.is_dir() and out.resolve().is_relative_to(f.resolve()):
            raise InputError(f"--out {out} lies inside the unit {shown(f.name)}: its reports would become "
                             "part of that unit; choose a folder outside the units")
    return folders


def run_batch(root: Path, out: Path, options: BatchOptions, jobs: int = 1,
              progress: Callable[[int, int], None] = lambda done, total: None, *,
              scheduler: str | None = None, force: bool = False,
              overrides: Path | None = None) -> list[BatchRow]:
    """Check every unit under `root` (in this process when `jobs` is 1, else on a local Dask
    cluster of `jobs` workers, or on the cluster at `scheduler`); skip those unchanged since
    their last report unless `force`; apply `overrides`; keep the summaries current.
    Ctrl-C raises Interrupted once the summaries of the finished units are written."""
    root, out = root.absolute(), out.absolute()  # workers elsewhere see the same shared paths
    folders = _folders(root, out)
    profile = load_profile(options.profile_ref)
    decided = load_overrides(overrides, [shown(f.name) for f in folders], profile) if overrides else {}
    out.mkdir(parents=True, exist_ok=True)
    names = report_names([f.name for f in folders])
    # what a verdict depends on besides the files: not the threads (--jobs) nor the cache
    verdict_settings = (profile, options.lang, options.transcribe, options.engine, options.model)
    rows: list[BatchRow] = []
    tasks: list[Task] = []
    marks: dict[str, str] = {}
    for f in folders:
        task: Task = (f, out, options, names[f.name], decided.get(shown(f.name), ()))
        if not f.is_symlink():
            marks[task[3]] = state.fingerprint(f, verdict_settings, task[4])
            if not force and (row := state.recorded(out, task[3], marks[task[3]])) is not None:
                rows.append(row)
                continue
        tasks.append(task)
    progress(len(rows), len(folders))
    write_summaries(rows, out, options.lang)
    written = time.monotonic()
    try:
        with _engine(tasks, jobs, scheduler, options.threads) as finished:
            for task, row in finished:
                if task[3] in marks:
                    state.record(out, task[3], marks[task[3]], row)
                rows.append(row)
                progress(len(rows), len(folders))
                if time.monotonic() - written > REFRESH_S:
                    write_summaries(rows, out, options.lang)
                    written = time.monotonic()
    except KeyboardInterrupt:
        write_summaries(rows, out, options.lang)
        raise Interrupted(f"interrupted: {len(rows)} of {len(folders)} units have reports in {out}; "
                          "run the same command again to check the rest (finished units are not "
                          "checked again)") from None
    write_summaries(rows, out, options.lang)
    return sorted(rows, key=lambda r: r.unit)
