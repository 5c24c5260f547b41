"""Transcription on the real default model (offline), the cache, and the hallucination guards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from zi_media.errors import ModelError
from zi_media.file_check import TranscribeSettings, check_file, decode_options
from zi_media.files import file_sha256, write_atomic
from zi_media.media.probe import probe
from zi_media.profiles import load_profile
from zi_media.report.i18n import text
from zi_media.speech.engine import DecodeOptions, RawSegment, Word
from zi_media.speech.faster_engine import GAP_S, PAD_S, _packed, _unpacked
from zi_media.speech.guards import guard
from zi_media.speech.models import BUNDLED_SHA256, bundled_base, resolve_ct2
from zi_media.speech.transcribe import _cache_path, make_engine, transcribe
from zi_media.speech.transcript_files import transcript_to_dict
from zi_media.types import Stretch

from .conftest import MakeMedia, ffmpeg, fuzzy_found

# one xdist worker runs this module: its first transcript (computed, not cached) is made once
pytestmark = pytest.mark.xdist_group("speech_clip")

OPTIONS = DecodeOptions(language="id")
KEY_WORDS = ("pengadilan", "sedang", "menuju", "bebas", "korupsi", "pelayanan", "publik",
             "cepat", "masyarakat", "puas")


def finding(report, requirement: str):
    return next(f for f in report.findings if f.id == requirement)


def heard(t) -> str:
    return " ".join(s.text for s in t.evidence).lower()


@pytest.fixture(scope="module")
def first(speech_clip: Path):
    return transcribe(speech_clip, OPTIONS, use_cache=False)  # computed here, whatever another worker cached


@pytest.mark.asr
def test_default_model_hears_the_key_words(first, speech_clip: Path) -> None:
    found = fuzzy_found(KEY_WORDS, heard(first))
    assert len(found) >= 8, (found, heard(first))
    assert fuzzy_found(("kerbau", "sawah", "gunung"), heard(first)) == []  # the test can fail
    assert (first.engine, first.language, first.cached) == ("faster-whisper", "id", False)
    assert first.model == f"whisper-base (bundled, sha256 {BUNDLED_SHA256[:12]})"
    assert first.options == {"language": "id", "beam_size": 5, "batch_size": 8, "vad": True, "vocabulary": ""}


@pytest.mark.asr
def test_timestamps_are_ordered_and_inside_the_clip(first, speech_clip: Path) -> None:
    duration_s = probe(speech_clip).duration_s + 0.1
    starts = [s.start_s for s in first.segments]
    assert starts == sorted(starts)
    assert all(0 <= s.start_s < s.end_s <= duration_s for s in first.segments)
    assert duration_s / 2 < first.speech_s <= duration_s
    assert all(0 < s.confidence <= 1 for s in first.segments)


@pytest.mark.asr
def test_second_run_is_served_from_the_cache(first, speech_clip: Path) -> None:
    again = transcribe(speech_clip, OPTIONS)
    assert again.cached and again.segments == first.segments
    fresh = transcribe(speech_clip, OPTIONS, use_cache=False)
    assert not fresh.cached


@pytest.mark.slow  # transcribes twice
@pytest.mark.asr
def test_corrupt_cache_entry_is_recomputed(speech_clip: Path) -> None:
    options = DecodeOptions(language="id", batch_size=4)  # an entry of this test's own: others expect hits
    made = transcribe(speech_clip, options)
    entry = _cache_path(file_sha256(speech_clip), make_engine("faster-whisper", "base"), options)
    entry.write_text('{"segments": [')
    recovered = transcribe(speech_clip, options)
    assert not recovered.cached and recovered.segments == made.segments
    assert json.loads(entry.read_text())["engine"] == "faster-whisper"
    assert transcribe(speech_clip, options).cached


@pytest.mark.asr
def test_other_options_are_another_cache_entry(first, speech_clip: Path) -> None:
    greedy = transcribe(speech_clip, DecodeOptions(language="id", beam_size=1))
    assert not greedy.cached and greedy.options["beam_size"] == 1


@pytest.mark.asr
def test_check_reports_speech_with_provenance(speech_clip: Path) -> None:
    check_file(speech_clip, load_profile(), "profile", transcription=TranscribeSettings())  # fills the cache
    report = check_file(speech_clip, load_profile(), "profile", transcription=TranscribeSettings())
    speech = finding(report, "speech")
    assert (speech.status, speech.message.key) == ("met", "speech.accounted")
    assert report.transcript is not None and report.transcript.cached
    said = text(speech.message, "en")
    assert said.startswith("Speech detected for 0:1") and "100 % of it transcribed" in said, said
    assert said.endswith("; from the cache); 1 voice (narrator S1)")  # one espeak-ng voice
    assert report.transcript.options["vocabulary"].startswith("Zona Integritas, WBK, WBBM")  # from the profile


@pytest.mark.asr
@pytest.mark.slow  # transcribes the profile sample twice
@pytest.mark.xdist_group("samples")
def test_the_same_video_gives_the_same_words_every_run() -> None:
    """The synthetic profile sample loops ("WBK, WBK, ...") twice on an AVX2 CPU; sampling at a
    temperature then gave other words every run, the n-gram block used now the same ones."""
    video = Path(__file__).resolve().parents[1] / "samples" / "unit-good" / "profil.mp4"
    options = decode_options(load_profile(), "profile")
    first, again = (transcribe(video, options, use_cache=False) for _ in range(2))
    assert [s.text for s in first.segments] == [s.text for s in again.segments]


@pytest.mark.asr
def test_silent_video_gives_no_invented_text(tmp_path: Path) -> None:
    silent = tmp_path / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-f", "lavfi", "-i",
           "anullsrc=r=16000:cl=mono", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast",
           "-c:a", "aac", str(silent))
    report = check_file(silent, load_profile(), "profile", transcription=TranscribeSettings())
    assert report.transcript is not None and report.transcript.evidence == ()
    speech = finding(report, "speech")
    assert (speech.status, speech.message.key) == ("warning", "speech.silent")
    assert finding(report, "campaign").status == "not_met"  # nothing said, nothing invented


@pytest.mark.asr
def test_video_without_audio_is_not_transcribed(make_media: MakeMedia) -> None:
    report = check_file(make_media(2.0, audio=False), load_profile(), "profile",
                        transcription=TranscribeSettings())
    assert report.transcript is None
    assert [(f.id, f.status) for f in report.findings[-3:]] == [
        ("loudness", "warning"), ("speech", "warning"), ("campaign", "not_met")]
    assert {(f.id, f.status) for f in report.findings} >= {("audio_stream", "not_met"), ("silence", "warning")}


@pytest.mark.parametrize(("text", "no_speech", "logprob", "flag"), [
    ("Terima kasih telah menonton!", 0.1, -0.3, "filler"),
    ("Subtitles by the Amara.org community", 0.1, -0.3, "filler"),
    ("saya saya saya saya saya", 0.1, -0.3, "repetition"),
    ("zona integritas " * 12, 0.1, -0.3, "repetition"),
    ("Pengadilan negeri sukamaju", 0.9, -1.5, "no_speech"),
    ("Pengadilan negeri sukamaju", 0.9, -0.4, None),  # confident text over a doubtful chunk
    ("Kami membangun zona integritas menuju WBK.", 0.2, -0.4, None),
])
def test_hallucination_guards(text: str, no_speech: float, logprob: float, flag: str | None) -> None:
    assert guard(RawSegment(0.0, 2.0, text, logprob, no_speech, 1.2)).flag == flag


def test_speech_is_packed_with_silence_between_stretches_in_30_s_windows() -> None:
    import numpy as np

    audio = np.arange(60 * 16000, dtype=np.float32)  # each sample holds its own index
    speech = (Stretch(1.0, 3.0), Stretch(3.3, 4.0), Stretch(10.0, 12.0), Stretch(20.0, 47.0))
    pack = _packed(audio, speech)
    # the first two touch once padded: one piece; the 27-s stretch cannot join them in 30 s
    assert pack.origins == pytest.approx([1.0 - PAD_S, 10.0 - PAD_S, 20.0 - PAD_S])
    first = 4.0 + PAD_S - (1.0 - PAD_S)
    assert pack.starts == pytest.approx([0.0, first + GAP_S, first + GAP_S + 2.0 + 2 * PAD_S])
    assert [t for c in pack.clips for t in (c["start"], c["end"])] == pytest.approx(
        [0.0, pack.starts[2], pack.starts[2], pack.starts[2] + 27.0 + 2 * PAD_S])
    assert all(c["end"] - c["start"] <= 30.0 for c in pack.clips)
    at = round(pack.starts[1] * 16000)
    assert pack.audio[at] == round((10.0 - PAD_S) * 16000)  # the second piece is the file's audio there
    assert not pack.audio[at - round(GAP_S * 16000):at].any()  # after silence


def test_a_window_is_split_into_its_pieces_in_the_files_time() -> None:
    import numpy as np

    pack = _packed(np.zeros(60 * 16000, dtype=np.float32), (Stretch(1.0, 3.0), Stretch(10.0, 12.0)))
    second = pack.starts[1]
    raw = RawSegment(0.0, second + 2.0, "Satu dua. Tiga", -0.3, 0.1, 1.1, (
        Word(0.3, 0.8, " Satu", 0.9), Word(1.0, 2.4 + GAP_S / 2, " dua.", 0.8),  # ends in the gap
        Word(second + 0.5, second + 1.0, " Tiga", 0.9)))
    one, two = _unpacked(raw, pack)
    assert (one.text, two.text) == ("Satu dua.", "Tiga")
    assert one.words[0].start_s == pytest.approx(0.3 + 1.0 - PAD_S)
    assert one.end_s == pytest.approx(3.0 + PAD_S)  # a word running into the gap ends with its piece
    assert (two.start_s, two.end_s) == pytest.approx((10.0 - PAD_S + 0.5, 10.0 - PAD_S + 1.0))
    assert (two.avg_logprob, two.no_speech_prob) == (-0.3, 0.1)
    assert _unpacked(RawSegment(second, second + 1, "", -1.0, 0.9, 1.0), pack)[0].start_s == pytest.approx(10.0 - PAD_S)


def test_a_word_timed_from_the_gap_into_a_piece_is_that_pieces() -> None:
    """The alignment starts a piece's first word where the word before it ended: the word is
    said in the piece it runs into, not in the one before the gap (its middle is in the gap)."""
    import numpy as np

    pack = _packed(np.zeros(60 * 16000, dtype=np.float32), (Stretch(1.0, 3.0), Stretch(10.0, 12.0)))
    second = pack.starts[1]
    raw = RawSegment(0.0, second + 2.0, "Satu dua tiga", -0.3, 0.1, 1.1, (
        Word(0.3, 0.8, " Satu", 0.9), Word(1.0, 2.3, " dua", 0.8),
        Word(second - GAP_S + 0.05, second + 0.3, " tiga", 0.9)))  # its middle lies in the gap
    one, two = _unpacked(raw, pack)
    assert (one.text, two.text) == ("Satu dua", "tiga")
    assert two.start_s == pytest.approx(10.0 - PAD_S)  # from the gap: the piece's own start in the file
    assert two.end_s == pytest.approx(10.0 - PAD_S + 0.3)


def test_partial_or_corrupt_model_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_MEDIA_CACHE_DIR", str(tmp_path))
    model_bin = bundled_base() / "model.bin"
    size = model_bin.stat().st_size
    with open(model_bin, "r+b") as f:  # a partial copy
        f.truncate(size // 2)
    assert (bundled_base() / "model.bin").stat().st_size == size
    with open(model_bin, "r+b") as f:  # same size, flipped bytes
        f.seek(1000)
        f.write(b"\xff" * 16)
    assert file_sha256(bundled_base() / "model.bin") == BUNDLED_SHA256


def test_model_not_available_offline_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelError, match="model 'large-v3' is not available offline"):
        resolve_ct2("large-v3")
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model folder"):
        resolve_ct2(str(tmp_path))


@pytest.mark.slow
def test_openai_whisper_runs_offline_on_the_converted_weights(speech_clip: Path) -> None:
    import torch
    import whisper

    from zi_media.speech.models import ensure_checkpoint, resolve_checkpoint

    ref = resolve_checkpoint("base")
    assert ref.identity.endswith("converted)")
    checkpoint = ensure_checkpoint(ref)
    model = whisper.load_model(checkpoint, device="cpu")  # strict load: every weight mapped
    model.load_state_dict(torch.load(checkpoint)["model_state_dict"], strict=True)

    # computed here: the cache-hit test may have written this clip's openai-whisper entry first
    t = transcribe(speech_clip, OPTIONS, engine="openai-whisper", use_cache=False)
    found = fuzzy_found(KEY_WORDS, heard(t))
    assert len(found) >= 8, (found, heard(t))
    assert (t.engine, t.cached) == ("openai-whisper", False)
    assert transcribe(speech_clip, OPTIONS, engine="openai-whisper").cached


def test_openai_whisper_unknown_model_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ModelError, match="model 'medium' is not available offline for openai-whisper"):
        transcribe(Path("unused.mp4"), OPTIONS, engine="openai-whisper", model="medium")


@pytest.mark.parametrize("engine", [pytest.param("faster-whisper", marks=pytest.mark.asr),  # both make the entry
                                    pytest.param("openai-whisper", marks=[pytest.mark.slow, pytest.mark.asr])])
def test_cache_hit_loads_no_model(speech_clip: Path, cache_dir: Path, engine: str) -> None:
    """A re-check served from the cache imports no ASR stack (what keeps it well under 1 s)."""
    # the entry, made from faster-whisper's transcript: what is read back is not the point here
    heard = transcribe(speech_clip, OPTIONS)
    entry = _cache_path(file_sha256(speech_clip), make_engine(engine, "base"), OPTIONS)
    write_atomic(entry, json.dumps(transcript_to_dict(replace(heard, engine=engine))))
    code = ("import sys\nfrom pathlib import Path\nfrom zi_media.speech.engine import DecodeOptions\n"
            "from zi_media.speech.transcribe import transcribe\n"
            f"t = transcribe(Path({str(speech_clip)!r}), DecodeOptions('id'), engine={engine!r})\n"
            "print(t.cached, sorted(m for m in ('torch', 'whisper', 'ctranslate2', 'faster_whisper') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "ZI_MEDIA_CACHE_DIR": str(cache_dir)}).stdout
    assert out == "True []\n"
