"""Text as matching sees it: lower case, no punctuation, hyphens split, digits spelt out in
Indonesian ("area 1" = "area satu"), the same for transcripts and for profile phrases."""

from __future__ import annotations

import re

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
         "sepuluh", "sebelas"]
ORDINALS = ["pertama", "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan"]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]


def number_words(n: int) -> str:
    """An integer in Indonesian words: 2016 -> "dua ribu enam belas"."""
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    for size, word, one in ((10**9, "miliar", "satu miliar"), (10**6, "juta", "satu juta"),
                            (1000, "ribu", "seribu"), (100, "ratus", "seratus"), (10, "puluh", None)):
        if n >= size:
            head, rest = divmod(n, size)
            text = one if head == 1 and one else f"{number_words(head)} {word}"
            return f"{text} {number_words(rest)}" if rest else text
    raise AssertionError(n)


def normalize(text: str) -> list[str]:
    """Words for matching: lower case, no punctuation, hyphens split, digits as words."""
    t = text.lower()
    t = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", t)  # 1.750.000 / 1,750,000 -> 1750000
    t = re.sub(r"[^\w\s]|_", " ", t)
    t = re.sub(r"(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d])", " ", t)  # rp1750000 -> rp 1750000
    words: list[str] = []
    for w in t.split():
        if w.isdigit() and len(w) <= 12:
            words += number_words(int(w)).split()
        else:
            words.append(w)
    return words
