"""Transcripts to and from files: SRT, VTT, TSV, this tool's JSON (also the cache's), plain
text; and, read only, openai-whisper's own JSON and TSV. The layouts follow whisper's
writers, so tools that read whisper output read ours: txt is the text alone, one segment a
line; tsv is `start<TAB>end<TAB>text` in whole milliseconds."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import TranscriptError
from ..files import require_readable_file
from ..types import Segment, Speaker, Stretch, Transcript
from ..yamlsafe import short

FORMATS = ("txt", "srt", "vtt", "tsv", "json")
_VOICE = re.compile(r"\[(S\d{1,3})\]\s*")  # a cue's voice, as written by _voiced
TSV_HEADER = "start\tend\ttext"
MAX_BYTES = 20_000_000  # a 15-minute transcript is some 20 kB; reading 200 MB took minutes and 15 GB
MAX_TIME_S = 86_400  # a day: no time in a transcript of a video checked here lies beyond it

_TIME = r"(-?)(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"  # sign, hours, minutes, seconds, milliseconds
_CUE_TIME = re.compile(rf"{_TIME}\s*-->\s*{_TIME}")  # anywhere in the file: it is SRT or VTT
_CUE_LINE = re.compile(rf"\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?")  # the whole line; VTT cue settings may follow


def transcript_to_dict(t: Transcript) -> dict[str, Any]:
    return {
        "language": t.language, "engine": t.engine, "model": t.model, "options": dict(t.options),
        "speech_s": t.speech_s, "cached": t.cached, "timed": t.timed,
        "audio_s": t.audio_s, "transcribed_s": t.transcribed_s,
        "untranscribed": [asdict(u) for u in t.untranscribed],
        "speakers": [asdict(s) for s in t.speakers],
        "segments": [asdict(s) for s in t.segments],
    }


def _number(value: Any) -> float:
    """A finite number; TypeError for anything else (a damaged cache entry, say)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _segment(s: Any) -> Segment:
    if not isinstance(s, dict):
        raise TypeError("a segment is not a mapping")
    flag, speaker = s.get("flag"), s.get("speaker")
    return Segment(_number(s["start_s"]), _number(s["end_s"]), _text(s["text"]), _number(s["confidence"]),
                   None if flag is None else _text(flag), None if speaker is None else _text(speaker))


def _speaker(s: Any) -> Speaker:
    if not isinstance(s, dict):
        raise TypeError("a speaker is not a mapping")
    return Speaker(_text(s["id"]), _number(s["speech_s"]), _number(s["first_s"]), _text(s["role"]))


def transcript_from_dict(d: dict[str, Any], *, cached: bool = False) -> Transcript:
    """The transcript a zi-media JSON (a file, or a cache entry) holds; every field's type is
    checked, so a damaged entry raises (KeyError, TypeError) instead of failing later."""
    if not isinstance(d.get("options"), dict) or not isinstance(d.get("timed", True), bool):
        raise TypeError("options must be a mapping and timed true or false")
    return Transcript(
        segments=tuple(_segment(s) for s in d["segments"]), language=_text(d["language"]),
        engine=_text(d["engine"]), model=_text(d["model"]), options=d["options"], speech_s=_number(d["speech_s"]),
        cached=cached, timed=d.get("timed", True),
        audio_s=None if d.get("audio_s") is None else _number(d["audio_s"]),
        transcribed_s=None if d.get("transcribed_s") is None else _number(d["transcribed_s"]),
        untranscribed=tuple(Stretch(_number(u["start_s"]), _number(u["end_s"])) for u in d.get("untranscribed", ())),
        speakers=tuple(_speaker(s) for s in d.get("speakers", ())),
    )


def _from_whisper_json(d: dict[str, Any], path: Path, language: str) -> Transcript:
    """openai-whisper's (or faster-whisper's CLI's) JSON: {"text", "segments": [...], "language"}."""
    segments = tuple(Segment(float(s["start"]), float(s["end"]), str(s["text"]).strip(), 1.0)
                     for s in d["segments"] if str(s["text"]).strip())
    return _supplied(segments, path, d.get("language") or language)


def _supplied(segments: tuple[Segment, ...], path: Path, language: str, timed: bool = True) -> Transcript:
    speech_s = round(sum(s.end_s - s.start_s for s in segments), 2) if timed else 0.0
    return Transcript(segments, language, "file", str(path), {}, speech_s, timed=timed)


def _seconds(sign: str, h: str | None, m: str, s: str, frac: str) -> float:
    """A cue time; ValueError for minutes or seconds past 59."""
    if int(m) > 59 or int(s) > 59:
        raise ValueError("minutes or seconds past 59")
    return (-1 if sign else 1) * (int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000)


def _check_range(path: Path, line: int, shown: str, start_s: float, end_s: float) -> None:
    """Refuse a time range no transcript of a video can hold: a negative time, an end before
    its start, a time past a day (99999999:59:59 was taken as evidence)."""
    problem = ("negative time" if min(start_s, end_s) < 0 else "end before start" if end_s < start_s
               else f"beyond {MAX_TIME_S // 3600} hours" if end_s > MAX_TIME_S else "")
    if problem:
        raise TranscriptError(f"{path}: line {line}: {shown} is not a valid time range ({problem})")


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def write(t: Transcript, fmt: str) -> str:
    """Render a transcript; flagged segments (hallucinations) are left out of subtitles."""
    if fmt == "json":
        return json.dumps(transcript_to_dict(t), ensure_ascii=False, indent=2)
    segs = t.evidence
    if fmt == "txt":
        return "".join(f"{s.text.strip()}\n" for s in segs)
    if fmt == "tsv":
        rows = (f"{round(s.start_s * 1000)}\t{round(s.end_s * 1000)}\t{' '.join(s.text.split())}\n" for s in segs)
        return f"{TSV_HEADER}\n" + "".join(rows)
    sep = "," if fmt == "srt" else "."
    cues = [f"{_stamp(s.start_s, sep)} --> {_stamp(s.end_s, sep)}\n{_voiced(s)}\n" for s in segs]
    if fmt == "srt":
        return "\n".join(f"{i}\n{cue}" for i, cue in enumerate(cues, 1))
    return "WEBVTT\n\n" + "\n".join(cues)


def _voiced(s: Segment) -> str:
    """A cue's text with its voice first, as diarisation tools write it: "[S2] ..."."""
    return f"[{s.speaker}] {s.text}" if s.speaker else s.text


def read(path: Path, language: str) -> Transcript:
    """Read a transcript the user already has; the format follows the file's content."""
    size = require_readable_file(path)
    if size > MAX_BYTES:
        raise TranscriptError(f"{path}: the transcript is {size / 1e6:.0f} MB; at most "
                              f"{MAX_BYTES // 1_000_000} MB are read")
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise TranscriptError(f"{path}: not a UTF-8 text transcript") from e
    if content.lstrip().startswith("{"):
        try:
            d = json.loads(content)
            return transcript_from_dict(d) if "engine" in d else _from_whisper_json(d, path, language)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise TranscriptError(f"{path}: not a zi-media transcript JSON, nor whisper's ({e})") from e
    lines = content.replace("\r\n", "\n").split("\n")
    if lines[0].strip() == TSV_HEADER:
        return _supplied(_tsv_segments(path, lines[1:]), path, language)
    if _CUE_TIME.search(content):
        return _supplied(_cue_segments(path, lines), path, language)
    texts = [ln.strip() for ln in lines if ln.strip()]
    return _supplied(tuple(Segment(0.0, 0.0, t, 1.0) for t in texts), path, language, timed=False)


def _tsv_segments(path: Path, rows: list[str]) -> tuple[Segment, ...]:
    """whisper's TSV: start and end in whole milliseconds, then the text."""
    segments = []
    for n, row in enumerate(rows, 2):
        if not row.strip():
            continue
        start, end, text = [*row.split("\t", 2), "", ""][:3]
        try:
            start_s, end_s = int(start) / 1000, int(end) / 1000
        except ValueError:
            raise TranscriptError(f"{path}: line {n}: expected start and end in milliseconds") from None
        _check_range(path, n, f"start {start} ms, end {end} ms", start_s, end_s)
        segments.append(Segment(start_s, end_s, text.strip(), 1.0))
    return tuple(s for s in segments if s.text)


def _cue_time(path: Path, n: int, line: str) -> tuple[float, float]:
    """The start and end of a cue's time line (line `n`, holding `-->`), or TranscriptError."""
    shown = f"cue time {short(line.strip(), 80)!r}"
    m = _CUE_LINE.fullmatch(line)
    try:
        if m is None:
            raise ValueError("expected hh:mm:ss,mmm --> hh:mm:ss,mmm")
        start_s, end_s = _seconds(*m.groups()[:5]), _seconds(*m.groups()[5:])
    except ValueError as e:
        raise TranscriptError(f"{path}: line {n}: {shown} is not a valid time range ({e})") from None
    _check_range(path, n, shown, start_s, end_s)
    return start_s, end_s


def _cue_segments(path: Path, lines: list[str]) -> tuple[Segment, ...]:
    """SRT or VTT cues: blocks parted by blank lines, each timed by its first line with `-->`."""
    segments = []
    times: tuple[float, float] | None = None
    text: list[str] = []
    for n, line in enumerate([*lines, ""], 1):
        if not line.strip():  # the end of a block
            cue = re.sub(r"<[^>]+>", "", " ".join(text)).strip()  # VTT voice and style tags
            voice = _VOICE.match(cue)
            if voice:
                cue = cue[voice.end():]
            if times is not None and cue:
                segments.append(Segment(*times, cue, 1.0, speaker=voice.group(1) if voice else None))
            times, text = None, []
        elif times is not None:
            text.append(line.strip())
        elif "-->" in line:
            times = _cue_time(path, n, line)
    return tuple(segments)
