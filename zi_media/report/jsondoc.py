"""JSON reports for programs: a contract; `schema_version` changes when a key changes meaning."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..files import json_text
from ..speech.transcript_files import transcript_to_dict
from ..types import FileReport, Finding, MediaFacts, MediaScan, UnitReport
from ..version import __version__
from .i18n import text

# bump when a key of the JSON report changes meaning or goes away; 2: a unit's "duplicates"
# are groups of files (the same photo), not pairs
JSON_SCHEMA_VERSION = 2


def _media_dict(m: MediaFacts) -> dict[str, Any]:
    return {
        "playable": m.playable,
        "problem": m.problem,
        "duration_s": m.duration_s,
        "data_end_s": m.data_end_s,
        "header_duration_s": m.header_duration_s,
        "container": m.container,
        "video": [asdict(v) for v in m.video],
        "audio": [asdict(a) for a in m.audio],
    }


def _scan_dict(s: MediaScan) -> dict[str, Any]:
    return {"pictures": s.pictures, "sound": s.sound, "skipped": s.skipped or None, "scenes": list(s.scenes),
            "loudness_lufs": s.loudness_lufs, "true_peak_db": s.true_peak_db, "clipped_share": s.clipped_share,
            "screen_read": s.screen_read, "screen": [asdict(t) for t in s.screen]}


def _finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f.id, "status": f.status, "measured": f.measured, "limit": f.limit,
                           "message": text(f.message, lang)}
    if f.override is not None:
        out["override"] = {**asdict(f.override), "machine_status": f.machine}
    if f.stretches:
        out["evidence"] = [{"start_s": s.start_s, "end_s": s.end_s} for s in f.stretches]
    if f.content is not None:
        c = f.content
        out |= {"title": c.title[lang], "coverage": c.coverage, "score": c.score,
                "evidence": [asdict(e) for e in c.evidence],
                "hint": c.hint[lang] if c.coverage != "met" else None,
                "sectors": list(c.sectors), "learned_score": c.learned, "learned_threshold": c.learned_threshold}
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
        "scan": _scan_dict(report.scan) if report.scan else None,
        "verdict": report.verdict,
    }


def unit_to_dict(unit: UnitReport, lang: str) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool_version": __version__,
        "profile": {"name": unit.profile_name, "version": unit.profile_version},
        "language": lang,
        "unit": {"name": unit.name, "path": str(unit.path), "manifest": unit.manifest, "title": unit.title,
                 "region": unit.region},
        "verdict": unit.verdict,
        "error": unit.error,
        "findings": [_finding_dict(f, lang) for f in unit.findings],
        "files": [to_dict(r, lang) for r in unit.files],
        "banners": [{"path": str(c.facts.path), "decodable": c.facts.decodable,
                     "width_px": c.facts.width_px, "height_px": c.facts.height_px,
                     "text": c.facts.text, "large_enough": c.large_enough, "says_zi_wbk_wbbm": c.says,
                     "rotation_deg": c.facts.rotation_deg, "problem": c.facts.problem, "passes": c.passes,
                     "decided_by": c.decided_by, "frames": c.facts.frames, "frame": c.facts.frame}
                    for c in unit.banners],
        "duplicates": [[str(p) for p in group] for group in unit.duplicates],
        "unknown_files": [str(p) for p in unit.unknown],
    }


def render_json(report: FileReport | UnitReport, lang: str) -> str:
    doc = unit_to_dict(report, lang) if isinstance(report, UnitReport) else to_dict(report, lang)
    return json_text(doc)
