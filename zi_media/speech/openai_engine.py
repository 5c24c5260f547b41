"""The openai-whisper engine (optional extra), offline on the same bundled weights.

openai-whisper has no voice activity detection of its own: the speech windows found by
faster-whisper's Silero VAD (speech/vad.py) are passed to it as clip timestamps. torch and whisper are
imported only when a model loads.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ..errors import ModelError
from ..types import Stretch
from .engine import SAMPLE_RATE, DecodeOptions, Progress, RawSegment, Word
from .models import ensure_checkpoint, resolve_checkpoint
from .vad import windows

SAMPLING = (0.2, 0.4, 0.6, 0.8, 1.0)  # temperatures tried, in turn, on a piece that looped at 0
SAMPLING_SEED = 20

INSTALL_HINT = ("the openai-whisper engine is an optional extra: pip install 'zi-media[openai]' "
                "&& pip install --no-deps openai-whisper")


class OpenAIWhisperEngine:
    name = "openai-whisper"

    def __init__(self, model: str, threads: int = 0) -> None:
        # find_spec, not import: importing whisper loads torch (about 2 s), which a
        # transcript served from the cache must not pay for.
        if importlib.util.find_spec("whisper") is None:
            raise ModelError(INSTALL_HINT)
        self._ref = resolve_checkpoint(model)
        self.model_identity = self._ref.identity
        self._threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            import whisper

            if self._threads:
                import torch

                torch.set_num_threads(self._threads)
            self._model = whisper.load_model(ensure_checkpoint(self._ref), device="cpu")
        return self._model

    def run(self, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
            progress: Progress) -> list[RawSegment]:
        total_s = len(audio) / SAMPLE_RATE
        clips = [t for w in windows(speech) for t in (w.start_s, w.end_s)] if options.vad else []
        if options.vad and not clips:
            return []
        result = self._load().transcribe(
            audio, language=options.language, beam_size=options.beam_size, fp16=False,
            clip_timestamps=clips or "0", condition_on_previous_text=False, verbose=None,
            word_timestamps=True, initial_prompt=options.vocabulary or None)
        progress(total_s, total_s)
        return _raw(result["segments"])

    def redecode(self, pieces: list[Any], options: DecodeOptions, unloop: bool = False) -> list[list[RawSegment]]:
        """openai-whisper has no n-gram blocking: a piece that looped is sampled at rising
        temperatures, torch seeded so that a re-check hears what the check heard."""
        model = self._load()
        if unloop:
            import torch

            torch.manual_seed(SAMPLING_SEED)
        return [_raw(model.transcribe(piece, language=options.language, beam_size=5, fp16=False, verbose=None,
                                      word_timestamps=True, temperature=SAMPLING if unloop else 0.0,
                                      condition_on_previous_text=False,
                                      initial_prompt=options.vocabulary or None)["segments"])
                for piece in pieces]


def _raw(segments: list[dict[str, Any]]) -> list[RawSegment]:
    return [RawSegment(s["start"], s["end"], s["text"].strip(), s["avg_logprob"], s["no_speech_prob"],
                       s["compression_ratio"],
                       tuple(Word(w["start"], w["end"], w["word"], w["probability"]) for w in s.get("words", ())))
            for s in segments]
