"""Where speech is: Silero VAD (shipped with faster-whisper), in stretches of seconds; and the
windows the decoder is given, built from them.

One VAD pass serves everything: the decoding windows, the completeness audit (which lays the
words over these stretches) and the speech accounting. Silences of half a second split
stretches, so a pause between sentences is never mistaken for speech left untranscribed.
The detector runs on a minute of audio at a time: faster-whisper feeds it 10,000 windows at
once, which takes about a gigabyte on a long file.
"""

from __future__ import annotations

from typing import Any

from ..types import Stretch
from .engine import SAMPLE_RATE

MIN_SILENCE_MS = 500  # a pause this long ends a stretch
SPEECH_PAD_MS = 200  # kept on each side of a stretch (faster-whisper's default is 400)
WINDOW_S = 30.0  # Whisper's window: a decoding window, and the longest stretch
SLICE_S = 60.0  # audio given to the detector at a time (bounds its memory)
JOIN_S = 0.1  # stretches this close across a slice boundary are one


def speech_stretches(audio: Any) -> tuple[Stretch, ...]:
    """The stretches of `audio` (16 kHz mono float32) judged to be speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=MIN_SILENCE_MS, speech_pad_ms=SPEECH_PAD_MS,
                         max_speech_duration_s=WINDOW_S)
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
