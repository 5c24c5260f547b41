"""Edge inputs a person can hand over by mistake or on purpose: a paparan of 100,000 pages or
with a damaged structure, a 200 MB transcript, subtitles with absurd times, a folder or a
FIFO as --profile. Each is made here (PDFs written by hand, small on disk) and must end in a
clear one-line message within seconds; the heavy ones run in a child process under a
memory cap, which also shows that nothing raw reaches stderr."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zi_media.cli import cli
from zi_media.errors import ProfileError, TranscriptError
from zi_media.profiles import load_profile
from zi_media.speech.transcript_files import read
from zi_media.unit import paparan
from zi_media.unit.check import check_unit

from .conftest import SAMPLES

CAPPED = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # 3 GB of address space at most
from importlib import import_module
from pathlib import Path
from zi_media.errors import ZiMediaError
module, name = sys.argv[1].split(":")
reader = getattr(import_module(module), name)
t = time.perf_counter()
try:
    texts, error = [s.text for s in reader(Path(sys.argv[2]), "id").segments], None
except ZiMediaError as e:
    texts, error = [], str(e)
print(json.dumps({"seconds": time.perf_counter() - t, "error": error, "texts": texts[:3],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def capped_read(reader: str, path: Path) -> dict[str, object]:
    """`reader` ("module:function", taking a path and a language) run in a child under the cap;
    its stderr must stay empty: no raw library line, no traceback."""
    out = subprocess.run([sys.executable, "-c", CAPPED, reader, str(path)], capture_output=True, text=True,
                         timeout=30)
    assert (out.returncode, out.stderr) == (0, ""), out.stderr[-2000:]
    result: dict[str, object] = json.loads(out.stdout)
    assert float(result["seconds"]) < 10  # type: ignore[arg-type]
    return result


PAPARAN = "zi_media.unit.paparan:paparan_transcript"
TEXT = b"BT /F1 12 Tf 10 10 Td (Area pertama manajemen perubahan) Tj ET"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with its cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def slides_pdf(count: int, kids: int, before: bytes = b"", after: bytes = b"", text: bytes = TEXT) -> bytes:
    """A page tree declaring `count` pages whose /Kids name one page object `kids` times:
    100,000 pages in 600 kB. `before` and `after` go into the page's dictionary before and
    after its /Resources and /Contents: damage before them costs the page's text."""
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, b"3 0 R " * kids),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] %s /Resources << /Font << /F1 4 0 R >> >> "
                b"/Contents 5 0 R %s >>" % (before, after),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", stream])


DAMAGED = b"/PieceInfo << /A " + b"[" * 100_000 + b"]" * 100_000 + b" >>"  # an array nested 100,000 deep


@pytest.mark.parametrize(("count", "kids", "says"), [
    (100_000, 100_000, "the presentation has 100000 pages; at most 300 are read"),
    (3, 100_000, "the presentation has more than 300 pages; at most 300 are read"),
], ids=["counted", "count-lies"])
def test_a_pdf_of_100000_pages_is_refused_in_seconds(tmp_path: Path, count: int, kids: int, says: str) -> None:
    path = tmp_path / "paparan.pdf"
    path.write_bytes(slides_pdf(count, kids))
    assert path.stat().st_size < 1_000_000
    assert capped_read(PAPARAN, path)["error"] == f"{path}: {says}"


def test_the_text_of_a_pdf_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "paparan.pdf"
    path.write_bytes(slides_pdf(300, 300, text=b"BT /F1 1 Tf (%s) Tj ET" % (b"kata " * 1_000)))
    assert capped_read(PAPARAN, path)["error"] == (
        f"{path}: the presentation has more than 1,000,000 characters of text; at most 1,000,000 are read")


def test_a_pptx_of_too_many_slides_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pptx import Presentation

    deck = Presentation()
    for _ in range(3):
        deck.slides.add_slide(deck.slide_layouts[6])
    path = tmp_path / "paparan.pptx"
    deck.save(str(path))
    monkeypatch.setattr(paparan, "MAX_SLIDES", 2)
    with pytest.raises(TranscriptError, match=r"paparan.pptx: the presentation has 3 slides; at most 2 are read$"):
        paparan.paparan_transcript(path, "id")


@pytest.mark.parametrize("read_in_part", [False, True])
def test_a_damaged_pdf_is_said_never_printed_raw(tmp_path: Path, read_in_part: bool) -> None:
    """pypdf logs the damage it works around and keeps the page's entries read before it; it
    must reach the report, not stderr, also when the page's text was still read."""
    path = tmp_path / "paparan.pdf"
    path.write_bytes(slides_pdf(1, 1, after=DAMAGED) if read_in_part else slides_pdf(1, 1, before=DAMAGED))
    part = "all of " if read_in_part else ""
    assert capped_read(PAPARAN, path)["error"] == (
        f"{path}: cannot read {part}the presentation: damaged PDF (PdfReadError('Error reading PDF file.'))")


@pytest.mark.parametrize(("objects", "says"), [
    ([b"7"], "damaged PDF (it has no page tree)"),
    ([b"<< /Type /Pages /Count 1 /Kids [2 0 R] >>"], "damaged PDF (its page tree has more than 10000 entries)"),
    ([b"<< /Type /Pages /Count 1 /Kids 5 >>"], "damaged PDF (a page-tree node's /Kids is not a list)"),
    ([b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>", b"42"], "damaged PDF (its page tree holds something other than pages)"),
    ([b"<< /Type /Pages /Count 1 /Kids 3 0 R >>", b"[" * 100_000 + b"]" * 100_000],
     "damaged file (objects nested too deep)"),
], ids=["no-tree", "loop", "kids-not-a-list", "not-a-page", "nested-too-deep"])
def test_a_broken_page_tree_is_said(tmp_path: Path, objects: list[bytes], says: str) -> None:
    path = tmp_path / "paparan.pdf"
    path.write_bytes(pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *objects]))
    with pytest.raises(TranscriptError) as e:
        paparan.paparan_transcript(path, "id")
    assert str(e.value) == f"{path}: cannot read the presentation: {says}"


def test_a_damaged_paparan_is_a_finding_of_the_unit(tmp_path: Path) -> None:
    root = tmp_path / "unit"
    root.mkdir()
    for f in SAMPLES.joinpath("unit-good").iterdir():
        if f.suffix != ".pptx":
            (root / f.name).write_bytes(f.read_bytes())
    (root / "paparan.pdf").write_bytes(slides_pdf(1, 1, before=DAMAGED))
    found = {f.id: f for f in check_unit(root, load_profile()).findings}["paparan"]
    assert found.status == "not_met"
    assert str(found.message.params["file"]).endswith("cannot read the presentation: damaged PDF "
                                                 "(PdfReadError('Error reading PDF file.'))")


def test_a_repaired_pdf_is_read_and_the_pypdf_logger_restored(tmp_path: Path) -> None:
    """A repair that loses nothing (a wrong startxref offset) is no damage; the logger is left
    as it was found."""
    good = slides_pdf(1, 1)
    at = good.rindex(b"startxref\n") + len(b"startxref\n")
    path = tmp_path / "paparan.pdf"
    path.write_bytes(good[:at] + b"%d\n%%%%EOF\n" % (int(good[at:].split()[0]) + 7))
    assert capped_read(PAPARAN, path)["texts"] == ["Area pertama manajemen perubahan"]
    logger = logging.getLogger("pypdf")
    handlers = list(logger.handlers)
    assert [s.text for s in paparan.paparan_transcript(path, "id").segments] == ["Area pertama manajemen perubahan"]
    assert (logger.handlers, logger.propagate) == (handlers, True)


def test_a_200_mb_transcript_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "naskah.txt"
    with open(path, "wb") as f:  # sparse: nothing on disk
        f.truncate(200_000_000)
    assert capped_read("zi_media.speech.transcript_files:read", path)["error"] == (
        f"{path}: the transcript is 200 MB; at most 20 MB are read")


@pytest.mark.parametrize(("content", "line", "says"), [
    ("1\n00:00:01,000 --> 00:00:02,000\nHalo.\n\n2\n99999999:59:59,999 --> 00:00:00,000\nArea pertama.\n", 6,
     "cue time '99999999:59:59,999 --> 00:00:00,000' is not a valid time range (end before start)"),
    ("1\n-00:00:01,000 --> 00:00:02,000\nArea pertama.\n", 2,
     "cue time '-00:00:01,000 --> 00:00:02,000' is not a valid time range (negative time)"),
    ("1\n00:00:01,000 --> 30:00:00,000\nArea pertama.\n", 2,
     "cue time '00:00:01,000 --> 30:00:00,000' is not a valid time range (beyond 24 hours)"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\nHalo.\n\n00:03.000 --> 00:0x.000\nArea pertama.\n", 6,
     "cue time '00:03.000 --> 00:0x.000' is not a valid time range (expected hh:mm:ss,mmm --> hh:mm:ss,mmm)"),
    ("WEBVTT\n\n00:01.000 --> 00:75.000\nArea pertama.\n", 3,
     "cue time '00:01.000 --> 00:75.000' is not a valid time range (minutes or seconds past 59)"),
    ("start\tend\ttext\n0\t1000\tHalo.\n-1000\t2000\tArea pertama.\n", 3,
     "start -1000 ms, end 2000 ms is not a valid time range (negative time)"),
    ("start\tend\ttext\n5000\t1000\tArea pertama.\n", 2,
     "start 5000 ms, end 1000 ms is not a valid time range (end before start)"),
], ids=["end-before-start", "negative", "past-a-day", "unparsed", "seconds-past-59", "tsv-negative", "tsv-backwards"])
def test_absurd_times_are_refused_with_their_line(tmp_path: Path, content: str, line: int, says: str) -> None:
    path = tmp_path / "naskah.srt"
    path.write_text(content)
    with pytest.raises(TranscriptError) as e:
        read(path, "id")
    assert str(e.value) == f"{path}: line {line}: {says}"


def test_vtt_cue_settings_and_tags_still_read(tmp_path: Path) -> None:
    path = tmp_path / "naskah.vtt"
    path.write_text("WEBVTT\n\nNOTE dibuat tangan\n\n00:01.000 --> 00:02.500 align:start position:10%\n"
                    "<v Ketua>Area pertama.</v>\n\n00:02.500 --> 00:02.500\nTitik.\n")
    assert [(s.start_s, s.end_s, s.text) for s in read(path, "id").segments] == [
        (1.0, 2.5, "Area pertama."), (2.5, 2.5, "Titik.")]


def test_a_folder_or_a_fifo_as_profile_is_named_so(tmp_path: Path) -> None:
    fifo = tmp_path / "profil.yaml"
    os.mkfifo(fifo)  # opening it would block until a writer came
    with pytest.raises(ProfileError, match=f"^profile {fifo}: not a regular file, expected a profile YAML file$"):
        load_profile(str(fifo))
    transcript = tmp_path / "naskah.txt"
    transcript.write_text("Area pertama.\n")
    r = CliRunner().invoke(cli, ["check", "--transcript", str(transcript), "--kind", "development",
                                 "--profile", f"{tmp_path}/"])
    assert (r.exit_code, r.stdout, r.stderr) == (
        2, "", f"zi-media: error: profile {tmp_path}: is a folder, expected a profile YAML file\n")
