"""Where speech is: Silero VAD (shipped with faster-whisper), in stretches of seconds; and the
windows the decoder is given, built from them.

One VAD pass serves everything: the decoding windows, the completeness audit (which lays the
words over these stretches) and the speech accounting. Silences of half a second split
stretches, so a pause between sentences is never mistaken for speech left untranscribed.
The detector runs on a minute of audio at a time: faster-whisper feeds it 10,000 windows at
once, which takes about a gigabyte on a long file.

Silero hears speech through a telephone band (300-3400 Hz) badly: of the real testimonials of ten
dev voice mixes put through one it found 77 %, where it finds 98.5 % of them at full band. So where
any second of the audio is telephone-band, it listens again at PHONE_THRESHOLD, and what that finds
beyond the first hearing joins the speech where it is telephone-band too (89 % found): music and
studio speech are full band, and the lower threshold is not let loose on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..types import Stretch
from .audio import narrowband
from .engine import SAMPLE_RATE

THRESHOLD = (0.5, 0.35)  # Silero's speech probability to start a stretch, and to go on (its own defaults)
PHONE_THRESHOLD = (0.15, 0.1)  # the same, listening again where speech came through a telephone band
MIN_SILENCE_MS = 500  # a pause this long ends a stretch
SPEECH_PAD_MS = 200  # kept on each side of a stretch (faster-whisper's default is 400)
WINDOW_S = 30.0  # Whisper's window: a decoding window, and the longest stretch
SLICE_S = 60.0  # audio given to the detector at a time (bounds its memory)
JOIN_S = 0.1  # stretches this close across a slice boundary are one


def speech_stretches(audio: Any) -> tuple[Stretch, ...]:
    """The stretches of `audio` (16 kHz mono float32) judged to be speech."""
    return hearing(audio)[0]


def hearing(audio: Any) -> tuple[tuple[Stretch, ...], tuple[Stretch, ...]]:
    """The speech stretches of `audio`, and the stretches found at the first listening: voices are
    told from those alone (a narrator with every second turn through a telephone band, the turns
    heard only on listening again embedded too, was taken for two voices in 3 of 10 dev mixes)."""
    found = _detected(audio, THRESHOLD)
    seconds = len(audio) // SAMPLE_RATE
    if not any(narrowband(audio[k * SAMPLE_RATE:(k + 1) * SAMPLE_RATE]) for k in range(seconds)):
        return found, found
    again = outside(_detected(audio, PHONE_THRESHOLD), [(f.start_s, f.end_s) for f in found])
    return _united(found, [s for s in again if narrowband(_cut(audio, s))]), found


def outside(stretches: Sequence[Stretch], covered: Sequence[tuple[float, float]]) -> list[Stretch]:
    """Every part of `stretches` that no (start, end) of `covered` (in time order) overlaps, in time order."""
    out: list[Stretch] = []
    for s in stretches:
        t = s.start_s
        for a, b in covered:
            if b <= t or a >= s.end_s:
                continue
            if a > t:
                out.append(Stretch(t, a))
            t = max(t, b)
        if t < s.end_s:
            out.append(Stretch(t, s.end_s))
    return out


def _cut(audio: Any, s: Stretch) -> Any:
    return audio[int(s.start_s * SAMPLE_RATE):int(s.end_s * SAMPLE_RATE)]


def _united(found: Sequence[Stretch], more: Sequence[Stretch]) -> tuple[Stretch, ...]:
    """The stretches of both, those that overlap or touch made one where that stays within WINDOW_S
    (else the later one starts where the earlier ends): no audio is decoded twice."""
    out: list[Stretch] = []
    for s in sorted([*found, *more], key=lambda s: (s.start_s, s.end_s)):
        if out and s.start_s <= out[-1].end_s:
            if s.end_s - out[-1].start_s <= WINDOW_S:
                out[-1] = Stretch(out[-1].start_s, max(s.end_s, out[-1].end_s))
                continue
            if s.end_s <= out[-1].end_s:
                continue
            s = Stretch(out[-1].end_s, s.end_s)
        out.append(s)
    return tuple(out)


def _detected(audio: Any, threshold: tuple[float, float]) -> tuple[Stretch, ...]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(threshold=threshold[0], neg_threshold=threshold[1], min_silence_duration_ms=MIN_SILENCE_MS,
                         speech_pad_ms=SPEECH_PAD_MS, max_speech_duration_s=WINDOW_S)
    size = int(SLICE_S * SAMPLE_RATE)
    found: list[Stretch] = []
    for start in range(0, len(audio), size):
        for c in get_speech_timestamps(audio[start:start + size], options):
            s = Stretch((start + c["start"]) / SAMPLE_RATE, (start + c["end"]) / SAMPLE_RATE)
            if found and s.start_s - found[-1].end_s <= JOIN_S and s.end_s - found[-1].start_s <= WINDOW_S:
                s = Stretch(found.pop().start_s, s.end_s)
            found.append(s)
    return tuple(s.rounded() for s in found)


def windows(speech: tuple[Stretch, ...], max_s: float = WINDOW_S) -> list[Stretch]:
    """Consecutive speech stretches gathered into windows of at most `max_s` seconds of
    contiguous audio (pauses inside a window are kept: Whisper reads them as punctuation)."""
    out: list[Stretch] = []
    for s in speech:
        if out and s.end_s - out[-1].start_s <= max_s:
            out[-1] = Stretch(out[-1].start_s, s.end_s)
        else:
            out.append(s)
    return out
