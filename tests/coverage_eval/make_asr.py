#!/usr/bin/env python3
"""Make the garbled cases of the coverage evaluation set: real speech synthesis, real model.

Each clean text listed in ASR_FROM is spoken by espeak-ng (Indonesian voice) and transcribed
by zi-media's default engine and model (faster-whisper, Whisper base, offline); the result is
written as `<name>_asr.srt`. The committed sample videos are transcribed the same way, and
the sample development narration is written out as clean text. Run from the repository root:
`python tests/coverage_eval/make_asr.py`. Not deterministic across model or espeak versions;
the committed SRT files are what the evaluation reads.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "samples"))

from make_samples import DEVELOPMENT_NARRATION, PROFILE_NARRATION  # noqa: E402

from zi_media.speech.engine import DecodeOptions  # noqa: E402
from zi_media.speech.transcribe import transcribe  # noqa: E402
from zi_media.speech.transcript_files import write  # noqa: E402

ASR_FROM = ["dev_clean_roman", "dev_clean_partial", "testimonials_first_person", "neg_corruption",
            "profile_clean"]
SAMPLES = {"dev_sample_asr": "unit-good/pembangunan-zi.mp4", "profile_sample_asr": "unit-good/profil.mp4"}


def main() -> None:
    (HERE / "dev_sample_clean.txt").write_text(
        "\n".join(p.replace("\n", " ").strip() for p in DEVELOPMENT_NARRATION.strip().split("\n\n")) + "\n")
    (HERE / "profile_sample_clean.txt").write_text(" ".join(PROFILE_NARRATION.split()) + "\n")
    options = DecodeOptions(language="id")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ASR_FROM:
            wav = Path(tmp) / f"{name}.wav"
            text = " ".join((HERE / f"{name}.txt").read_text().split())
            subprocess.run(["espeak-ng", "-v", "id", "-s", "150", "-w", str(wav), text], check=True)
            (HERE / f"{name}_asr.srt").write_text(write(transcribe(wav, options), "srt"))
    for name, sample in SAMPLES.items():
        (HERE / f"{name}.srt").write_text(write(transcribe(REPO / "samples" / sample, options), "srt"))


if __name__ == "__main__":
    main()
