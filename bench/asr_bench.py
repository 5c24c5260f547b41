#!/usr/bin/env python3
"""Benchmark: zi-media's transcription side by side with plain faster-whisper, same files,
same model (the bundled Whisper base, int8), same machine, same run.

The peer is what a user would run instead: faster-whisper `WhisperModel.transcribe`, beam 5,
no batching, no VAD. zi-media runs with the ma-2020 development decoding options (batched
beam 5 over VAD chunks, word times, the completeness audit, the profile's vocabulary).
Each run is a fresh process, so wall time includes start-up and model load, and peak
memory is that process's own.

Files come from `bench/make_speech_set.py FOLDER` (real speech clips with reference texts;
see that script): clean speech, the same under a music bed with music alone before and
after, music alone, and a 15-minute video. Figures: word error rate (text normalised as
coverage matching does: case, punctuation, digits as Indonesian words), reference sentences
dropped (under half of their words found in order), wall time, peak memory, and for music
alone the words that would count as evidence. Prints figures; asserts nothing.
With `--before DIR` (a checkout of earlier code, e.g. `git worktree add DIR HEAD~1`) a row of
zi-media as it was is added, run from that checkout: before and after in the same run.
Usage: python bench/asr_bench.py bench/data/speech-dev [--variants default,no-vocabulary,...] [--files clean.wav,...]
       [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from speech_eval import align, dropped, words

RUN_PEER = """
import json, resource, sys, time
t0 = time.perf_counter()
from faster_whisper import WhisperModel
from zi_media.speech.models import bundled_base
model = WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", local_files_only=True)
segments, info = model.transcribe(sys.argv[1], language="id", beam_size=5)
text = " ".join(s.text for s in segments)
print(json.dumps({"seconds": time.perf_counter() - t0, "text": text,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RUN_ZI = """
import json, resource, sys, time
from dataclasses import replace
t0 = time.perf_counter()
from pathlib import Path
from zi_media.file_check import decode_options
from zi_media.profiles import load_profile
from zi_media.speech.transcribe import transcribe
options = replace(decode_options(load_profile(), "development"), **json.loads(sys.argv[2]))
t = transcribe(Path(sys.argv[1]), options, use_cache=False)
print(json.dumps({"seconds": time.perf_counter() - t0, "text": " ".join(s.text for s in t.evidence),
                  "untranscribed_s": sum(u.end_s - u.start_s for u in t.untranscribed),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

VARIANTS = {  # name -> changes to the profile's decoding options
    "default": {},
    "no-vocabulary": {"vocabulary": ""},
    "short-vocabulary": {"vocabulary": "Zona Integritas, WBK, WBBM, Penguatan Akuntabilitas Kinerja, gratifikasi"},
    "beam-3": {"beam_size": 3},
    "batch-16": {"batch_size": 16},
}


def run(code: str, *args: str, env: dict[str, str], cwd: Path | None = None) -> dict[str, float | str]:
    """`code` in a fresh process; `cwd` first on its path (`python -c` puts it before PYTHONPATH)."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True,
                         cwd=cwd)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--variants", default="default")
    parser.add_argument("--files", default="clean.wav,music_bed.wav,music_only.wav,long.mp4")
    parser.add_argument("--before", type=Path, help="a checkout of earlier code, run as another row")
    args = parser.parse_args()
    built = args.folder / "built"
    refs = json.loads((built / "refs.json").read_text())
    files = args.files.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ZI_MEDIA_CACHE_DIR=os.environ.get("ZI_MEDIA_CACHE_DIR", tmp))
        run(RUN_PEER, str(built / "music_only.wav"), env=env)  # assemble the model once, outside the timings
        print(f"{os.cpu_count()} CPUs; peer = faster-whisper beam 5, no batching, no VAD; same model")
        print(f"{'file':<15}{'who':<24}{'WER %':>7}{'dropped':>9}{'wall s':>8}{'x peer':>8}{'peak MB':>9}{'words':>7}")
        for name in files:
            sentences = [s["text"] for s in refs.get(name, [])]
            ref = [w for s in sentences for w in words(s)]
            peer = run(RUN_PEER, str(built / name), env=env)
            rows = [("faster-whisper (peer)", peer)]
            rows += [(f"zi-media {v}", run(RUN_ZI, str(built / name), json.dumps(VARIANTS[v]), env=env))
                     for v in args.variants.split(",")]
            if args.before:
                rows.append(("zi-media before", run(RUN_ZI, str((built / name).resolve()), "{}", env=env,
                                                    cwd=args.before.resolve())))
            for who, r in rows:
                hyp = words(str(r["text"]))
                errors, matched = align(ref, hyp)
                score = f"{100 * errors / len(ref):>7.1f}" if ref else f"{'-':>7}"
                lost = dropped(sentences, matched)
                print(f"{name:<15}{who:<24}{score}{len(lost):>9}{float(r['seconds']):>8.1f}"
                      f"{float(r['seconds']) / float(peer['seconds']):>8.2f}{float(r['peak_mb']):>9.0f}{len(hyp):>7}")
                for sentence in lost:
                    print(f"{'':<15}  dropped: {sentence}")


if __name__ == "__main__":
    main()
