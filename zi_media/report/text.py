"""Text reports for a person: one video or transcript, a unit folder, a profile's rules.

On a terminal (`Terminal`) the status is coloured and long lines wrap at word boundaries
under their own text (a hanging indent); in a file or a pipe, every line is whole and plain.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..profiles import Profile
from ..types import FileReport, Finding, Status, UnitReport
from .common import (
    banner_size,
    matched,
    override_note,
    passage_note,
    printable,
    strongest,
    summary,
    untranscribed,
    where,
)
from .i18n import label, label_or, size, text

EVIDENCE_SHOWN = 3  # evidence lines per content finding in the text report (JSON has all)
BANNER_TEXT_SHOWN = 80  # characters of a banner's OCR text shown under the banner finding
STATUSES: tuple[Status, ...] = ("met", "not_met", "warning")
COLOURS = {"met": "32", "not_met": "1;31", "warning": "33"}  # ANSI SGR: green, bold red, yellow
MIN_WRAP = 40  # a narrower terminal gets whole lines: wrapping there helps nobody


@dataclass(frozen=True)
class Terminal:
    """Where a text report is shown: `width` columns to wrap at (None: do not wrap), `colour`."""

    width: int | None = None
    colour: bool = False


PLAIN = Terminal()
_Line = tuple[int, "Status | None", str]  # level (0 head, 1 finding, 2 under it), status or None, text


def _status(status: Status, lang: str) -> str:
    """[STATUS], padded to the widest status of the language, so every block lines up."""
    width = max(len(label(f"status.{s}", lang)) for s in STATUSES)
    return f"[{label(f'status.{status}', lang).ljust(width)}]"


def _laid_out(lines: list[_Line], lang: str, term: Terminal) -> str:
    """(level, status or None, text) lines as the terminal shows them: a finding (level 1)
    two spaces in, what is under it (level 2) in line with the finding's text; wrapped under
    their text, the status in its colour."""
    column = " " * (2 + len(_status("met", lang)) + 1)
    out = []
    for level, status, said in lines:
        indent = ("", "  ", column)[level]
        head = f"{indent}{_status(status, lang)} " if status else indent
        line = printable(head + said)
        if term.width and term.width >= MIN_WRAP and len(line) > term.width:
            line = "\n".join(textwrap.wrap(line, term.width, subsequent_indent=" " * len(head),
                                            break_long_words=False, break_on_hyphens=False))
        if status and term.colour:
            tag = _status(status, lang)
            line = line.replace(tag, f"\x1b[{COLOURS[status]}m{tag}\x1b[0m", 1)
        out.append(line)
    return "\n".join(out)



def _content_lines(f: Finding, lang: str) -> list[_Line]:
    """Under a content finding: where it was heard, the fields, and a hint when not met."""
    assert f.content is not None
    c = f.content
    lines: list[_Line] = [
        (2, None, f'{where(e, lang)} {matched(e, lang)}{passage_note(e, lang)}')
        for e in sorted(strongest(c.evidence, EVIDENCE_SHOWN), key=lambda e: e.line)]
    if c.sectors:
        names = ", ".join(label_or(f"sector.{s}", lang, s) for s in c.sectors)
        lines.append((2, None, f"{label('sectors', lang)}: {names}"))
    if c.coverage != "met":
        lines.append((2, None, f"{label('hint', lang)}: {c.hint[lang]}"))
    return lines


def _file_lines(report: FileReport, lang: str) -> list[_Line]:
    m = report.media
    shown = f"{report.path} ({size(m.size_bytes, lang)})" if m else str(report.path)
    lines: list[_Line] = [
        (0, None, f"{label('file' if m else 'transcript', lang)}: {shown}"),
        (0, None, f"{label('profile', lang)}: {report.profile_name} ({label('version', lang)} "
                   f"{report.profile_version}): {report.kind_title[lang]}"),
    ]
    for f in report.findings:
        if f.content is None:
            lines.append((1, f.status, f"{label(f.id, lang)}: {text(f.message, lang)}"))
            if f.id == "speech" and (missing := untranscribed(report)):
                lines.append((2, None, f"{label('untranscribed', lang)}: {missing}"))
        else:
            lines.append((1, f.status, text(f.message, lang)))
            lines += _content_lines(f, lang)
        if note := override_note(f, lang):
            lines.append((2, None, note))
    lines.append((0, None, f"{label('verdict', lang)}: {label(f'verdict.{report.verdict}', lang)} "
                            f"({summary(report.findings, lang)})"))
    return lines


def render_text(report: FileReport, lang: str, term: Terminal = PLAIN) -> str:
    return _laid_out(_file_lines(report, lang), lang, term)


def render_unit_text(unit: UnitReport, lang: str, term: Terminal = PLAIN) -> str:
    """The unit's own findings, then each file's report, then the banners and stray files."""
    lines: list[_Line] = [(0, None, f"{label('unit', lang)}: {unit.name} ({unit.path})")]
    if unit.title or unit.region:
        lines.append((1, None, " \u2014 ".join(x for x in (unit.title, unit.region) if x)))
    if unit.error:
        lines.append((1, "not_met", unit.error))
    for f in unit.findings:
        lines.append((1, f.status, text(f.message, lang)))
        if note := override_note(f, lang):
            lines.append((2, None, note))
        if f.id == "banners":  # each image under the banner finding
            for c in unit.banners:
                said = f"({c.facts.problem})" if c.facts.problem else \
                    "-" if c.facts.text is None else f'"{c.facts.text[:BANNER_TEXT_SHOWN]}"'
                state = label("status.met" if c.passes else "status.not_met", lang)
                by = label(f"decided.{c.decided_by}", lang)
                lines.append((2, None, f"{c.facts.path.name} ({by}) {banner_size(c.facts, lang)} [{state}] {said}"))
    if unit.unknown:
        lines.append((1, None, f"{label('unknown', lang)}: " + ", ".join(p.name for p in unit.unknown)))
    for r in unit.files:
        lines += [(0, None, ""), *_file_lines(r, lang)]
    verdict = label(f"verdict.{unit.verdict}", lang)
    lines += [(0, None, ""),
              (0, None, f"{label('unit_verdict', lang)}: {verdict} ({summary(unit.all_findings(), lang)})")]
    return _laid_out(lines, lang, term)


def describe_profile(profile: Profile, lang: str) -> str:
    """A profile's rules as a person reads them (for `zi-media profiles NAME`)."""
    lines = [f"{profile.name} ({label('version', lang)} {profile.version}): {profile.title[lang]}",
             f"{label('source', lang)}: {profile.source}", f"  [{profile.path}]"]
    for rules in profile.kinds.values():
        lines.append(f"{rules.kind}: {rules.title[lang]} ({label('language', lang)}: {rules.language})")
        for req_id, options in rules.requirements.items():
            opts = ", ".join(f"{k}={v}" for k, v in options.items())
            lines.append(f"  - {req_id}" + (f" ({opts})" if opts else ""))
    return "\n".join(lines)
