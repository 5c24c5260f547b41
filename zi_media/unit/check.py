"""One unit folder: find its files, check each video, the banners and the paparan.

Data flows one way here too: Submission -> FileReports (videos, paparan) + BannerFacts ->
unit-level Findings -> UnitReport. Each part returns what it found; a file that cannot be
checked becomes a finding; only a folder that cannot be read at all raises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.coverage import content_findings
from ..errors import ZiMediaError
from ..file_check import TranscribeSettings, check_file
from ..ocr import ocr_language, tesseract
from ..profiles import BannerRules, Profile, UnitRules
from ..types import BannerCheck, BannerFacts, DecidedBy, FileReport, Finding, Message, UnitReport
from .archive import unpacked
from .banners import duplicate_groups, groups_found, header, read_banner
from .paparan import paparan_transcript
from .submission import Submission, expected_names, find

PAPARAN_TITLE = {"id": "Paparan", "en": "Presentation"}


@dataclass(frozen=True)
class _Part:
    """What one part of the unit check found: unit-level findings and file reports."""

    findings: tuple[Finding, ...] = ()
    files: tuple[FileReport, ...] = ()


def _names(paths: tuple[Path, ...], root: Path) -> str:
    return ", ".join(str(p.relative_to(root)) for p in paths)


def _says(b: BannerFacts, rules: BannerRules) -> bool | None:
    return None if b.text is None else all(groups_found(b.text, rules.phrases))


def _banner_check(b: BannerFacts, rules: BannerRules, decided_by: DecidedBy) -> BannerCheck:
    big = b.decodable and b.width_px >= rules.min_width_px and b.height_px >= rules.min_height_px
    says = _says(b, rules)
    return BannerCheck(b, big, says, big and says is not False, decided_by)


def _banner_finding(rule_id: str, rules: BannerRules, checks: tuple[BannerCheck, ...]) -> Finding:
    good = [c for c in checks if c.passes]
    params: dict[str, str | Mapping[str, str]] = {
        "title": rules.title, "good": str(len(good)), "total": str(len(checks)), "min": str(rules.min_count)}
    if not checks:  # "only 0 of 0 images pass" says nothing: say what would be taken
        params["expected"] = expected_names("banners")
        return Finding(rule_id, "not_met", 0, rules.min_count, Message("banners.none", params))
    if len(good) < rules.min_count:
        return Finding(rule_id, "not_met", len(good), rules.min_count, Message("banners.too_few", params))
    if any(c.says is None for c in good):
        return Finding(rule_id, "warning", len(good), rules.min_count, Message("banners.unverified", params))
    return Finding(rule_id, "met", len(good), rules.min_count, Message("banners.ok", params))


def _presence(role: str, title: Mapping[str, str], sub: Submission, key: str,
              path: Path | None, required: bool = True, unsure: tuple[Path, ...] = ()) -> Finding | None:
    """Whether one item of the unit is there: found, missing (saying how it is named, and the
    files that were looked at for it: `unsure`), or ambiguous (ask for a manifest)."""
    root = sub.root
    if key in sub.ambiguous:
        return Finding(role, "not_met", None, "one", Message(
            "unit.ambiguous", {"role": title, "files": _names(sub.ambiguous[key], root)}))
    if path is None:
        params: dict[str, str | Mapping[str, str]] = {"role": title, "expected": expected_names(key)}
        if unsure:
            params["files"] = _names(unsure, root)
        return Finding(role, "not_met", None, "present", Message(
            "unit.missing_looked" if unsure else "unit.missing", params)) if required else None
    rel = str(path.relative_to(root))
    return Finding(role, "met", rel, "present", Message("unit.found", {"role": title, "file": rel}))


MIN_CONTENT_SHARE = 0.5  # a video is taken for a kind when at least this share of its content rules is met


def _met_share(report: FileReport) -> tuple[float, int]:
    """The share and the number of a report's content rules met."""
    content = [f for f in report.findings if f.content is not None]
    met = sum(f.status == "met" for f in content)
    return (met / len(content) if content else 0.0), met


def _found_by(role: str, title: Mapping[str, str], report: FileReport, root: Path, key: str) -> Finding:
    """An item taken by what its file says: which file, and how many of its content rules it meets."""
    _, met = _met_share(report)
    rel = str(report.path.relative_to(root))
    total = sum(f.content is not None for f in report.findings)
    return Finding(role, "met", rel, "present", Message(key, {"role": title, "file": rel, "met": str(met),
                                                              "total": str(total)}))


def _by_content(sub: Submission, profile: Profile, kinds: list[str],
                transcription: TranscribeSettings | None) -> tuple[dict[str, FileReport], tuple[Path, ...]]:
    """The unnamed videos assigned to the missing kinds by what is said in them: each video is
    checked as each kind (one transcription, cached), and the clearest fits are taken first.
    Returns the reports taken, by kind, and the videos left unsure (a manifest must say)."""
    if transcription is None or not kinds:
        return {}, sub.unnamed_videos
    reports: dict[tuple[Path, str], FileReport] = {}
    for path in sub.unnamed_videos:
        for kind in kinds:
            try:
                reports[path, kind] = check_file(path, profile, kind, transcription=transcription)
            except ZiMediaError:
                break  # an unreadable video fits no kind
    taken = assign(reports, kinds)
    return taken, tuple(p for p in sub.unnamed_videos if all(r.path != p for r in taken.values()))


def assign(reports: Mapping[tuple[Path, str], FileReport], kinds: Sequence[str]) -> dict[str, FileReport]:
    """The kinds given to videos, each video at most one kind and only where it fits (at
    least MIN_CONTENT_SHARE of that kind's rules met): the assignment that fits the most
    kinds, then the most rules met in all. Greedy by share would give a development video
    whose 8 of 9 rules are met to the profile kind, whose one rule it meets too."""
    def best(i: int, used: frozenset[Path]) -> tuple[tuple[int, int, float], dict[str, FileReport]]:
        if i == len(kinds):
            return (0, 0, 0.0), {}
        score, chosen = best(i + 1, used)  # this kind left to no video
        for (path, kind), report in reports.items():
            share, met = _met_share(report)
            if kind != kinds[i] or path in used or share < MIN_CONTENT_SHARE:
                continue
            (n, total, shares), rest = best(i + 1, used | {path})
            if (n + 1, total + met, shares + share) > score:
                score, chosen = (n + 1, total + met, shares + share), {kind: report, **rest}
        return score, chosen

    return best(0, frozenset())[1]


def _check_videos(sub: Submission, profile: Profile, rules: UnitRules,
                  transcription: TranscribeSettings | None) -> tuple[_Part, tuple[Path, ...]]:
    """Each required video, found by name (or manifest), else by what is said in an unnamed
    one; also returns the unnamed videos that fit no kind clearly."""
    missing = [k for k in rules.videos if k not in sub.videos and k not in sub.ambiguous]
    by_content, unsure = _by_content(sub, profile, missing, transcription)
    findings: list[Finding] = []
    files: list[FileReport] = []
    for kind in rules.videos:
        role, path, title = f"video_{kind}", sub.videos.get(kind), profile.rules(kind).title
        if kind in by_content:
            report = by_content[kind]
            findings.append(_found_by(role, title, report, sub.root, "unit.found_by_content"))
            files.append(report)
            continue
        found = _presence(role, title, sub, kind, path)  # unnamed videos: the role_unsure warning
        assert found is not None  # a required item is always reported
        findings.append(found)
        if path is None or kind in sub.ambiguous:
            continue
        try:
            files.append(check_file(path, profile, kind, transcription=transcription))
        except ZiMediaError as e:
            findings.append(Finding(f"{role}_readable", "not_met", None, None,
                                    Message("unit.unreadable", {"file": str(e)})))
    if unsure and missing:
        findings.append(Finding("video_role", "warning", len(unsure), None, Message("unit.role_unsure", {
            "files": _names(unsure, sub.root)})))
    return _Part(tuple(findings), tuple(files)), unsure


@dataclass(frozen=True)
class _Banners:
    findings: tuple[Finding, ...]
    checks: tuple[BannerCheck, ...]  # each image against the WBK/WBBM banner rules
    duplicates: tuple[tuple[Path, ...], ...]  # groups of the same photo
    others: tuple[Path, ...]  # images whose size or text made them no banner of any rule


DUPLICATE_GROUPS_SHOWN = 10  # groups of the same photo named in the finding (the JSON report has all)
DUPLICATE_NAMES_SHOWN = 5  # files named per group
MORE = {"id": "+{n} lainnya", "en": "+{n} more"}  # after a list cut short, in each report language


def _cut(items: Sequence[str | Mapping[str, str]], most: int, sep: str) -> dict[str, str]:
    """The first `most` items joined, the rest counted, in each report language: a folder of
    400 copies of one photo is one short line, not 79,800 pairs."""
    rest = len(items) - most
    return {lang: sep.join(i if isinstance(i, str) else i[lang] for i in items[:most]) +
            (f" {more.format(n=rest)}" if rest > 0 else "") for lang, more in MORE.items()}


def _duplicates_finding(groups: tuple[tuple[Path, ...], ...], root: Path) -> Finding:
    named = [_cut([str(p.relative_to(root)) for p in g], DUPLICATE_NAMES_SHOWN, " = ") for g in groups]
    return Finding("banner_duplicates", "warning", len(groups), 0, Message("banners.duplicates", {
        "count": str(len(groups)), "files": str(sum(map(len, groups))),
        "groups": _cut(named, DUPLICATE_GROUPS_SHOWN, "; ")}))


def _too_small(path: Path, banner_rules: Sequence[tuple[str, BannerRules]]) -> bool:
    """Whether an image is, by its header alone, smaller than every rule's minimum size: an
    unnamed one that is is no banner, and is neither decoded nor read (3,000 thumbnails in a
    unit cost no OCR)."""
    head = header(path)
    return head is not None and head.problem is None and all(
        head.width < r.min_width_px or head.height < r.min_height_px for _, r in banner_rules)


def _check_banners(sub: Submission, rules: UnitRules) -> _Banners:
    """OCR each image once (for every rule's phrases), then judge it once against each rule.
    Images named as banners (or by the manifest) are judged as such, a small one as too
    small; any other image large enough counts for a rule when its text says what that rule
    asks, and is listed as another file if not."""
    banner_rules = [(i, r) for i, r in (("banners", rules.banners), ("covid_banner", rules.covid_banner)) if r]
    groups = [g for _, r in banner_rules for g in r.phrases]
    named = tuple(read_banner(p, groups) for p in sub.banners)
    found = tuple(read_banner(p, groups, retry_unread=False) for p in sub.images if not _too_small(p, banner_rules))
    read = named + found
    by: DecidedBy = "manifest" if sub.manifest else "name"
    judged = {rule_id: tuple(_banner_check(b, r, by) for b in named) +
              tuple(_banner_check(b, r, "content") for b in found if _says(b, r))
              for rule_id, r in banner_rules}
    taken = {c.facts.path for checks in judged.values() for c in checks}
    findings = [_banner_finding(rule_id, r, judged[rule_id]) for rule_id, r in banner_rules]
    exe = tesseract()
    if read and (exe is None or ocr_language(exe) is None):
        findings.append(Finding("ocr", "warning", None, None, Message("banners.no_tesseract")))
    elif read and exe is not None and ocr_language(exe) != "ind":
        findings.append(Finding("ocr", "warning", None, None, Message("banners.no_indonesian")))
    duplicates = tuple(tuple(read[i].path for i in g) for g in duplicate_groups(read))
    if duplicates:
        findings.append(_duplicates_finding(duplicates, sub.root))
    return _Banners(tuple(findings), judged.get("banners", ()), duplicates,
                    tuple(p for p in sub.images if p not in taken))


def _paparan_report(path: Path, profile: Profile, rules: UnitRules) -> FileReport:
    """The paparan's text, slide by slide, judged by the paparan's content rules."""
    transcript = paparan_transcript(path, rules.paparan_language)
    content = tuple(_prefixed(f) for f in content_findings(transcript, rules.paparan_content))
    return FileReport(profile.name, profile.version, "paparan", PAPARAN_TITLE, path, None, content, transcript)


def _check_paparan(sub: Submission, profile: Profile, rules: UnitRules) -> tuple[_Part, tuple[Path, ...]]:
    """The paparan named so (or by the manifest), else the one document (.pptx/.pdf named
    otherwise, as a phone names them) whose text meets at least MIN_CONTENT_SHARE of the
    paparan's content rules; also returns the documents that are not it."""
    if sub.paparan is None and "paparan" not in sub.ambiguous and sub.documents:
        fits = []
        for path in sub.documents:
            try:
                report = _paparan_report(path, profile, rules)
            except ZiMediaError:
                continue  # unreadable: not the paparan
            if _met_share(report)[0] >= MIN_CONTENT_SHARE:
                fits.append(report)
        if len(fits) == 1:
            taken = _found_by("paparan", PAPARAN_TITLE, fits[0], sub.root, "unit.found_by_text")
            return _Part((taken,), (fits[0],)), tuple(p for p in sub.documents if p != fits[0].path)
        if len(fits) > 1:
            return _Part((Finding("paparan", "not_met", None, "one", Message("unit.ambiguous", {
                "role": PAPARAN_TITLE, "files": _names(tuple(r.path for r in fits), sub.root)})),)), sub.documents
    found = _presence("paparan", PAPARAN_TITLE, sub, "paparan", sub.paparan, rules.paparan_required,
                      unsure=sub.documents)
    if found is None or found.status != "met" or sub.paparan is None:
        return _Part((found,) if found else ()), sub.documents
    try:
        report = _paparan_report(sub.paparan, profile, rules)
    except ZiMediaError as e:
        return _Part((Finding("paparan", "not_met", found.measured, "present",
                              Message("unit.unreadable", {"file": str(e)})),)), sub.documents
    return _Part((found,), (report,)), sub.documents


def is_archive(path: Path) -> bool:
    """Whether `path` is a unit submitted as one zip file."""
    return path.suffix.lower() == ".zip" and path.is_file()


def check_unit(root: Path, profile: Profile, transcription: TranscribeSettings | None = None) -> UnitReport:
    """Check a unit folder (or a unit's .zip, unpacked safely) against the profile's `unit` rules."""
    if profile.unit is None:
        raise ZiMediaError(f"profile {profile.name} has no 'unit' rules: it checks single videos only")
    if is_archive(root):
        archive = unpacked(root)
        report = check_unit(archive.folder, profile, transcription)
        twice = (Finding("zip_duplicates", "warning", len(archive.duplicates), 0, Message(
            "unit.zip_duplicates", {"members": ", ".join(archive.duplicates)})),) if archive.duplicates else ()
        return replace(report, name=root.stem, path=root, findings=twice + report.findings)
    rules = profile.unit
    sub = find(root)
    outside = (Finding("outside", "not_met", len(sub.outside), 0, Message(
        "unit.outside", {"entries": ", ".join(sub.outside)})),) if sub.outside else ()
    videos, unsure = _check_videos(sub, profile, rules, transcription)
    banners = _check_banners(sub, rules)
    paparan, documents = _check_paparan(sub, profile, rules)
    return UnitReport(sub.name, root, profile.name, profile.version,
                      outside + videos.findings + banners.findings + paparan.findings, videos.files + paparan.files,
                      banners.checks, banners.duplicates,
                      tuple(sorted((*sub.unknown, *banners.others, *unsure, *documents))), sub.manifest,
                      title=sub.title, region=sub.region)


def _prefixed(f: Finding) -> Finding:
    """Paparan findings get their own ids, so a unit's findings never share one."""
    return replace(f, id=f"paparan_{f.id}")
