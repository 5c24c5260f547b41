"""Hallucination guards: text Whisper is known to invent is flagged, never evidence."""

from __future__ import annotations

import math
import re
import zlib

from ..types import Segment
from .engine import RawSegment

# Text Whisper is known to invent over silence and music; never evidence.
FILLER_PHRASES = (
    "terima kasih telah menonton", "terima kasih sudah menonton", "terima kasih untuk menonton",
    "jangan lupa subscribe", "jangan lupa like", "silakan subscribe", "subtitle oleh",
    "subtitles by", "sub indo by", "diterjemahkan oleh", "amara.org", "thanks for watching",
    "thank you for watching", "like and subscribe",
)
NO_SPEECH_PROB = 0.6  # with AVG_LOGPROB below: Whisper's own "this was not speech" rule
AVG_LOGPROB = -1.0
COMPRESSION_RATIO = 2.4  # text that compresses this well is a repetition loop


def _normal(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def guard(raw: RawSegment) -> Segment:
    """Flag what Whisper is known to invent, so it never counts as evidence."""
    text = _normal(raw.text)
    flag = None
    if not text:
        flag = "empty"
    elif raw.no_speech_prob > NO_SPEECH_PROB and raw.avg_logprob < AVG_LOGPROB:
        flag = "no_speech"
    elif any(p in text for p in FILLER_PHRASES):
        flag = "filler"
    elif _is_loop(raw.text, raw.compression_ratio):
        flag = "repetition"
    confidence = math.exp(min(raw.avg_logprob, 0.0))
    return Segment(round(raw.start_s, 2), round(raw.end_s, 2), raw.text, round(confidence, 3), flag)


def _is_loop(text: str, compression_ratio: float) -> bool:
    """A repetition loop: text that compresses too well, or one word said 4+ times running."""
    words = _normal(text).split()
    data = text.encode()
    ratio = len(data) / len(zlib.compress(data)) if len(data) > 80 else compression_ratio
    runs = any(len(set(words[i:i + 4])) == 1 for i in range(len(words) - 3))
    return ratio > COMPRESSION_RATIO or runs
