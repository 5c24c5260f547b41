#!/usr/bin/env python3
"""Build the files of the speech benchmark from real clips and their reference texts.

Input: a folder with WAV (or any audio) clips and `refs.tsv` (file<TAB>reference text), e.g.
real Indonesian read or broadcast speech (Common Voice Indonesian is CC0). Only clips whose
licence allows it may be committed; others stay in the ignored bench/data/ folder.
Output, in the same folder under `built/`:
  clean.wav       the clips joined with 0.8 s pauses (16 kHz mono)
  music_bed.wav   the same under a music bed (-20 dB), with 15 s of music alone before and after
  short_music.wav each clip alone between 3-7 s of music at full level, the music lowered
                  (-20 dB) under the speech: interview cuts between B-roll, as a ZI video's
                  testimonials are made
  music_only.wav  40 s of the music alone (no word may count as evidence)
  phone.wav       the clean speech as a telephone gives it (300 Hz up, carried at 8 kHz): a
                  testimonial taken over a call, the band the VAD hears worst
  narration.wav   the clips read on as a narrator reads a voice-over: each clip's own leading and
                  trailing silence cut, NARRATION_PAUSE_S between them, the music bed (-20 dB)
                  under all of it: speech the VAD hears as stretches of up to 30 s, one after another
  long.mp4        15 minutes: the clean speech looped, under a small test picture (--long)
  refs.json       the reference sentences with their times in each file
The music is made here by ffmpeg (three-note chords and a beat), so it carries no licence, or
is a real recording given with --music (looped as needed).
Usage: python bench/make_speech_set.py bench/data/speech-dev [--music track.flac] [--no-long]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from pathlib import Path

PAUSE_S = 0.8
NARRATION_PAUSE_S = 0.3
INTRO_S = 15.0
LONG_S = 900


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def music(out: Path, seconds: float, track: Path | None = None) -> None:
    """`track` looped to `seconds`, or chords changing every 2 s over a half-second beat:
    music-like, voiceless."""
    if track is not None:
        ffmpeg("-stream_loop", "-1", "-i", str(track), "-t", str(seconds), "-ac", "1", "-ar", "16000", str(out))
        return
    chords = [(261.6, 329.6, 392.0), (220.0, 261.6, 329.6), (174.6, 220.0, 261.6), (196.0, 246.9, 293.7)]
    parts = "+".join(
        f"eq(mod(floor(t/2),4),{i})*({'+'.join(f'0.1*sin({f}*2*PI*t)' for f in chord)})"
        for i, chord in enumerate(chords))
    ffmpeg("-f", "lavfi", "-i", f"aevalsrc='({parts})*(0.6+0.4*gt(mod(t,0.5),0.25))':s=16000:d={seconds}",
           str(out))


def balanced_sum(terms: list[str]) -> str:
    """`terms` added in a tree of parentheses: ffmpeg's expressions fail on a chain of over about
    a hundred (148 clips: "Cannot allocate memory")."""
    if len(terms) <= 16:
        return "+".join(terms)
    half = len(terms) // 2
    return f"({balanced_sum(terms[:half])})+({balanced_sum(terms[half:])})"


def short_music(built: Path, clips: list[Path], sentences: list[dict], track: Path | None) -> list[dict]:
    """Each clip alone between stretches of music (3-7 s, the same every build), the music
    lowered under the speech: returns the sentences with their times in short_music.wav."""
    rng = random.Random(7)
    rate, voice, out, spans = 16000, bytearray(), [], []
    voice += bytes(2 * int(rng.uniform(3.0, 7.0) * rate))
    for clip, sentence in zip(clips, sentences, strict=True):
        pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-f", "s16le", "-ac", "1", "-ar", str(rate),
                              "-"], capture_output=True, check=True).stdout[:2 * int((duration(clip) - PAUSE_S) * rate)]
        t = len(voice) / 2 / rate
        out.append({"text": sentence["text"], "start_s": round(t, 2), "end_s": round(t + len(pcm) / 2 / rate, 2)})
        spans.append((t, t + len(pcm) / 2 / rate))
        voice += pcm + bytes(2 * int(rng.uniform(3.0, 7.0) * rate))
    (built / "short_voice.raw").write_bytes(bytes(voice))
    total = len(voice) / 2 / rate
    music(built / "music_short.wav", total, track)
    under = balanced_sum([f"between(t,{a - 0.3:.2f},{b + 0.3:.2f})" for a, b in spans])
    ffmpeg("-i", str(built / "music_short.wav"), "-f", "s16le", "-ac", "1", "-ar", str(rate),
           "-i", str(built / "short_voice.raw"), "-filter_complex",
           f"[0]volume='if({under},0.1,1)':eval=frame[m];[m][1]amix=inputs=2:duration=first:normalize=0",
           "-ar", str(rate), "-ac", "1", str(built / "short_music.wav"))
    return out


def narration(built: Path, clips: list[Path], sentences: list[dict], track: Path | None) -> list[dict]:
    """The clips trimmed and read on, NARRATION_PAUSE_S apart, over the music bed: returns the
    sentences with their times in narration.wav."""
    import numpy as np
    from make_voice_mixes import RATE, load

    pause = np.zeros(int(NARRATION_PAUSE_S * RATE), np.float32)
    pieces, out, t = [], [], 0.0
    for clip, sentence in zip(clips, sentences, strict=True):
        audio = load(clip)
        out.append({"text": sentence["text"], "start_s": round(t, 2), "end_s": round(t + len(audio) / RATE, 2)})
        pieces += [audio, pause]
        t += (len(audio) + len(pause)) / RATE
    voice = built / "narration_voice.raw"
    voice.write_bytes((np.clip(np.concatenate(pieces), -1, 1) * 32767).astype("<i2").tobytes())
    music(built / "music_narration.wav", t, track)
    ffmpeg("-i", str(built / "music_narration.wav"), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-i", str(voice),
           "-filter_complex", "[0]volume=-20dB[m];[m][1]amix=inputs=2:duration=first:normalize=0",
           "-ar", str(RATE), "-ac", "1", str(built / "narration.wav"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--music", type=Path, help="a real music recording for the beds (default: made here)")
    parser.add_argument("--no-long", action="store_true", help="skip the 15-minute video")
    args = parser.parse_args()
    folder, track = args.folder, args.music
    built = folder / "built"
    built.mkdir(exist_ok=True)
    rows = [line.split("\t", 1) for line in (folder / "refs.tsv").read_text().splitlines() if line.strip()]
    pieces, sentences, t = [], [], 0.0
    for name, text in rows:
        clip = built / f"{Path(name).stem}.16k.wav"
        ffmpeg("-i", str(folder / name), "-ac", "1", "-ar", "16000", "-af", f"apad=pad_dur={PAUSE_S}", str(clip))
        d = duration(clip)
        sentences.append({"text": text.strip(), "start_s": round(t, 2), "end_s": round(t + d - PAUSE_S, 2)})
        pieces.append(clip)
        t += d
    listing = built / "list.txt"
    listing.write_text("".join(f"file '{p.name}'\n" for p in pieces))
    clean = built / "clean.wav"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(clean))
    total = duration(clean)
    music(built / "music.wav", total + 2 * INTRO_S, track)
    ffmpeg("-i", str(built / "music.wav"), "-i", str(clean), "-filter_complex",
           f"[0]volume=-20dB[m];[1]adelay={int(INTRO_S * 1000)}:all=1,apad=pad_dur={INTRO_S}[s];"
           "[m][s]amix=inputs=2:duration=longest:normalize=0", "-ar", "16000", "-ac", "1", str(built / "music_bed.wav"))
    music(built / "music_only.wav", 40, track)
    ffmpeg("-i", str(clean), "-af", "highpass=f=300,highpass=f=300,"  # soxr: nothing over 4 kHz left
           "aresample=8000:resampler=soxr,aresample=16000:resampler=soxr", "-ac", "1", str(built / "phone.wav"))
    if not args.no_long:
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=5", "-stream_loop", "-1", "-i", str(clean),
               "-t", str(LONG_S), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k",
               str(built / "long.mp4"))
    shifted = [{**s, "start_s": s["start_s"] + INTRO_S, "end_s": s["end_s"] + INTRO_S} for s in sentences]
    (built / "refs.json").write_text(json.dumps({"clean.wav": sentences, "music_bed.wav": shifted,
                                                 "short_music.wav": short_music(built, pieces, sentences, track),
                                                 "music_only.wav": [], "phone.wav": sentences,
                                                 "narration.wav": narration(built, pieces, sentences, track)},
                                                ensure_ascii=False, indent=1))
    print(f"{len(sentences)} sentences, {total:.1f} s of speech -> {built}")


if __name__ == "__main__":
    main()
