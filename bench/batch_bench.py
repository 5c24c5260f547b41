#!/usr/bin/env python3
"""Benchmark: units per hour for `zi-media batch` on 20 generated units, --jobs 1 and 2,
and the peak memory of one worker.

Each unit is a copy of samples/unit-good (0:31 profile video, 2:56 development video, a
banner, a PPTX paparan), checked in full: probe, transcription with the default model
(--no-cache, so every unit is transcribed), coverage, banner OCR, paparan, JSON + HTML.
Peak memory is the largest resident set of any process one batch ran (ru_maxrss of the
reaped children, measured in a fresh process per setting). Usage:
python bench/batch_bench.py [--units 20]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "zi-media")


def one(root: Path, out: Path, jobs: int) -> None:
    """Run one batch and print its figures (in a process of its own, for a clean ru_maxrss)."""
    units = sum(1 for p in root.iterdir() if p.is_dir())
    t = time.perf_counter()
    r = subprocess.run([EXE, "batch", str(root), "--jobs", str(jobs), "--no-cache", "-q", "--out", str(out)],
                       capture_output=True, text=True)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"--jobs {jobs}: {units} units in {seconds:.1f} s = {3600 * units / seconds:.0f} units/hour; "
          f"peak memory of one process {peak_mb:.0f} MB; exit {r.returncode}; "
          f"{r.stdout.splitlines()[0] if r.stdout else r.stderr[-200:]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--one", nargs=3, metavar=("ROOT", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(Path(args.one[0]), Path(args.one[1]), int(args.one[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kiriman"
        for i in range(args.units):
            shutil.copytree(REPO / "samples/unit-good", root / f"unit {i:02d}")
        for jobs in (1, 2):
            subprocess.run([sys.executable, __file__, "--one", str(root), str(Path(tmp) / f"out{jobs}"), str(jobs)],
                           check=True)


if __name__ == "__main__":
    main()
