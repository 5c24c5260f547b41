"""What is shown and how it looks and sounds: a 33-second 720p video made by ffmpeg with titles
drawn at known times (Indonesian text, 20 to 48 px, top, bottom, corner), and black, frozen,
silent and over-loud stretches at known times."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rapidfuzz import fuzz

from zi_media import cache
from zi_media.cli import cli
from zi_media.file_check import check_file
from zi_media.media import scan as scan_module
from zi_media.media.probe import probe
from zi_media.media.scan import scan
from zi_media.profiles import load_profile
from zi_media.report.render import render
from zi_media.types import Segment, Transcript

from .conftest import ffmpeg, joined_video

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# (start_s, end_s, picture, text, size px, where, sound)
PARTS = [
    (0, 6, "moving", "AREA V - PENGUATAN PENGAWASAN", 48, "top", "tone"),
    (6, 9, "black", "", 0, "", "silent"),
    (9, 15, "moving", "Unit Pengendalian Gratifikasi telah dibentuk", 24, "bottom", "tone"),
    (15, 27, "still", "ZONA INTEGRITAS MENUJU WBK", 20, "corner", "tone"),
    (27, 33, "moving", "Bapak Ahmad, Tokoh Masyarakat", 32, "bottom", "loud"),
]
PLACES = {"top": "x=(w-text_w)/2:y=60", "bottom": "x=80:y=h-120", "corner": "x=40:y=40"}


# one xdist worker runs this module: its video with titles is drawn and scanned once
pytestmark = pytest.mark.xdist_group("screen_video")


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The video; each part made alone, then joined."""
    parts = []
    for a, b, picture, text, size, where, sound in PARTS:
        d = b - a
        source = {"moving": f"testsrc2=size=1280x720:rate=25:duration={d}",
                  "black": f"color=c=black:size=1280x720:rate=25:duration={d}",
                  "still": f"color=c=0x1f4e79:size=1280x720:rate=25:duration={d}"}[picture]
        audio = {"tone": f"sine=frequency=440:sample_rate=48000:duration={d}",
                 "silent": f"anullsrc=r=48000:cl=mono:d={d}",
                 "loud": f"sine=frequency=300:sample_rate=48000:duration={d},volume=24dB"}[sound]
        draw = ",drawbox=x=0:y=ih-150:w=iw:h=150:color=black@0.8:t=fill" if where == "bottom" else ""
        if text:
            draw += (f",drawtext=fontfile={FONT}:text='{text}':fontcolor=white:fontsize={size}:"
                     f"box=1:boxcolor=black@0.85:boxborderw=8:{PLACES[where]}")
        parts.append((source, audio, f"null{draw}"))
    return joined_video(tmp_path_factory.mktemp("screen") / "tampil.mp4", parts)


def near(stretches, start: float, end: float) -> bool:
    return any(abs(s.start_s - start) <= 1.0 and abs(s.end_s - end) <= 1.0 for s in stretches)


def test_black_frozen_silent_and_loud_stretches_are_found_at_their_times(shown: Path) -> None:
    report = check_file(shown, load_profile(), "development")
    by_id = {f.id: f for f in report.findings}
    assert by_id["black"].status == "warning" and near(by_id["black"].stretches, 6, 9)
    assert by_id["freeze"].status == "warning" and near(by_id["freeze"].stretches, 15, 27)
    assert by_id["silence"].status == "warning" and near(by_id["silence"].stretches, 6, 9)
    assert by_id["loudness"].status == "warning" and near(by_id["loudness"].stretches, 27, 33)
    assert by_id["video_stream"].status == "met"
    assert report.verdict == "met"  # quality findings warn unless the profile says not_met


def test_severity_from_the_profile(shown: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text("extends: ma-2020\nkinds:\n  development:\n    requirements:\n"
                      "      black: {min_s: 2, severity: not_met}\n")
    report = check_file(shown, load_profile(str(strict)), "development")
    assert next(f for f in report.findings if f.id == "black").status == "not_met"
    assert report.verdict == "not_met"


def test_the_json_gives_each_stretch(shown: Path) -> None:
    r = CliRunner().invoke(cli, ["check", str(shown), "--kind", "development", "--no-transcribe",
                                 "--format", "json", "--lang", "en"])
    doc = json.loads(r.stdout)
    black = next(f for f in doc["findings"] if f["id"] == "black")
    assert [(round(e["start_s"]), round(e["end_s"])) for e in black["evidence"]] == [(6, 9)]
    assert black["message"].startswith("1 black screen(s) of 2 s or longer")


@pytest.mark.slow
def test_every_drawn_title_is_read_at_its_time(shown: Path) -> None:
    found = scan(probe(shown), read_screen=True)
    assert found.screen_read
    for a, b, _, text, _, _, _ in PARTS:
        if text:  # read as drawn (a slip in twenty letters), from when it appears to when it goes
            assert any(fuzz.ratio(t.text.lower(), text.lower()) >= 95 and t.start_s <= a + 1.0 and t.end_s >= b - 1.0
                       for t in found.screen), (text, found.screen)


@pytest.mark.slow
def test_text_shown_counts_as_evidence_from_the_screen(shown: Path) -> None:
    """Nothing relevant is said; the area, its work, and the campaign banner are shown."""
    said = Transcript((Segment(0.0, 30.0, "Selamat datang di kantor kami.", 0.9),), "id", "test", "test", {}, 30.0)
    dev = check_file(shown, load_profile(), "development", transcript=said)
    area_5 = next(f for f in dev.findings if f.id == "area_5")
    assert area_5.status == "met"
    assert {e.source for e in area_5.content.evidence if e.passage == "describes"} == {"screen"}
    assert all(e.start_s is not None and 8.0 <= e.start_s <= 15.0 for e in area_5.content.evidence
               if e.phrase == "unit pengendalian gratifikasi")
    profile = check_file(shown, load_profile(), "profile", transcript=said)
    assert next(f for f in profile.findings if f.id == "campaign").status == "met"
    page = render(dev, "html", "id", {}, at=shown.parent)
    assert page.count('<figure class="timeline">') == 1 and 'href="tampil.mp4#t=' in page and "di layar" in page


@pytest.mark.slow  # reads an 8K picture
def test_audio_only_and_tiny_and_huge_pictures_are_scanned_or_skipped_with_a_reason(tmp_path: Path) -> None:
    sound = tmp_path / "suara.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", str(sound))
    report = check_file(sound, load_profile(), "development")
    by_id = {f.id: f for f in report.findings}
    assert by_id["black"].status == "warning" and by_id["black"].message.params["why"] == "no picture stream"
    assert by_id["loudness"].status == "met"
    for size in ("1x1", "7680x4320"):
        clip = tmp_path / f"c{size}.mkv"  # ffv1: any size, where H.264 wants even sides
        w, h = size.split("x")
        ffmpeg("-f", "lavfi", "-i", "color=c=red:size=16x16:rate=5:duration=2", "-vf", f"scale={w}:{h}",
               "-c:v", "ffv1", "-pix_fmt", "yuv444p", str(clip))
        found = scan(probe(clip), read_screen=True)
        assert found.pictures and not found.skipped, size


def test_variable_frame_rate_and_rotated_phone_video(tmp_path: Path) -> None:
    vfr = tmp_path / "vfr.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=6", "-vf", "setpts='N/30/TB+if(gte(N,60),1,0)/TB'",
           "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(vfr))
    rotated = tmp_path / "hp.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3", "-metadata:s:v", "rotate=90",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(rotated))
    for clip in (vfr, rotated):
        report = check_file(clip, load_profile(), "profile")
        assert {f.id: f.status for f in report.findings}["video_stream"] == "met", clip
        assert report.scan is not None and report.scan.pictures and not report.scan.black


def test_a_video_black_throughout_fails_its_video_stream(tmp_path: Path) -> None:
    dark = tmp_path / "hitam.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:size=320x240:rate=25:duration=4", "-f", "lavfi", "-i",
           "sine=frequency=440:duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(dark))
    report = check_file(dark, load_profile(), "profile")
    video = next(f for f in report.findings if f.id == "video_stream")
    assert (video.status, video.message.key) == ("not_met", "video_stream.black")
    assert near(video.stretches, 0, 4) and report.verdict == "not_met"


def test_a_scan_and_its_screen_text_are_kept_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next check (another process: here the memory of this one emptied) reads the scan and
    the text on screen back from the cache, under any name of the same bytes, instead of
    decoding and reading again; a damaged entry is scanned again; a failed scan is never kept."""
    monkeypatch.setenv("ZI_MEDIA_CACHE_DIR", str(tmp_path / "cache"))
    titled = tmp_path / "judul.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=0x1f4e79:size=640x360:rate=5:duration=4", "-f", "lavfi", "-i",
           "sine=frequency=440:sample_rate=16000:duration=4", "-vf",
           f"drawtext=fontfile={FONT}:text='ZONA INTEGRITAS MENUJU WBK':fontcolor=white:fontsize=28:x=30:y=150",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(titled))

    def forget() -> None:
        monkeypatch.setattr(scan_module, "_SCANNED", type(scan_module._SCANNED)())

    forget()
    first = scan(probe(titled), read_screen=True)
    assert first.screen and "INTEGRITAS" in first.screen[0].text and not first.failed
    assert cache.usage().scans == 1
    copy = tmp_path / "salinan.mp4"
    shutil.copy(titled, copy)
    forget()
    with monkeypatch.context() as m:
        m.setattr(scan_module, "_scan", lambda *args: pytest.fail("decoded again"))
        assert scan(probe(copy), read_screen=True) == first
    assert scan(probe(copy), read_screen=False).screen == ()  # without the text: another entry
    assert cache.usage().scans == 2
    entries = sorted((tmp_path / "cache" / "scans").glob("*.json"))
    for entry in entries:
        entry.write_text("{not json", encoding="utf-8")
    forget()
    assert scan(probe(titled), read_screen=True) == first  # scanned again, no crash
    scan(probe(titled), read_screen=False)
    assert all(json.loads(entry.read_text(encoding="utf-8")) for entry in entries)  # and kept again
    for entry in entries:  # JSON of the wrong types (a hand-edited or foreign entry)
        d = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps({**d, "pictures": "yes", "black": [["a", 1]]}), encoding="utf-8")
    forget()
    assert scan(probe(titled), read_screen=True) == first
    forget()
    monkeypatch.setattr(scan_module.shutil, "which", lambda name: None)  # no ffmpeg: the scan fails
    failed = scan(probe(titled.rename(tmp_path / "lain.mp4")), read_screen=False, use_cache=False)
    assert failed.failed and cache.usage().scans == 2


@pytest.mark.asr
def test_the_picture_pass_runs_while_the_speech_is_transcribed(make_media, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan starts at once on a thread of its own; the transcription does not wait for it."""
    import threading
    import time

    from zi_media import file_check
    from zi_media.file_check import TranscribeSettings

    monkeypatch.setenv("ZI_MEDIA_CACHE_DIR", str(make_media(2.0).parent / "own-cache"))
    clip = make_media(6.0)
    seen: dict[str, tuple[int, float, float]] = {}

    def spied(name: str, real):
        def run(*args, **kwargs):
            if name == "transcribe":
                time.sleep(1.0)  # a transcription long enough for the scan to show where it ran
            started = time.perf_counter()
            out = real(*args, **kwargs)
            seen[name] = (threading.get_ident(), started, time.perf_counter())
            return out
        return run

    monkeypatch.setattr(file_check, "scan", spied("scan", file_check.scan))
    monkeypatch.setattr(file_check, "_transcribed", spied("transcribe", file_check._transcribed))
    report = check_file(clip, load_profile(), "profile", transcription=TranscribeSettings(use_cache=False))
    assert report.scan is not None and report.scan.sound and report.transcript is not None
    assert seen["scan"][0] != threading.get_ident() == seen["transcribe"][0]
    assert seen["scan"][1] < seen["transcribe"][1]  # the scan began while the transcriber still slept
