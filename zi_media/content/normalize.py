"""Text as matching sees it: lower case, no punctuation, hyphens split, digits spelt out in
Indonesian ("area 1" = "area satu"), the same for transcripts and for profile phrases."""

from __future__ import annotations

import functools
import re

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
         "sepuluh", "sebelas"]
NUMBER_WORDS = frozenset(_ONES) | {"belas", "puluh", "ratus", "ribu", "juta", "miliar", "seratus", "seribu"}
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


_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


# Titles written before a name: no sentence ends after them ("Drs. H. Muhamad", "Jl. Sutami")
_BEFORE_NAMES = frozenset({"dr", "drs", "dra", "h", "hj", "prof", "ir", "kh", "st", "no", "jl", "bpk", "ny", "tn"})


def sentences(text: str) -> list[str]:
    """Sentences of a transcript line: cut after . ! ? ; before a capital or a digit, but not
    after a title written before a name or a lone initial ("Drs. H. Muhamad"); degrees after
    a name end a sentence like any word ("..., S.H., M.H. Aplikasi ...")."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].split()
        last = re.sub(r"[^\w]", "", before[-1]).lower() if before else ""
        if len(last) <= 1 or last in _BEFORE_NAMES:
            continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
MIN_STEM = 4  # shorter remainders are left alone: "akan", "badan", "bagi" stay whole


def _strip_prefix(w: str) -> str:
    if len(w) < MIN_STEM + 2:
        return w
    if w[:2] in ("di", "ke", "se"):
        return w[2:]
    if w[:3] in ("ber", "ter", "per") and len(w) - 3 >= MIN_STEM:
        return w[3:]
    for nasal in ("meng", "peng"):
        if w.startswith(nasal):
            return w[4:]
    for nasal in ("meny", "peny"):
        if w.startswith(nasal) and w[4] in "aiueo":
            return "s" + w[4:]
    if w[:3] in ("mem", "pem"):
        return "p" + w[3:] if w[3] in "aiueo" else w[3:]
    if w[:3] in ("men", "pen"):
        return "t" + w[3:] if w[3] in "aiueo" else w[3:]  # _canonical() then writes p/m and t/n alike
    if w[:2] in ("me", "pe") and w[2] in "lmnrwy":
        return w[2:]
    return w


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of an Indonesian word carrying affixes, so that its forms match each other:
    "pencanangan", "mencanangkan", "dicanangkan" -> "canang"; "pelayanannya", "melayani",
    "layanan" -> "layan". A light affix stripper (particles, possessives, -kan/-an/-i, then up
    to two prefixes with the nasal changes), no dictionary. A word without affixes is returned
    as it is, so a root never stands for a derived word of another meaning: "tingkat" (level)
    stays apart from "meningkat" (to rise), "manfaat" from "dimanfaatkan"."""
    w = word
    if not w.isalpha():
        return w
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        for suffix in group:
            if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM and \
                    (suffix != "i" or w[-2] not in "aiueos"):  # nilai, inovasi keep their i
                w = w[:-len(suffix)]
                break
    for _ in range(2):
        shorter = _strip_prefix(w)
        if shorter == w or len(shorter) < 3:
            break
        w = shorter
    return word if w == word else _canonical(w)


def _canonical(root: str) -> str:
    """Roots whose first sound a nasal prefix hides, written alike: "mem-" + vowel may hide p or
    m ("memakai" pakai, "memudahkan" mudah), "men-" t or n, "meng-" k or nothing."""
    if len(root) > 1 and root[1] in "aiueo":
        if root[0] in "mp":
            return "*" + root[1:]
        if root[0] in "tn":
            return "#" + root[1:]
        if root[0] == "k":
            return root[1:]
    return root
