"""The default engine: faster-whisper (CTranslate2, int8 on CPU, float16 on CUDA when present).

Batched decoding over voice-activity chunks is the fast path (docs/measurements.md); it is
run without timestamp tokens (which made it drop sentences) and with word times, which the
audit and the sentence splitter need. numpy and ctranslate2 are imported only when a model
loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..types import Stretch
from .engine import DecodeOptions, Progress, RawSegment, Word
from .models import bundled_base, resolve_ct2


def _raw(segments: Iterable[Any], offset_s: float = 0.0) -> list[RawSegment]:
    return [RawSegment(s.start + offset_s, s.end + offset_s, s.text.strip(), s.avg_logprob, s.no_speech_prob,
                       s.compression_ratio,
                       tuple(Word(w.start + offset_s, w.end + offset_s, w.word, w.probability) for w in s.words or ()))
            for s in segments]


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: str, threads: int = 0) -> None:
        self._ref = resolve_ct2(model)
        self.model_identity = self._ref.identity
        self._threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            import ctranslate2
            from faster_whisper import WhisperModel

            location = str(bundled_base()) if self._ref.bundled else self._ref.location
            cuda = ctranslate2.get_cuda_device_count() > 0
            self._model = WhisperModel(location, device="cuda" if cuda else "cpu",
                                       compute_type="float16" if cuda else "int8",
                                       cpu_threads=self._threads, local_files_only=True)
        return self._model

    def run(self, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
            progress: Progress) -> list[RawSegment]:
        from faster_whisper import BatchedInferencePipeline

        model = self._load()
        common = {"language": options.language, "beam_size": options.beam_size, "word_timestamps": True,
                  "hotwords": options.vocabulary or None}
        if options.vad:
            if not speech:
                return []
            # The pipeline runs its own VAD to pack only the speech into 30-s chunks (pauses
            # cut out): half the chunks that contiguous windows over `speech` would need.
            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=options.batch_size, without_timestamps=True, vad_filter=True, **common)
        else:
            segments, info = model.transcribe(audio, vad_filter=False, **common)
        out = []
        for s in segments:
            out += _raw([s])
            progress(s.end, info.duration)
        return out

    def redecode(self, audio: Any, options: DecodeOptions, prompt: str) -> list[RawSegment]:
        segments, _ = self._load().transcribe(
            audio, language=options.language, beam_size=5, word_timestamps=True, vad_filter=False,
            initial_prompt=prompt or None, hotwords=options.vocabulary or None)
        return _raw(segments)
