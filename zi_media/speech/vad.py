"""Where speech is: Silero VAD (shipped with faster-whisper), in stretches of seconds.

The audit compares these stretches with the words transcribed, and the speech finding
reports how much of the audio they cover. Silences of half a second split stretches, so a
pause between sentences is never mistaken for speech left untranscribed.
"""

from __future__ import annotations

from typing import Any

from ..types import Stretch
from .engine import SAMPLE_RATE

MIN_SILENCE_MS = 500  # a pause this long ends a stretch
SPEECH_PAD_MS = 200  # kept on each side of a stretch (faster-whisper's default is 400)


def speech_stretches(audio: Any) -> tuple[Stretch, ...]:
    """The stretches of `audio` (16 kHz mono float32) judged to be speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if not len(audio):
        return ()
    options = VadOptions(min_silence_duration_ms=MIN_SILENCE_MS, speech_pad_ms=SPEECH_PAD_MS)
    return tuple(Stretch(round(c["start"] / SAMPLE_RATE, 2), round(c["end"] / SAMPLE_RATE, 2))
                 for c in get_speech_timestamps(audio, options))
