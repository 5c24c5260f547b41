#!/usr/bin/env python3
"""Word error rate and sentences dropped on every real speech set at once, zi-media beside plain
faster-whisper (beam 5, no batching, no VAD, same model): a change to the decoding is kept only
if no set gets worse, so each is measured on all of them in one run.

Sets are folders built by bench/make_speech_set.py; each of their files with reference
sentences is scored (clean.wav, music_bed.wav, short_music.wav, phone.wav, narration.wav). The
peer's text of a file is kept beside it (built/peer.json, by file size and model) since the peer never changes; zi-media
runs in this process, uncached, with `--set MODULE.NAME=VALUE` overriding a constant of
zi_media.speech for a trial. "zi timed" is zi-media's word error rate when each of its segments
is scored against the sentence said at its time (speech_eval.timed_errors: what an evaluator
following the report's timestamps meets; the peer's kept text has no times). Wall times are not
compared here (bench/asr_bench.py does that, in fresh processes). Prints figures; asserts nothing.
Usage: python bench/asr_sets.py bench/data/speech-dev bench/data/speech-cv [--set vad.MIN_SILENCE_MS=300]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from speech_eval import align, dropped, timed_errors, words

FILES = ("clean.wav", "music_bed.wav", "short_music.wav", "phone.wav", "narration.wav")


@functools.lru_cache(maxsize=1)
def peer_model() -> Any:
    from faster_whisper import WhisperModel

    from zi_media.speech.models import bundled_base

    return WhisperModel(str(bundled_base()), device="cpu", compute_type="int8", local_files_only=True)


def peer_text(path: Path) -> str:
    """The peer's text of `path`, computed once and kept beside it."""
    kept = path.parent / "peer.json"
    known = json.loads(kept.read_text()) if kept.is_file() else {}
    key = f"{path.name}:{path.stat().st_size}"
    if key not in known:  # the model loaded once for all the files
        segments, _ = peer_model().transcribe(str(path), language="id", beam_size=5)
        known[key] = " ".join(s.text for s in segments)
        kept.write_text(json.dumps(known, ensure_ascii=False, indent=1))
    return str(known[key])


def override(settings: list[str]) -> None:
    for item in settings:
        name, value = item.split("=", 1)
        module, const = name.rsplit(".", 1)
        target = importlib.import_module(f"zi_media.speech.{module}")
        setattr(target, const, type(getattr(target, const))(json.loads(value)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--set", dest="settings", action="append", default=[])
    parser.add_argument("--options", default="{}", help="JSON changes to the decoding options")
    parser.add_argument("--files", default=",".join(FILES))
    parser.add_argument("--show", action="store_true", help="print zi-media's dropped sentences")
    args = parser.parse_args()
    override(args.settings)
    from zi_media.file_check import decode_options
    from zi_media.profiles import load_profile
    from zi_media.speech.transcribe import transcribe

    options = replace(decode_options(load_profile(), "development"), **json.loads(args.options))
    print(f"{'set':<22}{'file':<17}{'words':>6}{'peer WER':>9}{'drop':>5}{'zi WER':>8}{'drop':>5}{'zi timed':>9}")
    errors_of, lost_of, n, timed_of = {"peer": 0, "zi": 0}, {"peer": 0, "zi": 0}, 0, 0
    for folder in args.sets:
        refs = json.loads((folder / "built" / "refs.json").read_text())
        for name in args.files.split(","):
            if name not in refs:
                continue
            path = folder / "built" / name
            sentences = [s["text"] for s in refs[name]]
            ref = [w for s in sentences for w in words(s)]
            row = []
            heard = transcribe(path, options, use_cache=False).evidence
            for who, text in (("peer", peer_text(path)), ("zi", " ".join(s.text for s in heard))):
                errors, matched = align(ref, words(text))
                lost = dropped(sentences, matched)
                errors_of[who] += errors
                lost_of[who] += len(lost)
                row.append(f"{100 * errors / len(ref):>8.1f}{len(lost):>5}")
                if args.show and who == "zi":
                    print("\n".join(f"    dropped: {x}" for x in lost))
            n += len(ref)
            timed = timed_errors(refs[name], [(s.start_s, s.end_s, s.text) for s in heard])
            timed_of += timed
            row.append(f"{100 * timed / len(ref):>9.1f}")
            print(f"{folder.name:<22}{name:<17}{len(ref):>6} {''.join(row)}", flush=True)
    print(f"{'all':<39}{n:>6} {100 * errors_of['peer'] / n:>8.1f}{lost_of['peer']:>5}"
          f"{100 * errors_of['zi'] / n:>8.1f}{lost_of['zi']:>5}{100 * timed_of / n:>9.1f}")


if __name__ == "__main__":
    main()
