#!/usr/bin/env python3
"""Benchmark: real-time factor, peak memory and word error rate of both engines.

On the committed sample development video (2:56 of espeak-ng Indonesian narration whose
text is known, samples/make_samples.py), for each engine, beam 1 and 5, VAD on and off,
each run in a fresh process with no cache. Also the whole `zi-media check` end to end with
the defaults. RTF = seconds of work / seconds of audio (model load included; lower is
better). espeak-ng speech is a pessimistic proxy for accuracy (docs/measurements.md).
Usage: python bench/asr_bench.py [--engines faster-whisper,openai-whisper]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLIP = REPO / "samples/unit-good/pembangunan-zi.mp4"
sys.path.insert(0, str(REPO / "samples"))
from make_samples import DEVELOPMENT_NARRATION  # noqa: E402

RUN_ONE = """
import json, resource, sys, time
from pathlib import Path
from zi_media.speech.engine import DecodeOptions
from zi_media.speech.transcribe import transcribe
engine, beam, vad = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
t = time.perf_counter()
tr = transcribe(Path(sys.argv[4]), DecodeOptions("id", beam_size=beam, vad=vad), engine=engine, use_cache=False)
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "text": " ".join(s.text for s in tr.evidence)}))
"""


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="faster-whisper,openai-whisper")
    args = parser.parse_args()
    from zi_media.media.probe import probe

    duration = probe(CLIP).duration_s
    assert duration
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ZI_MEDIA_CACHE_DIR=os.environ.get("ZI_MEDIA_CACHE_DIR", tmp))
        print(f"clip {CLIP.name}: {duration:.1f} s; {os.cpu_count()} CPUs")
        print(f"{'engine':<16}{'beam':>5}{'vad':>5}{'RTF':>8}{'peak MB':>9}{'WER %':>8}")
        for engine in args.engines.split(","):
            for beam in (1, 5):
                for vad in (1, 0):
                    out = subprocess.run([sys.executable, "-c", RUN_ONE, engine, str(beam), str(vad), str(CLIP)],
                                         capture_output=True, text=True, env=env, check=True)
                    r = json.loads(out.stdout.splitlines()[-1])
                    print(f"{engine:<16}{beam:>5}{vad:>5}{r['seconds'] / duration:>8.3f}"
                          f"{r['peak_mb']:>9.0f}{100 * wer(DEVELOPMENT_NARRATION, r['text']):>8.1f}")
        exe = str(Path(sys.executable).parent / "zi-media")
        t = time.perf_counter()
        subprocess.run([exe, "check", str(CLIP), "--kind", "development", "--no-cache", "-q"],
                       capture_output=True, env=env)
        e2e = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([exe, "check", str(CLIP), "--kind", "development", "-q"], capture_output=True, env=env)
        cached = time.perf_counter() - t
        print(f"zi-media check end to end (defaults, new process): {e2e:.1f} s, RTF {e2e / duration:.3f}; "
              f"re-check from the cache: {cached:.2f} s")


if __name__ == "__main__":
    main()
