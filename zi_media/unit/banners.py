"""Banner and poster images: decodable, large enough to read, saying the unit is building
Zona Integritas toward WBK/WBBM (read by tesseract OCR), and not the same photo twice.

OpenCV decodes and measures; tesseract (`-l ind`, Debian tesseract-ocr-ind) reads. A phone
photo is turned upright by its EXIF orientation tag first (OpenCV's IMREAD_UNCHANGED ignores
it), and an animated GIF/WebP is read at up to three frames spread over it, blank ones
skipped (Pillow seeks; only as far as MAX_PIXELS of frames). Small or tilted text gets
retries: turned by quarters (also upside down) when upright reads none of the phrases,
then upscaled, greyscale, median-filtered, rotated a few degrees either way. tesseract runs
with OMP_THREAD_LIMIT=1, since its OpenMP threads stall when they share the cores with
Whisper (docs/measurements.md). Without tesseract the text check is a warning ("not
verified"), never a crash.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..ocr import OcrError, ocr_language, tesseract
from ..ocr import read_text as _ocr
from ..types import BannerFacts

# degrees (anticlockwise) tried when upright reads no phrase; tesseract itself reads a picture
# turned a quarter clockwise (it takes the lines for vertical text), so what it cannot read
# comes first: a quarter anticlockwise (read at 270), upside down, and then the rest
OCR_QUARTER_TURNS = (270, 180, 90)
OCR_ANGLES = (0.0, -3.0, 3.0, -6.0, 6.0, -9.0, 9.0, -12.0, 12.0)  # degrees tried, in order
OCR_UPSCALE = 2.0  # small text reads better enlarged
OCR_MAX_SIDE_PX = 2400  # pictures are read at most this large (a banner's text stays legible)
OCR_BUDGET_S = 15.0  # no new retry (or frame) starts after this long on one image
MAX_IMAGE_BYTES = 100_000_000  # a banner photo is a few MB; 100 MB is not a photo
MAX_PIXELS = 120_000_000  # a 108-megapixel phone photo passes; a 30000x30000 "bomb" does not
FRAMES_READ = 3  # an animation is read at up to this many frames, spread over it
BLANK_STD = 2.0  # a frame whose pixels vary less than this (of 255) shows nothing to read
HASH_SIZE = 8  # difference hash of 8x8 bits
DUPLICATE_BITS = 6  # hashes this close (of 64 bits) are the same photo
DUPLICATE_CELLS = 1_000_000  # hash pairs compared at once (8 MB a step)


def squash(text: str) -> str:
    """Lower case letters and digits only: matching ignores spaces, case and punctuation."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def groups_found(text: str, groups: Sequence[Sequence[str]]) -> tuple[bool, ...]:
    """For each group of phrases, whether one of them is in the text (fuzzy, 1 slip in 10)."""
    from rapidfuzz import fuzz

    flat = squash(text)
    return tuple(any(fuzz.partial_ratio(squash(p), flat) >= 90 for p in group) for group in groups)


@dataclass(frozen=True)
class Header:
    """What an image's header says, read without decoding a pixel."""

    width: int  # upright: after the EXIF orientation
    height: int
    frames: int = 1  # of an animation (GIF, WebP, APNG); 1 for a still picture
    orientation: int = 1  # the EXIF tag: 1 upright, 6 stored a quarter turn anticlockwise, ...
    problem: str | None = None  # why it must not be decoded (bytes or pixels over the caps, unreadable)


def header(path: Path) -> Header | None:
    """The image's upright size, frames and orientation from its file size and header only;
    a problem when it must not be decoded; None when Pillow does not know the format (OpenCV
    may still decode it)."""
    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return Header(0, 0, problem=f"{size / 1e6:.0f} MB, more than the "
                                        f"{MAX_IMAGE_BYTES // 1_000_000} MB an image may have")
        with Image.open(path) as image:  # reads the header only, never the pixels
            w, h = image.size
            # EXIF that a PNG keeps after its pixels is left unread: Pillow would decode them to reach it
            exif = image.getexif() if image.format != "PNG" or "exif" in image.info else {}
            orientation = exif.get(0x0112, 1)
            frames = _frame_count(image)
    except OSError as e:
        return None if isinstance(e, UnidentifiedImageError) else \
            Header(0, 0, problem=f"cannot be read ({e.strerror or e})")
    except Image.DecompressionBombError:
        return Header(0, 0, problem="decodes to too many pixels")
    if w * h > MAX_PIXELS:
        return Header(0, 0, problem=f"{w}x{h} pixels, more than the "
                                    f"{MAX_PIXELS // 1_000_000} megapixels an image may have")
    orientation = orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1
    return Header(*((h, w) if orientation >= 5 else (w, h)), frames, orientation)


# what Pillow raises on a damaged animation as it steps through it (a cut GIF: IndexError)
DAMAGED_FRAME = (OSError, EOFError, SyntaxError, ValueError, IndexError)


def _frame_count(image: Any) -> int:
    """The frames of an animation Pillow has open; 1 for a still picture, and for one whose
    frames cannot be counted (damaged after the first: read as a still picture). An MPO's
    second frame is the camera's preview of the same photo, not an animation."""
    try:
        return int(getattr(image, "n_frames", 1)) if image.format != "MPO" else 1
    except DAMAGED_FRAME:
        return 1


def _bgr(image: Any) -> Any:
    """An 8-bit BGR picture from a decoded one: grey expanded, 16-bit scaled, and a
    transparent background laid on white (decoded as black, it hid dark text)."""
    import cv2
    import numpy as np

    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4 and image[..., 3].min() == 255:  # opaque all over: nothing to lay on white
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
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


def upright(image: Any, orientation: int) -> Any:
    """The picture as the EXIF orientation tag says it is seen (what Pillow's
    ImageOps.exif_transpose does): 2 and 4 mirrored, 3 half a turn, 6 and 8 a quarter turn,
    5 and 7 mirrored along a diagonal."""
    import cv2

    if orientation in (5, 7):
        image = cv2.transpose(image)
    if orientation in (2, 4):
        return cv2.flip(image, 1 if orientation == 2 else 0)
    turn = {3: cv2.ROTATE_180, 6: cv2.ROTATE_90_CLOCKWISE, 7: cv2.ROTATE_180,
            8: cv2.ROTATE_90_COUNTERCLOCKWISE}.get(orientation)
    return image if turn is None else cv2.rotate(image, turn)


class _Picture(NamedTuple):
    """One picture to read: its frame, its upright size, and itself fitted for OCR (BGR)."""

    frame: int
    width: int
    height: int
    small: Any


def _picture(frame: int, decoded: Any, orientation: int) -> _Picture:
    h, w = decoded.shape[:2]
    return _Picture(frame, *((h, w) if orientation >= 5 else (w, h)), upright(_bgr(_fit(decoded)), orientation))


def _blank(picture: _Picture) -> bool:
    """Whether a frame shows nothing (a fade-in's first frame)."""
    import cv2

    return bool(cv2.meanStdDev(picture.small)[1].max() < BLANK_STD)


def _frame(image: Any, frame: int, orientation: int) -> _Picture:
    """One frame of an animation Pillow has open, upright and fitted."""
    import cv2
    import numpy as np

    image.seek(frame)
    return _picture(frame, cv2.cvtColor(np.asarray(image.convert("RGBA")), cv2.COLOR_RGBA2BGRA), orientation)


def _frames(path: Path, head: Header) -> Iterator[_Picture]:
    """Up to FRAMES_READ frames spread over an animation, a blank one (a fade-in) passed for
    the next; the first frame when every one is blank. Frames are decoded in order (a GIF
    frame is drawn over those before it) and no further than MAX_PIXELS of frames in all: a
    GIF of 10,000 frames is never decoded whole. Stops at a frame that cannot be decoded."""
    from PIL import Image

    reach = max(1, min(head.frames, MAX_PIXELS // max(1, head.width * head.height)))
    targets = sorted({k * reach // FRAMES_READ for k in range(FRAMES_READ)})
    shown = False
    with Image.open(path) as image:
        try:
            for frame in range(reach):
                if frame < targets[0]:
                    continue
                picture = _frame(image, frame, head.orientation)
                if _blank(picture):
                    continue
                shown = True
                yield picture
                targets = [t for t in targets if t > frame]
                if not targets:
                    return
            if not shown:
                yield _frame(image, 0, head.orientation)
        except DAMAGED_FRAME:
            return  # a damaged frame: the frames before it are what the animation shows


def _pictures(path: Path, head: Header | None) -> tuple[_Picture, Iterator[_Picture]] | str:
    """The first picture of an image to read and, lazily (one frame in memory at a time),
    the rest; or why there is none. OpenCV decodes a still picture, Pillow the frames of an
    animation."""
    import cv2
    import numpy as np

    if head is not None and head.problem:
        return head.problem
    if head is not None and head.frames > 1:
        pictures = _frames(path, head)
    else:
        try:
            data = np.fromfile(str(path), dtype=np.uint8)  # imread cannot open non-ASCII paths on Windows
        except OSError as e:
            return f"cannot be read ({e.strerror or e})"
        decoded = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None  # EXIF ignored: upright()
        pictures = iter(() if decoded is None else (_picture(0, decoded, head.orientation if head else 1),))
    first = next(pictures, None)
    return "not an image that can be decoded" if first is None else (first, pictures)


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


def _bits_set(x: Any) -> Any:
    """The number of bits set in each of an array of 64-bit words (numpy has no popcount before 2.0)."""
    import numpy as np

    m1, m2, m4, h01 = (np.uint64(v) for v in (0x5555555555555555, 0x3333333333333333,
                                              0x0F0F0F0F0F0F0F0F, 0x0101010101010101))
    x = x - ((x >> np.uint64(1)) & m1)
    x = (x & m2) + ((x >> np.uint64(2)) & m2)
    return (((x + (x >> np.uint64(4))) & m4) * h01) >> np.uint64(56)


def duplicate_groups(facts: Sequence[BannerFacts]) -> list[list[int]]:
    """The decoded images that are the same photo, as groups of indices into `facts`: copies
    of one photo are one group however many there are, so each file is named once. The
    hashes are compared a block of rows at a time, and each image's matches are linked at
    once (a union-find on numpy arrays): 3,000 images, or 3,000 copies of one, take a
    fraction of a second."""
    import numpy as np

    decoded = [i for i, f in enumerate(facts) if f.decodable]
    hashes = np.array([facts[i].dhash for i in decoded], dtype=np.uint64)
    n = len(decoded)
    parent = np.arange(n)

    def roots(ix: Any) -> Any:
        r = parent[ix]
        while not np.array_equal(up := parent[r], r):
            r = up
        return r

    block = max(1, DUPLICATE_CELLS // max(1, n))
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        close = (_bits_set(hashes[rows, None] ^ hashes[None, :]) <= DUPLICATE_BITS) & (rows[:, None] < np.arange(n))
        for i in np.flatnonzero(close.any(axis=1)):
            members = np.append(np.flatnonzero(close[i]), rows[i])
            linked = roots(members)
            parent[linked] = parent[members] = linked.min()
    groups: dict[int, list[int]] = {}
    for index, r in zip(decoded, roots(np.arange(n)).tolist(), strict=True):
        groups.setdefault(r, []).append(index)
    return [g for g in groups.values() if len(g) > 1]


class _Reading(NamedTuple):
    text: str
    found: tuple[bool, ...]
    rotation_deg: float | None  # the rotation at which every group was read
    turn: int  # the quarter turns (degrees) the picture was read at: 90 and 270 swap its width and height


def _read(small: Any, groups: Sequence[Sequence[str]], exe: str, started: float, retry_unread: bool) -> _Reading:
    """What one picture says. Read as it is; when that finds none of the groups, turned by
    quarters (a banner photographed sideways or upside down), the first turn that reads any
    kept; then, unless every group is read, upscaled grey retries a few degrees either way.
    No retry starts after OCR_BUDGET_S from `started`."""
    import cv2

    def spent() -> bool:
        return time.monotonic() - started > OCR_BUDGET_S

    text = _ocr(small, exe)
    found, turn = groups_found(text, groups), 0
    codes = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}
    for quarter in OCR_QUARTER_TURNS if retry_unread and not any(found) else ():
        if spent():
            break
        turned = cv2.rotate(small, codes[quarter])
        again = _ocr(turned, exe)
        if any(again_found := groups_found(again, groups)):
            text, found, turn, small = again, again_found, quarter, turned
            break
    retry = not all(found) and (retry_unread or any(found))
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    angle = 0.0
    for angle in OCR_ANGLES if retry else ():
        if spent():
            break
        again = _ocr(_rotated(grey, angle), exe)
        again_found = groups_found(again, groups)
        if sum(again_found) > sum(found):
            text, found = again, again_found
        if all(found):
            break
    return _Reading(" ".join(text.split()), found, turn + angle if all(found) else None, turn)


def _hash(picture: _Picture) -> int:
    import cv2

    return _dhash(cv2.cvtColor(picture.small, cv2.COLOR_BGR2GRAY))


def read_banner(path: Path, groups: Sequence[Sequence[str]], *, retry_unread: bool = True) -> BannerFacts:
    """Decode, measure and read one image: each chosen frame of an animation until one reads
    every group (the best reading is kept). Without `retry_unread`, a picture whose first
    reading finds none of the groups is not retried (a folder of phone photos costs one
    reading each). An image over the size caps, or one that cannot be read, is reported
    undecoded with the reason."""
    head = header(path)
    frames = head.frames if head is not None else 1
    pictures = _pictures(path, head)
    if isinstance(pictures, str):
        return BannerFacts(path, False, 0, 0, None, 0, problem=pictures)
    first, rest = pictures
    exe = tesseract()
    if exe is None or ocr_language(exe) is None:
        return BannerFacts(path, True, first.width, first.height, None, _hash(first), frames=frames, frame=first.frame)
    started = time.monotonic()
    best: tuple[_Picture, _Reading] | None = None
    for picture in itertools.chain((first,), rest):  # the next frame is decoded only if needed
        try:
            reading = _read(picture.small, groups, exe, started, retry_unread)
        except OcrError as e:
            return BannerFacts(path, True, picture.width, picture.height, None, _hash(picture),
                               problem=f"OCR failed: {e}", frames=frames, frame=picture.frame)
        if best is None or sum(reading.found) > sum(best[1].found):
            best = picture, reading
        if all(reading.found) or time.monotonic() - started > OCR_BUDGET_S:
            break
    assert best is not None  # the first picture is always read
    picture, reading = best
    w, h = (picture.height, picture.width) if reading.turn in (90, 270) else (picture.width, picture.height)
    return BannerFacts(path, True, w, h, reading.text, _hash(picture), reading.rotation_deg,
                       frames=frames, frame=picture.frame)
