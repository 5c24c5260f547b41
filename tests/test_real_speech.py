"""Real speech: no reference sentence dropped, and a word error rate no worse than plain
faster-whisper's (beam 5, no batching, no VAD, same model) measured in the same run.

The clips are real recordings with their reference texts (`refs.tsv`: file<TAB>text), built
by bench/make_speech_set.py. Only clips whose licence allows redistribution may be
committed; the set is looked for in $ZI_MEDIA_SPEECH_SET, then ../shared/data/speech-id
(beside the checkout), then the ignored bench/data/speech-id and bench/data/speech-dev
(bench/gather_speech_sets.py). Without one the test is
skipped, and says so in the summary (-ra).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.speech_eval import align, dropped, words
from zi_media.file_check import decode_options
from zi_media.profiles import load_profile
from zi_media.speech.models import bundled_base
from zi_media.speech.transcribe import transcribe

from .conftest import REPO

WER_TOLERANCE = 0.005  # zi-media may be at most half a point worse than the peer

CANDIDATES = [Path(p) for p in (os.environ.get("ZI_MEDIA_SPEECH_SET", ""),) if p] + [
    REPO.parent / "shared" / "data" / "speech-id", REPO / "bench" / "data" / "speech-id",
    REPO / "bench" / "data" / "speech-dev"]
SET = next((p for p in CANDIDATES if (p / "refs.tsv").is_file()), None)

pytestmark = [pytest.mark.slow, pytest.mark.asr, pytest.mark.skipif(
    SET is None, reason="no real speech set (refs.tsv) in $ZI_MEDIA_SPEECH_SET, ../shared/data/speech-id "
                        "or bench/data/speech-id: see bench/make_speech_set.py")]


@pytest.fixture(scope="module")
def built() -> Path:
    assert SET is not None
    if not (SET / "built" / "refs.json").is_file():
        subprocess.run([sys.executable, str(REPO / "bench" / "make_speech_set.py"), str(SET)], check=True)
    return SET / "built"


def peer_text(path: Path) -> str:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", local_files_only=True)
    segments, _ = model.transcribe(str(path), language="id", beam_size=5)
    return " ".join(s.text for s in segments)


@pytest.mark.parametrize("name", ["clean.wav", "music_bed.wav"])
def test_no_sentence_dropped_and_wer_within_the_peer(built: Path, name: str) -> None:
    sentences = [s["text"] for s in json.loads((built / "refs.json").read_text())[name]]
    ref = [w for s in sentences for w in words(s)]
    ours = transcribe(built / name, decode_options(load_profile(), "development"), use_cache=False)
    errors, matched = align(ref, words(" ".join(s.text for s in ours.evidence)))
    peer_errors, _ = align(ref, words(peer_text(built / name)))
    assert dropped(sentences, matched) == []
    assert errors / len(ref) <= peer_errors / len(ref) + WER_TOLERANCE, (errors / len(ref), peer_errors / len(ref))
    assert ours.untranscribed == ()


def test_music_alone_gives_no_evidence_words(built: Path) -> None:
    t = transcribe(built / "music_only.wav", decode_options(load_profile(), "development"), use_cache=False)
    assert [s.text for s in t.evidence] == []
