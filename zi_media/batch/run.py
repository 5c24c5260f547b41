"""Many units in one run: each subfolder (or .zip) of ROOT is a unit. One at a time in this
process, or on Dask workers (batch.cluster); a unit that fails (a corrupt file, a crash in a
decoder, a dead worker) becomes an error row and the batch goes on. Each unit's JSON and
HTML are written as it finishes, with a record that lets a re-run skip it while its inputs
are unchanged (batch.state); the summaries (index.html, summary.xlsx, .csv, .json) are
refreshed as units finish, so an interrupted batch leaves a consistent index. A unit whose
reports cannot be written (a full disk) is an error row naming the file; summaries that
cannot be written are removed, never left behind the reports, and the batch stops saying so.
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
from ..speech.engine import Progress
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


SUMMARIES = ("summary.csv", "summary.json", "summary.xlsx", "index.html")  # as batch.summary writes them
RESERVED = frozenset(n.split(".")[0] for n in SUMMARIES)  # the batch's own: no unit's report may take their names
PROBE = ".zi-media-probe"  # written and removed in --out before any unit is checked


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
        title=unit.title or "", region=unit.region or "",
    )


def error_row(folder: Path, why: str) -> BatchRow:
    return BatchRow(unit=shown(folder.name), verdict="error", error=why)


def _cannot_write(e: OSError) -> str:
    """A failed write as the file it was meant to be (files.atomic_path names it) and why."""
    return f"cannot write {e.filename} ({e.strerror or e})"


def _write_reports(unit: UnitReport, out: Path, base: str, lang: str) -> None:
    """Both reports of a unit, or neither: one left behind without its row (the unit becomes
    an error row) would be a report that no summary lists."""
    reports = {out / f"{base}.json": render_json(unit, lang),
               out / f"{base}.html": render_html(unit, lang, prepare(unit), at=out, index="index.html")}
    try:
        for path, text in reports.items():
            write_atomic(path, text)
    except OSError as e:
        for path in reports:
            path.unlink(missing_ok=True)
        raise InputError(_cannot_write(e)) from None


def check_one(folder: Path, out: Path, options: BatchOptions, base: str | None = None,
              overrides: tuple[Override, ...] = (), progress: Progress | None = None) -> BatchRow:
    """Worker: check one unit, apply the reviewer's overrides, write its reports (as
    `base`.json/.html); never raises (an error is a row). `progress` hears each video's
    transcription (seconds done, seconds in all), for a page that shows it live."""
    if folder.is_symlink():
        return error_row(folder, "a link, not followed (a unit must be a folder or .zip in ROOT)")
    try:
        settings = TranscribeSettings(options.engine, options.model, options.use_cache, progress,
                                      threads=options.threads) if options.transcribe else None
        unit = apply_overrides(check_unit(folder, load_profile(options.profile_ref), settings), overrides)
        base = base or slug(folder.name)
        _write_reports(unit, out, base, options.lang)
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


def _writable(out: Path) -> None:
    """Create --out and write a file there, so a folder that cannot be written is one line
    naming --out before any unit is checked."""
    try:
        write_atomic(out / PROBE, b"")
        (out / PROBE).unlink()
    except OSError as e:
        raise InputError(f"--out {out}: cannot write there ({e.strerror or e})") from None


@contextmanager
def _own_files(out: Path) -> Iterator[None]:
    """Where the batch writes its own files (summaries, resume records): one that cannot be
    written ends the batch with a line naming it, and the summaries are removed, as they would
    leave out reports on disk (a re-run takes the units with reports as they are)."""
    try:
        yield
    except OSError as e:
        if e.filename is None:
            raise  # not a file written here: from the Dask cluster, say
        for name in SUMMARIES:
            (out / name).unlink(missing_ok=True)
        raise InputError(f"{_cannot_write(e)}; the summaries were removed, as they would not match the reports: "
                         "run the same command again once it can be written (units with reports are not "
                         "checked again)") from None


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
    _writable(out)
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
    with _own_files(out):
        progress(len(rows), len(folders))
        write_summaries(rows, out, options.lang, profile)
        written = time.monotonic()
        try:
            with _engine(tasks, jobs, scheduler, options.threads) as finished:
                for task, row in finished:
                    if task[3] in marks:
                        state.record(out, task[3], marks[task[3]], row)
                    rows.append(row)
                    progress(len(rows), len(folders))
                    if time.monotonic() - written > REFRESH_S:
                        write_summaries(rows, out, options.lang, profile)
                        written = time.monotonic()
        except KeyboardInterrupt:
            write_summaries(rows, out, options.lang, profile)
            raise Interrupted(f"interrupted: {len(rows)} of {len(folders)} units have reports in {out}; "
                              "run the same command again to check the rest (finished units are not "
                              "checked again)") from None
        write_summaries(rows, out, options.lang, profile)
    return sorted(rows, key=lambda r: r.unit)
