#!/usr/bin/env python3
"""Benchmark: per-file time of `check` without transcription, and `zi-media --help` wall time.

Makes 50 files with ffmpeg (40 short clips of 5-60 s, 10 long ones of 10-16 minutes, some
without audio, some truncated), then times:
  - the library call check_file() per file, in one process (what a batch pays per file);
  - the `zi-media check` command per file, in a new process each (what a person waits);
  - `zi-media --help`, in a new process each.
Prints the figures; asserts nothing. Usage: python bench/check_bench.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zi_media.file_check import check_file
from zi_media.profiles import load_profile

EXE = str(Path(sys.executable).parent / "zi-media")


def make_files(root: Path) -> list[Path]:
    files = []
    for i in range(50):
        duration = 5 + (i * 11) % 56 if i < 40 else 600 + (i - 40) * 40
        audio = i % 7 != 0
        out = root / f"clip{i:02d}.mp4"
        cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=1"]
        if audio:
            cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-c:a", "aac"]
        cmd += ["-t", str(duration), "-c:v", "libx264", "-preset", "ultrafast",
                "-movflags", "+faststart", str(out)]
        subprocess.run(cmd, check=True)
        if i % 10 == 9:  # every tenth file cut short
            data = out.read_bytes()
            out.write_bytes(data[: len(data) // 2])
        files.append(out)
    return files


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (f"{name:<34} n={len(ms):<3} median {statistics.median(ms):7.1f} ms   "
            f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   total {sum(ms) / 1000:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="make the files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        files = make_files(root)
        print(f"made {len(files)} files in {time.perf_counter() - t:.1f} s "
              f"({sum(f.stat().st_size for f in files) / 1e6:.1f} MB)")
        profile = load_profile()
        kinds = ["profile", "development"]
        check_file(files[0], profile, "profile")  # warm the import of PyAV
        lib = [timed(lambda f=f, k=k: check_file(f, profile, k))
               for i, f in enumerate(files) for k in [kinds[i % 2]]]
        cli = [timed(lambda f=f: subprocess.run([EXE, "check", str(f), "--kind", "development"],
                                                capture_output=True))
               for f in files]
        helps = [timed(lambda: subprocess.run([EXE, "--help"], capture_output=True, check=True))
                 for _ in range(20)]
        print(summary("check_file() per file, in-process", lib))
        print(summary("zi-media check per file, new proc", cli))
        print(summary("zi-media --help", helps))


if __name__ == "__main__":
    main()
