#!/usr/bin/env python3
"""Benchmark: what the scan of pictures and sound (with on-screen text) adds to a full check.

Makes a 15-minute 720p video: a moving test picture (so every sampled picture differs and is
read: the worst case for OCR), a title that changes every 20 s, two 12-s still cards, a
black second and a silent stretch, over the 15-minute speech of bench/data/speech-dev/built/
long.mp4 (bench/make_speech_set.py) or, without it, a tone. Then, in one process each:
  - the full check (probe, scan with screen text, transcription without cache, coverage);
  - the scan alone, with and without reading the screen;
and prints wall time, the scan's share of the full check, and peak memory (ru_maxrss).
Usage: python bench/screen_bench.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEECH = HERE / "data" / "speech-dev" / "built" / "long.mp4"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
TITLES = ["AREA I - MANAJEMEN PERUBAHAN", "Agen perubahan ditetapkan", "AREA II - PENATAAN TATA LAKSANA",
          "SOP mengacu peta proses bisnis", "AREA III - MANAJEMEN SDM", "AREA IV - AKUNTABILITAS KINERJA",
          "AREA V - PENGUATAN PENGAWASAN", "Unit Pengendalian Gratifikasi", "AREA VI - PELAYANAN PUBLIK",
          "Survei kepuasan masyarakat", "Bapak Ahmad, Tokoh Masyarakat", "Inovasi Si Cepat"]

RUN = r"""
import json, resource, sys, time
from pathlib import Path
from zi_media.media.probe import probe
from zi_media.media.scan import scan
what, path = sys.argv[1], Path(sys.argv[2])
t = time.perf_counter()
if what == "full":
    from zi_media.file_check import TranscribeSettings, check_file
    from zi_media.profiles import load_profile
    report = check_file(path, load_profile(), "development", transcription=TranscribeSettings(use_cache=False))
    screen = len(report.scan.screen) if report.scan else 0
else:
    screen = len(scan(probe(path), read_screen=what == "scan+screen").screen)
print(json.dumps({"seconds": time.perf_counter() - t, "screen": screen,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make(out: Path) -> Path:
    video = out / "long720.mp4"
    if video.exists() and video.stat().st_size:
        return video
    part = out / "long720.part.mp4"
    draw = ",".join(f"drawtext=fontfile={FONT}:text='{TITLES[i % len(TITLES)]}':fontcolor=white:fontsize=36:"
                    f"box=1:boxcolor=black@0.85:boxborderw=10:x=60:y=h-140:enable='between(t,{i * 20},{i * 20 + 20})'"
                    for i in range(45))
    still = "drawbox=enable='between(t,300,312)+between(t,600,612)':color=0x1f4e79:t=fill"
    black = "drawbox=enable='between(t,450,451.5)':color=black:t=fill"
    audio = ["-i", str(SPEECH)] if SPEECH.exists() else ["-f", "lavfi", "-i", "sine=frequency=300:duration=900"]
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=900",
                    *audio, "-map", "0:v", "-map", "1:a", "-vf", f"{still},{black},{draw}",
                    "-af", "volume=enable='between(t,700,705)':volume=0", "-c:v", "libx264", "-preset", "veryfast",
                    "-crf", "28", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "900", str(part)], check=True)
    return part.replace(video)


def run(what: str, video: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", RUN, what, str(video)], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=HERE / "data" / "screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    video = make(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ZI_MEDIA_CACHE_DIR=os.environ.get("ZI_MEDIA_CACHE_DIR", tmp))
        rows = {what: run(what, video, env) for what in ("scan", "scan+screen", "full")}
    full = rows["full"]["seconds"]
    print(f"{os.cpu_count()} CPUs; {video} (15 min, 1280x720, speech: {SPEECH.exists()})")
    for what, r in rows.items():
        share = f"{r['seconds'] / (full - rows['scan+screen']['seconds']):6.0%} of the rest" if what != "full" else ""
        print(f"{what:<12} {r['seconds']:7.1f} s  peak {r['peak_mb']:6.0f} MB  "
              f"screen lines {r['screen']:4.0f}  {share}")


if __name__ == "__main__":
    main()
