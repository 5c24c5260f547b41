"""Hallucination guards: text Whisper is known to invent is flagged, never evidence.

Besides Whisper's own failures (credits over silence, repetition loops), a vocabulary
prompt brings one of its own: the prompt's words written over music or silence. A segment
made mostly of vocabulary words that lies mostly outside detected speech is flagged.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Collection, Sequence

from ..types import Segment, Stretch
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
COMPRESSION_RATIO = 2.4  # text that compresses this well is a repetition loop ...
SPOKEN_WORDS_PER_S = 4.0  # ... unless its words are timed inside speech at a pace people speak
VOCABULARY_SHARE = 0.6  # a segment this much made of vocabulary words ...
SPEECH_OVERLAP = 0.5  # ... and less than this much inside detected speech echoes the prompt
LOOP_VOCABULARY_SHARE = 0.9  # a loop this much made of vocabulary words is the prompt echoed, even timed at
# a speaking pace over speech: the sample's "Peningkatan Kualitas" nine times over 12 s of another area's
# sentences (under one CPU's kernels), which passed as a slogan said again (a real one has other words too)


def plain_words_text(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def flag_of(raw: RawSegment, speech: Sequence[Stretch] | None = None,
            vocabulary: Collection[str] = ()) -> str | None:
    """Why `raw` is not evidence ("empty", "no_speech", "filler", "repetition",
    "vocabulary_echo"), or None. `speech` and `vocabulary` enable the prompt-echo check."""
    text = plain_words_text(raw.text)
    if not text:
        return "empty"
    if raw.no_speech_prob > NO_SPEECH_PROB and raw.avg_logprob < AVG_LOGPROB:
        return "no_speech"
    if any(p in text for p in FILLER_PHRASES):
        return "filler"
    if _is_loop(raw.text, raw.compression_ratio) and (_of_vocabulary(text, vocabulary, LOOP_VOCABULARY_SHARE)
                                                      or not _spoken_repeat(raw, speech)):
        return "repetition"
    if speech is not None and _of_vocabulary(text, vocabulary, VOCABULARY_SHARE) \
            and _speech_share(raw, speech) < SPEECH_OVERLAP:
        return "vocabulary_echo"
    return None


def _of_vocabulary(text: str, vocabulary: Collection[str], share: float) -> bool:
    words = text.split()
    return bool(vocabulary) and sum(w in vocabulary for w in words) / len(words) >= share


def _speech_share(raw: RawSegment, speech: Sequence[Stretch]) -> float:
    """The share of the segment's timed words (of its span, when it has none) that voice
    activity detection judged speech. Words, because a batched segment's span runs over the
    pauses the pipeline cut out of its chunk: a dialogue with long pauses is mostly pause."""
    spans = [(w.start_s, w.end_s) for w in raw.words if w.end_s > w.start_s] or [(raw.start_s, raw.end_s)]
    inside = sum(max(0.0, min(b, s.end_s) - max(a, s.start_s)) for a, b in spans for s in speech)
    return inside / max(sum(b - a for a, b in spans), 1e-6)


def confidence(raw: RawSegment) -> float:
    """exp(mean token log-probability), 0..1."""
    return round(math.exp(min(raw.avg_logprob, 0.0)), 3)


def guard(raw: RawSegment, speech: Sequence[Stretch] | None = None, vocabulary: Collection[str] = ()) -> Segment:
    """The raw segment as one Segment, flagged when it is what Whisper is known to invent."""
    return Segment(round(raw.start_s, 2), round(raw.end_s, 2), raw.text, confidence(raw),
                   flag_of(raw, speech, vocabulary))


def _spoken_repeat(raw: RawSegment, speech: Sequence[Stretch] | None) -> bool:
    """Text that repeats because the speaker repeats it (a slogan, a jingle, a sentence said
    again): every word timed, the words spread at a speaking pace, the segment inside detected
    speech. A decoder's loop claims more words than the time holds, or runs past the speech."""
    words = [w for w in raw.words if plain_words_text(w.text)]
    if not words or speech is None or _one_word_runs(plain_words_text(raw.text).split()):
        return False
    spoken_s = words[-1].end_s - words[0].start_s
    return spoken_s > 0 and len(words) / spoken_s <= SPOKEN_WORDS_PER_S and \
        _speech_share(raw, speech) >= SPEECH_OVERLAP


def _is_loop(text: str, compression_ratio: float) -> bool:
    """A repetition loop: text that compresses too well, or one word said 4+ times running."""
    data = text.encode()
    ratio = len(data) / len(zlib.compress(data)) if len(data) > 80 else compression_ratio
    return ratio > COMPRESSION_RATIO or _one_word_runs(plain_words_text(text).split())


def _one_word_runs(words: Sequence[str]) -> bool:
    """One word said 4+ times running: a loop, however it is timed."""
    return any(len(set(words[i:i + 4])) == 1 for i in range(len(words) - 3))
