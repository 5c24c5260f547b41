"""The default engine: faster-whisper (CTranslate2, int8 on CPU, float16 on CUDA when present).

Batched decoding over voice-activity chunks is the fast path (docs/measurements.md); it is
run without timestamp tokens (which made it drop sentences) and with word times, which the
audit and the sentence splitter need. numpy and ctranslate2 are imported only when a model
loads.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate, pairwise
from typing import Any

from ..types import Stretch
from .engine import SAMPLE_RATE, DecodeOptions, Progress, RawSegment, Word, shifted
from .models import bundled_base, resolve_ct2

NO_REPEAT_NGRAM = 4  # a piece that looped twice is decoded with no 4-token phrase repeated


def _raw(segments: Iterable[Any]) -> list[RawSegment]:
    # float(): the word times come as numpy floats, which would leak into the transcript
    return [RawSegment(float(s.start), float(s.end), s.text.strip(), float(s.avg_logprob),
                       float(s.no_speech_prob), float(s.compression_ratio),
                       tuple(Word(float(w.start), float(w.end), w.word, float(w.probability))
                             for w in s.words or ()))
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
            # cut out): half the chunks that contiguous windows over `speech` would need. Packing
            # `speech` itself (pads of 0.2 s, not the pipeline's 0.4 s) made the decoder run
            # sentences said one after another into loops (WER 19.6 -> 27.8 on the real clips).
            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=options.batch_size, without_timestamps=True, vad_filter=True, **common)
        else:
            segments, info = model.transcribe(audio, vad_filter=False, **common)
        out = []
        for s in segments:
            out += _raw([s])
            progress(s.end, info.duration)
        return out

    def redecode(self, pieces: list[Any], options: DecodeOptions, unloop: bool = False) -> list[list[RawSegment]]:
        """All the pieces in batches, each its own chunk, the vocabulary as hotwords; with
        `unloop`, one by one, no 4-token phrase said twice (deterministic, where sampling at a
        temperature gave other words every run). Batched: one by one, each with faster-whisper's
        fallback to sampling and the text before it as a prompt, 8 holes took 271 s (a sentence
        said again and again sent every decoding through six temperatures); batched, 2 holes take
        2 s where one by one they took 7 s."""
        if unloop:
            model = self._load()
            return [_raw(model.transcribe(piece, language=options.language, beam_size=5, word_timestamps=True,
                                          vad_filter=False, temperature=0.0, condition_on_previous_text=False,
                                          no_repeat_ngram_size=NO_REPEAT_NGRAM, hotwords=options.vocabulary or None)[0])
                    for piece in pieces]
        import numpy as np
        from faster_whisper import BatchedInferencePipeline

        starts = list(accumulate((len(p) / SAMPLE_RATE for p in pieces), initial=0.0))
        segments, _ = BatchedInferencePipeline(self._load()).transcribe(
            np.concatenate(pieces), batch_size=options.batch_size, without_timestamps=True, vad_filter=False,
            clip_timestamps=[{"start": a, "end": b} for a, b in pairwise(starts)],
            language=options.language, beam_size=5, word_timestamps=True, hotwords=options.vocabulary or None)
        found: list[list[RawSegment]] = [[] for _ in pieces]
        for raw in _raw(segments):  # a chunk's segment starts where its piece does
            i = max(0, bisect_right(starts, raw.start_s + 1e-3) - 1)
            found[i].append(shifted(raw, -starts[i]))
        return found
