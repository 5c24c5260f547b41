"""The completeness audit, the mirror of the hallucination guard: speech with no words.

Whisper can stop early inside a batched 30-second window and nothing notices: the words of
the rest of the window are simply missing. The audit lays the words' times over the
stretches that voice activity detection judged speech; what no word covers for MIN_HOLE_S
or more is a hole, and so is a whole stretch of MIN_LOST_S or more that no word touches (a short
utterance lost whole: an interview cut of a second and a half between music, which a batched
window that looped took with it); a hole is decoded again on its own, and what still yields
nothing is reported as untranscribed. A word timed over more than MAX_WORD_S covers nothing (a number excepted: "2245"
is four words said): the decoder skipped the words said there and the alignment stretched one
word over them (real speech read twice in a row: "... selamat siang. Satu kosong delapan
selamat pagi" came out as "... selamat" and one "pagi" of 3.2 s). A whole stretch heard as far
fewer syllables than it lasts is thin: a window of telephone numbers wrote a 2-s sentence ("ada
yang bisa dibantu") as "-1"; it is decoded again on its own, and a better hearing replaces the first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from ..types import Stretch
from .engine import Word
from .vad import outside

MIN_HOLE_S = 2.0  # speech without words this long is decoded again, then reported
MIN_LOST_S = 1.0  # a whole stretch this long without any word too (with VAD's pads: 0.6 s said)
WORD_PAD_S = 0.3  # word times from the alignment may be this far off on either side
MAX_WORD_S = 2.0  # no word takes longer to say; a longer one stands for words the decoder skipped
MIN_SYLLABLES_PER_S = 1.2  # a whole stretch heard as fewer syllables a second than this was misheard ...
MAX_SYLLABLES_PER_S = 8.0  # ... and heard again as more than this, looped ("3, 2, 2, 2, ..." over 2 s)


def uncovered(speech: Sequence[Stretch], words: Iterable[Stretch]) -> list[Stretch]:
    """Every part of the speech stretches that no (padded) word overlaps, in time order."""
    return outside(speech, sorted((w.start_s - WORD_PAD_S, w.end_s + WORD_PAD_S) for w in words))


def covering(words: Iterable[Word]) -> list[Stretch]:
    """The times of the words that show speech was transcribed: all but a word (not a number)
    stretched over more than MAX_WORD_S."""
    return [Stretch(w.start_s, w.end_s) for w in words
            if w.end_s - w.start_s <= MAX_WORD_S or any(c.isdigit() for c in w.text)]


def holes(speech: Sequence[Stretch], words: Iterable[Stretch]) -> list[Stretch]:
    """The uncovered parts of speech at least MIN_HOLE_S long, and the whole stretches at least
    MIN_LOST_S long that no word touches."""
    whole = {(s.start_s, s.end_s) for s in speech if s.duration_s >= MIN_LOST_S}
    return [h.rounded() for h in uncovered(speech, words)
            if h.duration_s >= MIN_HOLE_S or (h.start_s, h.end_s) in whole]


def speech_seconds(speech: Iterable[Stretch]) -> float:
    return round(sum(s.duration_s for s in speech), 2)


def syllables(text: str) -> int:
    """Syllables said for `text`, roughly: one a vowel group, two a digit (satu, dua, ... delapan),
    at least one a word."""
    return sum(max(1, 2 * sum(c.isdigit() for c in w) + len(re.findall(r"[aeiou]+", w.lower())))
               for w in text.split())


def _stretch_of(speech: Sequence[Stretch], starts: list[float], w: Word) -> int | None:
    """The stretch the (padded) word overlaps most, if any (`starts`: the stretches' starts)."""
    a, b = w.start_s - WORD_PAD_S, w.end_s + WORD_PAD_S
    best, at = 0.0, None
    for i in range(bisect_left(starts, b) - 1, -1, -1):
        if speech[i].end_s <= a:
            break
        overlap = min(b, speech[i].end_s) - max(a, speech[i].start_s)
        if overlap > best:
            best, at = overlap, i
    return at


def thin(speech: Sequence[Stretch], words: Iterable[Word]) -> list[tuple[Stretch, list[Word]]]:
    """The whole stretches of at least MIN_LOST_S with words heard in them, but fewer than
    MIN_SYLLABLES_PER_S (a 2-s sentence heard as "-1" in a window of digit clips), each with its
    words: the stretch is decoded again on its own, and what yields more (`heard_better`) replaces them."""
    heard: dict[int, list[Word]] = {}
    starts = [s.start_s for s in speech]
    for w in words:
        i = _stretch_of(speech, starts, w)
        if i is not None:
            heard.setdefault(i, []).append(w)
    return [(speech[i], ws) for i, ws in sorted(heard.items())
            if speech[i].duration_s >= MIN_LOST_S
            and syllables(" ".join(w.text for w in ws)) < MIN_SYLLABLES_PER_S * speech[i].duration_s]


def heard_better(stretch: Stretch, first: str, again: str) -> bool:
    """Whether `again` is a better hearing of a thin stretch than `first`: more syllables, but no
    more than anyone says in its time."""
    return syllables(first) < syllables(again) <= MAX_SYLLABLES_PER_S * stretch.duration_s
