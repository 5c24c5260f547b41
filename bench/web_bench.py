#!/usr/bin/env python3
"""Benchmark: the web front door (`zi-media serve`) against the CLI, under load, and its memory.

- **single**: the sample unit (samples/unit-good) checked by `zi-media check` in a fresh
  process with an empty cache, against the same unit uploaded through the server (already
  running, its cache empty too) until its report is ready: the target is the CLI's time + 10 s.
- **load**: 20 unit accounts upload the sample unit at once (`--jobs 2`); while the checks run
  one Dask worker is killed, and later the server itself is stopped (SIGINT) and started again.
  An upload cut by the restart is sent again, as its person would. Every submission must end in
  a report; the server's resident memory is sampled throughout.
- **big**: one 1-GB file uploaded: the server's memory before and at its peak (flat in the file's
  size: the body is streamed to disk) and the upload's speed.

Usage: python bench/web_bench.py [--units 20] [--big-mb 1024] [--parts single,load,big]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.webtools import PASSWORDS, SAMPLE_UNIT, Client, Server, add_users, free_port  # noqa: E402
from zi_media.web.store import Store  # noqa: E402

FILES = sorted(SAMPLE_UNIT.iterdir())


class Sampler:
    """The server process's resident memory, every 0.2 s, while it lives."""

    def __init__(self, server: Server) -> None:
        self.server, self.peak, self.samples = server, 0, 0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                rss = psutil.Process(self.server.process.pid).memory_info().rss if self.server.process else 0
            except psutil.Error:
                continue
            self.peak, self.samples = max(self.peak, rss), self.samples + 1

    def stop(self) -> int:
        self._stop.set()
        return self.peak


def single(tmp: Path) -> None:
    env = {**os.environ, "ZI_MEDIA_CACHE_DIR": str(tmp / "cache-cli")}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "zi_media", "check", str(SAMPLE_UNIT), "--format", "json"],
                          capture_output=True, env=env)
    cli_s = time.perf_counter() - t
    os.environ["ZI_MEDIA_CACHE_DIR"] = str(tmp / "cache-web")
    data = tmp / "single"
    add_users(data, {"PN Sukamaju": "unit"})
    server = Server(data, free_port(), ("--jobs", "1"))
    server.start()
    try:
        c = Client(server)
        c.sign_in("PN Sukamaju")
        t = time.perf_counter()
        sid = c.upload(FILES)
        state = c.wait(sid, 900)
        web_s = time.perf_counter() - t
    finally:
        server.stop()
    print(f"single: CLI check {cli_s:.1f} s (exit {done.returncode}); upload to report {web_s:.1f} s "
          f"({state['verdict']}); difference {web_s - cli_s:+.1f} s (target: at most +10 s)")


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def load(tmp: Path, units: int) -> None:
    os.environ["ZI_MEDIA_CACHE_DIR"] = str(tmp / "cache-load")
    data = tmp / "load"
    names = [f"PN Uji {i:02d}" for i in range(units)]
    for n in names:
        PASSWORDS[n] = "sandi-uji-12345"
    add_users(data, dict.fromkeys(names, "unit"))
    server = Server(data, free_port(), ("--jobs", "2"))
    server.start()
    sampler = Sampler(server)
    sids: dict[str, int] = {}
    resent = 0
    lock = threading.Lock()

    def person(name: str) -> None:
        nonlocal resent
        for _ in range(20):
            try:
                c = Client(server)
                assert c.sign_in(name).status == 200
                sid = c.upload(FILES)
                with lock:
                    sids[name] = sid
                return
            except (AssertionError, OSError):
                with lock:
                    resent += 1
                time.sleep(2)  # the server is restarting: try again, as a person would

    t = time.perf_counter()
    people = [threading.Thread(target=person, args=(n,)) for n in names]
    for p in people:
        p.start()
    killed = restarted = ""
    peak_before = 0
    while True:
        time.sleep(1)
        states = [s.state for s in Store(data).submissions()]
        finished = sum(s in ("done", "error") for s in states)
        if not killed and "running" in states:
            workers = sorted(_children(server.process.pid if server.process else 0), key=lambda p: p.memory_info().rss)
            if workers:
                workers[-1].kill()
                killed = f"worker {workers[-1].pid} killed at {time.perf_counter() - t:.0f} s with {finished} reports"
        elif killed and not restarted and finished >= units // 3:
            peak_before = sampler.stop()
            server.stop()
            server.start()
            sampler = Sampler(server)
            restarted = f"server restarted at {time.perf_counter() - t:.0f} s with {finished} reports"
        if all(not p.is_alive() for p in people) and len(sids) == units and finished == len(states) == units:
            break
        if time.perf_counter() - t > 3600:
            break
    wall = time.perf_counter() - t
    peak_after = sampler.stop()
    ended = [s.state for s in Store(data).submissions()]
    server.stop()
    print(f"load: {units} units, {len(sids)} submissions started, {ended.count('done')} reports, "
          f"{ended.count('error')} errors, {ended.count('queued') + ended.count('running')} unfinished, "
          f"{ended.count('open')} uploads cut by the restart; {resent} upload(s) sent again; {wall:.0f} s in all; "
          f"{killed}; {restarted}; "
          f"server peak RSS {peak_before / 2**20:.0f} MB before the restart, {peak_after / 2**20:.0f} MB after")


def big(tmp: Path, size_mb: int) -> None:
    data = tmp / "big"
    add_users(data, {"PN Sukamaju": "unit"})
    server = Server(data, free_port(), ("--no-transcribe", "--max-upload-mb", str(size_mb + 1)))
    server.start()
    try:
        c = Client(server)
        c.sign_in("PN Sukamaju")
        base = psutil.Process(server.process.pid).memory_info().rss if server.process else 0
        sampler = Sampler(server)
        path = tmp / "besar.mp4"
        with path.open("wb") as f:
            f.truncate(size_mb << 20)
        sid = c.api("POST", "/api/submissions").json()["id"]
        t = time.perf_counter()
        with path.open("rb") as f:  # streamed from the file by urllib, as a browser sends it
            reply = c.call("PUT", f"/api/submissions/{sid}/files/{urllib.parse.quote(path.name)}", f,
                           {"X-CSRF-Token": c.csrf, "Content-Length": str(size_mb << 20)})
        took = time.perf_counter() - t
        peak = sampler.stop()
        path.unlink()
    finally:
        server.stop()
    print(f"big: {size_mb} MB upload {reply.status} in {took:.1f} s ({size_mb / took:.0f} MB/s); server RSS "
          f"{base / 2**20:.0f} MB before, peak {peak / 2**20:.0f} MB during (+{(peak - base) / 2**20:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--parts", default="single,load,big")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zi-web-bench-"))
    try:
        for part in args.parts.split(","):
            {"single": lambda: single(tmp), "load": lambda: load(tmp, args.units),
             "big": lambda: big(tmp, args.big_mb)}[part]()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
