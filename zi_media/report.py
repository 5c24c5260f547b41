"""Renderers: a FileReport as text for a person or JSON for a program. They only format."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import __version__
from .i18n import label, label_or, size, text
from .profiles import Profile
from .timefmt import mmss
from .transcribe import transcript_to_dict
from .types import Evidence, FileReport, Finding, MediaFacts

if TYPE_CHECKING:
    from .unit import UnitReport

EVIDENCE_SHOWN = 3  # evidence lines per content finding in the text report (JSON has all)

JSON_SCHEMA_VERSION = 1  # bump when a key of the JSON report changes meaning or goes away


def exit_code(reports: Iterable[FileReport | "UnitReport"]) -> int:
    """0 when every requirement of every report is met (warnings allowed), else 1
    (a unit that could not be checked at all counts as not met)."""
    return 0 if all(r.verdict == "met" for r in reports) else 1


def _media_dict(m: MediaFacts) -> dict[str, Any]:
    return {
        "playable": m.playable,
        "problem": m.problem,
        "duration_s": m.duration_s,
        "data_end_s": m.data_end_s,
        "container": m.container,
        "video": [asdict(v) for v in m.video],
        "audio": [asdict(a) for a in m.audio],
    }


def _finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f.id, "status": f.status, "measured": f.measured, "limit": f.limit,
                           "message": text(f.message, lang)}
    if f.content is not None:
        c = f.content
        out |= {"title": c.title[lang], "coverage": c.coverage, "score": c.score,
                "evidence": [asdict(e) for e in c.evidence],
                "hint": c.hint[lang] if c.coverage != "met" else None,
                "sectors": list(c.sectors)}
    return out


def to_dict(report: FileReport, lang: str) -> dict[str, Any]:
    m = report.media
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool_version": __version__,
        "profile": {"name": report.profile_name, "version": report.profile_version,
                    "kind": report.kind},
        "language": lang,
        "file": {"path": str(report.path), "size_bytes": m.size_bytes if m else None},
        "media": _media_dict(m) if m else None,
        "findings": [_finding_dict(f, lang) for f in report.findings],
        "transcript": transcript_to_dict(report.transcript) if report.transcript else None,
        "verdict": report.verdict,
    }


def render_json(report: FileReport, lang: str) -> str:
    return json.dumps(to_dict(report, lang), ensure_ascii=False, indent=2)


def summary(findings: Iterable[Finding], lang: str) -> str:
    """ "N of M requirements not met", for every report format."""
    findings = list(findings)
    failed = sum(f.status == "not_met" for f in findings)
    return label("summary", lang, failed=failed, total=len(findings))


def where(e: Evidence, lang: str) -> str:
    """Where evidence was heard: mm:ss-mm:ss, or the line of an untimed transcript."""
    if e.start_s is None or e.end_s is None:
        return f"{label('line', lang)} {e.line}"
    return f"{mmss(e.start_s)}-{mmss(e.end_s)}"


def _content_lines(f: Finding, lang: str) -> list[str]:
    """Under a content finding: where it was heard, the fields, and a hint when not met."""
    assert f.content is not None
    c, pad = f.content, " " * 8
    strongest = sorted(c.evidence, key=lambda e: -e.weight * e.similarity)[:EVIDENCE_SHOWN]
    lines = [f'{pad}{where(e, lang)} "{e.heard}" ~ {e.phrase} ({e.similarity:g})'
             for e in sorted(strongest, key=lambda e: e.line)]
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
        else:
            lines.append(f"  [{status}] {text(f.message, lang)}")
            lines += _content_lines(f, lang)
    lines.append(f"{label('verdict', lang)}: {label(f'verdict.{report.verdict}', lang)} "
                 f"({summary(report.findings, lang)})")
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[FileReport, str], str]] = {"text": render_text, "json": render_json}


def render(report: FileReport, fmt: str, lang: str) -> str:
    if fmt == "html":  # imported here: the HTML renderer needs the thumbnails of the report
        from .report_html import render_html
        from .thumbnails import for_file

        return render_html(report, lang, for_file(report))
    return RENDERERS[fmt](report, lang)


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


def unit_to_dict(unit: "UnitReport", lang: str) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool_version": __version__,
        "profile": {"name": unit.profile_name, "version": unit.profile_version},
        "language": lang,
        "unit": {"name": unit.name, "path": str(unit.path), "manifest": unit.manifest},
        "verdict": unit.verdict,
        "error": unit.error,
        "findings": [_finding_dict(f, lang) for f in unit.findings],
        "files": [to_dict(r, lang) for r in unit.files],
        "banners": [{"path": str(c.facts.path), "decodable": c.facts.decodable,
                     "width_px": c.facts.width_px, "height_px": c.facts.height_px,
                     "text": c.facts.text, "large_enough": c.large_enough, "says_zi_wbk_wbbm": c.says,
                     "rotation_deg": c.facts.rotation_deg, "passes": c.passes} for c in unit.banners],
        "duplicates": [[str(a), str(b)] for a, b in unit.duplicates],
        "unknown_files": [str(p) for p in unit.unknown],
    }


def render_unit_json(unit: "UnitReport", lang: str) -> str:
    return json.dumps(unit_to_dict(unit, lang), ensure_ascii=False, indent=2)


def render_unit_text(unit: "UnitReport", lang: str) -> str:
    """The unit's own findings, then each file's report, then the banners and stray files."""
    lines = [f"{label('unit', lang)}: {unit.name} ({unit.path})"]
    if unit.error:
        lines.append(f"  [{label('status.not_met', lang)}] {unit.error}")
    for f in unit.findings:
        lines.append(f"  [{label(f'status.{f.status}', lang)}] {text(f.message, lang)}")
        if f.id == "banners":  # each image under the banner finding
            for c in unit.banners:
                said = "-" if c.facts.text is None else f'"{c.facts.text[:80]}"'
                state = label("status.met" if c.passes else "status.not_met", lang)
                lines.append(f"        {c.facts.path.name} {c.facts.width_px}x{c.facts.height_px} [{state}] {said}")
    if unit.unknown:
        lines.append(f"  {label('unknown', lang)}: " + ", ".join(p.name for p in unit.unknown))
    for r in unit.files:
        lines += ["", render_text(r, lang)]
    verdict = label(f"verdict.{unit.verdict}", lang)
    lines += ["", f"{label('unit_verdict', lang)}: {verdict} ({summary(unit.all_findings(), lang)})"]
    return "\n".join(lines)
