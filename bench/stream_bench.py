#!/usr/bin/env python3
"""Benchmark: reading the audio of a very long recording, streamed in blocks (zi-media) or
loaded whole (faster-whisper's decode_audio, what the peer does), side by side.

Makes an N-hour AAC file (a tone that pauses every few seconds, 16 kHz mono, 24 kb/s), then
in a fresh process each: zi-media's speech.audio.blocks() over the whole file, and
faster_whisper.decode_audio(); prints wall time and peak memory. Transcription itself then
costs its real-time factor per block (see asr_bench.py). Usage: python bench/stream_bench.py [--hours 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

STREAM = """
import json, resource, sys, time
from pathlib import Path
from zi_media.speech.audio import blocks
t = time.perf_counter()
n = sum(len(a) for _, a in blocks(Path(sys.argv[1])))
print(json.dumps({"seconds": time.perf_counter() - t, "audio_s": n / 16000,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

WHOLE = """
import json, resource, sys, time
from faster_whisper import decode_audio
t = time.perf_counter()
n = len(decode_audio(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - t, "audio_s": n / 16000,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.m4a"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                        "aevalsrc='0.3*sin(440*2*PI*t)*gt(mod(t,4),1)':s=16000:d=" + str(args.hours * 3600),
                        "-c:a", "aac", "-b:a", "24k", str(path)], check=True)
        print(f"{args.hours:g} h of audio, {path.stat().st_size / 1e6:.0f} MB on disk")
        for who, code in (("zi-media blocks (streamed)", STREAM), ("faster-whisper decode_audio (whole)", WHOLE)):
            out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.splitlines()[-1])
            print(f"{who:<38} {r['seconds']:>7.1f} s  peak {r['peak_mb']:>6.0f} MB  ({r['audio_s'] / 3600:.2f} h read)")


if __name__ == "__main__":
    main()
