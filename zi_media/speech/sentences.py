"""Segments at sentence scale, cut on the words' own times: evidence then points to the
right second whatever decoding mode made the text (a batched window is 30 s long)."""

from __future__ import annotations

from collections.abc import Sequence

from .engine import Word

MAX_SENTENCE_S = 15.0  # a segment longer than this is cut at a comma or the longest pause
PAUSE_S = 1.5  # a pause this long between two words starts a new segment
_ENDS = (".", "?", "!", "…")
_CLOSERS = "\"'”’)]"


def _ends_sentence(word: Word) -> bool:
    return word.text.strip().rstrip(_CLOSERS).endswith(_ENDS)


def _cut(words: Sequence[Word]) -> int:
    """Where to cut an over-long run: after its last comma, else at its longest pause."""
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1].text.strip().endswith((",", ";", ":")):
            return i
    gaps = [(words[i].start_s - words[i - 1].end_s, i) for i in range(1, len(words))]
    return max(gaps)[1] if gaps else len(words)


def sentences(words: Sequence[Word], max_s: float = MAX_SENTENCE_S) -> list[list[Word]]:
    """The words grouped into sentences: cut after . ? !, at a long pause, and so that no
    group spans more than `max_s` seconds (unless one word does)."""
    groups: list[list[Word]] = []
    current: list[Word] = []
    for w in words:
        if current and w.start_s - current[-1].end_s >= PAUSE_S:
            groups.append(current)
            current = []
        current.append(w)
        while len(current) > 1 and current[-1].end_s - current[0].start_s > max_s:
            i = _cut(current[:-1]) if len(current) > 2 else 1
            groups.append(current[:i])
            current = current[i:]
        if _ends_sentence(w):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def text_of(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()
