"""Technical requirements judged on MediaFacts alone: playable, duration, streams.

Each requirement declares its options (name -> type) and a function
`(facts, options) -> Finding`; the registry `REQUIREMENTS` is what profiles may name, and
profile validation reads the declared options from it. `playable` is not in the registry:
it is always checked first, because no other measurement means anything without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..timefmt import clock, whole_seconds
from ..types import Finding, MediaFacts, Message

PLAYABLE = "playable"


@dataclass(frozen=True)
class RequirementType:
    options: Mapping[str, type]  # option name -> expected type (float accepts int)
    required: frozenset[str]  # options a profile must give
    check: Callable[[MediaFacts, Mapping[str, Any]], Finding]


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


def check_duration(facts: MediaFacts, options: Mapping[str, Any]) -> Finding:
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


def check_video_stream(facts: MediaFacts, options: Mapping[str, Any]) -> Finding:
    if not facts.video:
        return Finding("video_stream", "not_met", None, "present", Message("video_stream.missing"))
    v = facts.video[0]
    fps = f", {v.fps:g} fps" if v.fps else ""
    desc = f"{v.codec} {v.width_px}x{v.height_px}{fps}"
    return Finding("video_stream", "met", desc, "present", Message("video_stream.ok", {"desc": desc}))


def check_audio_stream(facts: MediaFacts, options: Mapping[str, Any]) -> Finding:
    if not facts.audio:
        return Finding("audio_stream", "not_met", None, "present", Message("audio_stream.missing"))
    a = facts.audio[0]
    desc = f"{a.codec} {a.sample_rate_hz} Hz, {a.channels} ch"
    return Finding("audio_stream", "met", desc, "present", Message("audio_stream.ok", {"desc": desc}))


REQUIREMENTS: dict[str, RequirementType] = {
    "duration": RequirementType({"max_s": float, "min_s": float}, frozenset({"max_s"}),
                                check_duration),
    "video_stream": RequirementType({}, frozenset(), check_video_stream),
    "audio_stream": RequirementType({}, frozenset(), check_audio_stream),
}


def run_checks(facts: MediaFacts, requirements: Mapping[str, Mapping[str, Any]]) -> tuple[Finding, ...]:
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
            findings.append(REQUIREMENTS[req_id].check(facts, options))
        else:
            findings.append(Finding(req_id, "not_met", None, None, Message("not_measurable")))
    return tuple(findings)
