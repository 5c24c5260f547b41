"""The `zi-media` command: arguments -> library -> renderer -> exit code.

Exit codes: 0 every requirement met; 1 at least one not met; 2 usage or input error
(bad option, missing or unreadable path, unknown kind, unknown or invalid profile);
3 could not check (a model that cannot load, a crash inside the tool, a unit that errored
in a batch). Every error is one line on stderr; ZI_MEDIA_DEBUG=1 shows the traceback.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import InputError, Interrupted, ModelError, UsageError, ZiMediaError
from .files import write_atomic
from .profiles import DEFAULT_PROFILE
from .report import FORMATS
from .report.common import EXIT_COULD_NOT_CHECK, EXIT_USAGE, exit_code, printable
from .report.i18n import label
from .report.text import PLAIN, Terminal
from .speech.engine import ENGINES
from .speech.transcript_files import FORMATS as TRANSCRIPT_FORMATS
from .timefmt import mmss
from .yamlsafe import short

if TYPE_CHECKING:
    from .batch.run import BatchOptions

# The pipeline is imported inside the command that runs it: `zi-media --help` (and a typo's
# usage error) answers without loading the models' libraries.


class _Cli(click.Group):
    """Turns errors into one line and exit code 2 (usage, input) or 3 (could not check), and
    returns the commands' codes."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name or "zi-media", complete_var,
                              standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help() if e.ctx else "", err=True)
            sys.exit(EXIT_USAGE)
        except Interrupted as e:
            click.echo(printable(f"zi-media: {e}"), err=True)
            sys.exit(130)
        except (click.UsageError, ZiMediaError) as e:
            if os.environ.get("ZI_MEDIA_DEBUG"):
                raise
            message = e.format_message() if isinstance(e, click.ClickException) else str(e)
            hint = " (see zi-media --help)" if isinstance(e, (click.UsageError, UsageError)) else ""
            click.echo(printable(f"zi-media: error: {message}{hint}"), err=True)
            sys.exit(EXIT_COULD_NOT_CHECK if isinstance(e, ModelError) else EXIT_USAGE)
        except click.exceptions.Abort:
            click.echo("zi-media: aborted", err=True)
            sys.exit(130)
        except Exception as e:  # a bug or a library failure: still one line, never a traceback
            if os.environ.get("ZI_MEDIA_DEBUG"):
                raise
            click.echo(printable(f"zi-media: unexpected error: {type(e).__name__}: {short(e)} "
                                 "(set ZI_MEDIA_DEBUG=1 for the traceback)"), err=True)
            sys.exit(EXIT_COULD_NOT_CHECK)
        sys.exit(rv if isinstance(rv, int) else 0)


LANG = click.Choice(["id", "en"])
PROFILE_OPTION = click.option(
    "--profile", "profile_ref", default=DEFAULT_PROFILE, show_default=True, metavar="NAME|FILE",
    help="Shipped profile name or path to a profile YAML file (rules, language, decoding options).")


@click.group(cls=_Cli, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zi-media", prog_name="zi-media")
def cli() -> None:
    """Check Zona Integritas (WBK/WBBM) submission media against the rules of a profile."""


ENGINE_OPTIONS = [  # which recogniser hears the speech: every command that may transcribe, the server too
    click.option("--engine", type=click.Choice(ENGINES), default="faster-whisper",
                 show_default=True, help="Speech recognition engine."),
    click.option("--model", default="base", show_default=True, metavar="NAME|PATH",
                 help="Whisper model: 'base' is bundled and offline; or a model folder "
                      "(openai-whisper: a .pt checkpoint) or a name already downloaded."),
]


def asr_options(f: Any) -> Any:
    """The options shared by every command that may transcribe."""
    for option in reversed([
        *ENGINE_OPTIONS,
        click.option("--no-cache", is_flag=True, help="Compute again: no cached transcript or scan is used."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]):
        f = option(f)
    return f


class _Progress:
    """Progress on stderr's last line from the first moment: the label and the time spent
    (redrawn every second by a timer), then a bar once a fraction is known (a new total, the
    next file of a unit, starts it again); erased when the work ends, so the report is not
    printed under a stale bar. Nothing for pipes, CI or --quiet."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self._fraction: float | None = None
        self._start = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    def __call__(self, done: float, total: float) -> None:
        if self.enabled:
            self._fraction = min(1.0, done / total) if total > 0 else None
            self._draw()

    def _draw(self) -> None:
        spent = mmss(time.monotonic() - self._start)
        if self._fraction is None:
            line = f"{self.label} ... {spent}"
        else:
            filled = int(self._fraction * 30)
            line = f"{self.label} [{'#' * filled}{'-' * (30 - filled)}] {int(self._fraction * 100):3d}% {spent}"
        width = shutil.get_terminal_size().columns
        with self._lock:
            sys.stderr.write("\r" + line[:max(1, width - 1)] + "\x1b[K")
            sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._draw()

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._start = time.monotonic()
            self._draw()
            self._timer = threading.Thread(target=self._tick, name="zi-media-progress", daemon=True)
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._stop.set()
            self._timer.join()
            self._timer = None
            with self._lock:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()


def _refuse_overwriting(output: Path | None, inputs: list[Path | None]) -> None:
    """A report never takes the place of what it reports on: the file checked, its transcript,
    or a video, picture, paparan or manifest of the unit folder checked."""
    from .unit.submission import IMAGE_EXT, MANIFEST, PAPARAN_EXT, VIDEO_EXT

    if output is None:
        return
    read_by_a_check = VIDEO_EXT | IMAGE_EXT | PAPARAN_EXT | {".zip", Path(MANIFEST).suffix}
    target = output.resolve()
    for given in (p for p in inputs if p is not None):
        if target == given.resolve() or (given.is_dir() and target.is_relative_to(given.resolve())
                                         and target.exists() and target.suffix.lower() in read_by_a_check):
            raise UsageError(f"-o {output}: would overwrite {'it' if target == given.resolve() else 'a file'} "
                             f"of what is checked ({given}); write the report elsewhere")


def _write_output(output: Path, text: str) -> None:
    try:
        write_atomic(output, text if text.endswith("\n") else text + "\n")
    except OSError as e:
        raise InputError(f"cannot write {output} ({e.strerror or e})") from None


def _terminal() -> Terminal:
    """How stdout shows a text report: wrapped to its width and coloured on a terminal (no
    colour with NO_COLOR set or TERM=dumb), plain in a file or a pipe."""
    if not sys.stdout.isatty():
        return PLAIN
    colour = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Terminal(shutil.get_terminal_size().columns, colour)


@cli.command()
@click.argument("video", type=click.Path(path_type=Path), required=False)
@click.option("--kind", metavar="KIND",
              help="What the video is: profile or development (as the profile names them); "
                   "not needed for a unit folder.")
@PROFILE_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report for a person (text, html) or a program (json).")
@click.option("--lang", type=LANG, default="id", show_default=True,
              help="Report language: Indonesian (id) or English (en).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write the report to FILE instead of stdout; an HTML page's links to the videos "
                   "then start from FILE's folder (on stdout: from the current one).")
@click.option("--no-transcribe", is_flag=True, help="Technical checks only: no speech recognition.")
@click.option("--transcript", "transcript_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Use this transcript (SRT, VTT, zi-media JSON or plain text) instead of transcribing.")
@asr_options
def check(video: Path | None, kind: str | None, profile_ref: str, fmt: str, lang: str, output: Path | None,
          no_transcribe: bool, transcript_path: Path | None, engine: str, model: str, no_cache: bool,
          quiet: bool) -> int:
    """Check one VIDEO against the rules for its kind: its length and streams, and what is
    said in it (the six areas, impact, testimonials, innovations, the campaign message).
    With --transcript FILE and no VIDEO, only what the transcript says is checked. Given a
    unit FOLDER instead of a video, check all of it: both videos, banners, the paparan.

    \b
    Example:
      zi-media check video_pembangunan.mp4 --kind development
      zi-media check profil.mp4 --kind profile --format json --lang en --no-transcribe
      zi-media check --transcript naskah.txt --kind development
      zi-media check "PN Sukamaju/" --format html -o "PN Sukamaju/laporan.html"
    """
    from .check import check_path
    from .file_check import TranscribeSettings
    from .profiles import load_profile
    from .report.pictures import prepare
    from .report.render import render

    _refuse_overwriting(output, [video, transcript_path])
    profile = load_profile(profile_ref)
    with _Progress(not quiet, label("progress.checking", lang)) as progress:
        settings = None if no_transcribe else TranscribeSettings(engine, model, not no_cache, progress)
        report = check_path(video, profile, kind, transcription=settings, transcript_path=transcript_path)
    page = render(report, fmt, lang, prepare(report) if fmt == "html" else None,
                  at=output.parent if output is not None else None,
                  term=_terminal() if output is None else PLAIN)
    if output is None:
        click.echo(page)
    else:
        _write_output(output, page)
    return exit_code([report])


@cli.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(TRANSCRIPT_FORMATS), default="txt",
              show_default=True, help="Plain text with times, subtitles, or JSON with provenance.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--language", default=None, metavar="CODE",
              help="Spoken language (default: the profile's, 'id' for ma-2020).")
@PROFILE_OPTION
@asr_options
def transcribe(video: Path, fmt: str, output: Path | None, language: str | None, profile_ref: str,
               engine: str, model: str, no_cache: bool, quiet: bool) -> None:
    """Transcribe the speech of VIDEO with timestamps (offline, cached).

    \b
    Example:
      zi-media transcribe video_pembangunan.mp4 --format srt -o video.srt
    """
    from .file_check import decode_options
    from .media.probe import probe
    from .profiles import load_profile
    from .speech.transcribe import transcribe as run_transcription
    from .speech.transcript_files import write

    _refuse_overwriting(output, [video])
    profile = load_profile(profile_ref)
    facts = probe(video)
    options = decode_options(profile, next(iter(profile.kinds)))  # kinds share decoding options
    if language:
        options = replace(options, language=language)
    if not facts.audio:
        raise ZiMediaError(f"{video}: no audio stream to transcribe")
    with _Progress(not quiet, label("progress.transcribing", "id")) as progress:
        t = run_transcription(video, options, engine=engine, model=model, use_cache=not no_cache,
                progress=progress)
    text = write(t, fmt)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        _write_output(output, text)


def _unit_options(profile_ref: str, lang: str, transcribe: bool, engine: str, model: str, use_cache: bool,
                  jobs: int, scheduler: str | None) -> BatchOptions:
    """How units are checked on Dask (a batch, the server). A broken profile, or one without
    unit rules, is a usage error before any work."""
    from .batch.run import BatchOptions
    from .profiles import load_profile

    profile = load_profile(profile_ref)
    if profile.unit is None:
        raise ZiMediaError(f"profile {profile.name} has no 'unit' rules: it checks single videos only")
    # a local worker gets its share of the cores; a cluster's worker, one unit at a time, all of its own
    threads = 0 if scheduler else max(1, (os.cpu_count() or 1) // jobs)
    return BatchOptions(profile_ref, lang, transcribe, engine, model, use_cache, threads)


@cli.command()
@click.argument("root", type=click.Path(path_type=Path, file_okay=False))
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Units checked at once: above 1, on a local Dask cluster of that many worker processes.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on the Dask cluster at ADDRESS (tcp://host:8786); its workers must see ROOT, "
                   "--out and the cache at the same paths.")
@click.option("--force", is_flag=True, help="Check every unit again, even those unchanged since their last report.")
@click.option("--overrides", "overrides_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Reviewers' decisions (default: ROOT/overrides.yaml when it exists).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where the reports go (default: ROOT/zi-media-report).")
@PROFILE_OPTION
@click.option("--lang", type=LANG, default="id", show_default=True, help="Report language.")
@click.option("--no-transcribe", is_flag=True, help="Technical checks, banners and paparan only.")
@asr_options
def batch(root: Path, jobs: int, scheduler: str | None, force: bool, overrides_file: Path | None, out: Path | None,
          profile_ref: str, lang: str, no_transcribe: bool, engine: str, model: str, no_cache: bool,
          quiet: bool) -> int:
    """Check every unit folder (or .zip) under ROOT; write per-unit JSON and HTML, and the
    matrix of units and requirements as summary.xlsx, summary.csv, summary.json and
    index.html. A unit that fails is an error row; the batch goes on. A unit unchanged since
    its last report is not checked again (--force does); Ctrl-C stops, and the same command
    resumes.

    \b
    Example:
      zi-media batch kiriman/ --jobs 2 --out laporan/
      zi-media batch /bersama/kiriman --scheduler tcp://10.0.0.5:8786
    """
    from .batch.overrides import OVERRIDES_FILE
    from .batch.run import run_batch

    if not root.is_dir():
        raise ZiMediaError(f"{root}: no such folder" if not root.exists() else f"{root}: not a folder")
    options = _unit_options(profile_ref, lang, not no_transcribe, engine, model, not no_cache, jobs, scheduler)
    out = out or root / "zi-media-report"
    if overrides_file is None and (root / OVERRIDES_FILE).is_file():
        overrides_file = root / OVERRIDES_FILE
    with _Progress(not quiet, label("progress.units", lang)) as progress:
        rows = run_batch(root, out, options, jobs, progress, scheduler=scheduler, force=force,
                         overrides=overrides_file)
    bad = [r for r in rows if r.verdict != "met"]
    click.echo(printable(label("batch.done", lang, met=len(rows) - len(bad), units=len(rows), out=out)))
    for r in bad:  # which requirement of which video, as the summary's columns name them
        why = "; ".join(c.title for c in r.cells if c.status == "not_met") or r.error
        click.echo(printable(f"  {r.unit}: {label(f'verdict.{r.verdict}', lang)}: {why}"))
    return exit_code(rows)


@cli.command()
@click.option("--data", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Where the server keeps everything: its database, the uploads and the reports.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (behind a reverse proxy for HTTPS, keep 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Submissions checked at once, on a local Dask cluster of that many worker processes.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Check on the Dask cluster at ADDRESS instead; its workers must see --data at the same path.")
@click.option("--max-upload-mb", type=click.IntRange(1, 20_000), default=2048, show_default=True,
              help="The largest file a unit may upload, in MB.")
@PROFILE_OPTION
@click.option("--lang", type=LANG, default="id", show_default=True, help="Report language.")
@click.option("--no-transcribe", is_flag=True, help="Technical checks, banners and paparan only.")
@ENGINE_OPTIONS[0]
@ENGINE_OPTIONS[1]
def serve(data: Path, host: str, port: int, jobs: int, scheduler: str | None, max_upload_mb: int, profile_ref: str,
          lang: str, no_transcribe: bool, engine: str, model: str) -> None:
    """Serve the web front door: units sign in, upload their submission and read their
    reports; evaluators see every unit's latest submission in the matrix and enter overrides.
    Accounts come from `zi-media users`.

    \b
    Example:
      zi-media users add "PN Sukamaju" --role unit
      zi-media serve --data /srv/zi-media --jobs 2
    """
    from .web.serve import serve as run_server

    options = _unit_options(profile_ref, lang, not no_transcribe, engine, model, True, jobs, scheduler)
    run_server(data.absolute(), host, port, options, jobs, scheduler, max_upload_mb << 20,
               lambda line: click.echo(printable(line), err=True))


DATA_OPTION = click.option("--data", type=click.Path(path_type=Path, file_okay=False), required=True,
                           help="The server's --data folder.")


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("password", hide_input=True, confirmation_prompt=True, err=True))


@cli.group()
def users() -> None:
    """The web server's accounts: a unit sees only its own submissions, an evaluator all.

    \b
    Example:
      zi-media users add "PN Sukamaju" --role unit --data /srv/zi-media
      zi-media users list --data /srv/zi-media
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["unit", "evaluator"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@DATA_OPTION
def users_add(name: str, role: str, password_stdin: bool, data: Path) -> None:
    """Add an account; a unit's name is the name its reports carry."""
    from .web.accounts import add_user
    from .web.store import Store

    add_user(Store(data), name, "unit" if role == "unit" else "evaluator", _password(password_stdin))
    click.echo(printable(f"added {name} ({role})"))


@users.command("list")
@DATA_OPTION
def users_list(data: Path) -> None:
    """Every account, its role and whether it may sign in."""
    from .web.store import Store

    for u in Store(data).users():
        click.echo(printable(f"{u.name}\t{u.role}\t{'active' if u.active else 'disabled'}"))


@users.command("disable")
@click.argument("name")
@DATA_OPTION
def users_disable(name: str, data: Path) -> None:
    """Stop an account signing in (its sessions end now); its submissions are kept."""
    from .web.store import Store

    Store(data).set_user(name, active=False)
    click.echo(printable(f"disabled {name}"))


@users.command("reset")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (one line).")
@DATA_OPTION
def users_reset(name: str, password_stdin: bool, data: Path) -> None:
    """Give an account a new password (and enable it again); its sessions end now."""
    from .web.accounts import hashed
    from .web.store import Store

    Store(data).set_user(name, hash=hashed(_password(password_stdin)))
    click.echo(printable(f"new password for {name}"))


@cli.group()
def cache() -> None:
    """The cache of transcripts, scans and assembled models.

    \b
    Example:
      zi-media cache info
      zi-media cache clear
    """


@cache.command("info")
def cache_info() -> None:
    """Where the cache is and what it holds."""
    from . import cache as user_cache

    u = user_cache.usage()
    click.echo(f"path: {u.path}\ntranscripts: {u.transcripts} ({u.transcripts_bytes} bytes)\n"
               f"scans: {u.scans} ({u.scans_bytes} bytes)\nmodels: {u.models_bytes} bytes")


@cache.command("clear")
@click.option("--models", is_flag=True, help="Also remove assembled models (rebuilt on next use).")
def cache_clear(models: bool) -> None:
    """Remove cached transcripts and scans (and, with --models, the assembled models)."""
    from . import cache as user_cache

    click.echo(f"freed {user_cache.clear(models)} bytes")


@cli.command()
@click.argument("name", required=False, metavar="[NAME|FILE]")
@click.option("--lang", type=LANG, default="id", show_default=True, help="Language of titles.")
def profiles(name: str | None, lang: str) -> None:
    """List the shipped requirement profiles, or show the rules of one.

    \b
    Example:
      zi-media profiles
      zi-media profiles ma-2020 --lang en
    """
    from .profiles import load_profile, shipped_names
    from .report.text import describe_profile

    if name is not None:
        click.echo(describe_profile(load_profile(name), lang))
        return
    for shipped in shipped_names():
        p = load_profile(shipped)
        click.echo(f"{p.name}\t{p.version}\t{', '.join(p.kinds)}\t{p.title[lang]}")


def main() -> None:
    handler = logging.StreamHandler()  # library warnings (an unwritable cache) as one line each
    handler.setFormatter(logging.Formatter("zi-media: warning: %(message)s"))
    logging.getLogger("zi_media").addHandler(handler)
    cli()
