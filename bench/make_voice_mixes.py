#!/usr/bin/env python3
"""Build mixes of real speech from several known speakers, with who speaks when, for the voices
benchmark (bench/voices_bench.py) and tests.

Input: a folder of clips (any audio ffmpeg reads) and `speakers.tsv` (file<TAB>speaker).
Output under FOLDER/mixes/: `mixNN.wav` (16 kHz mono) and `mixes.json`: for each mix its turns
(start, end, speaker) and the split. The speakers are split in two before any mix is made:
`dev` mixes use only dev speakers, `sealed` mixes only the others (run those once, at the end).
Each mix is a narrated piece: a narrator (the first speaker) opens and speaks about half the
turns; 1-3 other voices answer; a turn is 2-4 clips of one speaker 0.15-0.35 s apart (one
person talking on, as in an interview), turns 0.6-1.2 s apart; each clip's own leading and
trailing silence is cut first. Mixes 0 and 5 of a split have the narrator alone.
Usage: python bench/make_voice_mixes.py FOLDER [--mixes 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from pathlib import Path

import numpy as np

RATE = 16000


def load(path: Path) -> np.ndarray:
    """The clip, its leading and trailing silence cut (frames 26 dB under its loudest, 0.1 s
    kept): the reference turns are then speech, not the recording's pauses."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         capture_output=True, check=True).stdout
    audio = np.frombuffer(out, np.int16).astype(np.float32) / 32768.0
    step = RATE // 50
    rms = np.sqrt(np.mean(audio[:len(audio) // step * step].reshape(-1, step) ** 2, axis=1))
    loud = np.flatnonzero(rms > rms.max() * 0.05)
    if not len(loud):
        return audio
    return audio[max(0, loud[0] * step - RATE // 10):(loud[-1] + 1) * step + RATE // 10]


def mix(rng: random.Random, clips: dict[str, list[Path]], speakers: list[str], alone: bool) -> tuple[np.ndarray, list]:
    narrator, others = speakers[0], speakers[1:]
    pieces, turns, t = [], [], 0.0
    n_turns = rng.randint(6, 10)
    used: dict[str, int] = {}
    for i in range(n_turns):
        who = narrator if alone or i % 2 == 0 or not others else rng.choice(others)
        for j in range(rng.randint(2, 4)):
            pool = clips[who]
            clip = pool[used.get(who, 0) % len(pool)]
            used[who] = used.get(who, 0) + 1
            audio = load(clip)
            gap = rng.uniform(0.15, 0.35) if j else rng.uniform(0.6, 1.2)
            pieces.append(np.zeros(int(gap * RATE), np.float32))
            t += gap
            pieces.append(audio)
            turns.append([round(t, 3), round(t + len(audio) / RATE, 3), who])
            t += len(audio) / RATE
    pieces.append(np.zeros(int(0.5 * RATE), np.float32))
    return np.concatenate(pieces), turns


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--mixes", type=int, default=10, help="per split")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clips: dict[str, list[Path]] = {}
    for line in (args.folder / "speakers.tsv").read_text().splitlines():
        if line.strip():
            name, who = line.split("\t")
            clips.setdefault(who.strip(), []).append(args.folder / name)
    names = sorted(clips)
    rng.shuffle(names)
    splits = {"dev": sorted(names[::2]), "sealed": sorted(names[1::2])}
    out = args.folder / "mixes"
    out.mkdir(exist_ok=True)
    listing = []
    for split, pool in splits.items():
        for k in range(args.mixes):
            alone = k % 5 == 0
            chosen = rng.sample(pool, 1 if alone else rng.randint(2, 4))
            audio, turns = mix(rng, {w: rng.sample(clips[w], len(clips[w])) for w in chosen}, chosen, alone)
            name = f"{split}{k:02d}.wav"
            pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes()
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                            str(out / name)], input=pcm, check=True)
            listing.append({"file": name, "split": split, "speakers": len({t[2] for t in turns}), "turns": turns})
    (out / "mixes.json").write_text(json.dumps({"splits": splits, "mixes": listing}, indent=1))
    print(f"{len(listing)} mixes in {out}; dev speakers {len(splits['dev'])}, sealed {len(splits['sealed'])}")


if __name__ == "__main__":
    main()
