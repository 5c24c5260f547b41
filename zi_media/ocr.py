"""tesseract, shared by what reads pictures: banners (unit) and on-screen text (media).

tesseract runs with OMP_THREAD_LIMIT=1, since its OpenMP threads stall when they share the
cores with Whisper (docs/measurements.md). Callers treat a missing tesseract as a finding
("not verified"), never a crash.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import Any

OCR_TIMEOUT_S = 60


def tesseract() -> str | None:
    """The tesseract program ($ZI_MEDIA_TESSERACT, else on PATH), or None when absent."""
    return shutil.which(os.environ.get("ZI_MEDIA_TESSERACT") or "tesseract")


def ocr_language(exe: str) -> str | None:
    """The language tesseract reads banners in: Indonesian (Debian tesseract-ocr-ind), else
    English as a fallback (the report then warns); None when it lists neither."""
    return _ocr_language(exe, os.environ.get("TESSDATA_PREFIX"))


@functools.cache
def _ocr_language(exe: str, tessdata: str | None) -> str | None:
    """Asked once per program and language folder: `tesseract --list-langs`."""
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=OCR_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        return None
    listed = set(out.stdout.split()) if out.returncode == 0 else set()
    return "ind" if "ind" in listed else "eng" if "eng" in listed else None


class OcrError(Exception):
    """tesseract failed on an image; the message is its own, one line."""


def read_text(image: Any, exe: str, *, output: str = "txt") -> str:
    """What tesseract reads in a BGR or grey picture: plain text, or its `tsv` (word boxes
    with confidences). A picture it cannot read in OCR_TIMEOUT_S reads as nothing."""
    import cv2

    _, buf = cv2.imencode(".png", image)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    extra = ["tsv"] if output == "tsv" else []
    try:
        out = subprocess.run([exe, "stdin", "stdout", "-l", ocr_language(exe) or "ind", *extra],
                             input=buf.tobytes(), capture_output=True, env=env, timeout=OCR_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return ""
    if out.returncode != 0:
        raise OcrError(" ".join(out.stderr.decode("utf-8", errors="replace").split())[:200] or
                       f"tesseract exited with {out.returncode}")
    return out.stdout.decode("utf-8", errors="replace")


