#!/usr/bin/env python3
"""Where the time of one full check of a long video goes, beside plain faster-whisper.

Usage: python bench/profile_bench.py [VIDEO] [--minutes 15] [--keep DIR]

Without VIDEO one is made: espeak-ng reading the synthetic development narration over and over
(continuous speech; its words are not what is measured), under a 1280x720 moving test picture
with a title drawn over it every minute for 10 s (text on screen to read), MINUTES long.
Every row is a fresh process (start-up and model load included), caches empty unless said:

- peer: plain faster-whisper `WhisperModel.transcribe`, beam 5, no batching, no VAD, the
  bundled model (what a user would run instead);
- floor: the encoder alone over the speech (Silero VAD stretches packed in 30-s windows, as
  the batched pipeline packs them), no decoding: the least any Whisper transcription of this
  audio costs;
- decode audio + VAD, the stage before the model;
- zi-media transcribe (uncached), with the profile's options;
- the scan alone (pictures and sound), and the scan with the text on screen;
- coverage: judging the transcript (in-process, milliseconds);
- zi-media check (uncached: transcript and scan computed, the scan under the speech);
- the same check again (cached), and again in the other report language.
Peak memory is the Python process's own (ffmpeg and tesseract run apart). With --levers: the
peer and what each decoding lever costs on faster-whisper's batched pipeline (beam, batch,
word times, hotwords, threads). Prints the table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "tests" / "coverage_eval" / "dev_sample_clean.txt"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
TITLES = ["AREA I MANAJEMEN PERUBAHAN", "AREA II PENATAAN TATA LAKSANA", "AREA III PENATAAN SISTEM MANAJEMEN SDM",
          "AREA IV PENGUATAN AKUNTABILITAS KINERJA", "AREA V PENGUATAN PENGAWASAN",
          "AREA VI PENINGKATAN KUALITAS PELAYANAN PUBLIK", "INOVASI PELAYANAN", "TESTIMONI"]


def make_video(root: Path, minutes: float) -> Path:
    seconds = minutes * 60
    text = " ".join(SCRIPT.read_text(encoding="utf-8").split())
    speech, parts = root / "speech.wav", []
    total = 0.0
    while total < seconds:
        part = root / f"s{len(parts)}.wav"
        subprocess.run(["espeak-ng", "-v", "id", "-s", "150", "-w", str(part), text], check=True)
        parts.append(part)
        total += float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                                       "csv=p=0", str(part)], capture_output=True, text=True, check=True).stdout)
    listing = root / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts))
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-t", str(seconds), "-ar", "16000", "-ac", "1", str(speech)], check=True)
    draws = ",".join(
        f"drawtext=fontfile={FONT}:text='{TITLES[k % len(TITLES)]}':fontcolor=white:fontsize=40:"
        f"box=1:boxcolor=black@0.8:boxborderw=10:x=60:y=h-140:enable='between(t,{60 * k},{60 * k + 10})'"
        for k in range(int(seconds // 60) + 1))
    video = root / f"narration-{minutes:g}min.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                    "-i", str(speech), "-vf", draws, "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast",
                    "-crf", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", str(video)], check=True)
    return video


PEER = """
from faster_whisper import WhisperModel
from zi_media.speech.models import bundled_base
model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", cpu_threads=2)
segments, info = model.transcribe(VIDEO, language="id", beam_size=5, vad_filter=False)
words = sum(len(s.text.split()) for s in segments)
"""

FLOOR = """
import time
from faster_whisper import WhisperModel, decode_audio
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps
from zi_media.speech.models import bundled_base
model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", cpu_threads=2)
audio = decode_audio(VIDEO)
chunks, _ = collect_chunks(audio, get_speech_timestamps(audio, VadOptions(max_speech_duration_s=30)), max_duration=30)
started = time.perf_counter()
for chunk in chunks:
    model.encode(model.feature_extractor(chunk)[..., :-1])
EXTRA["encoder_s"] = round(time.perf_counter() - started, 1)
EXTRA["windows"] = len(chunks)
"""

DECODE_VAD = """
from zi_media.speech.audio import blocks
from zi_media.speech.vad import speech_stretches
EXTRA["speech_s"] = round(sum(s.duration_s for _, audio in blocks(Path(VIDEO)) for s in speech_stretches(audio)), 1)
"""

TRANSCRIBE = """
from zi_media.file_check import decode_options
from zi_media.profiles import load_profile
from zi_media.speech.transcribe import transcribe
t = transcribe(Path(VIDEO), decode_options(load_profile(), "development"), use_cache=False)
EXTRA["segments"] = len(t.segments)
"""

SCAN = """
from zi_media.media.probe import probe
from zi_media.media.scan import scan
s = scan(probe(Path(VIDEO)), read_screen=READ, use_cache=False)
EXTRA["screen_lines"] = len(s.screen)
"""

COVERAGE = """
import time
from zi_media.content.coverage import cover
from zi_media.file_check import decode_options
from zi_media.profiles import load_profile
from zi_media.speech.transcribe import transcribe
t = transcribe(Path(VIDEO), decode_options(load_profile(), "development"))
rules = load_profile().rules("development").content
cover(t, rules)
started = time.perf_counter()
cover(t, rules)
EXTRA["coverage_ms"] = round((time.perf_counter() - started) * 1000)
"""

LEVER = """
from faster_whisper import BatchedInferencePipeline, WhisperModel
from zi_media.file_check import decode_options
from zi_media.profiles import load_profile
from zi_media.speech.models import bundled_base
model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", cpu_threads=THREADS)
hotwords = decode_options(load_profile(), "development").vocabulary if HOTWORDS else None
segments, info = BatchedInferencePipeline(model).transcribe(
    VIDEO, language="id", beam_size=BEAM, batch_size=BATCH, without_timestamps=True, vad_filter=True,
    word_timestamps=WORDS, hotwords=hotwords)
EXTRA["words"] = sum(len(s.text.split()) for s in segments)
"""

# what each decoding lever costs, on faster-whisper's batched pipeline itself (zi-media's first
# pass is the first row; its audit re-decodes and guards come on top)
LEVERS = [("batched: beam 5, batch 4, word times, hotwords", {"BEAM": 5, "BATCH": 4, "WORDS": True, "HOTWORDS": True}),
          ("  the same without hotwords", {"BEAM": 5, "BATCH": 4, "WORDS": True, "HOTWORDS": False}),
          ("  the same without word times", {"BEAM": 5, "BATCH": 4, "WORDS": False, "HOTWORDS": False}),
          ("  greedy (beam 1), no word times", {"BEAM": 1, "BATCH": 4, "WORDS": False, "HOTWORDS": False}),
          ("  beam 5, batch 8, word times, hotwords", {"BEAM": 5, "BATCH": 8, "WORDS": True, "HOTWORDS": True}),
          ("  beam 5, batch 4, word times, hotwords, 1 thread",
           {"BEAM": 5, "BATCH": 4, "WORDS": True, "HOTWORDS": True, "THREADS": 1})]

CHECK = """
from zi_media.cli import main
sys.argv = ["zi-media", "check", VIDEO, "--kind", "development", "--quiet", "--format", "json", "--lang", LANG]
try:
    main()
except SystemExit:
    pass
"""


def run(code: str, video: Path, cache: Path, **names: object) -> dict:
    """Run `code` in a fresh Python with VIDEO and the names set; wall time and peak memory."""
    prelude = "import json, resource, sys\nfrom pathlib import Path\nEXTRA = {}\n" + \
        "".join(f"{k} = {v!r}\n" for k, v in {"VIDEO": str(video), **names}.items())
    epilogue = ("\nprint('@@' + json.dumps({'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,"
                " **EXTRA}), file=sys.__stderr__)\n")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", prelude + code + epilogue], capture_output=True, text=True,
                         env={**os.environ, "ZI_MEDIA_CACHE_DIR": str(cache), "OMP_NUM_THREADS": "2"})
    wall = time.perf_counter() - started
    marks = [ln[2:] for ln in out.stderr.splitlines() if ln.startswith("@@")]
    if not marks:
        raise SystemExit(f"bench step failed:\n{out.stderr[-2000:]}")
    return {"wall_s": round(wall, 1), **json.loads(marks[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("video", nargs="?", type=Path)
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--keep", type=Path, help="make the video here and keep it")
    parser.add_argument("--levers", action="store_true",
                        help="only the peer and the decoding levers (beam, batch, word times, hotwords, threads)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zi-media-profile-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        video = args.video or make_video(root, args.minutes)
        empty = lambda name: Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp))
        shared = empty("shared")  # the cache the check rows fill and then read
        if args.levers:
            rows = [("peer: faster-whisper, beam 5, no VAD", run(PEER, video, empty("peer")))] + [
                (name, run(LEVER, video, empty("lever"), **{"THREADS": 2, **names})) for name, names in LEVERS]
        else:
            rows = [
                ("peer: faster-whisper, beam 5, no VAD", run(PEER, video, empty("peer"))),
                ("floor: encoder alone over the speech", run(FLOOR, video, empty("floor"))),
                ("decode audio + VAD", run(DECODE_VAD, video, empty("vad"))),
                ("zi-media transcribe (uncached)", run(TRANSCRIBE, video, empty("transcribe"))),
                ("scan, no screen text", run(SCAN, video, empty("scan"), READ=False)),
                ("scan with screen text", run(SCAN, video, empty("screen"), READ=True)),
                ("zi-media check (uncached)", run(CHECK, video, shared, LANG="id")),
                ("coverage of its transcript", run(COVERAGE, video, shared)),
                ("zi-media check again (cached)", run(CHECK, video, shared, LANG="id")),
                ("zi-media check again, --lang en", run(CHECK, video, shared, LANG="en")),
            ]
    peer = rows[0][1]["wall_s"]
    duration = args.minutes * 60 if args.video is None else None
    print(f"video: {video.name}" + (f" ({duration:.0f} s)" if duration else ""))
    print(f"{'step':<40}{'wall s':>8}{'x peer':>8}{'peak MB':>9}  other")
    for name, r in rows:
        other = ", ".join(f"{k} {v}" for k, v in r.items() if k not in ("wall_s", "peak_mb"))
        print(f"{name:<40}{r['wall_s']:>8.1f}{r['wall_s'] / peer:>8.2f}{r['peak_mb']:>9}  {other}")


if __name__ == "__main__":
    main()
