"""One file against one kind of a profile: probe -> scan and transcribe (at once) -> checks ->
coverage -> FileReport. The scan (pictures and sound, one decoding pass, the text on screen)
runs when the profile has a quality requirement for the kind or judges what is said.

A supplied transcript (captions, a script before recording) can stand in for the speech, or
be judged on its own with no media at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .content.coverage import content_findings
from .errors import AudioDecodeError
from .media.checks import REQUIREMENTS, run_checks
from .media.probe import probe
from .media.scan import scan
from .profiles import Profile
from .speech.engine import DecodeOptions, Progress, no_progress
from .speech.models import BUNDLED_IDENTITY, BUNDLED_SHOWN
from .speech.transcribe import transcribe
from .timefmt import clock, percent, span
from .types import FileReport, Finding, MediaFacts, MediaScan, Message, Status, Transcript


@dataclass(frozen=True)
class TranscribeSettings:
    """How to get a transcript when `check` computes one."""

    engine: str = "faster-whisper"
    model: str = "base"  # "base" is the bundled offline model; else a name or a folder
    use_cache: bool = True
    progress: Progress | None = None
    threads: int = 0  # CPU threads for the model; 0: the engine's default (batch sets it per worker)


MIN_COVERED_SHARE = 0.95  # of detected speech with words; below it a person should listen


def decode_options(profile: Profile, kind: str) -> DecodeOptions:
    settings = dict(profile.transcription)
    vocabulary = ", ".join(settings.pop("vocabulary", []))
    return DecodeOptions(language=profile.rules(kind).language, vocabulary=vocabulary, **settings)


def check_file(path: Path, profile: Profile, kind: str, *,
               transcription: TranscribeSettings | None = None,
               transcript: Transcript | None = None) -> FileReport:
    """Check one video. Raises UnknownKindError or InputError for what cannot be checked at all;
    anything wrong with the media itself becomes a finding. With `transcription` the speech is
    transcribed (or served from the cache); a supplied `transcript` is used as it is."""
    rules = profile.rules(kind)
    facts = probe(Path(path))
    judged = (transcript is not None or transcription is not None) and bool(rules.content)
    heard, speech = transcript, None
    wants_scan = judged or any(REQUIREMENTS[r].scanned for r in rules.requirements)
    fresh = transcription is not None and not transcription.use_cache  # --no-cache: scan again too
    with ThreadPoolExecutor(max_workers=1) as picture_pass:
        # the scan and the screen text run while the speech is transcribed: ffmpeg and
        # tesseract in their own processes, the model in its threads, on the same cores
        pending = picture_pass.submit(scan, facts, read_screen=judged, use_cache=not fresh) \
            if wants_scan and facts.playable else None
        if transcript is None and transcription is not None and _has_audio(facts):
            heard, speech = _transcribed(facts.path, profile, kind, transcription)
    scanned = pending.result() if pending is not None else \
        MediaScan(False, False, skipped="the file does not play") if wants_scan else None
    findings = run_checks(facts, rules.requirements, scanned)
    if scanned is not None and scanned.failed:  # said once, and the verdict can no longer be a clean met
        findings += (Finding("scan", "warning", None, None, Message("scan.failed", {"why": scanned.skipped})),)
    if transcript is not None or transcription is not None:
        if speech is None:
            speech = speech_finding(heard, rules.min_speech_share)
        # no audio to transcribe means nothing was said: every content rule is missing
        said = heard or Transcript((), rules.language, "none", "none", {}, 0.0)
        findings += (speech, *content_findings(said, rules.content, scanned.screen if scanned else ()))
    return FileReport(profile.name, profile.version, kind, rules.title, facts.path, facts, findings,
                      heard, scanned)


def _transcribed(path: Path, profile: Profile, kind: str,
                 settings: TranscribeSettings) -> tuple[Transcript | None, Finding]:
    """The transcript and the speech finding; audio that cannot be decoded is a finding."""
    try:
        transcript = transcribe(path, decode_options(profile, kind), engine=settings.engine, model=settings.model,
                                threads=settings.threads, use_cache=settings.use_cache,
                                progress=settings.progress or no_progress)
    except AudioDecodeError as e:
        return None, Finding("speech", "not_met", None, None, Message("speech.undecodable", {"detail": str(e)}))
    return transcript, speech_finding(transcript, profile.rules(kind).min_speech_share)


def check_transcript(path: Path, transcript: Transcript, profile: Profile, kind: str) -> FileReport:
    """Judge the content rules on a transcript alone (a script before recording, captions)."""
    rules = profile.rules(kind)
    return FileReport(profile.name, profile.version, kind, rules.title, Path(path), None,
                      content_findings(transcript, rules.content), transcript)


def _has_audio(facts: MediaFacts) -> bool:
    return facts.duration_s is not None and bool(facts.audio)


def _voices_heard(t: Transcript) -> Mapping[str, str]:
    """How many voices were told apart, and which is the narrator's; or that none could be."""
    if not t.speakers:
        return {"id": "; suara-suara tidak dapat dibedakan", "en": "; the voices could not be told apart"}
    narrator = next(s.id for s in t.speakers if s.role == "narrator")
    return {"id": f"; {len(t.speakers)} suara (narator {narrator})",
            "en": f"; {len(t.speakers)} voice{'s' if len(t.speakers) > 1 else ''} (narrator {narrator})"}


def speech_finding(transcript: Transcript | None, min_speech_share: float = 0.0) -> Finding:
    """Whether speech was heard, and how much of it was transcribed: a warning, not a failure,
    since the content rules judge what was said. Warns when detected speech went partly
    untranscribed, or when the media is mostly music or silence (below `min_speech_share`)."""
    if transcript is None:
        return Finding("speech", "warning", None, None, Message("speech.no_audio"))
    heard = transcript.evidence
    if not heard:
        return Finding("speech", "warning", 0.0, None,
                       Message("speech.silent", {"flagged": str(len(transcript.segments))}))
    params: dict[str, str | Mapping[str, str]] = {
        "speech": clock(transcript.speech_s), "segments": str(len(heard)),
        "engine": transcript.engine,
        "model": BUNDLED_SHOWN if transcript.model == BUNDLED_IDENTITY else transcript.model,
    }
    covered, audio_s = transcript.covered_share, transcript.audio_s
    if covered is None or audio_s is None:  # a supplied transcript: nothing to account for
        where = "speech.cached" if transcript.cached else "speech.ok"
        return Finding("speech", "met", transcript.speech_s, None, Message(where, params))
    speech_share = transcript.speech_s / audio_s if audio_s else 0.0
    params |= {"audio": clock(audio_s), "speech_share": percent(speech_share), "covered": percent(covered),
               "missing": clock(transcript.speech_s - (transcript.transcribed_s or 0.0)),
               "stretches": ", ".join(span(u.start_s, u.end_s) for u in transcript.untranscribed),
               "source": {"id": "; dari cache", "en": "; from the cache"} if transcript.cached else "",
               "voices": _voices_heard(transcript)}
    key = "speech.mostly_silent" if speech_share < min_speech_share else \
        "speech.incomplete" if covered < MIN_COVERED_SHARE else "speech.accounted"
    status: Status = "met" if key == "speech.accounted" else "warning"
    return Finding("speech", status, transcript.speech_s, None, Message(key, params))
