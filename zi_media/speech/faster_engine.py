"""The default engine: faster-whisper (CTranslate2, int8 on CPU, float16 on CUDA when present).

Batched decoding over voice-activity chunks is the fast path (docs/measurements.md); it is
run without timestamp tokens (which made it drop sentences) and with word times, which the
audit and the sentence splitter need. The speech stretches are packed into 30-s windows with
GAP_S of silence between them, so unrelated short clips (testimonial cuts between music) are
heard as separate utterances, never as one run-on sentence that loops. numpy and ctranslate2
are imported only when a model loads.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise
from typing import Any

from ..types import Stretch
from .engine import SAMPLE_RATE, WINDOW_S, DecodeOptions, Progress, RawSegment, Word, shifted
from .models import bundled_base, resolve_ct2
from .sentences import text_of

NO_REPEAT_NGRAM = 4  # a piece that looped twice is decoded with no 4-token phrase repeated
GAP_S = 0.5  # silence put between two speech stretches packed into one window
PAD_S = 0.2  # audio kept on each side of a stretch packed
# faster-whisper times a chunk's words from its offset cut down to a 10-ms frame (int(offset * 100))
# and rounded to 0.01 s: a word said at a chunk's very start may be timed up to 0.02 s before it
SEEK_SLACK_S = 0.02


def _piece_at(starts: list[float], t: float) -> int:
    """Of pieces laid end to end from `starts`, the one at `t`, give or take SEEK_SLACK_S."""
    return max(0, bisect_right(starts, t + SEEK_SLACK_S) - 1)


@dataclass(frozen=True)
class _Pack:
    """Speech stretches cut out of the audio and laid end to end, GAP_S of silence between
    them, in windows of at most WINDOW_S: `clips` are the windows (seconds of `audio`), and the
    piece laid at `starts[i]` of `audio` came from `origins[i]`..`ends[i]` of the file."""

    audio: Any
    clips: list[dict[str, float]]
    starts: list[float]
    origins: list[float]
    ends: list[float]

    def piece_at(self, t: float) -> int:
        """The piece laid at `t` (a time in a gap after it belongs to it)."""
        return _piece_at(self.starts, t)

    def piece_of(self, start_s: float, end_s: float) -> int:
        """The piece a word timed `start_s`..`end_s` in the window was said in: the one it overlaps
        most. The alignment starts the first word of a piece where the word before it ended, in
        the gap: by its middle, 16 % of the words of a real read-speech set went to the piece
        before (its time and its voice)."""
        first, last = self.piece_at(start_s), self.piece_at(end_s)

        def overlap(i: int) -> float:
            return min(end_s, self.starts[i] + self.ends[i] - self.origins[i]) - max(start_s, self.starts[i])

        return max(range(first, last + 1), key=lambda i: (overlap(i), -i))

    def source_time(self, t: float, i: int) -> float:
        return min(self.ends[i], max(self.origins[i], t - self.starts[i] + self.origins[i]))


def _packed(audio: Any, speech: Sequence[Stretch]) -> _Pack:
    import numpy as np

    audio_s = len(audio) / SAMPLE_RATE
    pieces: list[tuple[float, float]] = []
    for s in speech:
        a, b = max(0.0, s.start_s - PAD_S), min(audio_s, s.end_s + PAD_S)
        if pieces and a <= pieces[-1][1]:  # pads that touch make one piece
            a = pieces.pop()[0]
        # cut at 30 s: of continuous speech (stretches the VAD ends at 30 s and starts again at once)
        # the rest is left to the audit, which decodes it from where this window's words end. Laying
        # it all out in windows cut at the VAD's splits heard narration worse (22.3 -> 29.9 % WER on
        # five sets' narration) and took longer (docs/measurements.md, seventh session)
        pieces.append((a, min(b, a + WINDOW_S)))
    gap = np.zeros(round(GAP_S * SAMPLE_RATE), dtype=np.float32)
    laid: list[Any] = []
    clips: list[dict[str, float]] = []
    starts: list[float] = []
    t = 0.0
    for a, b in pieces:
        piece = audio[round(a * SAMPLE_RATE):round(b * SAMPLE_RATE)]
        if clips and t + GAP_S + len(piece) / SAMPLE_RATE - clips[-1]["start"] <= WINDOW_S:
            laid.append(gap)
            t += GAP_S
        else:
            clips.append({"start": t, "end": t})
        starts.append(t)
        laid.append(piece)
        t += len(piece) / SAMPLE_RATE
        clips[-1]["end"] = t
    return _Pack(np.concatenate(laid), clips, starts, [a for a, _ in pieces], [b for _, b in pieces])


def _unpacked(raw: RawSegment, pack: _Pack) -> list[RawSegment]:
    """A window's segment in the file's time: one segment for each piece its words fall in."""
    if not raw.words:
        i = pack.piece_at(raw.start_s)
        return [replace(raw, start_s=pack.source_time(raw.start_s, i), end_s=pack.source_time(raw.end_s, i))]
    by_piece: dict[int, list[Word]] = {}
    for w in raw.words:
        i = pack.piece_of(w.start_s, w.end_s)
        by_piece.setdefault(i, []).append(
            replace(w, start_s=pack.source_time(w.start_s, i), end_s=pack.source_time(w.end_s, i)))
    return [replace(raw, start_s=ws[0].start_s, end_s=ws[-1].end_s, text=text_of(ws), words=tuple(ws))
            for _, ws in sorted(by_piece.items())]


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
        if not options.vad:
            segments, info = model.transcribe(audio, vad_filter=False, **common)
            out = []
            for s in segments:
                out += _raw([s])
                progress(s.end, info.duration)
            return out
        if not speech:
            return []
        # Only the speech is decoded, packed with silence between the stretches: laid abutting
        # (as the pipeline's own VAD packs them) short clips ran into each other and looped, and
        # the audit then decoded each again in a window of its own (dev sets 18.8 -> 17.4 % WER,
        # the digit clips 28.4 -> 21.6 %, in 60 % of the time: docs/measurements.md).
        pack = _packed(audio, speech)
        segments, _ = BatchedInferencePipeline(model).transcribe(
            pack.audio, batch_size=options.batch_size, without_timestamps=True, vad_filter=False,
            clip_timestamps=pack.clips, **common)
        audio_s = len(audio) / SAMPLE_RATE
        found: list[RawSegment] = []
        for raw in _raw(segments):
            found += _unpacked(raw, pack)
            progress(found[-1].end_s, audio_s)
        return found

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
        for raw in _raw(segments):  # a chunk's segment starts in its piece, give or take SEEK_SLACK_S
            # (without it, a piece whose first word was timed at its very start went to the piece before)
            i = _piece_at(starts[:-1], raw.start_s)
            found[i].append(shifted(raw, -starts[i]))
        return found
