"""Pick the renderer for a format: text for a person, JSON for a program, HTML for a browser."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..files import shown
from ..types import FileReport, UnitReport
from .html import render_html
from .jsondoc import render_json
from .text import PLAIN, Terminal, render_text, render_unit_text


def render(report: FileReport | UnitReport, fmt: str, lang: str, pictures: Mapping[str, str] | None = None,
           at: Path | None = None, term: Terminal = PLAIN) -> str:
    """The report in `fmt`; `pictures` (report.pictures.prepare) are shown by the HTML page,
    written in folder `at` (its links to the videos start there); text is laid out for
    `term`. Always text that can be written as UTF-8 (a file name's undecodable bytes as \\xNN)."""
    if fmt == "html":
        return shown(render_html(report, lang, pictures, at))
    if fmt == "json":
        return shown(render_json(report, lang))
    return shown(render_unit_text(report, lang, term) if isinstance(report, UnitReport)
                 else render_text(report, lang, term))
