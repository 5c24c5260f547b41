"""probe(): facts from real files made by ffmpeg, and each way a file can fail to play."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from zi_media.errors import InputError
from zi_media.media.probe import probe

from .conftest import MakeMedia, ffmpeg


def test_facts_of_a_clip(make_media: MakeMedia) -> None:
    facts = probe(make_media(3.0))
    assert facts.playable and facts.problem is None
    assert facts.duration_s == pytest.approx(3.0, abs=0.1)
    assert facts.data_end_s == pytest.approx(3.0, abs=0.2)
    assert "mp4" in (facts.container or "")
    (v,), (a,) = facts.video, facts.audio
    assert (v.codec, v.width_px, v.height_px, v.fps) == ("h264", 64, 64, 1.0)
    assert (a.codec, a.sample_rate_hz, a.channels) == ("aac", 16000, 1)
    assert facts.size_bytes == facts.path.stat().st_size


def test_video_without_audio(make_media: MakeMedia) -> None:
    facts = probe(make_media(2.0, audio=False))
    assert facts.playable and facts.video and not facts.audio


def test_audio_without_video(make_media: MakeMedia) -> None:
    facts = probe(make_media(2.0, video=False, ext="m4a"))
    assert facts.playable and facts.audio and not facts.video


def test_zero_byte_file(tmp_path: Path) -> None:
    empty = tmp_path / "video.mp4"
    empty.touch()
    facts = probe(empty)
    assert (facts.playable, facts.problem, facts.size_bytes) == (False, "empty", 0)


def test_text_file_named_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "video.mp4"
    fake.write_text("bukan video\n")
    facts = probe(fake)
    assert facts.problem == "not_media"
    assert facts.problem_detail  # the demuxer's reason is kept for the report


def test_truncated_mp4_without_its_index(make_media: MakeMedia, tmp_path: Path) -> None:
    whole = make_media(10.0).read_bytes()  # index (moov) at the end, so the cut loses it
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 2])
    assert probe(cut).problem == "not_media"


def test_truncated_mp4_with_its_index(truncated: Path) -> None:
    facts = probe(truncated)
    assert facts.problem == "truncated"
    assert facts.duration_s == pytest.approx(10.0, abs=0.1)  # the header still says 10 s
    assert facts.data_end_s is not None and facts.data_end_s < 8.0


def test_still_image_has_no_duration(tmp_path: Path) -> None:
    png = tmp_path / "frame.png"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", str(png))
    assert probe(png).problem == "no_duration"


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        probe(tmp_path / "nope.mp4")


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        probe(tmp_path)


def test_socket_is_not_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(InputError, match="not a regular file"):
            probe(path)
