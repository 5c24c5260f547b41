"""Text shown on screen: area titles, captions, lower thirds, banners filmed in the office.

The scan hands over pictures sampled at each scene change and every SAMPLE_EVERY_S of a
still shot; a picture with nothing shaped like words in it (no box of word shape holding five
letter shapes: textures and blobs have a few) is not read at all, and of the others only the
band with word shapes is read, and only when that band (in black and white) is not the one
read last, on the whole or, in a still shot (no cell of its 16x9 grey version differs by
SAME_PICTURE or more) and at a scene change, in any block of it: a title that stays while the picture behind it
moves is read once, the text read before simply lasting longer, while a title whose words
change in the same layout over a still picture ("AREA I ..." -> "AREA II ...") is read again.
tesseract reads the rest (Indonesian) twice: a black-and-white version, where white titles on
dark bands read best, and the picture as it is, where a title over a busy background reads
better; a line read both times is kept in its longer form. Word by word with its
confidence: words below
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

READING = 2  # how pictures are chosen to be read; bump when that changes (it keys the scan cache)
SAMPLE_EVERY_S = 2.0  # a still shot is sampled this often (and at every scene change)
SAME_PICTURE = 12.0  # grey difference (0-255) of the most changed 16x9 cell below which a shot is still
SAME_BAND = 8.0  # mean difference (0-255) of two bands' small black-and-white versions: the same text
SAME_BLOCK = 40.0  # nor any of its blocks this much: one word changed in a title (AREA I -> AREA II)
BLOCK_ROWS, BLOCK_COLS = 8, 16  # a block of a band's key: about 64 px high, 1/8 of the picture wide
TEXT_MIN_PX = 10  # height of a word's box: from small captions
TEXT_MAX_PX = 140  # to large titles
MIN_CONFIDENCE = 60  # tesseract's word confidence (0-100) a word needs
SAME_TEXT = 85.0  # fuzzy ratio (0-100) of two readings of one text
MIN_LETTERS = 3  # a line needs a word of this many letters
WORD_LETTERS = 5  # a picture is read only when a word-shaped box holds this many letter shapes
LETTER_SHARE = 0.4  # of the box's height, for an outline to count as a letter


def _binarized(image: Any) -> Any:
    """Black text on white, as tesseract reads best: grey, split at Otsu's threshold, turned
    over when the picture is mostly dark (white titles on a dark band are the common case)."""
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, two = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return 255 - two if two.mean() < 128 else two


def _small(image: Any) -> Any:
    """The picture as 16x9 cells of mean grey: the same shot, or another (a moving picture)."""
    import cv2

    return cv2.resize(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (16, 9), interpolation=cv2.INTER_AREA).astype(float)


def _band_key(band: Any) -> Any:
    """A text band as a small black-and-white picture, 128 wide and a row per 8 px of the band
    (in whole blocks of 8 rows): titles that stay while the picture behind them moves give the
    same key."""
    import cv2

    rows = BLOCK_ROWS * max(2, -(-band.shape[0] // (8 * BLOCK_ROWS)))
    return cv2.resize(_binarized(band), (128, rows), interpolation=cv2.INTER_AREA).astype(float)


def _band_changed(before: Any, now: Any, still: bool) -> bool:
    """Two bands' keys hold other text: they differ on the whole or, in a still shot or at a cut
    (`still`), in one block: a title whose words change in a fixed layout is a small change on
    the whole band; behind a moving picture a block changes all the time."""
    diff = abs(before - now)
    if diff.mean() >= SAME_BAND:
        return True
    blocks = diff.reshape(diff.shape[0] // BLOCK_ROWS, BLOCK_ROWS, 128 // BLOCK_COLS, BLOCK_COLS).mean(axis=(1, 3))
    return still and bool(blocks.max() >= SAME_BLOCK)


def _text_area(image: Any) -> Any | None:
    """The band of the picture where text seems to be (rows of strong edges closed into
    word-shaped boxes, TEXT_MIN_PX to TEXT_MAX_PX high), padded; None when there is none, and
    the picture is not read at all. Reading only that band is much of the OCR's speed."""
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    edges = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    _, bw = cv2.threshold(edges, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    joined = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = [cv2.boundingRect(c) for c in contours]
    words = [(x, y, w, h) for x, y, w, h in boxes if TEXT_MIN_PX <= h <= TEXT_MAX_PX and w >= 1.5 * h
             and 0.2 <= cv2.countNonZero(bw[y:y + h, x:x + w]) / (w * h) <= 0.85]
    if not any(_letters(bw[y:y + h, x:x + w]) >= WORD_LETTERS for x, y, w, h in words):
        return None  # blobs and textures, not a word: tesseract is not asked (it finds nothing there)
    pad = 16  # the band runs the picture's width: a word the boxes missed stays in its line
    y0 = max(min(y for _, y, _, _ in words) - pad, 0)
    y1 = min(max(y + h for _, y, _, h in words) + pad, image.shape[0])
    return image[y0:y1, :]


def _letters(box: Any) -> int:
    """Letter-like shapes in a word-shaped box: its separate outlines at least LETTER_SHARE of
    its height (a word of five letters has five; a texture's blob closed into a box, a few)."""
    import cv2

    _, _, stats, _ = cv2.connectedComponentsWithStats(box)
    return sum(int(h) >= LETTER_SHARE * box.shape[0] for h in stats[1:, cv2.CC_STAT_HEIGHT])


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


def _best_lines(*readings: str) -> str:
    """The lines of several readings of one picture, a line read twice kept in its longer form."""
    from rapidfuzz import fuzz

    kept: list[str] = []
    for line in (ln for reading in readings for ln in reading.splitlines()):
        same = next((i for i, k in enumerate(kept) if fuzz.partial_ratio(k.lower(), line.lower()) >= SAME_TEXT), None)
        if same is None:
            kept.append(line)
        elif len(line) > len(kept[same]):
            kept[same] = line
    return "\n".join(kept)


CUT_S = 0.25  # a picture this close after a scene change is the new shot's first


def read_pictures(pictures: Iterable[tuple[float, Path]], duration_s: float,
                  cuts: tuple[float, ...] = ()) -> tuple[ScreenText, ...] | None:
    """What the pictures (time, file) show, merged over time; None without tesseract. `cuts`:
    the scene changes, where a title in the same layout is compared block by block too."""
    import cv2
    import numpy as np
    from rapidfuzz import fuzz

    exe = tesseract()
    if exe is None:
        return None
    read: list[tuple[float, str]] = []  # (time, text) of each picture, the text of the last read
    last_text, last_band, last_small = "", None, None
    for t, path in sorted(pictures):
        image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_COLOR)
        if image is None or min(image.shape[:2]) < 16:  # a picture too small to hold text
            read.append((t, ""))
            continue
        # the text band of every picture is compared (cheap: no OCR), not only of pictures
        # that changed as a whole: a title whose words change in a fixed layout is a new title
        small = _small(image)
        still = (last_small is not None and float(abs(small - last_small).max()) < SAME_PICTURE) or \
            any(0.0 <= t - cut <= CUT_S for cut in cuts)
        area = _text_area(image)
        key = None if area is None else (area.shape[0], _band_key(area))
        if key is None:
            last_text, last_band = "", None
        elif last_band is None or last_band[0] != key[0] or _band_changed(last_band[1], key[1], still):
            try:
                last_text = _best_lines(_lines(read_text(_binarized(area), exe, output="tsv")),
                                        _lines(read_text(area, exe, output="tsv")))
            except OcrError:
                last_text = ""
            last_band = key  # the band read last: a title that changed at a cut is read once it stands still
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
