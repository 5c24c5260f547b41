"""The default engine: faster-whisper (CTranslate2, int8 on CPU, float16 on CUDA when present).

Batched decoding over voice-activity chunks halves the time at the same accuracy on these
CPUs (docs/measurements.md). numpy and ctranslate2 are imported only when a model loads.
"""

from __future__ import annotations

from typing import Any

from .engine import DecodeOptions, Progress, RawSegment
from .models import bundled_base, resolve_ct2


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

    def run(self, audio: Any, options: DecodeOptions, progress: Progress) -> tuple[list[RawSegment], float]:
        from faster_whisper import BatchedInferencePipeline

        model = self._load()
        common = {"language": options.language, "beam_size": options.beam_size,
                  "vad_filter": options.vad, "without_timestamps": False}
        if options.vad:  # the batched pipeline needs speech chunks, which VAD gives
            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=options.batch_size, **common)
        else:
            segments, info = model.transcribe(audio, **common)
        out = []
        for s in segments:
            out.append(RawSegment(s.start, s.end, s.text.strip(), s.avg_logprob,
                                  s.no_speech_prob, s.compression_ratio))
            progress(s.end, info.duration)
        return out, float(info.duration_after_vad)
