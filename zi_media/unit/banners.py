"""Banner and poster images: decodable, large enough to read, saying the unit is building
Zona Integritas toward WBK/WBBM (read by tesseract OCR), and not the same photo twice.

OpenCV decodes and measures; tesseract (`-l ind`, Debian tesseract-ocr-ind) reads. Small or
tilted text gets retries: upscaled, greyscale, median-filtered, rotated a few degrees
either way. tesseract runs with OMP_THREAD_LIMIT=1, since its OpenMP threads stall when they
share the cores with Whisper (docs/measurements.md). Without tesseract the text
check is a warning ("not verified"), never a crash.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..ocr import OcrError, ocr_language, tesseract
from ..ocr import read_text as _ocr
from ..types import BannerFacts

OCR_ANGLES = (0.0, -3.0, 3.0, -6.0, 6.0, -9.0, 9.0, -12.0, 12.0)  # degrees tried, in order
OCR_UPSCALE = 2.0  # small text reads better enlarged
OCR_MAX_SIDE_PX = 2400  # pictures are read at most this large (a banner's text stays legible)
OCR_BUDGET_S = 15.0  # no new retry starts after this long on one image
MAX_IMAGE_BYTES = 100_000_000  # a banner photo is a few MB; 100 MB is not a photo
MAX_PIXELS = 120_000_000  # a 108-megapixel phone photo passes; a 30000x30000 "bomb" does not
HASH_SIZE = 8  # difference hash of 8x8 bits
DUPLICATE_BITS = 6  # hashes this close (of 64 bits) are the same photo


def squash(text: str) -> str:
    """Lower case letters and digits only: matching ignores spaces, case and punctuation."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def groups_found(text: str, groups: Sequence[Sequence[str]]) -> tuple[bool, ...]:
    """For each group of phrases, whether one of them is in the text (fuzzy, 1 slip in 10)."""
    from rapidfuzz import fuzz

    flat = squash(text)
    return tuple(any(fuzz.partial_ratio(squash(p), flat) >= 90 for p in group) for group in groups)


def _bgr(data: Any) -> Any:
    """An 8-bit BGR picture from the file's bytes: grey expanded, 16-bit scaled, and a
    transparent background laid on white (decoded as black, it hid dark text)."""
    import cv2
    import numpy as np

    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None:
        return None
    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        alpha = image[..., 3:4].astype(np.float32) / 255.0
        return (image[..., :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    return image


def _fit(image: Any) -> Any:
    """The picture at most OCR_MAX_SIDE_PX on its longer side: a 12-megapixel photo gains
    nothing from being read at full size but seconds per retry."""
    import cv2

    h, w = image.shape[:2]
    scale = OCR_MAX_SIDE_PX / max(h, w)
    if scale >= 1:
        return image
    return cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _rotated(grey: Any, angle: float) -> Any:
    import cv2

    h, w = grey.shape
    up = OCR_UPSCALE if max(h, w) * OCR_UPSCALE <= OCR_MAX_SIDE_PX else 1.0  # enlarge small text only
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, up)
    m[0, 2] += w * (up - 1) / 2
    m[1, 2] += h * (up - 1) / 2
    big = cv2.warpAffine(grey, m, (int(w * up), int(h * up)),
                         flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return cv2.medianBlur(big, 3)


def _dhash(grey: Any) -> int:
    import cv2

    small = cv2.resize(grey, (HASH_SIZE + 1, HASH_SIZE), interpolation=cv2.INTER_AREA)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def same_photo(a: BannerFacts, b: BannerFacts) -> bool:
    return a.decodable and b.decodable and bin(a.dhash ^ b.dhash).count("1") <= DUPLICATE_BITS


def _too_big(path: Path) -> str | None:
    """Why this image must not be decoded (bytes or pixels over the caps, unreadable), read
    from the file's size and header only; None when it may be."""
    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return f"{size / 1e6:.0f} MB, more than the {MAX_IMAGE_BYTES // 1_000_000} MB an image may have"
        with Image.open(path) as header:  # reads the header only, never the pixels
            w, h = header.size
    except OSError as e:
        return None if isinstance(e, UnidentifiedImageError) else f"cannot be read ({e.strerror or e})"
    except Image.DecompressionBombError:
        return "decodes to too many pixels"
    if w * h > MAX_PIXELS:
        return f"{w}x{h} pixels, more than the {MAX_PIXELS // 1_000_000} megapixels an image may have"
    return None


def read_banner(path: Path, groups: Sequence[Sequence[str]], *, retry_unread: bool = True) -> BannerFacts:
    """Decode, measure and read one image; OCR retries stop once every group is read. Without
    `retry_unread`, an image whose first reading finds none of the groups is not retried
    (a folder of phone photos costs one reading each). An image over the size caps, or one
    that cannot be read, is reported undecoded with the reason."""
    import cv2
    import numpy as np

    if problem := _too_big(path):
        return BannerFacts(path, False, 0, 0, None, 0, problem=problem)
    try:
        data = np.fromfile(str(path), dtype=np.uint8)  # imread cannot open non-ASCII paths on Windows
    except OSError as e:
        return BannerFacts(path, False, 0, 0, None, 0, problem=f"cannot be read ({e.strerror or e})")
    image = _bgr(data)
    if image is None:
        return BannerFacts(path, False, 0, 0, None, 0, problem="not an image that can be decoded")
    h, w = image.shape[:2]
    small = _fit(image)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    exe = tesseract()
    if exe is None or ocr_language(exe) is None:
        return BannerFacts(path, True, w, h, None, _dhash(grey))
    started = time.monotonic()
    try:
        text, angle = _ocr(small, exe), 0.0
        found = groups_found(text, groups)
        retry = not all(found) and (retry_unread or any(found))
        for angle in OCR_ANGLES if retry else ():
            if time.monotonic() - started > OCR_BUDGET_S:
                break
            again = _ocr(_rotated(grey, angle), exe)
            again_found = groups_found(again, groups)
            if sum(again_found) > sum(found):
                text, found = again, again_found
            if all(found):
                break
    except OcrError as e:
        return BannerFacts(path, True, w, h, None, _dhash(grey), problem=f"OCR failed: {e}")
    return BannerFacts(path, True, w, h, " ".join(text.split()), _dhash(grey),
                       angle if all(found) else None)
