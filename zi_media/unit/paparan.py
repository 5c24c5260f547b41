"""The paparan (presentation): its text, slide by slide (PPTX) or page by page (PDF), as an
untimed transcript, so the same coverage engine judges the six areas and innovations."""

from __future__ import annotations

from pathlib import Path

from ..errors import TranscriptError
from ..types import Segment, Transcript


def slides_text(path: Path) -> list[str]:
    """One text per slide or page; a damaged file raises TranscriptError."""
    try:
        if path.suffix.lower() == ".pptx":
            from pptx import Presentation

            return [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
                    for slide in Presentation(str(path)).slides]
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    except Exception as e:  # python-pptx and pypdf raise many types for a damaged file
        raise TranscriptError(f"{path}: cannot read the presentation ({type(e).__name__}: {e})") from e


def paparan_transcript(path: Path, language: str) -> Transcript:
    segments = tuple(Segment(0.0, 0.0, " ".join(t.split()), 1.0) for t in slides_text(path))
    return Transcript(segments, language, "paparan", str(path), {}, 0.0, timed=False)
