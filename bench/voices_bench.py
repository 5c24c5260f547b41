#!/usr/bin/env python3
"""Benchmark: who speaks when, on mixes of real speech (bench/make_voice_mixes.py), zi-media's
voices beside what a user would try first (one speaker per VAD stretch, stretches merged by the
distance of their mean MFCCs), same VAD, same files, same run.

Figures per mix and in all: speakers found against the truth, the share of reference speech
given to the right speaker (speakers mapped one to one for the best score), diarisation error
rate (missed speech + false alarm + confusion, over reference speech, 10-ms frames, no collar),
seconds. `--sealed` runs the sealed mixes (once, at the end); `--same-voice` sweeps zi-media's
threshold on the dev mixes. `--channel field` puts every turn of the voices other than the
narrator's through a field recording's channel (the narration is read in a studio, testimonials
are recorded on location); `--channel narrator-both` puts every second turn of the narrator
through it instead (one voice heard through two channels: it must stay one speaker).
Usage: python bench/voices_bench.py bench/data/voices-id [--sealed] [--same-voice 0.7,0.75] [--mfcc-same 0.4,0.5]
       [--channel field|narrator-both]
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import permutations
from pathlib import Path

import numpy as np

from zi_media.speech import voices as V
from zi_media.speech.audio import blocks
from zi_media.speech.vad import hearing
from zi_media.types import Stretch

FRAME_S = 0.01
FIELD_BAND_HZ = (300.0, 3400.0)  # a small camera or phone microphone on location
FIELD_GAIN = 0.5  # 6 dB quieter than the studio
FIELD_SNR_DB = 20.0  # broadband noise of the place under the speech
MFCC_SAME = 0.35  # the baseline's threshold, chosen on the dev mixes like zi-media's (--mfcc-same)


def frames(turns: list[tuple[float, float, str]], n: int) -> list[str | None]:
    out: list[str | None] = [None] * n
    for a, b, who in turns:
        for i in range(int(a / FRAME_S), min(n, int(b / FRAME_S))):
            out[i] = who
    return out


def scores(ref: list[str | None], hyp: list[str | None]) -> tuple[float, float, float]:
    """(share of reference speech given to the right speaker, the same share of the reference
    speech given to any speaker, diarisation error rate)."""
    r_names = sorted({r for r in ref if r})
    h_names = sorted({h for h in hyp if h})
    counts = {(r, h): 0 for r in r_names for h in h_names}
    for r, h in zip(ref, hyp, strict=True):
        if r and h:
            counts[(r, h)] += 1
    best = 0
    small, large = (r_names, h_names) if len(r_names) <= len(h_names) else (h_names, r_names)
    for perm in permutations(large, len(small)):
        pairs = zip(small, perm, strict=True) if small is r_names else zip(perm, small, strict=True)
        best = max(best, sum(counts[p] for p in pairs))
    speech = sum(1 for r in ref if r)
    missed = sum(1 for r, h in zip(ref, hyp, strict=True) if r and not h)
    false_alarm = sum(1 for r, h in zip(ref, hyp, strict=True) if h and not r)
    both = sum(1 for r, h in zip(ref, hyp, strict=True) if r and h)
    return best / speech, best / max(both, 1), (missed + false_alarm + (both - best)) / speech


def _mel(wave: np.ndarray) -> np.ndarray:
    """Power mel frames (frames x 40): 25-ms Hann windows every 10 ms."""
    from faster_whisper.feature_extractor import FeatureExtractor

    frames = np.lib.stride_tricks.sliding_window_view(wave, 400)[::160]
    power = np.abs(np.fft.rfft(frames * np.hanning(401)[:-1], axis=1)) ** 2
    return power @ FeatureExtractor.get_mel_filters(16000, 400, n_mels=40).T


def _dct_ortho(n: int) -> np.ndarray:
    """The orthonormal DCT-II matrix (n x n), as scipy.fft.dct(type=2, norm="ortho") applies it:
    numpy only, since dev.sh installs no scipy."""
    k, i = np.arange(n)[:, None], np.arange(n)[None]
    m = np.sqrt(2 / n) * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
    m[0] /= np.sqrt(2)
    return m


def mfcc_baseline(audio: np.ndarray, speech: tuple[Stretch, ...], same: float) -> list[tuple[float, float, str]]:
    """One speaker per stretch; stretches merged by the cosine of their mean MFCCs (CMN)."""
    dct = _dct_ortho(40)
    means = []
    for s in speech:
        piece = audio[int(s.start_s * 16000):int(s.end_s * 16000)]
        log_mel = np.log(_mel(np.pad(piece, (0, max(0, 400 - len(piece))))) + 1e-10)
        means.append((log_mel @ dct.T)[:, 1:20].mean(axis=0))
    m = np.array(means)
    m -= m.mean(axis=0)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
    owner = V._clusters(m @ m.T, same)
    return [(s.start_s, s.end_s, f"B{o}") for s, o in zip(speech, owner, strict=True)]


def field(piece: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`piece` as a field recording would give it: the place's noise under the speech, then the
    microphone's band and level (the noise goes through the microphone too)."""
    noisy = piece + rng.normal(0.0, np.sqrt(np.mean(piece ** 2)) * 10 ** (-FIELD_SNR_DB / 20), len(piece))
    spectrum = np.fft.rfft(noisy)
    hz = np.fft.rfftfreq(len(piece), 1 / 16000)
    spectrum[(hz < FIELD_BAND_HZ[0]) | (hz > FIELD_BAND_HZ[1])] = 0
    return (np.fft.irfft(spectrum, len(piece)) * FIELD_GAIN).astype(np.float32)


def channelled(audio: np.ndarray, turns: list[list], mode: str, seed: int) -> np.ndarray:
    """The mix with some turns (a speaker's run of clips, the pauses inside it too) put through
    the field channel: the other voices' (`field`) or every second one of the narrator's
    (`narrator-both`)."""
    rng = np.random.default_rng(seed)
    runs: list[list] = []
    for a, b, who in turns:  # a turn: one speaker's clips under 0.5 s apart (turns are 0.6-1.2 s apart)
        if runs and runs[-1][2] == who and a - runs[-1][1] < 0.5:
            runs[-1][1] = b
        else:
            runs.append([a, b, who])
    narrator, out, k = turns[0][2], audio.copy(), 0
    for a, b, who in runs:
        if who == narrator:
            k += 1
        if (mode == "field" and who != narrator) or (mode == "narrator-both" and who == narrator and k % 2 == 0):
            i, j = int(a * 16000), int(b * 16000)
            out[i:j] = field(out[i:j], rng)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sealed", action="store_true")
    parser.add_argument("--same-voice", default="")
    parser.add_argument("--mfcc-same", default="", help="sweep the baseline's threshold (dev)")
    parser.add_argument("--channel", choices=("studio", "field", "narrator-both"), default="studio")
    args = parser.parse_args()
    listing = json.loads((args.folder / "mixes" / "mixes.json").read_text())
    split = "sealed" if args.sealed else "dev"
    mixes = [m for m in listing["mixes"] if m["split"] == split]
    thresholds = [float(x) for x in args.same_voice.split(",") if x] or [V.SAME_VOICE]
    print(f"{len(mixes)} {split} mixes, channel: {args.channel}")
    rows: dict[str, list[tuple[bool, float, float, float, float]]] = {}
    for m in mixes:
        _, audio = next(blocks(args.folder / "mixes" / m["file"]))
        if args.channel != "studio":
            audio = channelled(audio, m["turns"], args.channel, seed=len(m["turns"]))
        speech = hearing(audio)[1]  # voices are told from the first hearing (vad.hearing), as zi-media does
        n = int(len(audio) / 16000 / FRAME_S) + 1
        ref = frames([tuple(t) for t in m["turns"]], n)
        runs = []
        for th in [float(x) for x in args.mfcc_same.split(",") if x] or [MFCC_SAME]:
            t0 = time.perf_counter()
            base = mfcc_baseline(audio, speech, th)
            runs.append((f"MFCC per stretch {th:.2f}", base, time.perf_counter() - t0))
        for th in thresholds:
            V.SAME_VOICE = th
            t0 = time.perf_counter()
            v = V.voices(audio, speech)
            runs.append((f"zi-media {th:.2f}", [(t.start_s, t.end_s, t.speaker) for t in v.turns],
                         time.perf_counter() - t0))
        for who, turns, seconds in runs:
            right, assigned, der = scores(ref, frames(turns, n))
            found = len({t[2] for t in turns})
            rows.setdefault(who, []).append((found == m["speakers"], right, assigned, der, seconds))
            print(f"  {m['file']:<12} {who:<22} speakers {found} of {m['speakers']}  right {100 * right:5.1f} % "
                  f"(of assigned {100 * assigned:5.1f} %)  DER {100 * der:5.1f} %  {seconds:5.1f} s")
    print(f"\n{split}: {'who':<22}{'right count':>12}{'time right':>11}{'of assigned':>12}{'DER':>7}{'s/mix':>7}")
    for who, r in rows.items():
        print(f"  {who:<26}{sum(x[0] for x in r):>4} of {len(r):<4}{100 * np.mean([x[1] for x in r]):>9.1f} %"
              f"{100 * np.mean([x[2] for x in r]):>10.1f} %{100 * np.mean([x[3] for x in r]):>6.1f} %"
              f"{np.mean([x[4] for x in r]):>7.2f}")


if __name__ == "__main__":
    main()
