"""The committed samples: what the script makes, and what `check` says about them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zi_media.file_check import check_file
from zi_media.media.probe import probe
from zi_media.profiles import load_profile
from zi_media.speech.sentences import MAX_SENTENCE_S

from .conftest import SAMPLES

VIDEOS = {  # committed sample -> (kind, verdict)
    "unit-good/profil.mp4": ("profile", "met"),
    "unit-good/pembangunan-zi.mp4": ("development", "met"),
    "unit-bad/profil.mp4": ("profile", "not_met"),
}


@pytest.mark.parametrize("name", VIDEOS)
def test_sample_verdicts(name: str) -> None:
    kind, verdict = VIDEOS[name]
    report = check_file(SAMPLES / name, load_profile(), kind)
    assert report.verdict == verdict
    failed = [f.id for f in report.findings if f.status == "not_met"]
    assert failed == ([] if verdict == "met" else ["duration"])


def test_samples_layout() -> None:
    assert (SAMPLES / "unit-good/banner-wbk.png").stat().st_size > 10_000
    assert not list((SAMPLES / "unit-bad").glob("*.png"))  # the bad unit has no banner
    assert sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file()) < 5_000_000


@pytest.mark.slow
def test_script_remakes_the_samples(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SAMPLES / "make_samples.py"), str(tmp_path)], check=True)
    for name in VIDEOS:
        remade, committed = probe(tmp_path / name), probe(SAMPLES / name)
        assert remade.duration_s == pytest.approx(committed.duration_s, abs=0.05)
        assert (remade.video, remade.audio) == (committed.video, committed.audio)
    assert (tmp_path / "unit-good/banner-wbk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
@pytest.mark.asr
@pytest.mark.xdist_group("samples")  # one worker transcribes the samples; the other test is a cache hit
def test_good_development_video_covers_every_content_rule_on_the_real_model() -> None:
    """The whole path: real audio, real model (offline), coverage with timestamps."""
    from zi_media.file_check import TranscribeSettings

    report = check_file(SAMPLES / "unit-good/pembangunan-zi.mp4", load_profile(), "development",
                        transcription=TranscribeSettings())
    content = [f for f in report.findings if f.content is not None]
    assert [f.id for f in content] == ["area_1", "area_2", "area_3", "area_4", "area_5", "area_6",
                                       "impact", "testimonials", "innovations"]
    # espeak-ng speech, heard through one CPU's kernels: one area may come out weak (a warning,
    # seen under AVX with MKL), none may fail, and the verdict stands
    statuses = [(f.id, f.status) for f in content]
    found = next(f for f in content if f.id == "testimonials")
    others = [f for f in content if f.id != "testimonials"]
    assert sum(f.status == "met" for f in others) >= len(others) - 1, statuses
    assert all(f.status != "not_met" for f in content), statuses
    # the sample's testimonials are read in the narrator's one espeak-ng voice: heard as words,
    # weak as people (issue 20), unless the voices could not be told apart
    assert (found.status, found.message.key) in (("warning", "content.narrator_voice"),
                                                 ("met", "content.met_unvoiced")), found
    testimonials = found.content
    assert testimonials is not None
    # said at 2:01-2:30; evidence carries its segment's times, and a segment (at most 15 s) may
    # begin with the sentence before: the window, widened by that, must overlap it
    said = [e for e in testimonials.evidence if e.phrase in ("tokoh masyarakat", "pengguna layanan")]
    assert said, testimonials.evidence
    assert all(e.start_s is not None and e.end_s is not None and e.start_s > 121 - MAX_SENTENCE_S
               and e.start_s < 150 and e.end_s > 121 for e in said), said
    assert report.verdict == "met"
