"""Technical requirements on real clips: the 5-minute boundary, streams, unplayable files."""

from __future__ import annotations

from pathlib import Path

import pytest

from zi_media.file_check import check_file
from zi_media.profiles import load_profile
from zi_media.report.i18n import text

from .conftest import MakeMedia


def statuses(report) -> dict[str, str]:
    return {f.id: f.status for f in report.findings}


@pytest.mark.parametrize(("duration_s", "status"), [(299, "met"), (300, "met"), (301, "not_met")])
def test_profile_video_five_minute_boundary(make_media: MakeMedia, duration_s: int, status: str) -> None:
    report = check_file(make_media(float(duration_s)), load_profile(), "profile")
    duration = next(f for f in report.findings if f.id == "duration")
    assert duration.status == status
    assert duration.limit == 300
    assert duration.measured == pytest.approx(duration_s, abs=0.1)
    assert report.verdict == status


def test_over_the_limit_says_by_how_much(make_media: MakeMedia) -> None:
    report = check_file(make_media(301.0), load_profile(), "profile")
    duration = next(f for f in report.findings if f.id == "duration")
    assert text(duration.message, "id") == "Durasi 5:01 melebihi batas 5:00 (lebih 0:01)"
    assert text(duration.message, "en") == "Duration 5:01 exceeds the limit of 5:00 (0:01 over)"


def test_development_video_has_fifteen_minutes(make_media: MakeMedia) -> None:
    report = check_file(make_media(301.0), load_profile(), "development")
    assert statuses(report) == {"playable": "met", "duration": "met", "video_stream": "met", "audio_stream": "met",
                                "black": "met", "freeze": "met", "silence": "met", "loudness": "met"}


def test_missing_audio_stream_is_not_met(make_media: MakeMedia) -> None:
    report = check_file(make_media(2.0, audio=False), load_profile(), "development")
    assert statuses(report)["audio_stream"] == "not_met"
    assert statuses(report)["video_stream"] == "met"


def test_missing_video_stream_is_not_met(make_media: MakeMedia) -> None:
    report = check_file(make_media(2.0, video=False, ext="m4a"), load_profile(), "development")
    assert statuses(report)["video_stream"] == "not_met"
    assert report.verdict == "not_met"


def test_unreadable_media_leaves_nothing_measurable(tmp_path: Path) -> None:
    fake = tmp_path / "video.mp4"
    fake.write_bytes(b"\x00" * 1000)
    report = check_file(fake, load_profile(), "profile")
    assert set(statuses(report).values()) == {"not_met"}
    assert [f.message.key for f in report.findings[1:]] == ["not_measurable"] * 7


def test_truncated_file_still_reports_header_facts(truncated: Path) -> None:
    report = check_file(truncated, load_profile(), "profile")
    assert statuses(report) == {"playable": "not_met", "duration": "met", "video_stream": "met", "audio_stream": "met",
                                "black": "warning", "freeze": "warning", "silence": "warning", "loudness": "warning"}
    assert text(report.findings[-1].message, "en") == "Not checked: the file does not play"
    assert "terpotong" in text(report.findings[0].message, "id")


def test_minimum_duration_from_a_profile(make_media: MakeMedia, tmp_path: Path) -> None:
    custom = tmp_path / "short.yaml"
    custom.write_text("extends: ma-2020\nkinds:\n  profile:\n    requirements:\n"
                      "      duration: {min_s: 60}\n")
    report = check_file(make_media(2.0), load_profile(str(custom)), "profile")
    duration = next(f for f in report.findings if f.id == "duration")
    assert (duration.status, duration.limit) == ("not_met", 60)
    assert text(duration.message, "en") == "Duration 0:02 is below the minimum of 1:00 (0:58 short)"
