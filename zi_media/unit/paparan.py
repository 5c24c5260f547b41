"""The paparan (presentation): its text, slide by slide (PPTX) or page by page (PDF), as an
untimed transcript, so the same coverage engine judges the six areas and innovations."""

from __future__ import annotations

import logging
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import TranscriptError
from ..types import Segment, Transcript
from ..yamlsafe import short

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

MAX_PART_BYTES = 50_000_000  # one part of a PPTX (a slide's XML, a picture) inflated
MAX_TOTAL_BYTES = 1_000_000_000  # the whole PPTX inflated
MAX_SLIDES = 300  # a paparan has tens of slides; a file of thousands is not one, and costs minutes
MAX_TEXT_CHARS = 1_000_000  # all slides' text together; a paparan's is some tens of thousands
MAX_PAGE_TREE_ENTRIES = 10_000  # nodes of a PDF's page tree walked; more is a damaged (or hostile) tree
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # page keys a PDF page-tree node passes down
# pypdf's warnings that say part of the file was lost, not merely repaired (an index rebuilt, a
# key defined twice): a paparan read in part cannot be judged.
_LOST = re.compile(r"error|exception|cannot|can not|impossible|not defined|not found|truncated", re.IGNORECASE)
_PYPDF_LOG = threading.Lock()  # one read at a time changes the pypdf logger

T = TypeVar("T")


def _check_inflated_size(path: Path) -> None:
    """Refuse a PPTX (a zip) whose parts inflate past the caps, from the zip's directory alone:
    a 643 kB file whose slide inflates to 200 MB must not be parsed."""
    with zipfile.ZipFile(path) as z:
        sizes = [i.file_size for i in z.infolist()]
    if sizes and (max(sizes) > MAX_PART_BYTES or sum(sizes) > MAX_TOTAL_BYTES):
        raise TranscriptError(f"{path}: cannot read the presentation: it inflates to {sum(sizes) / 1e6:.0f} MB "
                              f"(one part {max(sizes) / 1e6:.0f} MB; at most {MAX_PART_BYTES // 1_000_000} MB a part)")


def _capped_texts(path: Path, noun: str, declared: object, pages: Iterable[T], text: Callable[[T], str]) -> list[str]:
    """The text of each page, refused past MAX_SLIDES pages (the `declared` count when the file
    gives one, else counted while reading) or MAX_TEXT_CHARS characters: each is read only
    after the caps allow it."""
    def too_many(what: str) -> TranscriptError:
        return TranscriptError(f"{path}: the presentation has {what}; at most {MAX_SLIDES} are read")

    if isinstance(declared, int) and declared > MAX_SLIDES:
        raise too_many(f"{declared} {noun}")
    texts: list[str] = []
    chars = 0
    for page in pages:
        if len(texts) == MAX_SLIDES:
            raise too_many(f"more than {MAX_SLIDES} {noun}")
        texts.append(text(page))
        chars += len(texts[-1])
        if chars > MAX_TEXT_CHARS:
            raise TranscriptError(f"{path}: the presentation has more than {MAX_TEXT_CHARS:,} characters of text; "
                                  f"at most {MAX_TEXT_CHARS:,} are read")
    return texts


def _pptx_texts(path: Path) -> list[str]:
    _check_inflated_size(path)
    from pptx import Presentation

    slides = Presentation(str(path)).slides
    return _capped_texts(path, "slides", len(slides), slides, lambda slide: " ".join(
        shape.text_frame.text for shape in slide.shapes if shape.has_text_frame))


class _Damage(Exception):
    """The PDF's structure is broken in a way pypdf does not repair."""


def _pdf_pages(reader: PdfReader, root: object) -> Iterator[PageObject]:
    """The pages in order, walked one at a time: pypdf's own walk builds every page of the tree
    before the first is given (a 100,000-page file: minutes and gigabytes), past any cap."""
    from pypdf import PageObject
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[tuple[Iterator[object], dict[str, object]]] = [(iter([root]), {})]
    entries = 0
    while stack:
        kids, inherited = stack[-1]
        kid = next(kids, None)
        if kid is None:
            stack.pop()
            continue
        entries += 1
        if entries > MAX_PAGE_TREE_ENTRIES:
            raise _Damage(f"its page tree has more than {MAX_PAGE_TREE_ENTRIES} entries")
        node = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if not isinstance(node, DictionaryObject):
            raise _Damage("its page tree holds something other than pages")
        if node.get("/Type") != "/Page" and "/Kids" in node:
            below = node["/Kids"]
            if not isinstance(below, ArrayObject):
                raise _Damage("a page-tree node's /Kids is not a list")
            stack.append((iter(below), {**inherited, **{k: v for k, v in node.items() if k in _INHERITED}}))
            continue
        page = PageObject(reader, kid if isinstance(kid, IndirectObject) else None)
        page.update(node)
        page.update({k: v for k, v in inherited.items() if k not in node})
        yield page


class _Collect(logging.Handler):
    """Keeps each record's message, to be judged once the file is read."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__()
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _pypdf_warnings() -> Iterator[list[str]]:
    """pypdf reports the damage it works around by logging, which Python's last-resort handler
    prints raw on stderr; collected here instead, to be judged and said in the report."""
    logger = logging.getLogger("pypdf")
    messages: list[str] = []
    handler = _Collect(messages)
    with _PYPDF_LOG:
        propagate = logger.propagate
        logger.addHandler(handler)
        logger.propagate = False
        try:
            yield messages
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate


def _pdf_texts(path: Path) -> list[str]:
    """The pages' text; any damage pypdf reports, even with some text read, is refused."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    def damaged(detail: str, read_some: bool = False) -> TranscriptError:
        part = "all of " if read_some else ""
        return TranscriptError(f"{path}: cannot read {part}the presentation: damaged PDF ({short(detail, 200)})")

    with _pypdf_warnings() as warnings:
        try:
            reader = PdfReader(str(path))
            catalog = reader.trailer["/Root"]  # pypdf resolves the references
            root = catalog["/Pages"] if isinstance(catalog, DictionaryObject) and "/Pages" in catalog else None
            if not isinstance(root, DictionaryObject):
                raise _Damage("it has no page tree")
            texts = _capped_texts(path, "pages", root.get("/Count"), _pdf_pages(reader, root),
                                  lambda page: page.extract_text() or "")
        except _Damage as e:
            raise damaged(str(e)) from None
    lost = list(dict.fromkeys(m for m in warnings if _LOST.search(m)))  # each damage once, however often read
    if lost:
        more = f"; {len(lost) - 1} more" if len(lost) > 1 else ""
        raise damaged(lost[0] + more, read_some=any(t.strip() for t in texts))
    return texts


def slides_text(path: Path) -> list[str]:
    """One text per slide or page; a damaged or oversized file raises TranscriptError."""
    try:
        return _pptx_texts(path) if path.suffix.lower() == ".pptx" else _pdf_texts(path)
    except TranscriptError:
        raise
    except Exception as e:  # python-pptx and pypdf raise many types for a damaged file
        if isinstance(e, RecursionError) or isinstance(e.__cause__, RecursionError):  # pypdf wraps it
            raise TranscriptError(
                f"{path}: cannot read the presentation: damaged file (objects nested too deep)") from None
        raise TranscriptError(f"{path}: cannot read the presentation ({type(e).__name__}: {short(e, 200)})") from e


def paparan_transcript(path: Path, language: str) -> Transcript:
    segments = tuple(Segment(0.0, 0.0, " ".join(t.split()), 1.0) for t in slides_text(path))
    return Transcript(segments, language, "paparan", str(path), {}, 0.0, timed=False)
