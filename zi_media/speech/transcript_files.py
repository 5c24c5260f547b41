"""Transcripts to and from files: SRT, VTT, this tool's JSON (also the cache's), plain text."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import TranscriptError
from ..files import require_readable_file
from ..timefmt import clock
from ..types import Segment, Transcript

FORMATS = ("txt", "srt", "vtt", "json")

_CUE_TIME = re.compile(
    r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")


def transcript_to_dict(t: Transcript) -> dict[str, Any]:
    return {
        "language": t.language, "engine": t.engine, "model": t.model, "options": dict(t.options),
        "speech_s": t.speech_s, "cached": t.cached, "timed": t.timed,
        "segments": [asdict(s) for s in t.segments],
    }


def transcript_from_dict(d: dict[str, Any], *, cached: bool = False) -> Transcript:
    return Transcript(
        segments=tuple(Segment(**s) for s in d["segments"]), language=d["language"],
        engine=d["engine"], model=d["model"], options=d["options"], speech_s=d["speech_s"],
        cached=cached, timed=d.get("timed", True),
    )


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
        return "".join(f"[{clock(s.start_s)}] {s.text}\n" if t.timed else f"{s.text}\n" for s in segs)
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
            return transcript_from_dict(json.loads(content))
        except (ValueError, KeyError, TypeError) as e:
            raise TranscriptError(f"{path}: not a zi-media transcript JSON ({e})") from e

    def supplied(segments: tuple[Segment, ...], speech_s: float, timed: bool = True) -> Transcript:
        return Transcript(segments, language, "file", str(path), {}, speech_s, timed=timed)

    if _CUE_TIME.search(content):
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
        speech = sum(s.end_s - s.start_s for s in segments)
        return supplied(tuple(segments), round(speech, 2))
    lines = [ln.strip() for ln in content.splitlines() if ln.strip()]
    return supplied(tuple(Segment(0.0, 0.0, ln, 1.0) for ln in lines), 0.0, timed=False)
