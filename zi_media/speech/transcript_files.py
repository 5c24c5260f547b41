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
from ..types import Segment, Stretch, Transcript

FORMATS = ("txt", "srt", "vtt", "tsv", "json")
TSV_HEADER = "start\tend\ttext"

_CUE_TIME = re.compile(
    r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")


def transcript_to_dict(t: Transcript) -> dict[str, Any]:
    return {
        "language": t.language, "engine": t.engine, "model": t.model, "options": dict(t.options),
        "speech_s": t.speech_s, "cached": t.cached, "timed": t.timed,
        "audio_s": t.audio_s, "transcribed_s": t.transcribed_s,
        "untranscribed": [asdict(u) for u in t.untranscribed],
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
    flag = s.get("flag")
    return Segment(_number(s["start_s"]), _number(s["end_s"]), _text(s["text"]), _number(s["confidence"]),
                   None if flag is None else _text(flag))


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
    )


def _from_whisper_json(d: dict[str, Any], path: Path, language: str) -> Transcript:
    """openai-whisper's (or faster-whisper's CLI's) JSON: {"text", "segments": [...], "language"}."""
    segments = tuple(Segment(float(s["start"]), float(s["end"]), str(s["text"]).strip(), 1.0)
                     for s in d["segments"] if str(s["text"]).strip())
    return _supplied(segments, path, d.get("language") or language)


def _supplied(segments: tuple[Segment, ...], path: Path, language: str, timed: bool = True) -> Transcript:
    speech_s = round(sum(s.end_s - s.start_s for s in segments), 2) if timed else 0.0
    return Transcript(segments, language, "file", str(path), {}, speech_s, timed=timed)


def _seconds(h: str | None, m: str, s: str, frac: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


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
    cues = [f"{_stamp(s.start_s, sep)} --> {_stamp(s.end_s, sep)}\n{s.text}\n" for s in segs]
    if fmt == "srt":
        return "\n".join(f"{i}\n{cue}" for i, cue in enumerate(cues, 1))
    return "WEBVTT\n\n" + "\n".join(cues)


def read(path: Path, language: str) -> Transcript:
    """Read a transcript the user already has; the format follows the file's content."""
    require_readable_file(path)
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
        return _supplied(_cue_segments(content), path, language)
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
            segments.append(Segment(int(start) / 1000, int(end) / 1000, text.strip(), 1.0))
        except ValueError:
            raise TranscriptError(f"{path}: line {n}: expected start and end in milliseconds") from None
    return tuple(s for s in segments if s.text)


def _cue_segments(content: str) -> tuple[Segment, ...]:
    """SRT or VTT cues."""
    segments = []
    for block in re.split(r"\n\s*\n", content.replace("\r\n", "\n")):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            if m := _CUE_TIME.search(line):
                g = m.groups()
                text = " ".join(x.strip() for x in lines[i + 1:]).strip()
                text = re.sub(r"<[^>]+>", "", text)  # VTT voice and style tags
                if text:
                    segments.append(Segment(_seconds(*g[:4]), _seconds(*g[4:]), text, 1.0))
                break
    return tuple(segments)
