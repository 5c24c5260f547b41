"""The `zi-media` command: arguments -> library -> renderer -> exit code.

Exit codes: 0 every requirement met; 1 at least one not met; 2 usage or input error
(bad option, missing or unreadable path, unknown kind, unknown or invalid profile).
Every error is one line on stderr; set ZI_MEDIA_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ZiMediaError
from .profiles import DEFAULT_PROFILE, load_profile, shipped_names

EXIT_USAGE = 2


class _Cli(click.Group):
    """Turns usage and input errors into one line and exit code 2, and returns command codes."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name or "zi-media", complete_var,
                              standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help() if e.ctx else "", err=True)
            sys.exit(EXIT_USAGE)
        except (click.UsageError, ZiMediaError) as e:
            if os.environ.get("ZI_MEDIA_DEBUG"):
                raise
            message = e.format_message() if isinstance(e, click.ClickException) else str(e)
            hint = " (see zi-media --help)" if isinstance(e, click.UsageError) else ""
            click.echo(f"zi-media: error: {message}{hint}", err=True)
            sys.exit(EXIT_USAGE)
        except click.exceptions.Abort:
            click.echo("zi-media: aborted", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


LANG = click.Choice(["id", "en"])


@click.group(cls=_Cli, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zi-media")
def cli() -> None:
    """Check Zona Integritas (WBK/WBBM) submission media against the rules of a profile."""


@cli.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--kind", required=True, metavar="KIND",
              help="What the video is: profile or development (as the profile names them).")
@click.option("--profile", "profile_ref", default=DEFAULT_PROFILE, show_default=True,
              metavar="NAME|FILE", help="Shipped profile name or path to a profile YAML file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report for a person (text) or a program (json).")
@click.option("--lang", type=LANG, default="id", show_default=True,
              help="Report language: Indonesian (id) or English (en).")
def check(video: Path, kind: str, profile_ref: str, fmt: str, lang: str) -> int:
    """Check one VIDEO against the rules for its kind.

    \b
    Example:
      zi-media check video_pembangunan.mp4 --kind development
      zi-media check profil.mp4 --kind profile --format json --lang en
    """
    from .report import exit_code, render
    from .validate import check_file

    profile = load_profile(profile_ref)
    profile.rules(kind)  # an unknown kind is a usage error before any file is opened
    report = check_file(video, profile, kind)
    click.echo(render(report, fmt, lang))
    return exit_code([report])


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
    from .report import describe_profile

    if name is not None:
        click.echo(describe_profile(load_profile(name), lang))
        return
    for shipped in shipped_names():
        p = load_profile(shipped)
        click.echo(f"{p.name}\t{p.version}\t{', '.join(p.kinds)}\t{p.title[lang]}")


def main() -> None:
    cli()
