"""Technical requirements judged on MediaFacts and, for picture and sound quality, on the
one scan of the file (media.scan): playable, duration, streams, black, frozen, silent
stretches, loudness.

Each requirement declares its options (name -> type, and the allowed values of text options)
and a function `(facts, scan, options) -> Finding`; the registry `REQUIREMENTS` is what
profiles may name, and profile validation reads the declared options from it. `playable` is
not in the registry: it is always checked first, because no other measurement means anything
without it. Quality findings are warnings unless the profile gives `severity: not_met`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..timefmt import clock, number, span, whole_seconds
from ..types import Finding, MediaFacts, MediaScan, Message, Status, Stretch

PLAYABLE = "playable"


@dataclass(frozen=True)
class RequirementType:
    options: Mapping[str, type]  # option name -> expected type (float accepts int)
    required: frozenset[str]  # options a profile must give
    check: Callable[[MediaFacts, MediaScan | None, Mapping[str, Any]], Finding]
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # text option -> allowed values
    scanned: bool = False  # judged on the scan of pictures and sound


def check_playable(facts: MediaFacts) -> Finding:
    """A file plays when it is media with a duration and its data reaches that duration."""
    if facts.playable:
        assert facts.duration_s is not None
        return Finding(
            PLAYABLE, "met", True, True,
            Message("playable.ok", {"container": facts.container or "?",
                                    "duration": clock(facts.duration_s)}),
        )
    params = {"detail": facts.problem_detail}
    if facts.problem == "truncated" and facts.duration_s is not None:
        params |= {"end": clock(facts.data_end_s or 0.0), "duration": clock(facts.duration_s)}
    return Finding(PLAYABLE, "not_met", False, True, Message(f"playable.{facts.problem}", params))


def check_duration(facts: MediaFacts, scan: MediaScan | None, options: Mapping[str, Any]) -> Finding:
    """Compare the duration, in whole seconds as a player shows it, with max_s (and min_s)."""
    assert facts.duration_s is not None
    measured = whole_seconds(facts.duration_s)
    max_s = whole_seconds(options["max_s"])
    min_s = options.get("min_s")
    shown = {"measured": clock(facts.duration_s), "limit": clock(max_s)}
    if measured > max_s:
        return Finding("duration", "not_met", facts.duration_s, max_s,
                       Message("duration.over", shown | {"excess": clock(measured - max_s)}))
    if min_s is not None and measured < whole_seconds(min_s):
        short = whole_seconds(min_s) - measured
        return Finding("duration", "not_met", facts.duration_s, min_s,
                       Message("duration.under", shown | {"limit": clock(min_s),
                                                          "short": clock(short)}))
    return Finding("duration", "met", facts.duration_s, max_s, Message("duration.ok", shown))


WHOLLY_SHARE = 0.95  # of the duration black or frozen: the video shows nothing


def check_video_stream(facts: MediaFacts, scan: MediaScan | None, options: Mapping[str, Any]) -> Finding:
    """A picture stream is there, and (when the file was scanned) it is not all black or frozen."""
    if not facts.video:
        return Finding("video_stream", "not_met", None, "present", Message("video_stream.missing"))
    v = facts.video[0]
    fps = f", {v.fps:g} fps" if v.fps else ""
    width, height = v.shown_size
    turned = f" ({v.width_px}x{v.height_px} ↻{v.rotation_deg}°)" if v.rotation_deg else ""
    desc = f"{v.codec} {width}x{height}{turned}{fps}"
    if not v.pictures:
        return Finding("video_stream", "not_met", desc, "present", Message("video_stream.no_pictures", {"desc": desc}))
    if scan is not None and scan.pictures and facts.duration_s:
        for what, stretches in (("black", scan.black), ("frozen", scan.frozen)):
            if sum(s.duration_s for s in stretches) >= WHOLLY_SHARE * facts.duration_s:
                return Finding("video_stream", "not_met", desc, "present",
                               Message(f"video_stream.{what}", {"desc": desc}), stretches=stretches)
    return Finding("video_stream", "met", desc, "present", Message("video_stream.ok", {"desc": desc}))


def check_audio_stream(facts: MediaFacts, scan: MediaScan | None, options: Mapping[str, Any]) -> Finding:
    if not facts.audio:
        return Finding("audio_stream", "not_met", None, "present", Message("audio_stream.missing"))
    a = facts.audio[0]  # the track checked and transcribed (media.probe.audio_track)
    desc = f"{a.codec} {a.sample_rate_hz} Hz, {a.channels} ch"  # measured: as a program reads it
    rate = number(round(a.sample_rate_hz / 1000, 1)) if a.sample_rate_hz else {"id": "?", "en": "?"}
    layout = {"id": "mono", "en": "mono"} if a.channels == 1 else {"id": "stereo", "en": "stereo"} \
        if a.channels == 2 else {"id": f"{a.channels} kanal", "en": f"{a.channels} channels"}
    shown = {lang: f"{a.codec} {rate[lang]} kHz, {layout[lang]}" for lang in ("id", "en")}
    said = Message("audio_stream.tracks", {"desc": shown, "track": str(a.track + 1), "count": str(len(facts.audio))}) \
        if len(facts.audio) > 1 else Message("audio_stream.ok", {"desc": shown})
    return Finding("audio_stream", "met", desc, "present", said)


SEVERITIES = ("warning", "not_met")


def _unscanned(req_id: str, scan: MediaScan | None, pictures: bool) -> Finding | None:
    """A quality finding that cannot be judged: the half of the scan it needs did not run."""
    if scan is None:
        return Finding(req_id, "warning", None, None, Message("scan.skipped", {"why": "not scanned"}))
    if not (scan.pictures if pictures else scan.sound):
        why = scan.skipped or ("no picture stream" if pictures else "no sound stream")
        return Finding(req_id, "warning", None, None, Message("scan.skipped", {"why": why}))
    return None


def _stretch_rule(req_id: str, pictures: bool, found: Callable[[MediaScan], tuple[Stretch, ...]]) \
        -> Callable[[MediaFacts, MediaScan | None, Mapping[str, Any]], Finding]:
    """A rule on stretches the scan found: none of `min_s` or longer."""
    def check(facts: MediaFacts, scan: MediaScan | None, options: Mapping[str, Any]) -> Finding:
        if (skipped := _unscanned(req_id, scan, pictures)) is not None:
            return skipped
        assert scan is not None
        min_s = float(options.get("min_s", 0.0))
        long = tuple(s for s in found(scan) if s.duration_s >= min_s)
        total = round(sum(s.duration_s for s in long), 2)
        if not long:
            return Finding(req_id, "met", 0.0, min_s, Message(f"{req_id}.none", {"limit": number(min_s)}))
        status: Status = options.get("severity", "warning")
        where = ", ".join(span(s.start_s, s.end_s) for s in long[:SHOWN_STRETCHES])
        more = len(long) - SHOWN_STRETCHES
        return Finding(req_id, status, total, min_s, Message(f"{req_id}.found", {
            "count": str(len(long)), "total": clock(total), "limit": number(min_s),
            "where": where + (f" (+{more})" if more > 0 else "")}), stretches=long)
    return check


SHOWN_STRETCHES = 5  # stretches named in a finding's message (the evidence has all)


def check_loudness(facts: MediaFacts, scan: MediaScan | None, options: Mapping[str, Any]) -> Finding:
    """Integrated loudness within bounds, true peak below its ceiling, little clipping."""
    if (skipped := _unscanned("loudness", scan, pictures=False)) is not None:
        return skipped
    assert scan is not None
    lufs, peak, clipped = scan.loudness_lufs, scan.true_peak_db, scan.clipped_share
    if lufs is None:
        return Finding("loudness", "warning", None, None, Message("loudness.silent"))
    problems: list[tuple[str, str | Mapping[str, str]]] = []
    if lufs < options["min_lufs"]:
        problems.append(("too_quiet", number(options["min_lufs"])))
    if lufs > options["max_lufs"]:
        problems.append(("too_loud", number(options["max_lufs"])))
    if peak is not None and peak > options.get("max_true_peak_db", 0.0):
        problems.append(("peak", number(options.get("max_true_peak_db", 0.0))))
    if clipped is not None and clipped > options.get("max_clipped_share", 0.001):
        problems.append(("clipped", f"{clipped:.1%}"))
    if scan.loud:
        problems.append(("loud_stretches", ", ".join(span(s.start_s, s.end_s) for s in scan.loud[:SHOWN_STRETCHES])))
    params: dict[str, str | Mapping[str, str]] = {
        "lufs": number(round(lufs, 1)), "peak": number(round(peak, 1)) if peak is not None else "?",
        "min": number(options["min_lufs"]), "max": number(options["max_lufs"])}
    if not problems:
        return Finding("loudness", "met", lufs, options["max_lufs"], Message("loudness.ok", params))
    status: Status = options.get("severity", "warning")
    return Finding("loudness", status, lufs, options["max_lufs"],
                   Message(f"loudness.{problems[0][0]}", params | {"limit": problems[0][1]}), stretches=scan.loud)


_QUALITY = {"min_s": float, "severity": str}
REQUIREMENTS: dict[str, RequirementType] = {
    "duration": RequirementType({"max_s": float, "min_s": float}, frozenset({"max_s"}),
                                check_duration),
    "video_stream": RequirementType({}, frozenset(), check_video_stream),
    "audio_stream": RequirementType({}, frozenset(), check_audio_stream),
    "black": RequirementType(_QUALITY, frozenset({"min_s"}), _stretch_rule("black", True, lambda s: s.black),
                             {"severity": SEVERITIES}, scanned=True),
    "freeze": RequirementType(_QUALITY, frozenset({"min_s"}), _stretch_rule("freeze", True, lambda s: s.frozen),
                              {"severity": SEVERITIES}, scanned=True),
    "silence": RequirementType(_QUALITY, frozenset({"min_s"}), _stretch_rule("silence", False, lambda s: s.silence),
                               {"severity": SEVERITIES}, scanned=True),
    "loudness": RequirementType({"min_lufs": float, "max_lufs": float, "max_true_peak_db": float,
                                 "max_clipped_share": float, "severity": str},
                                frozenset({"min_lufs", "max_lufs"}), check_loudness,
                                {"severity": SEVERITIES}, scanned=True),
}


def run_checks(facts: MediaFacts, requirements: Mapping[str, Mapping[str, Any]],
               scan: MediaScan | None = None) -> tuple[Finding, ...]:
    """`playable` first, then each requirement of the profile in its order.

    Where the header gave no duration (empty, damaged, not media) every other requirement
    is `not_met` as not measurable, so the report still lists each rule the file was held
    to; a truncated file still has its header's facts, so those are checked.
    """
    findings = [check_playable(facts)]
    if facts.header_duration_s is not None and facts.duration_s is not None:
        findings.append(Finding("duration_header", "warning", facts.header_duration_s, facts.duration_s, Message(
            "duration_header.disagrees", {"header": clock(max(facts.header_duration_s, 0.0)),
                                          "data": clock(facts.duration_s)})))
    for req_id, options in requirements.items():
        if facts.duration_s is not None:
            findings.append(REQUIREMENTS[req_id].check(facts, scan, options))
        else:
            findings.append(Finding(req_id, "not_met", None, None, Message("not_measurable")))
    return tuple(findings)
