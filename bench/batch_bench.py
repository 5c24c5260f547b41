#!/usr/bin/env python3
"""Benchmark: units per hour for `zi-media batch`, and what the Dask engine costs.

Each unit is a copy of samples/unit-good (0:31 profile video, 2:56 development video, a
banner, a PPTX paparan), checked in full: probe, scan of pictures and sound, on-screen text,
transcription with the default model (--no-cache, so every unit is transcribed), coverage,
banner OCR, paparan, JSON + HTML, summaries. Settings, each in a fresh process:

- in-process: `--jobs 1`, the units one after another in the batch's own process;
- dask x1: the same units on a local Dask cluster of one worker (cluster start included),
  against in-process: the engine's overhead (goal: at most 5 %);
- dask x2: `--jobs 2`, a local Dask cluster of two workers, each with half the cores.

Peak memory is the largest resident set of any process the setting ran (ru_maxrss of the
reaped children; Dask workers are children of the batch). `--rounds R` runs the settings R
times, interleaved, so that a machine's drift falls on all of them alike. Usage:
python bench/batch_bench.py [--units 6] [--rounds 1] [--settings in-process,dask x1,dask x2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "zi-media")
SETTINGS = ("in-process", "dask x1", "dask x2")


def one(root: Path, out: Path, setting: str) -> None:
    """Run one batch and print its figures (in a process of its own, for a clean ru_maxrss)."""
    units = sum(1 for p in root.iterdir() if p.is_dir())
    t = time.perf_counter()
    if setting == "dask x1":  # zi-media's own local cluster of one worker: only the engine differs
        from zi_media.batch.cluster import client
        from zi_media.batch.run import BatchOptions, run_batch
        options = BatchOptions("ma-2020", "id", use_cache=False, threads=os.cpu_count() or 1)  # as --jobs 1
        with client(1, None, options.threads) as c:
            rows = run_batch(root, out, options, scheduler=c.scheduler.address, force=True)
        said = f"{sum(r.verdict == 'met' for r in rows)}/{len(rows)} met"
    else:
        jobs = "1" if setting == "in-process" else "2"
        r = subprocess.run([EXE, "batch", str(root), "--jobs", jobs, "--no-cache", "--force", "-q", "--out", str(out)],
                           capture_output=True, text=True)
        said = r.stdout.splitlines()[0] if r.stdout else r.stderr[-200:]
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{setting:>10}: {units} units in {seconds:.1f} s = {3600 * units / seconds:.0f} units/hour, "
          f"{seconds / units:.1f} s/unit; peak memory of one process {peak_mb:.0f} MB; {said}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--one", nargs=3, metavar=("ROOT", "OUT", "SETTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(Path(args.one[0]), Path(args.one[1]), args.one[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kiriman"
        for i in range(args.units):
            shutil.copytree(REPO / "samples/unit-good", root / f"unit {i:02d}")
        for _ in range(args.rounds):
            for i, setting in enumerate(args.settings.split(",")):
                subprocess.run([sys.executable, __file__, "--one", str(root), str(Path(tmp) / f"out{i}"), setting],
                               check=True)


if __name__ == "__main__":
    main()
