"""One unit folder: find its files, check each video, the banners and the paparan.

Data flows one way here too: Submission -> FileReports (videos, paparan) + BannerFacts ->
unit-level Findings -> UnitReport. A file that cannot be checked becomes a finding; only a
folder that cannot be read at all raises.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from .banners import BannerFacts, groups_found, read_banner, same_photo, tesseract
from .coverage import content_findings
from .errors import ZiMediaError
from .paparan import paparan_transcript
from .profiles import BannerRules, Profile, UnitRules
from .submission import Submission, find
from .types import FileReport, Finding, Message, Verdict
from .validate import TranscribeSettings, check_file


@dataclass(frozen=True)
class BannerCheck:
    """One image against the profile's banner rules."""

    facts: BannerFacts
    large_enough: bool
    says: bool | None  # its text names ZI toward WBK/WBBM; None when OCR is not installed
    passes: bool


@dataclass(frozen=True)
class UnitReport:
    name: str  # the folder's name
    path: Path
    profile_name: str
    profile_version: str
    findings: tuple[Finding, ...]  # unit-level: files present, banners, paparan
    files: tuple[FileReport, ...] = ()  # each video, and the paparan's content
    banners: tuple[BannerCheck, ...] = ()
    duplicates: tuple[tuple[Path, Path], ...] = ()  # the same photo submitted twice
    unknown: tuple[Path, ...] = ()  # files that fit no role
    manifest: bool = False
    error: str | None = None  # set when the unit could not be checked at all (batch)

    @property
    def verdict(self) -> Verdict | str:
        if self.error:
            return "error"
        failed = any(f.status == "not_met" for f in self.findings) or \
            any(r.verdict == "not_met" for r in self.files)
        return "not_met" if failed else "met"

    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for r in self.files for f in r.findings)]


def _names(paths: tuple[Path, ...], root: Path) -> str:
    return ", ".join(str(p.relative_to(root)) for p in paths)


def _banner_check(b: BannerFacts, rules: BannerRules) -> BannerCheck:
    big = b.decodable and b.width_px >= rules.min_width_px and b.height_px >= rules.min_height_px
    says = None if b.text is None else all(groups_found(b.text, rules.phrases))
    return BannerCheck(b, big, says, big and says is not False)


def _banner_finding(rule_id: str, rules: BannerRules, checks: list[BannerCheck]) -> Finding:
    good = [c for c in checks if c.passes]
    params = {"title": rules.title, "good": str(len(good)), "total": str(len(checks)),
              "min": str(rules.min_count)}
    if len(good) < rules.min_count:
        return Finding(rule_id, "not_met", len(good), rules.min_count, Message("banners.too_few", params))
    if any(c.says is None for c in good):
        return Finding(rule_id, "warning", len(good), rules.min_count, Message("banners.unverified", params))
    return Finding(rule_id, "met", len(good), rules.min_count, Message("banners.ok", params))


PAPARAN_TITLE = {"id": "Paparan", "en": "Presentation"}


def _presence(role: str, title: Mapping[str, str], sub: Submission, key: str,
              path: Path | None, required: bool = True) -> Finding | None:
    """Whether one item of the unit is there: found, missing, or ambiguous (ask for a manifest)."""
    root = sub.root
    if key in sub.ambiguous:
        return Finding(role, "not_met", None, "one", Message(
            "unit.ambiguous", {"role": title, "files": _names(sub.ambiguous[key], root)}))
    if path is None:
        return Finding(role, "not_met", None, "present", Message("unit.missing", {"role": title})) \
            if required else None
    rel = str(path.relative_to(root))
    return Finding(role, "met", rel, "present", Message("unit.found", {"role": title, "file": rel}))


def _check_videos(sub: Submission, profile: Profile, transcription: TranscribeSettings | None,
                  findings: list[Finding], files: list[FileReport]) -> None:
    assert profile.unit is not None
    for kind in profile.unit.videos:
        role, path = f"video_{kind}", sub.videos.get(kind)
        findings.append(_presence(role, profile.rules(kind).title, sub, kind, path))  # type: ignore[arg-type]
        if path is None or kind in sub.ambiguous:
            continue
        try:
            files.append(check_file(path, profile, kind, transcription=transcription))
        except ZiMediaError as e:
            findings.append(Finding(f"{role}_readable", "not_met", None, None,
                                    Message("unit.unreadable", {"file": str(e)})))


def _check_banners(sub: Submission, rules: UnitRules, findings: list[Finding]
                   ) -> tuple[tuple[BannerCheck, ...], tuple[tuple[Path, Path], ...]]:
    """OCR each image once (for every rule's phrases), then judge it against each rule."""
    banner_rules = [(i, r) for i, r in (("banners", rules.banners), ("covid_banner", rules.covid_banner)) if r]
    read = tuple(read_banner(p, [g for _, r in banner_rules for g in r.phrases]) for p in sub.banners)
    for rule_id, r in banner_rules:
        findings.append(_banner_finding(rule_id, r, [_banner_check(b, r) for b in read]))
    if read and tesseract() is None:
        findings.append(Finding("ocr", "warning", None, None, Message("banners.no_tesseract")))
    duplicates = tuple((a.path, b.path) for i, a in enumerate(read) for b in read[i + 1:] if same_photo(a, b))
    if duplicates:
        findings.append(Finding("banner_duplicates", "warning", len(duplicates), 0, Message(
            "banners.duplicates", {"pairs": "; ".join(f"{a.relative_to(sub.root)} = {b.relative_to(sub.root)}"
                                                      for a, b in duplicates)})))
    checks = tuple(_banner_check(b, rules.banners) for b in read) if rules.banners else ()
    return checks, duplicates


def _check_paparan(sub: Submission, profile: Profile, findings: list[Finding], files: list[FileReport]) -> None:
    rules = profile.unit
    assert rules is not None
    found = _presence("paparan", PAPARAN_TITLE, sub, "paparan", sub.paparan, rules.paparan_required)
    if found is None or found.status != "met":
        findings += [found] if found else []
        return
    assert sub.paparan is not None
    try:
        transcript = paparan_transcript(sub.paparan, profile.rules(rules.videos[-1]).language)
    except ZiMediaError as e:
        findings.append(Finding("paparan", "not_met", found.measured, "present",
                                Message("unit.unreadable", {"file": str(e)})))
        return
    findings.append(found)
    content = tuple(_prefixed(f) for f in content_findings(transcript, rules.paparan_content))
    files.append(FileReport(profile.name, profile.version, "paparan", PAPARAN_TITLE, sub.paparan, None,
                            content, transcript))


def check_unit(root: Path, profile: Profile, transcription: TranscribeSettings | None = None) -> UnitReport:
    """Check a unit folder against the profile's `unit` rules."""
    if profile.unit is None:
        raise ZiMediaError(f"profile {profile.name} has no 'unit' rules: it checks single videos only")
    sub = find(root)
    findings: list[Finding] = []
    files: list[FileReport] = []
    _check_videos(sub, profile, transcription, findings, files)
    banners, duplicates = _check_banners(sub, profile.unit, findings)
    _check_paparan(sub, profile, findings, files)
    return UnitReport(sub.name, root, profile.name, profile.version, tuple(findings), tuple(files),
                      banners, duplicates, sub.unknown, sub.manifest)


def _prefixed(f: Finding) -> Finding:
    """Paparan findings get their own ids, so a unit's findings never share one."""
    return replace(f, id=f"paparan_{f.id}")
