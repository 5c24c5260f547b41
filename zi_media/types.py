"""Frozen dataclasses passed forward between stages: media facts, transcripts, banner facts,
findings, file, unit and batch reports. This module imports nothing of zi-media, so every
stage can share these types without an import circle.

Findings carry a language-neutral `Message`; renderers turn it into Indonesian or English
text, so one checked file can be reported in either language without checking it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["met", "not_met", "warning"]
Verdict = Literal["met", "incomplete", "not_met"]  # incomplete: nothing failed, but part could not be checked

# Why a file does not play; None when it does.
Problem = Literal["empty", "not_media", "no_duration", "truncated"]


@dataclass(frozen=True)
class VideoStream:
    codec: str  # the format's name, e.g. "h264", "av1" (not the decoder's, "libdav1d")
    width_px: int  # as stored
    height_px: int
    fps: float | None  # average frame rate; None when the container does not say
    rotation_deg: int = 0  # how a player turns the picture (a phone's display matrix): 0, 90, 180, 270
    pictures: bool = True  # False for a stream that carries no picture at all (0 frames)

    @property
    def shown_size(self) -> tuple[int, int]:
        """Width and height as a player shows the picture, turned by `rotation_deg`."""
        turned = self.rotation_deg in (90, 270)
        return (self.height_px, self.width_px) if turned else (self.width_px, self.height_px)


@dataclass(frozen=True)
class AudioStream:
    codec: str  # the format's name, e.g. "aac", "mp3" (not the decoder's, "mp3float")
    sample_rate_hz: int
    channels: int
    track: int = 0  # its place among the file's audio streams (0 the first)
    default: bool = False  # marked as the track to play


@dataclass(frozen=True)
class MediaFacts:
    """What the container header (and a read of its last seconds) says about one file."""

    path: Path
    size_bytes: int
    container: str | None  # demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"; None if not media
    duration_s: float | None  # as the container declares it, start offset removed
    data_end_s: float | None  # where the packets actually present in the file end
    video: tuple[VideoStream, ...] = ()
    audio: tuple[AudioStream, ...] = ()  # the track checked first (media.probe.checked_first), then the others
    problem: Problem | None = None  # why the file does not play; None when it plays
    problem_detail: str = ""  # the demuxer's own words, for the report
    header_duration_s: float | None = None  # set when the header declares less than the data plays

    @property
    def playable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Message:
    """A sentence to render later: an i18n template key and its already formatted values.

    A value may itself be given per language ({"id": ..., "en": ...}), e.g. a profile title."""

    key: str
    params: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)


Coverage = Literal["met", "weak", "missing"]
# How the sentence around a piece of evidence was read: it describes the requirement; it only
# names it; it tells another institution's work (or the unit attending it); it defines, hopes
# or requires rather than reports; or it is the unit's own but says too little.
Passage = Literal["describes", "named", "other", "general", "partial"]
Source = Literal["speech", "screen", "slide"]  # where content evidence came from: said, shown, a paparan's slide


@dataclass(frozen=True)
class Evidence:
    """Where a content requirement was heard."""

    start_s: float | None  # None for a transcript without times (plain text)
    end_s: float | None
    heard: str  # the transcript's words that matched (normalised)
    phrase: str  # the profile phrase they matched
    similarity: float  # 0-100
    weight: float  # the phrase's weight in the profile (anchors 1.0, generic words less)
    line: int  # 1-based segment (or line) of the transcript where it starts
    passage: Passage = "describes"  # how its sentence was read; only "describes" counts for met
    source: Source = "speech"  # said, or shown on screen
    speaker: str | None = None  # the voice that said it ("S2"); None when shown or not told apart
    role: str | None = None  # that voice's role: "narrator" or "other"
    context: str = ""  # the sentence it was heard or read in, as written
    confidence: float | None = None  # the recogniser's confidence in its segment (0..1); None unless spoken
    model_score: float | None = None  # a sentence the learned model found: its probability (then heard
    # is the whole sentence and phrase empty); None for a phrase of the rules


@dataclass(frozen=True)
class ContentDetail:
    """What a content finding adds: how well it was covered, where, and what to do."""

    title: Mapping[str, str]  # language -> requirement title
    coverage: Coverage
    score: float  # weighted sum of the phrases heard
    evidence: tuple[Evidence, ...]  # in time order
    hint: Mapping[str, str]  # language -> what a narrator usually says for it
    sectors: tuple[str, ...] = ()  # fields of the innovations heard (service, performance, integrity)
    learned: float | None = None  # the learned sentence model's score of the text (None: not scored)
    learned_threshold: float | None = None  # the score at which the model finds the requirement


@dataclass(frozen=True)
class Override:
    """A reviewer's decision on one requirement of one unit (overrides.yaml), with the reason;
    it replaces the machine's status in every report, which keeps the machine's beside it."""

    unit: str  # the unit folder's name, as the batch shows it
    requirement: str  # a matrix column: "banners", "development.duration", "development.testimonials"
    status: Status
    reason: str
    reviewer: str
    date: str  # ISO date, YYYY-MM-DD


@dataclass(frozen=True)
class Finding:
    """The outcome of one requirement for one file, with the evidence behind it."""

    id: str  # requirement id, e.g. "duration"
    status: Status
    measured: float | str | None  # the measured value (seconds for durations); None if not measurable
    limit: float | str | None  # the rule's bound, in the unit of `measured`
    message: Message
    content: ContentDetail | None = None  # set for requirements judged on what is said
    stretches: tuple[Stretch, ...] = ()  # where in the media (black, frozen, silent stretches)
    override: Override | None = None  # a reviewer's decision, which set `status`
    machine: Status | None = None  # the status zi-media gave, kept when a reviewer overrode it


@dataclass(frozen=True)
class FileReport:
    """One file checked against one kind of a profile."""

    profile_name: str
    profile_version: str
    kind: str
    kind_title: Mapping[str, str]  # language -> the kind's title, e.g. "Video profil satuan kerja"
    path: Path  # the file checked: a video, or a transcript checked on its own
    media: MediaFacts | None  # None when only a transcript was checked
    findings: tuple[Finding, ...]
    transcript: Transcript | None = None  # None when not transcribed (--no-transcribe)
    scan: MediaScan | None = None  # the scan of pictures and sound, when one ran

    @property
    def verdict(self) -> Verdict:
        """not_met when a requirement is not met; else incomplete when the scan of pictures
        and sound failed (a black or silent video would pass unseen), else met."""
        if any(f.status == "not_met" for f in self.findings):
            return "not_met"
        return "incomplete" if self.scan is not None and self.scan.failed else "met"


@dataclass(frozen=True)
class Stretch:
    """A stretch of time in a media file, in seconds."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def rounded(self) -> Stretch:
        """To the hundredth of a second, as transcripts store times."""
        return Stretch(round(self.start_s, 2), round(self.end_s, 2))


@dataclass(frozen=True)
class ScreenText:
    """A line of text shown on screen from start_s to end_s (read by OCR from the pictures)."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class MediaScan:
    """What one decoding pass over a file's pictures and sound found (FFmpeg's detectors).

    `pictures`/`sound` say whether that half ran; `skipped` says why one did not."""

    pictures: bool
    sound: bool
    black: tuple[Stretch, ...] = ()
    frozen: tuple[Stretch, ...] = ()
    silence: tuple[Stretch, ...] = ()
    loud: tuple[Stretch, ...] = ()  # momentary loudness above LOUD_LUFS (media.scan)
    scenes: tuple[float, ...] = ()  # times of picture changes
    loudness_lufs: float | None = None  # integrated loudness, EBU R128
    true_peak_db: float | None = None  # dBTP
    clipped_share: float | None = None  # share of samples at full scale
    skipped: str = ""
    screen: tuple[ScreenText, ...] = ()  # text shown on screen, when it was read
    screen_read: bool = False  # the on-screen text was read (asked for, tesseract present)
    failed: bool = False  # the pass was due but could not run or finish: nothing it judges is known


@dataclass(frozen=True)
class Segment:
    """One stretch of transcribed speech."""

    start_s: float
    end_s: float
    text: str
    confidence: float  # exp(mean token log-probability), 0..1; 1.0 for a supplied transcript
    flag: str | None = None  # why this is not evidence ("filler", "repetition", "no_speech"); None if it is
    speaker: str | None = None  # the voice that says it ("S1", ...); None when voices were not told apart


@dataclass(frozen=True)
class Speaker:
    """One voice heard in a transcript (speech/voices.py)."""

    id: str  # "S1", "S2", ... in the order first heard
    speech_s: float  # seconds of speech in this voice
    first_s: float  # when it is first heard
    role: str  # "narrator" (the voice heard most) or "other"


@dataclass(frozen=True)
class Transcript:
    """What was said, with where it came from (engine, model, options, cache)."""

    segments: tuple[Segment, ...]
    language: str
    engine: str  # "faster-whisper", "openai-whisper", or "file" for a supplied transcript
    model: str  # model identity, e.g. "whisper-base (bundled, sha256 d01c3014881c)"
    options: Mapping[str, object]  # decoding options that shaped the text
    speech_s: float  # seconds of audio that voice activity detection judged speech
    cached: bool = False  # served from the transcript cache
    timed: bool = True  # False for plain text, which has no timestamps
    audio_s: float | None = None  # seconds of audio decoded; None for a supplied transcript
    transcribed_s: float | None = None  # seconds of that speech with words; None if not audited
    untranscribed: tuple[Stretch, ...] = ()  # speech (2 s or more) that still yielded no words
    speakers: tuple[Speaker, ...] = ()  # the voices heard; () when they could not be told apart

    @property
    def covered_share(self) -> float | None:
        """The share of detected speech that has words (None when not audited)."""
        if self.transcribed_s is None:
            return None
        return self.transcribed_s / self.speech_s if self.speech_s else 1.0

    @property
    def evidence(self) -> tuple[Segment, ...]:
        """Segments that may count as evidence: hallucination guards flagged none of them."""
        return tuple(s for s in self.segments if s.flag is None)


@dataclass(frozen=True)
class BannerFacts:
    """What one banner or poster image is: decodable, its size, the text OCR read."""

    path: Path
    decodable: bool
    width_px: int
    height_px: int
    text: str | None  # what OCR read; None when tesseract is not installed
    dhash: int  # difference hash, to notice the same photo submitted twice
    rotation_deg: float | None = None  # the rotation at which every phrase group was read
    problem: str | None = None  # why it was not decoded (unreadable, too large); None when it was
    frames: int = 1  # of an animation (GIF, WebP); 1 for a still picture
    frame: int = 0  # the frame whose reading is reported (0 = the first)


DecidedBy = Literal["manifest", "name", "content"]  # how a file's role in the unit was decided


@dataclass(frozen=True)
class BannerCheck:
    """One image against the profile's banner rules."""

    facts: BannerFacts
    large_enough: bool
    says: bool | None  # its text names ZI toward WBK/WBBM; None when OCR is not installed
    passes: bool
    decided_by: DecidedBy = "name"  # how it was taken for a banner


@dataclass(frozen=True)
class UnitReport:
    """One unit folder checked: its own findings, each file's report, the banners."""

    name: str  # the folder's name
    path: Path
    profile_name: str
    profile_version: str
    findings: tuple[Finding, ...]  # unit-level: files present, banners, paparan
    files: tuple[FileReport, ...] = ()  # each video, and the paparan's content
    banners: tuple[BannerCheck, ...] = ()
    duplicates: tuple[tuple[Path, ...], ...] = ()  # groups of files that are the same photo
    unknown: tuple[Path, ...] = ()  # files that fit no role
    manifest: bool = False
    error: str | None = None  # set when the unit could not be checked at all (batch)
    title: str | None = None  # the unit's full name and region, when its manifest gives them
    region: str | None = None

    @property
    def verdict(self) -> Verdict | Literal["error"]:
        if self.error:
            return "error"
        failed = any(f.status == "not_met" for f in self.findings) or \
            any(r.verdict == "not_met" for r in self.files)
        return "not_met" if failed else "incomplete" if any(r.verdict == "incomplete" for r in self.files) else "met"

    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for r in self.files for f in r.findings)]


@dataclass(frozen=True)
class Cell:
    """One requirement of one unit in the batch's matrix (summary.xlsx, index.html)."""

    key: str  # the column: a unit-level id ("banners") or kind.id ("development.duration")
    title: str  # the column's header, in the report language
    status: Status
    machine: Status | None = None  # set when a reviewer overrode the status
    note: str = ""  # the reviewer's reason, name and date, when overridden
    group: str = ""  # what the requirement belongs to: the file's kind title, or the unit's label
    why: str = ""  # the finding's message when not met or a warning (the reason an evaluator reads)

    @property
    def name(self) -> str:
        """The requirement's own name: the title less its group ("Durasi", "Area 1: ...")."""
        return self.title.removeprefix(f"{self.group}: ")


@dataclass(frozen=True)
class BatchRow:
    """One unit's line in a batch summary (CSV, JSON, index.html)."""

    unit: str  # the folder's name
    verdict: str  # "met", "not_met" or "error"
    met: int = 0  # requirements met
    not_met: int = 0
    warnings: int = 0
    missing: str = ""  # ids of the requirements not met, space-separated
    error: str = ""  # why the unit could not be checked
    json: str = ""  # the unit's report files, relative to the batch's output folder
    html: str = ""
    cells: tuple[Cell, ...] = ()  # each requirement's status, in report order
    title: str = ""  # the unit's full name and region, from its manifest
    region: str = ""
