"""Text reports for a person: one video or transcript, a unit folder, a profile's rules."""

from __future__ import annotations

from ..profiles import Profile
from ..types import FileReport, Finding, UnitReport
from .common import banner_size, override_note, passage_note, printable, strongest, summary, untranscribed, where
from .i18n import label, label_or, size, text

EVIDENCE_SHOWN = 3  # evidence lines per content finding in the text report (JSON has all)
BANNER_TEXT_SHOWN = 80  # characters of a banner's OCR text shown under the banner finding


def _content_lines(f: Finding, lang: str) -> list[str]:
    """Under a content finding: where it was heard, the fields, and a hint when not met."""
    assert f.content is not None
    c, pad = f.content, " " * 8
    lines = [f'{pad}{where(e, lang)} "{e.heard}" ~ {e.phrase} ({e.similarity:g}){passage_note(e, lang)}'
             for e in sorted(strongest(c.evidence, EVIDENCE_SHOWN), key=lambda e: e.line)]
    if c.sectors:
        names = ", ".join(label_or(f"sector.{s}", lang, s) for s in c.sectors)
        lines.append(f"{pad}{label('sectors', lang)}: {names}")
    if c.coverage != "met":
        lines.append(f"{pad}{label('hint', lang)}: {c.hint[lang]}")
    return lines


def render_text(report: FileReport, lang: str) -> str:
    m = report.media
    width = max((len(label(f"status.{f.status}", lang)) for f in report.findings), default=0)
    shown = f"{report.path} ({size(m.size_bytes, lang)})" if m else str(report.path)
    lines = [
        f"{label('file' if m else 'transcript', lang)}: {shown}",
        f"{label('profile', lang)}: {report.profile_name} ({label('version', lang)} "
        f"{report.profile_version}): {report.kind_title[lang]}",
    ]
    for f in report.findings:
        status = label(f"status.{f.status}", lang).ljust(width)
        if f.content is None:
            lines.append(f"  [{status}] {label(f.id, lang)}: {text(f.message, lang)}")
            if f.id == "speech" and (missing := untranscribed(report)):
                lines.append(f"        {label('untranscribed', lang)}: {missing}")
        else:
            lines.append(f"  [{status}] {text(f.message, lang)}")
            lines += _content_lines(f, lang)
        if note := override_note(f, lang):
            lines.append(f"        {note}")
    lines.append(f"{label('verdict', lang)}: {label(f'verdict.{report.verdict}', lang)} "
                 f"({summary(report.findings, lang)})")
    return "\n".join(printable(line) for line in lines)


def render_unit_text(unit: UnitReport, lang: str) -> str:
    """The unit's own findings, then each file's report, then the banners and stray files."""
    lines = [f"{label('unit', lang)}: {unit.name} ({unit.path})"]
    if unit.error:
        lines.append(f"  [{label('status.not_met', lang)}] {unit.error}")
    for f in unit.findings:
        lines.append(f"  [{label(f'status.{f.status}', lang)}] {text(f.message, lang)}")
        if note := override_note(f, lang):
            lines.append(f"        {note}")
        if f.id == "banners":  # each image under the banner finding
            for c in unit.banners:
                said = f"({c.facts.problem})" if c.facts.problem else \
                    "-" if c.facts.text is None else f'"{c.facts.text[:BANNER_TEXT_SHOWN]}"'
                state = label("status.met" if c.passes else "status.not_met", lang)
                by = label(f"decided.{c.decided_by}", lang)
                lines.append(f"        {c.facts.path.name} ({by}) {banner_size(c.facts, lang)} [{state}] {said}")
    if unit.unknown:
        lines.append(f"  {label('unknown', lang)}: " + ", ".join(p.name for p in unit.unknown))
    for r in unit.files:
        lines += ["", *render_text(r, lang).split("\n")]
    verdict = label(f"verdict.{unit.verdict}", lang)
    lines += ["", f"{label('unit_verdict', lang)}: {verdict} ({summary(unit.all_findings(), lang)})"]
    return "\n".join(printable(line) for line in lines)


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
