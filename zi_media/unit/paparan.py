"""The paparan (presentation): its text, slide by slide (PPTX) or page by page (PDF), as an
untimed transcript, so the same coverage engine judges the six areas and innovations."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import TranscriptError
from ..types import Segment, Transcript

MAX_PART_BYTES = 50_000_000  # one part of a PPTX (a slide's XML, a picture) inflated
MAX_TOTAL_BYTES = 1_000_000_000  # the whole PPTX inflated


def _check_inflated_size(path: Path) -> None:
    """Refuse a PPTX (a zip) whose parts inflate past the caps, from the zip's directory alone:
    a 643 kB file whose slide inflates to 200 MB must not be parsed."""
    with zipfile.ZipFile(path) as z:
        sizes = [i.file_size for i in z.infolist()]
    if sizes and (max(sizes) > MAX_PART_BYTES or sum(sizes) > MAX_TOTAL_BYTES):
        raise TranscriptError(f"{path}: cannot read the presentation: it inflates to {sum(sizes) / 1e6:.0f} MB "
                              f"(one part {max(sizes) / 1e6:.0f} MB; at most {MAX_PART_BYTES // 1_000_000} MB a part)")


def slides_text(path: Path) -> list[str]:
    """One text per slide or page; a damaged or oversized file raises TranscriptError."""
    try:
        if path.suffix.lower() == ".pptx":
            _check_inflated_size(path)
            from pptx import Presentation

            return [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
                    for slide in Presentation(str(path)).slides]
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    except TranscriptError:
        raise
    except Exception as e:  # python-pptx and pypdf raise many types for a damaged file
        raise TranscriptError(f"{path}: cannot read the presentation ({type(e).__name__}: {e})") from e


def paparan_transcript(path: Path, language: str) -> Transcript:
    segments = tuple(Segment(0.0, 0.0, " ".join(t.split()), 1.0) for t in slides_text(path))
    return Transcript(segments, language, "paparan", str(path), {}, 0.0, timed=False)
