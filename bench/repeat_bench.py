#!/usr/bin/env python3
"""Benchmark: speech that really repeats (one sentence said N times, espeak-ng), zi-media's
transcription beside plain faster-whisper (beam 5, no batching, no VAD, the same bundled
model), each in a fresh process: wall time with model load, peak memory, the share of the
sayings heard, and the segments zi-media flagged (a slogan said again must stay speech).
espeak-ng speech is for plumbing and speed, not accuracy. Prints figures; asserts nothing.
Usage: python bench/repeat_bench.py [--times 6,40]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SENTENCE = "Kami membangun zona integritas menuju wilayah bebas dari korupsi."
KEY = "integritas"  # one word a saying holds once: how many sayings were heard

PEER = """
import json, resource, sys, time
t0 = time.perf_counter()
from faster_whisper import WhisperModel
from zi_media.speech.models import bundled_base
model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", local_files_only=True)
segments, _ = model.transcribe(sys.argv[1], language="id", beam_size=5)
text = " ".join(s.text for s in segments)
print(json.dumps({"seconds": time.perf_counter() - t0, "text": text, "flagged": [],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""

OURS = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from zi_media.speech.engine import DecodeOptions
from zi_media.speech.transcribe import transcribe
t = transcribe(Path(sys.argv[1]), DecodeOptions("id"), use_cache=False)
print(json.dumps({"seconds": time.perf_counter() - t0, "text": " ".join(s.text for s in t.evidence),
                  "flagged": [s.flag for s in t.segments if s.flag],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def looped(folder: Path, times: int) -> Path:
    one, out = folder / "one.wav", folder / f"x{times}.wav"
    subprocess.run(["espeak-ng", "-v", "id", "-s", "140", "-w", str(one), SENTENCE], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", str(times - 1), "-i", str(one),
                    "-af", "apad=pad_dur=0.5", str(out)], check=True)
    return out


def run(code: str, path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def heard(text: str) -> int:
    """Sayings heard: the key word, allowing a slip or two ("integrita", "intekritas")."""
    from rapidfuzz import fuzz

    return sum(fuzz.ratio(w, KEY) >= 80 for w in re.findall(r"\w+", text.lower()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", default="6,40", help="how many times the sentence is said, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("sayings  tool            wall s  peak MB  sayings heard  flagged")
        for times in (int(t) for t in args.times.split(",")):
            path = looped(Path(tmp), times)
            for name, code in (("faster-whisper", PEER), ("zi-media", OURS)):
                r = run(code, path)
                print(f"{times:7d}  {name:14s}  {r['seconds']:6.1f}  {r['peak_mb']:7d}  "
                      f"{heard(str(r['text'])):6d} of {times:<4d}  {len(r['flagged'])}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
