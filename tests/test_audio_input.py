"""Audio as it really arrives: any layout and rate, streamed in blocks, damaged or empty."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from zi_media.errors import AudioDecodeError
from zi_media.file_check import TranscribeSettings, check_file
from zi_media.profiles import load_profile
from zi_media.speech import audio
from zi_media.speech.audio import blocks
from zi_media.speech.engine import DecodeOptions
from zi_media.speech.transcribe import transcribe

from .conftest import MakeMedia, ffmpeg


def test_five_one_at_8_khz_is_downmixed_and_resampled(tmp_path: Path) -> None:
    path = tmp_path / "surround.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=8000", "-t", "3", "-ac", "6", "-c:a", "aac", str(path))
    ((offset, pcm),) = blocks(path)
    assert offset == 0.0 and pcm.ndim == 1 and pcm.dtype.name == "float32"
    assert abs(len(pcm) - 3 * 16000) < 16000 * 0.1  # 16 kHz mono
    assert 0.01 < float(abs(pcm).max()) <= 1.0  # the tone survives the downmix


@pytest.fixture(scope="module")
def narration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 20 s of narration with pauses (espeak-ng), as an m4a."""
    root = tmp_path_factory.mktemp("narration")
    wav, out = root / "n.wav", root / "n.m4a"
    subprocess.run(["espeak-ng", "-v", "id", "-s", "140", "-g", "30", "-w", str(wav),
                    "Pengadilan negeri sedang membangun zona integritas. Pelayanan publik kami cepat. "
                    "Masyarakat merasa puas. Kami menolak gratifikasi. Petugas kami ramah dan jujur."], check=True)
    ffmpeg("-i", str(wav), "-c:a", "aac", str(out))
    return out


def test_blocks_cover_the_file_and_cut_in_quiet_places(narration: Path) -> None:
    (whole,) = blocks(narration)
    parts = list(blocks(narration, block_s=5.0))
    assert len(parts) >= 3
    assert sum(len(p) for _, p in parts) == len(whole[1])  # nothing lost or doubled at the cuts
    start = 0
    for offset, p in parts:  # each block starts where the one before ended
        assert round(offset * 16000) == start
        start += len(p)
    loud = float(abs(whole[1]).max())
    for _, p in parts[1:]:  # each cut falls where it is quiet: the next block starts in a pause
        assert float(abs(p[:800]).max()) < loud / 3


@pytest.mark.slow  # transcribes block by block
@pytest.mark.asr
def test_a_long_file_is_transcribed_block_by_block(narration: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio, "BLOCK_S", 6.0)
    t = transcribe(narration, DecodeOptions("id"), use_cache=False)
    said = " ".join(s.text for s in t.evidence).lower()
    assert "publik" in said and "menolak" in said, said  # words from an early and a late block
    starts = [s.start_s for s in t.segments]
    assert starts == sorted(starts) and starts[-1] > 12.0
    assert t.audio_s is not None and 15.0 < t.audio_s < 30.0


@pytest.mark.asr
def test_damaged_audio_is_a_finding_not_a_crash(make_media: MakeMedia, tmp_path: Path) -> None:
    good = tmp_path / "tone.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "6", "-c:a", "aac",
           "-movflags", "+faststart", str(good))
    data = bytearray(good.read_bytes())
    mdat = data.index(b"mdat") + 4
    data[mdat:] = bytes((i * 7919 + 13) % 251 for i in range(len(data) - mdat))  # payload garbled, index intact
    bad = tmp_path / "rusak.m4a"
    bad.write_bytes(bytes(data))
    with pytest.raises(AudioDecodeError):
        list(blocks(bad))
    report = check_file(bad, load_profile(), "profile", transcription=TranscribeSettings())
    speech = next(f for f in report.findings if f.id == "speech")
    assert (speech.status, speech.message.key) == ("not_met", "speech.undecodable")


@pytest.mark.asr
def test_an_empty_audio_stream_is_silence(tmp_path: Path) -> None:
    path = tmp_path / "kosong.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono",
           "-t", "2", "-af", "atrim=end_sample=0", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(path))
    report = check_file(path, load_profile(), "profile", transcription=TranscribeSettings())
    speech = next(f for f in report.findings if f.id == "speech")
    assert speech.status == "warning" and speech.message.key in ("speech.silent", "speech.no_audio")
