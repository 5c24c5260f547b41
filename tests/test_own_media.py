"""The unit's own media are the unit's: a development video whose titles name each area, with a
caption of the unit's work under each, and whose narration never says "kami" but names other
bodies (a ministry's definition, the supervisory body's assessment), is read as a careful
evaluator reads it: the work shown is the unit's; only what names another body as doing it is
another's. The video is made by ffmpeg (titles read back by the real tesseract); its narration
is supplied as a timed transcript, so that no recogniser's words decide the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from zi_media.content.coverage import cover
from zi_media.file_check import check_file
from zi_media.profiles import load_profile
from zi_media.types import Segment, Transcript

from .conftest import joined_video

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# (title at the top, caption at the bottom), 5 s each, one layout throughout
SHOWN = [
    ("MAHKAMAH AGUNG REPUBLIK INDONESIA", "Pengadilan Negeri Sukamaju Kelas II"),
    ("AREA I MANAJEMEN PERUBAHAN", "Pembentukan tim kerja zona integritas dan penetapan agen perubahan"),
    ("AREA II PENATAAN TATA LAKSANA", "Penyusunan SOP dan peta proses bisnis pelayanan"),
    ("AREA III PENATAAN SISTEM MANAJEMEN SDM", "Analisis beban kerja dan in house training pegawai"),
    ("AREA IV PENGUATAN AKUNTABILITAS KINERJA", "Penyusunan perjanjian kinerja dan indikator kinerja utama"),
    ("AREA V PENGUATAN PENGAWASAN", "Unit pengendalian gratifikasi dan whistle blowing system"),
    ("AREA VI PENINGKATAN KUALITAS PELAYANAN PUBLIK", "Maklumat pelayanan dan survei kepuasan masyarakat"),
]
PART_S = 5
# what a narrator says over it: never "kami", and other bodies named more often than the unit
SAID = [
    (0.0, 4.5, "Zona integritas adalah predikat yang diberikan Kementerian PANRB kepada unit kerja."),
    (11.0, 14.5, "Badan Pengawasan Mahkamah Agung melakukan penilaian internal."),
    (31.0, 34.0, "Terima kasih atas dukungan seluruh pihak."),
]
AREAS = [f"area_{n}" for n in range(1, 7)]

pytestmark = pytest.mark.xdist_group("own_media_video")


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parts = []
    for i, (title, caption) in enumerate(SHOWN):
        draw = (f"drawtext=fontfile={FONT}:text='{title}':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=80:"
                f"box=1:boxcolor=black@0.85:boxborderw=8,"
                f"drawtext=fontfile={FONT}:text='{caption}':fontcolor=white:fontsize=30:x=60:y=h-140:"
                f"box=1:boxcolor=black@0.85:boxborderw=8")
        colour = ("0x1f4e79", "0x5b2c6f", "0x145a32")[i % 3]  # a new picture: a scene change
        parts.append((f"color=c={colour}:size=1280x720:rate=10:duration={PART_S}",
                      f"sine=frequency=440:sample_rate=16000:duration={PART_S}", draw))
    return joined_video(tmp_path_factory.mktemp("own") / "video_pembangunan.mp4", parts)


def narration() -> Transcript:
    return Transcript(tuple(Segment(a, b, t, 0.9) for a, b, t in SAID), "id", "faster-whisper", "test", {}, 11.0)


def test_area_titles_with_their_work_on_screen_are_the_units(titled: Path) -> None:
    report = check_file(titled, load_profile(), "development", transcript=narration())
    assert report.scan is not None and report.scan.screen, "the titles were not read"
    by_id = {f.id: f for f in report.findings}
    assert [a for a in AREAS if by_id[a].status == "met"] == AREAS, {a: by_id[a].message.key for a in AREAS}
    shown = [e for a in AREAS for e in by_id[a].content.evidence if e.source == "screen"]  # type: ignore[union-attr]
    assert shown and not [e.heard for e in shown if e.passage in ("other", "general")]
    # read as an article about someone else (the corpus's reading), the same words are another's:
    # what makes the difference is whose media it is, not what the titles say
    articles = {r.rule.id: r for r in cover(narration(), load_profile().rules("development").content,
                                              report.scan.screen, own_media=False, scorer=None)}
    assert all(articles[a].coverage != "met" for a in AREAS)


def test_another_body_named_as_doing_the_work_stays_anothers(titled: Path) -> None:
    """In the unit's own video the supervisory body's assessment, said over the pictures, is
    still the supervisory body's: the sentence names it as acting."""
    report = check_file(titled, load_profile(), "development", transcript=narration())
    said = [e for f in report.findings if f.content is not None for e in f.content.evidence
            if e.source == "speech" and "pengawasan" in e.context.lower()]
    assert said and all(e.passage in ("other", "named") for e in said)
