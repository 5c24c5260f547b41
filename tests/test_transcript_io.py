"""Transcript files: SRT, VTT, JSON and plain text, written and read back; the CLI commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from zi_media.cli import cli
from zi_media.errors import TranscriptError
from zi_media.speech.transcript_files import read, write
from zi_media.types import Segment, Transcript

T = Transcript(
    segments=(Segment(0.0, 2.5, "Area pertama, manajemen perubahan.", 0.8),
              Segment(2.5, 4.0, "Terima kasih telah menonton!", 0.3, "filler"),
              Segment(61.25, 65.0, "Saya merasa puas.", 0.9)),
    language="id", engine="faster-whisper", model="whisper-base", options={"beam_size": 5},
    speech_s=7.25)


def test_srt() -> None:
    assert write(T, "srt") == (
        "1\n00:00:00,000 --> 00:00:02,500\nArea pertama, manajemen perubahan.\n\n"
        "2\n00:01:01,250 --> 00:01:05,000\nSaya merasa puas.\n")


def test_vtt_and_txt_leave_out_flagged_segments() -> None:
    assert write(T, "vtt") == ("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nArea pertama, manajemen "
                               "perubahan.\n\n00:01:01.250 --> 00:01:05.000\nSaya merasa puas.\n")
    assert write(T, "txt") == "Area pertama, manajemen perubahan.\nSaya merasa puas.\n"  # whisper's txt: text only


def test_tsv_is_whisper_layout_in_milliseconds_and_reads_back(tmp_path: Path) -> None:
    assert write(T, "tsv") == ("start\tend\ttext\n0\t2500\tArea pertama, manajemen perubahan.\n"
                               "61250\t65000\tSaya merasa puas.\n")
    path = tmp_path / "t.tsv"
    path.write_text(write(T, "tsv"))
    back = read(path, "id")
    assert [(s.start_s, s.end_s, s.text) for s in back.segments] == [
        (0.0, 2.5, "Area pertama, manajemen perubahan."), (61.25, 65.0, "Saya merasa puas.")]
    assert back.timed  # not read as plain text with its numbers spelt out


def test_whisper_json_is_read(tmp_path: Path) -> None:
    """openai-whisper's own `--output_format json` (trimmed to the keys that matter)."""
    doc = {"text": " Area kelima, penguatan pengawasan. Saya puas.", "language": "id", "segments": [
        {"id": 0, "seek": 0, "start": 1.0, "end": 4.2, "text": " Area kelima, penguatan pengawasan.",
         "tokens": [50364], "temperature": 0.0, "avg_logprob": -0.3, "compression_ratio": 1.1,
         "no_speech_prob": 0.01},
        {"id": 1, "seek": 0, "start": 4.2, "end": 5.0, "text": " Saya puas.", "tokens": [50364],
         "temperature": 0.0, "avg_logprob": -0.3, "compression_ratio": 1.1, "no_speech_prob": 0.01}]}
    path = tmp_path / "video.json"
    path.write_text(json.dumps(doc))
    back = read(path, "en")
    assert [(s.start_s, s.end_s, s.text) for s in back.segments] == [
        (1.0, 4.2, "Area kelima, penguatan pengawasan."), (4.2, 5.0, "Saya puas.")]
    assert (back.language, back.engine, back.timed) == ("id", "file", True)


def test_bad_tsv_says_which_line(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("start\tend\ttext\n0\t1000\tHalo.\nsatu\tdua\tRusak.\n")
    with pytest.raises(TranscriptError, match="line 3: expected start and end in milliseconds"):
        read(path, "id")


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_subtitles_read_back(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"t.{fmt}"
    path.write_text(write(T, fmt))
    back = read(path, "id")
    assert [(s.start_s, s.end_s, s.text) for s in back.segments] == [
        (0.0, 2.5, "Area pertama, manajemen perubahan."), (61.25, 65.0, "Saya merasa puas.")]
    assert (back.engine, back.timed) == ("file", True)


def test_json_round_trip_keeps_flags_and_provenance(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(write(T, "json"))
    assert read(path, "id") == T


def test_plain_text_has_no_times(tmp_path: Path) -> None:
    path = tmp_path / "naskah.txt"
    path.write_text("Area pertama, manajemen perubahan.\n\nSaya merasa puas.\n")
    back = read(path, "id")
    assert [s.text for s in back.segments] == ["Area pertama, manajemen perubahan.", "Saya merasa puas."]
    assert not back.timed


def test_bad_transcript_files(tmp_path: Path) -> None:
    broken = tmp_path / "t.json"
    broken.write_text('{"segments": 3}')
    with pytest.raises(TranscriptError, match="not a zi-media transcript JSON"):
        read(broken, "id")
    binary = tmp_path / "t.srt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(TranscriptError, match="not a UTF-8 text transcript"):
        read(binary, "id")


@pytest.mark.asr
def test_cli_transcribe_then_check_with_that_transcript(speech_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "speech.srt"
    r = CliRunner().invoke(cli, ["transcribe", str(speech_clip), "--format", "srt", "-o", str(srt)])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert srt.read_text().startswith("1\n00:00:00,000 --> ")
    r = CliRunner().invoke(cli, ["check", str(speech_clip), "--kind", "profile", "--format", "json",
                                 "--transcript", str(srt)])
    doc = json.loads(r.stdout)
    assert r.exit_code == 0
    assert doc["transcript"]["engine"] == "file" and doc["transcript"]["segments"]
    found = {f["id"]: f for f in doc["findings"]}
    assert found["speech"]["status"] == "met"
    # espeak-ng speech comes back garbled ("zona integritas" is lost): some campaign words heard
    assert found["campaign"]["coverage"] in ("met", "weak") and found["campaign"]["evidence"]


@pytest.mark.asr
def test_cli_check_json_carries_the_transcript(speech_clip: Path) -> None:
    r = CliRunner().invoke(cli, ["check", str(speech_clip), "--kind", "profile", "--format", "json"])
    doc = json.loads(r.stdout)
    t = doc["transcript"]
    assert (t["engine"], t["language"]) == ("faster-whisper", "id")
    assert set(t["segments"][0]) == {"start_s", "end_s", "text", "confidence", "flag", "speaker"}
    # one espeak-ng voice throughout: one speaker, the narrator, on every segment
    assert [(s["id"], s["role"]) for s in t["speakers"]] == [("S1", "narrator")]
    assert {s["speaker"] for s in t["segments"]} == {"S1"}


def test_cli_transcribe_errors(make_media, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["transcribe", str(make_media(2.0, audio=False))])
    assert (r.exit_code, r.stderr.count("\n")) == (2, 1)
    assert "no audio stream to transcribe" in r.stderr
    r = CliRunner().invoke(cli, ["transcribe", str(tmp_path / "nope.mp4")])
    assert (r.exit_code, r.stderr) == (2, f"zi-media: error: {tmp_path}/nope.mp4: no such file\n")
    r = CliRunner().invoke(cli, ["transcribe", str(make_media(2.0)), "--engine", "vosk"])
    assert r.exit_code == 2 and "Invalid value for '--engine'" in r.stderr


@pytest.mark.asr
def test_cli_cache_info_and_clear(speech_clip: Path, cache_dir: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    CliRunner().invoke(cli, ["transcribe", str(speech_clip)])  # in the session's cache (a hit when kept)
    # then a copy of that cache to clear: the session's transcripts stay for the other tests
    shutil.copytree(cache_dir / "transcripts", tmp_path / "transcripts")
    monkeypatch.setenv("ZI_MEDIA_CACHE_DIR", str(tmp_path))
    info = CliRunner().invoke(cli, ["cache", "info"]).stdout
    assert "transcripts: " in info and "transcripts: 0 " not in info
    assert CliRunner().invoke(cli, ["cache", "clear"]).stdout.startswith("freed ")
    assert "transcripts: 0 (0 bytes)" in CliRunner().invoke(cli, ["cache", "info"]).stdout
