"""The openai-whisper engine (optional extra), offline on the same bundled weights.

openai-whisper has no voice activity detection of its own: the speech stretches found by
faster-whisper's Silero VAD are passed to it as clip timestamps. torch and whisper are
imported only when a model loads.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ..errors import ModelError
from .engine import SAMPLE_RATE, DecodeOptions, Progress, RawSegment
from .models import ensure_checkpoint, resolve_checkpoint

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

    def run(self, audio: Any, options: DecodeOptions, progress: Progress) -> tuple[list[RawSegment], float]:
        import whisper

        if self._model is None:
            if self._threads:
                import torch

                torch.set_num_threads(self._threads)
            self._model = whisper.load_model(ensure_checkpoint(self._ref), device="cpu")
        total_s = len(audio) / SAMPLE_RATE
        clips: list[float] = []
        if options.vad:
            from faster_whisper.vad import VadOptions, get_speech_timestamps

            for chunk in get_speech_timestamps(audio, VadOptions()):
                clips += [chunk["start"] / SAMPLE_RATE, chunk["end"] / SAMPLE_RATE]
            if not clips:
                return [], 0.0
        speech_s = sum(clips[1::2]) - sum(clips[0::2]) if clips else total_s
        result = self._model.transcribe(
            audio, language=options.language, beam_size=options.beam_size, fp16=False,
            clip_timestamps=clips or "0", condition_on_previous_text=False, verbose=None)
        segments = [RawSegment(s["start"], s["end"], s["text"].strip(), s["avg_logprob"],
                               s["no_speech_prob"], s["compression_ratio"]) for s in result["segments"]]
        progress(total_s, total_s)
        return segments, speech_s
