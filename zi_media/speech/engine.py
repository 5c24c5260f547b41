"""The speech engine protocol and the types every engine shares.

Engines import this module and nothing of `transcribe`, which picks an engine by name:
data flows one way, engine -> raw segments with words -> guards, audit, sentences -> Transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..types import Stretch

SAMPLE_RATE = 16000  # Hz; what Whisper expects
WINDOW_S = 30.0  # Whisper's window: the most audio one decoding reads
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
    vocabulary: str = ""  # domain words given to the decoder as hotwords ("" for none)


@dataclass(frozen=True)
class Word:
    """One word with its time, from the decoder's cross-attention alignment."""

    start_s: float
    end_s: float
    text: str  # as the decoder wrote it, with its leading space and punctuation
    probability: float


@dataclass(frozen=True)
class RawSegment:
    """A segment as an engine gives it, before the guards, the audit and sentence splitting."""

    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    words: tuple[Word, ...] = ()


class Engine(Protocol):
    name: str
    model_identity: str  # stable text naming exactly these weights (provenance, cache keys)

    def run(self, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
            progress: Progress) -> list[RawSegment]:
        """Transcribe 16 kHz mono float32 audio, with word times; with options.vad only the
        `speech` stretches (voice activity detection's) are decoded."""

    def redecode(self, pieces: list[Any], options: DecodeOptions, unloop: bool = False) -> list[list[RawSegment]]:
        """Decode short pieces of audio (each at most WINDOW_S) again, each on its own, with
        beam 5 and one decoding; with `unloop`, in a way that cannot loop, the same every run (for
        pieces whose first re-decoding looped). For each piece its segments, times relative to
        the piece."""


def shifted(raw: RawSegment, offset_s: float) -> RawSegment:
    """`raw` with its times and its words' times moved by `offset_s`."""
    words = tuple(replace(w, start_s=w.start_s + offset_s, end_s=w.end_s + offset_s) for w in raw.words)
    return replace(raw, start_s=raw.start_s + offset_s, end_s=raw.end_s + offset_s, words=words)
