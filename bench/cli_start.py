#!/usr/bin/env python3
"""Benchmark: how long `zi-media --help` takes beside a bare Python start, same interpreter,
same run, alternating, median of N (issue 21: at most 15x).
Usage: python bench/cli_start.py [N]"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def seconds(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    exe = str(Path(sys.executable).parent / "zi-media")
    runs: dict[str, list[float]] = {"python -c pass": [], "zi-media --help": [], "zi-media check --help": []}
    cmds = {"python -c pass": [sys.executable, "-c", "pass"], "zi-media --help": [exe, "--help"],
            "zi-media check --help": [exe, "check", "--help"]}
    for _ in range(n):
        for name, cmd in cmds.items():
            runs[name].append(seconds(cmd))
    bare = statistics.median(runs["python -c pass"])
    for name, r in runs.items():
        print(f"{name:<24} median {1000 * statistics.median(r):6.1f} ms  ({statistics.median(r) / bare:4.1f}x bare)")


if __name__ == "__main__":
    main()
