"""The speech engine protocol and the types every engine shares.

Engines import this module and nothing of `transcribe`, which picks an engine by name:
data flows one way, engine -> raw segments -> guards -> Transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

SAMPLE_RATE = 16000  # Hz; what Whisper expects
ENGINES = ("faster-whisper", "openai-whisper")

Progress = Callable[[float, float], None]  # called with (seconds done, seconds in all)


def no_progress(done_s: float, total_s: float) -> None:
    """The progress callback for callers that show none."""


@dataclass(frozen=True)
class DecodeOptions:
    language: str  # spoken language, from the profile ("id")
    beam_size: int = 5  # beam search width; 1 is greedy
    batch_size: int = 8  # chunks decoded together (faster-whisper batched pipeline)
    vad: bool = True  # skip non-speech with Silero VAD before decoding


@dataclass(frozen=True)
class RawSegment:
    """A segment as an engine gives it, before the hallucination guards."""

    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


class Engine(Protocol):
    name: str
    model_identity: str  # stable text naming exactly these weights (provenance, cache keys)

    def run(self, audio: Any, options: DecodeOptions, progress: Progress) -> tuple[list[RawSegment], float]:
        """Transcribe 16 kHz mono float32 audio; return segments and seconds of speech kept."""
