"""Scoring a transcript against reference sentences: words normalised as coverage matching
normalises them, word error rate with the alignment behind it, and the sentences dropped.
Used by bench/asr_bench.py and tests/test_real_speech.py."""

from __future__ import annotations

import re

DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def words(text: str) -> list[str]:
    """The words as coverage matching normalises them, but a written number of three digits or
    more (not a year, not 1.750.000) spelled digit by digit, "kosong" (zero said on the telephone) as "nol",
    and "di mana" as "dimana": read speech says "satu satu sembilan" and "nol delapan satu", where
    Whisper writes "119" and "081"; the references spell "DIMANA" where Whisper writes it either
    way; both sides of a comparison are scored alike."""
    from zi_media.content.normalize import normalize

    spelled = re.sub(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d{3,}(?![\d.,]\d)",
                     lambda m: " ".join(DIGITS[int(d)] for d in m.group()), text)
    joined = " ".join("nol" if w == "kosong" else w for w in normalize(spelled))
    return re.sub(r"\b(di|ke|dari) mana\b", r"\1mana", joined).split()


def align(ref: list[str], hyp: list[str]) -> tuple[int, list[bool]]:
    """Word-level edit distance, and which reference words the best alignment matches."""
    rows = [list(range(len(hyp) + 1))]
    for i, r in enumerate(ref, 1):
        row = [i]
        for j, h in enumerate(hyp, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (r != h)))
        rows.append(row)
    matched = [False] * len(ref)
    i, j = len(ref), len(hyp)
    while i and j:
        if rows[i][j] == rows[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            matched[i - 1] = ref[i - 1] == hyp[j - 1]
            i, j = i - 1, j - 1
        elif rows[i][j] == rows[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return rows[-1][-1], matched


def dropped(sentences: list[str], matched: list[bool]) -> list[str]:
    """Reference sentences of which under half the words are found by the alignment, number
    words aside when the sentence has others: "119" and "satu satu sembilan" are one saying
    written two ways (the word error rate still counts them)."""
    from zi_media.content.normalize import NUMBER_WORDS

    out, k = [], 0
    for s in sentences:
        ws = words(s)
        found = matched[k:k + len(ws)]
        kept = [m for w, m in zip(ws, found, strict=True) if w not in NUMBER_WORDS and w != "kosong"] or found
        if sum(kept) < len(kept) / 2:
            out.append(s)
        k += len(ws)
    return out


def timed_errors(sentences: list[dict], segments: list[tuple[float, float, str]]) -> int:
    """Word errors when every segment (start, end, text) is scored against the reference
    sentence said at its time (the one its middle falls in, else the nearest): what an evaluator
    following a report's timestamps meets. Words heard right but placed at another sentence's
    time count as errors here, not in the word error rate."""
    heard: list[list[str]] = [[] for _ in sentences]
    for start, end, text in sorted(segments):
        middle = (start + end) / 2
        k = min(range(len(sentences)), key=lambda i: max(sentences[i]["start_s"] - middle,
                                                         middle - sentences[i]["end_s"], 0.0))
        heard[k] += words(text)
    return sum(align(words(s["text"]), h)[0] for s, h in zip(sentences, heard, strict=True))
