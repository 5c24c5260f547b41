"""Text shown on screen: area titles, captions, lower thirds, banners filmed in the office.

The scan hands over pictures sampled at each scene change and every SAMPLE_EVERY_S of a
still shot; a picture that looks like the last one read (its small grey version differs by
less than SAME_PICTURE) is not read again, the text read before simply lasts longer.
tesseract reads the rest (Indonesian; first a black-and-white version, where white titles on
dark bands read best, then, if that finds nothing, the picture as it is, where a title over a
busy background reads better), word by word with its confidence: words below
MIN_CONFIDENCE and lines without a real word are dropped. The same text on consecutive
pictures is one ScreenText with the time it was first and last seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..ocr import OcrError, read_text, tesseract
from ..types import ScreenText

SAMPLE_EVERY_S = 2.0  # a still shot is sampled this often (and at every scene change)
SAME_PICTURE = 6.0  # mean grey difference (0-255) of 64x36 pictures below which they are one picture
MIN_CONFIDENCE = 60  # tesseract's word confidence (0-100) a word needs
SAME_TEXT = 85.0  # fuzzy ratio (0-100) of two readings of one text
MIN_LETTERS = 3  # a line needs a word of this many letters


def _binarized(image: Any) -> Any:
    """Black text on white, as tesseract reads best: grey, split at Otsu's threshold, turned
    over when the picture is mostly dark (white titles on a dark band are the common case)."""
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, two = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return 255 - two if two.mean() < 128 else two


def _small(image: Any) -> Any:
    import cv2

    return cv2.resize(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (64, 36), interpolation=cv2.INTER_AREA).astype(float)


def _lines(tsv: str) -> str:
    """The confident words of tesseract's TSV, a line of text per line read."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        try:
            confident = float(cols[10]) >= MIN_CONFIDENCE
        except ValueError:
            continue
        if confident:
            lines.setdefault((cols[2], cols[3], cols[4]), []).append(cols[11].strip())
    kept = [" ".join(words) for words in lines.values()
            if any(len(re.sub(r"[^A-Za-z]", "", w)) >= MIN_LETTERS for w in words)]
    return "\n".join(kept)


def read_pictures(pictures: Iterable[tuple[float, Path]], duration_s: float) -> tuple[ScreenText, ...] | None:
    """What the pictures (time, file) show, merged over time; None without tesseract."""
    import cv2
    import numpy as np
    from rapidfuzz import fuzz

    exe = tesseract()
    if exe is None:
        return None
    read: list[tuple[float, str]] = []  # (time, text) of each picture, the text of the last read
    last_small, last_text = None, ""
    for t, path in sorted(pictures):
        image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_COLOR)
        if image is None or min(image.shape[:2]) < 16:  # a picture too small to hold text
            read.append((t, ""))
            continue
        small = _small(image)
        if last_small is None or float(np.abs(small - last_small).mean()) >= SAME_PICTURE:
            try:
                last_text = _lines(read_text(_binarized(image), exe, output="tsv")) or \
                    _lines(read_text(image, exe, output="tsv"))
            except OcrError:
                last_text = ""
            last_small = small
        read.append((t, last_text))
    merged: list[ScreenText] = []
    for i, (t, text) in enumerate(read):
        end = read[i + 1][0] if i + 1 < len(read) else min(t + SAMPLE_EVERY_S, duration_s)
        for line in filter(None, text.splitlines()):
            same = next((k for k, m in enumerate(merged) if m.end_s >= t - 0.01 and
                         fuzz.ratio(m.text.lower(), line.lower()) >= SAME_TEXT), None)
            if same is None:
                merged.append(ScreenText(round(t, 2), round(end, 2), line))
            else:
                merged[same] = ScreenText(merged[same].start_s, round(end, 2), merged[same].text)
    return tuple(sorted(merged, key=lambda s: (s.start_s, s.text)))
