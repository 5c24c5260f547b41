"""The completeness audit, the mirror of the hallucination guard: speech with no words.

Whisper can stop early inside a batched 30-second window and nothing notices: the words of
the rest of the window are simply missing. The audit lays the words' times over the
stretches that voice activity detection judged speech; what no word covers for MIN_HOLE_S
or more is a hole, decoded again on its own, and what still yields nothing is reported as
untranscribed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..types import Stretch

MIN_HOLE_S = 2.0  # speech without words this long is decoded again, then reported
WORD_PAD_S = 0.3  # word times from the alignment may be this far off on either side
PROMPT_CHARS = 200  # text before a hole given to the decoder as a prompt


def uncovered(speech: Sequence[Stretch], words: Iterable[Stretch]) -> list[Stretch]:
    """Every part of the speech stretches that no (padded) word overlaps, in time order."""
    covered = sorted((w.start_s - WORD_PAD_S, w.end_s + WORD_PAD_S) for w in words)
    out: list[Stretch] = []
    for s in speech:
        t = s.start_s
        for a, b in covered:
            if b <= t or a >= s.end_s:
                continue
            if a > t:
                out.append(Stretch(t, a))
            t = max(t, b)
        if t < s.end_s:
            out.append(Stretch(t, s.end_s))
    return out


def holes(speech: Sequence[Stretch], words: Iterable[Stretch], min_s: float = MIN_HOLE_S) -> list[Stretch]:
    """The uncovered parts of speech that are at least `min_s` long."""
    return [h.rounded() for h in uncovered(speech, words) if h.duration_s >= min_s]


def speech_seconds(speech: Iterable[Stretch]) -> float:
    return round(sum(s.duration_s for s in speech), 2)
