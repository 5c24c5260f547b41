"""HTML reports: one self-contained page per unit or video (inline CSS, pictures as data:
URIs, no network), and the batch index. Jinja2 templates (templates/, shipped in the
package) with autoescape; they only format, and the pictures come in prepared
(report/pictures.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import link_from
from ..timefmt import checked_now, mmss, number
from ..types import BatchRow, Cell, FileReport, UnitReport
from ..version import __version__
from .common import (
    banner_size,
    best_evidence_time,
    column_groups,
    failing_units,
    frame_key,
    override_note,
    passage_note,
    strongest,
    summary,
    untranscribed,
    where,
)
from .i18n import label, label_or, size, text
from .timeline import LABEL_PX, ROW_PX, WIDTH, timeline

if TYPE_CHECKING:
    import jinja2

EVIDENCE_SHOWN = 5  # evidence items per content finding on the page (JSON has all)
BANNER_TEXT_SHOWN = 160  # characters of a banner's OCR text under its picture
PRINT_MARKS = {"met": "\u2713", "not_met": "\u2717", "warning": "!", "unchecked": "\u2013"}  # the index on paper


@functools.cache
def _env() -> jinja2.Environment:
    import jinja2  # here, not at the top: `zi-media --help` does not need it

    env = jinja2.Environment(loader=jinja2.PackageLoader("zi_media.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(
        banner_size=banner_size, label=label, label_or=label_or, text=text, size=size, where=where, strongest=strongest,
        summary=summary, untranscribed=untranscribed, best_evidence_time=best_evidence_time, frame_key=frame_key,
        passage_note=passage_note, override_note=override_note, timeline=timeline, tl_width=WIDTH, tl_row=ROW_PX,
        number=number,
        tl_label=LABEL_PX,
        mmss=mmss,
        version=__version__, evidence_shown=EVIDENCE_SHOWN, banner_text_shown=BANNER_TEXT_SHOWN)
    return env


def render_html(report: FileReport | UnitReport, lang: str, images: Mapping[str, str] | None = None,
                at: Path | None = None, index: str | None = None) -> str:
    """A unit folder's page (verdict first, then the unit's items, banners, each file), or
    one video's (or transcript's). `at` is the folder the page will be written in (default:
    the current one): every time links to its video from there and plays it in the page;
    `index`, the batch's index beside it, is linked back to."""
    common = {"lang": lang, "images": images or {}, "href": functools.partial(link_from, at or Path()),
              "index": index, "checked_on": checked_now()}
    if isinstance(report, UnitReport):
        return _env().get_template("unit.html").render(unit=report, title=f"zi-media: {report.name}", **common)
    return _env().get_template("file.html").render(report=report, title=f"zi-media: {report.path.name}", **common)


def render_index(rows: Sequence[BatchRow], cols: Sequence[Cell], lang: str, about: Mapping[str, str]) -> str:
    """The batch index: the matrix of units and requirements (`cols`: one cell naming each
    column), each unit linked to its report, each cell's reason on it, the failing units counted
    per requirement and per change area; sorted and filtered in the page by its own script,
    offline. `about`: the check's date, profile and tool."""
    failing = {c.key: failing_units(rows, c.key) for c in cols}
    areas: dict[str, tuple[str, set[str]]] = {}  # area_N -> (its name, the units failing it in any file)
    for c in cols:
        if (area := c.key.rsplit(".", 1)[-1]).startswith("area_"):
            name, found = areas.get(area, (c.name, set()))
            areas[area] = (name, found | failing[c.key])
    return _env().get_template("index.html").render(
        rows=rows, cols=cols, cells=[{c.key: c for c in r.cells} for r in rows], lang=lang,
        groups=column_groups(cols), failing={k: len(units) for k, units in failing.items()},
        areas=[(name, len(units)) for name, units in areas.values()], about=about,
        verdicts={v: n for v in ("not_met", "incomplete", "error") if (n := sum(r.verdict == v for r in rows))},
        title="zi-media batch", index=None, checked_on=about.get("date", ""), marks=PRINT_MARKS)
