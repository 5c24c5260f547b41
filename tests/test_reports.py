"""The reports as an evaluator uses them: every link in a written page reaches a file on disk
(batch pages in --out, a page written with -o beside its unit or far from it), and every time
plays the video in the page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from .conftest import SAMPLES, sheet_column


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src"):
            if (value := a.get(key)) and not value.startswith("data:"):
                self.found.append((tag, value, a))


def links(page: Path) -> list[tuple[str, str, dict[str, str | None]]]:
    """(tag, link, attributes) of every link and source in the page that is not inline data."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def broken(page: Path) -> list[str]:
    """The links of `page` whose file is not on disk (resolved from the page's folder)."""
    out = []
    for _, link, _ in links(page):
        target = unquote(link.split("#", 1)[0])
        if target and not (page.parent / target).exists():
            out.append(link)
    return out


def zi(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "zi-media"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def copied_units(root: Path) -> Path:
    shutil.copytree(SAMPLES / "unit-good", root / "PN Baik")
    shutil.copytree(SAMPLES / "unit-bad", root / "PN Kurang #2")  # a "#" in a folder name must be quoted
    return root


@pytest.fixture
def units(tmp_path: Path) -> Path:
    return copied_units(tmp_path / "kiriman")


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch of a good and a bad unit, in Indonesian: its --out folder (units beside it)."""
    root = copied_units(tmp_path_factory.mktemp("batch") / "kiriman")
    out = root.parent / "hasil"
    r = zi("batch", str(root), "--out", str(out), "--no-transcribe", "--quiet", "--jobs", "1")
    assert r.returncode == 1, r.stderr
    return out


def test_batch_pages_link_to_the_videos_in_their_units(batched: Path) -> None:
    pages = sorted(p for p in batched.glob("*.html") if p.name != "index.html")
    assert len(pages) == 2
    for page in pages:
        assert not broken(page), (page.name, broken(page))
        found = links(page)
        players = {a["id"]: link for tag, link, a in found if tag == "video"}
        assert players and all(link.startswith("../kiriman/") for link in players.values()), players
        for _, link, a in found:  # a time seeks a player of the page, on the video it links to
            if "#t=" in link:
                assert players[a["data-player"] or ""] == link.split("#")[0]
    assert "PN%20Kurang%20%232/" in (batched / "PN-Kurang-2.html").read_text(encoding="utf-8")


def test_the_sheet_an_evaluator_can_read_and_print(batched: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(batched / "summary.xlsx")
    assert book.sheetnames == ["Ringkasan", "Keterangan"]
    sheet = book["Ringkasan"]
    assert [c.value for c in sheet[1]][:3] == ["Satuan kerja", "Hasil", "Yang tidak terpenuhi"]
    assert (sheet.freeze_panes, sheet.print_title_rows, sheet.print_title_cols) == ("B3", "$1:$2", "$A:$A")
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)  # A4
    heads = [c for c in sheet[2] if c.comment is not None]
    for c in heads:  # a short name, wrapped in at most five lines of its column; the full title in the comment
        width = sheet.column_dimensions[c.column_letter].width
        assert c.alignment.wrap_text and width >= 10 and len(str(c.value)) <= 5 * width, (c.value, width)
        assert c.comment.text.endswith(str(c.value))
    groups = {sheet.cell(1, c.column).value for c in heads} - {None}  # one merged group title a part
    assert {"Satuan kerja", "Video profil satuan kerja", "Video pembangunan Zona Integritas"} <= groups, groups
    rows = {sheet.cell(i, 1).value: i for i in range(3, sheet.max_row + 1)}
    bad, good = rows["PN Kurang #2"], rows["PN Baik"]
    duration = sheet_column(sheet, "Video profil satuan kerja: Durasi")
    failed = sheet.cell(bad, duration)
    assert failed.value == "GAGAL" and failed.fill.fgColor.rgb.endswith("FFC7CE")
    assert "Durasi 5:20 melebihi batas 5:00" in failed.comment.text  # the reason, in the cell
    assert "Video profil satuan kerja: Durasi 5:20 melebihi batas 5:00" in sheet.cell(bad, 3).value  # and "why"
    unchecked = sheet.cell(bad, sheet_column(sheet, "Video pembangunan Zona Integritas: Durasi"))  # it has none
    assert unchecked.value == "tidak diperiksa" and unchecked.fill.fgColor.rgb.endswith("EDEDED")
    assert sheet.cell(good, duration).value == "OK" and sheet.cell(good, 3).value is None
    assert sheet.cell(sheet.max_row, 1).value == "Satuan kerja TIDAK MEMENUHI"
    assert sheet.cell(sheet.max_row, duration).value == 1
    legend = {r[0]: r[1] for r in book["Keterangan"].iter_rows(values_only=True) if r and r[0]}
    assert legend["Profil (aturan)"].startswith("ma-2020 ") and legend["Alat"].startswith("zi-media ")
    assert legend["Tanggal pemeriksaan"][:4].isdigit() and "GAGAL" in legend and "tidak diperiksa" in legend


def test_a_page_written_with_output_links_from_its_own_folder(units: Path, tmp_path: Path) -> None:
    unit = units / "PN Baik"
    for page in (unit / "laporan.html", tmp_path / "jauh" / "di" / "sini.html"):
        r = zi("check", str(unit), "--format", "html", "--no-transcribe", "-q", "-o", str(page))
        assert r.returncode == 0 and not r.stdout, r.stderr
        assert [tag for tag, _, _ in links(page)].count("video") == 2 and not broken(page), broken(page)
    beside = {link for tag, link, _ in links(unit / "laporan.html") if tag == "video"}
    assert beside == {"profil.mp4", "pembangunan-zi.mp4"}
    on_stdout = zi("check", "PN Baik", "--format", "html", "--no-transcribe", "-q", cwd=units)  # from here
    (units / "laporan.html").write_text(on_stdout.stdout, encoding="utf-8")
    assert not broken(units / "laporan.html")
    cannot = zi("check", str(unit), "--format", "html", "--no-transcribe", "-q", "-o", str(unit / "profil.mp4" / "x"))
    assert cannot.returncode == 2 and cannot.stderr.startswith("zi-media: error: cannot write"), cannot.stderr


SAID = """1
00:00:05,000 --> 00:00:12,000
Kami sedang membangun zona integritas menuju wilayah bebas dari korupsi.

2
00:00:20,000 --> 00:00:28,000
Kami berkomitmen menuju WBK, tanpa pungutan liar.
"""


def test_every_evidence_time_plays_its_video_in_the_page(units: Path, tmp_path: Path) -> None:
    srt = tmp_path / "naskah.srt"
    srt.write_text(SAID, encoding="utf-8")
    page = tmp_path / "laporan" / "video.html"
    video = units / "PN Baik" / "profil.mp4"
    r = zi("check", str(video), "--kind", "profile", "--transcript", str(srt), "--format", "html", "-o", str(page))
    assert r.returncode == 0, r.stderr
    found = links(page)
    (player,) = [a["id"] for tag, _, a in found if tag == "video"]
    timed = [(link, a) for _, link, a in found if "#t=" in link]
    listed = [link for link, a in timed if a.get("data-t") in ("5.0", "5", "20.0", "20")]
    assert listed and not broken(page), timed  # the evidence list's times, not only the timeline's
    assert all(a["data-player"] == player and link.startswith("../kiriman/PN%20Baik/profil.mp4#t=")
               for link, a in timed)


def on_a_terminal(args: list[str], columns: int = 80, **env: str) -> str:
    """What `zi-media ARGS` shows on a terminal of `columns` (stdout and stderr one pty)."""
    import os
    import pty

    main, side = pty.openpty()
    exe = Path(sys.executable).parent / "zi-media"
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"COLUMNS": str(columns), "TERM": "xterm"}
    environ |= env
    p = subprocess.Popen([str(exe), *args], stdin=side, stdout=side, stderr=side, env=environ)
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the pty
            break
        if not chunk:
            break
        chunks.append(chunk)
    p.wait(timeout=300)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_statuses_are_coloured_lines_wrap_under_their_text_and_progress_clears() -> None:
    import re

    shown = on_a_terminal(["check", str(SAMPLES / "unit-bad"), "--no-transcribe"])
    progress, report = shown.rsplit("\r\x1b[K", 1)  # the progress line is erased before the report
    assert "memeriksa ..." in progress
    assert "\x1b[1;31m[GAGAL     ]\x1b[0m" in report and "\x1b[32m[OK        ]\x1b[0m" in report
    lines = re.sub(r"\x1b\[[0-9;]*m", "", report).replace("\r\n", "\n").strip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80
    wrapped = [line for line in lines if line.startswith(" " * 15) and line.strip()]
    assert wrapped  # a finding too long for 80 columns goes on under its text, not under its status
    plain = on_a_terminal(["check", str(SAMPLES / "unit-bad"), "--no-transcribe"], NO_COLOR="1")
    assert "[GAGAL     ]" in plain and "\x1b[1;31m" not in plain


def test_in_a_pipe_the_report_is_plain_and_lines_whole() -> None:
    r = zi("check", str(SAMPLES / "unit-bad"), "--no-transcribe")
    assert "\x1b" not in r.stdout + r.stderr and r.stderr == ""
    assert "  [GAGAL     ] Spanduk/poster menuju WBK/WBBM: " in r.stdout  # one line, however long


@pytest.mark.slow  # starts Chromium a dozen times
def test_pages_in_chromium_on_a_desktop_a_phone_and_on_paper(batched: Path, tmp_path: Path) -> None:
    """The unit page at 1400 and 420 px and printed (A4, pdftoppm), the index printed landscape."""
    from bench.screenshots import pdf_pages, pdf_text, printed, shoot

    page = batched / "PN-Baik.html"
    for width in (1400, 420):
        measured = shoot(page, width, tmp_path / f"{width}.png")
        assert measured["page_width"] == width, measured  # nothing makes the page scroll sideways
        assert measured["sections_spilling"] == 0, measured  # every row stays in its card
        assert (measured["smallest_track_name_px"] or 0) >= 10, measured  # the timeline can be read
        assert (tmp_path / f"{width}.png").stat().st_size > 20_000
    pictures = printed(page, tmp_path / "unit.pdf")
    assert pictures and all(p.stat().st_size > 5_000 for p in pictures)
    assert all(size.endswith("(A4)") and size.startswith("59") for size in pdf_pages(tmp_path / "unit.pdf"))
    paper = pdf_text(tmp_path / "unit.pdf")
    assert "Tanggal pemeriksaan: 20" in paper and "Tanda tangan:" in paper and "Catatan evaluator" in paper
    printed(batched / "index.html", tmp_path / "index.pdf")
    assert all(size.startswith("841") for size in pdf_pages(tmp_path / "index.pdf"))  # A4 landscape
    assert "Kembali ke ringkasan" not in paper  # the way back is for the screen


def test_evidence_an_evaluator_can_trust_at_a_glance() -> None:
    """Its sentence, a mark where the recogniser was unsure, no generic word alone, a status and a
    hint that agree."""
    from zi_media.content.coverage import content_findings
    from zi_media.profiles import load_profile
    from zi_media.report.common import passage_note, strongest
    from zi_media.report.i18n import text
    from zi_media.types import Segment, Transcript

    said = (Segment(68.0, 74.0, "Aplikasi kami memudahkan warga agar cepat dilayani.", 0.9),  # generic words only
            Segment(152.0, 160.0, "Inovasi kami, aplikasi antrean daring, memudahkan pencari keadilan mendaftar "
                                  "tanpa harus datang ke kantor.", 0.9),
            Segment(200.0, 206.0, "Saya merasa pulas, pelayanannya cepat dan petugasnya ramah.", 0.31))
    t = Transcript(said, "id", "test", "test", {}, 210.0)
    found = {f.id: f for f in content_findings(t, load_profile().rules("development").content)}
    shown = strongest(found["innovations"].content.evidence, 5)
    assert shown and all(" " in e.phrase or e.weight >= 0.5 for e in shown)  # "aplikasi" alone is not shown
    assert any(e.context.startswith("Inovasi kami, aplikasi antrean daring") for e in shown)
    unsure = [e for e in found["testimonials"].content.evidence if e.start_s == 200.0]
    assert unsure and all("kurang yakin" in passage_note(e, "id") for e in unsure)
    area = found["area_5"]  # nothing of supervision said: not heard, and the hint gives advice, not a verdict
    assert text(area.message, "id").endswith("tidak terdengar") and not area.content.evidence
    assert "tidak terdengar" not in area.content.hint["id"]
    from zi_media.report.timeline import timeline
    from zi_media.types import FileReport, MediaFacts

    media = MediaFacts(Path("v.mp4"), 1, "mp4", 300.0, 300.0)
    drawn = timeline(FileReport("ma-2020", "1", "development", {"id": "Video"}, Path("v.mp4"), media,
                                tuple(found.values()), t), "id")
    assert drawn is not None
    (row,) = [tr for tr in drawn.tracks if tr.name.startswith("Inovasi")]
    assert row.marks and min(m.start_s for m in row.marks) == 152.0  # not lit at 01:08 by "aplikasi" alone


def test_a_report_never_overwrites_what_it_checks(units: Path) -> None:
    unit = units / "PN Baik"
    video = unit / "profil.mp4"
    before = video.read_bytes()
    for args in (["check", str(video), "--kind", "profile", "--no-transcribe", "-o", str(video)],
                 ["check", str(unit), "--no-transcribe", "-o", str(unit / "banner-wbk.png")],
                 ["transcribe", str(video), "-o", str(video)]):
        r = zi(*args)
        assert r.returncode == 2 and "would overwrite" in r.stderr, (args, r.stderr)
    assert video.read_bytes() == before and (unit / "banner-wbk.png").stat().st_size > 10_000
    r = zi("check", str(unit), "--no-transcribe", "-q", "-o", str(unit / "laporan.txt"))  # a report beside it: fine
    assert r.returncode == 0 and (unit / "laporan.txt").read_text(encoding="utf-8").startswith("Satuan kerja: PN Baik")
