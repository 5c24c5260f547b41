"""Speech to text: pick an engine, decode the audio, guard the text, audit what was lost,
cut it into sentences, cache the transcript.

1. The audio is decoded once (16 kHz mono) and voice activity detection marks the speech.
2. The engine transcribes it with word times (faster-whisper: batched over speech chunks).
3. Guards flag invented text (speech/guards.py); the audit (speech/audit.py) finds speech
   that has no words, decodes each such hole again on its own (all the holes in batches),
   and records what still yields nothing as untranscribed.
4. Words are regrouped into sentence-scale segments (speech/sentences.py).

Transcripts are cached by (content hash of the media, engine, model, options), so a
re-check after editing a profile costs no transcription. Heavy imports (numpy, ctranslate2,
torch) happen only when a transcript is really computed, never for --help or a cache hit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .. import cache
from ..errors import TranscriptError
from ..files import file_sha256, write_atomic
from ..types import Segment, Stretch, Transcript
from .audio import blocks
from .audit import covering, holes, speech_seconds
from .engine import ENGINES, SAMPLE_RATE, WINDOW_S, DecodeOptions, Engine, Progress, RawSegment, no_progress, shifted
from .guards import confidence, flag_of, plain_words_text
from .sentences import sentences, text_of
from .transcript_files import transcript_from_dict, transcript_to_dict
from .vad import speech_stretches

log = logging.getLogger(__name__)
CACHE_FORMAT = 2  # bump when the cached JSON changes shape; older entries are recomputed
REDECODE_PAD_S = 0.3  # audio kept on each side of a hole decoded again


@functools.lru_cache(maxsize=1)
def make_engine(name: str, model: str, threads: int = 0) -> Engine:
    """The engine for these settings; the last one is kept, so the files of a unit (and
    the units of a batch worker) share one loaded model instead of loading it per file."""
    if name == "faster-whisper":
        from .faster_engine import FasterWhisperEngine

        return FasterWhisperEngine(model, threads)
    if name == "openai-whisper":
        from .openai_engine import OpenAIWhisperEngine

        return OpenAIWhisperEngine(model, threads)
    raise TranscriptError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")


def _cache_path(media_sha256: str, engine: Engine, options: DecodeOptions) -> Path:
    key = json.dumps([CACHE_FORMAT, media_sha256, engine.name, engine.model_identity,
                      asdict(options)], sort_keys=True)
    return cache.transcripts_dir() / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


@dataclass(frozen=True)
class _Judged:
    raw: RawSegment
    flag: str | None  # set when the guards judge it invented


def _words(judged: list[_Judged]) -> list[Stretch]:
    return covering(w for j in judged if j.flag is None for w in j.raw.words)


def _audited(eng: Engine, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
             judged: list[_Judged], judge: Callable[[RawSegment], _Judged]) -> list[_Judged]:
    """The segments with what decoding every hole (speech with no words) again on its own yields."""
    audio_s = len(audio) / SAMPLE_RATE
    spans = []
    for hole in holes(speech, _words(judged)):
        start_s = max(0.0, hole.start_s - REDECODE_PAD_S)
        spans.append((start_s, min(audio_s, hole.end_s + REDECODE_PAD_S, start_s + WINDOW_S)))
    if not spans:
        return judged
    pieces = [audio[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in spans]
    found = judged + [judge(shifted(raw, a)) for (a, _), raws in zip(spans, eng.redecode(pieces, options), strict=True)
                      for raw in raws]
    return sorted(found, key=lambda j: j.raw.start_s)


def _segments(judged: list[_Judged]) -> tuple[Segment, ...]:
    """Sentence-scale segments; a flagged segment, or one without word times, stays whole."""
    out: list[Segment] = []
    for j in judged:
        conf = confidence(j.raw)
        if j.flag is not None or not j.raw.words:
            out.append(Segment(round(j.raw.start_s, 2), round(j.raw.end_s, 2), j.raw.text, conf, j.flag))
            continue
        for group in sentences(j.raw.words):
            out.append(Segment(round(group[0].start_s, 2), round(group[-1].end_s, 2), text_of(group), conf))
    return tuple(sorted(out, key=lambda s: s.start_s))


def compute(eng: Engine, audio: Any, options: DecodeOptions, progress: Progress = no_progress) -> Transcript:
    """A transcript of `audio` (16 kHz mono float32) by `eng`, guarded, audited and cut into
    sentences, with the speech accounted for; times from the start of `audio`."""
    speech = speech_stretches(audio)
    vocabulary = frozenset(plain_words_text(options.vocabulary).split())

    def judge(raw: RawSegment) -> _Judged:
        return _Judged(raw, flag_of(raw, speech, vocabulary))

    judged = [judge(r) for r in eng.run(audio, options, speech, progress)]
    judged = _audited(eng, audio, options, speech, judged, judge)
    missing = tuple(holes(speech, _words(judged)))
    speech_s = speech_seconds(speech)
    return Transcript(_segments(judged), options.language, eng.name, eng.model_identity, asdict(options),
                      speech_s, audio_s=round(len(audio) / SAMPLE_RATE, 2),
                      transcribed_s=round(max(0.0, speech_s - speech_seconds(missing)), 2), untranscribed=missing)


def transcribe(path: Path, options: DecodeOptions, *, engine: str = "faster-whisper",
               model: str = "base", use_cache: bool = True, threads: int = 0,
               progress: Progress = no_progress) -> Transcript:
    """Transcribe the audio of `path`, or serve the cached transcript of the same content."""
    eng = make_engine(engine, model, threads)
    entry = _cache_path(file_sha256(path), eng, options)
    if use_cache and entry.is_file():
        try:
            return transcript_from_dict(json.loads(entry.read_text(encoding="utf-8")), cached=True)
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            pass  # a damaged entry (or one of the wrong types) is recomputed and overwritten below
    parts = []
    for offset_s, audio in blocks(path):
        def block_progress(done_s: float, total_s: float, offset_s: float = offset_s) -> None:
            progress(offset_s + done_s, offset_s + total_s)

        parts.append(_shifted_transcript(compute(eng, audio, options, block_progress), offset_s))
        del audio  # one block in memory at a time
    t = _joined(parts)
    try:
        write_atomic(entry, json.dumps(transcript_to_dict(t), ensure_ascii=False))
    except OSError as e:  # a read-only or misplaced cache costs the re-check, never the result
        log.warning("the transcript cache %s cannot be written (%s): this transcript is not kept",
                    entry.parent, e.strerror or e)
    return t


def _shifted_transcript(t: Transcript, offset_s: float) -> Transcript:
    if not offset_s:
        return t
    return replace(t, segments=tuple(replace(s, start_s=round(s.start_s + offset_s, 2),
                                             end_s=round(s.end_s + offset_s, 2)) for s in t.segments),
                   untranscribed=tuple(Stretch(u.start_s + offset_s, u.end_s + offset_s).rounded()
                                       for u in t.untranscribed))


def _joined(parts: list[Transcript]) -> Transcript:
    """One transcript from those of consecutive blocks."""
    def total(values: list[float | None]) -> float:
        return round(sum(v or 0.0 for v in values), 2)

    return replace(parts[0], segments=tuple(s for p in parts for s in p.segments),
                   speech_s=total([p.speech_s for p in parts]), audio_s=total([p.audio_s for p in parts]),
                   transcribed_s=total([p.transcribed_s for p in parts]),
                   untranscribed=tuple(u for p in parts for u in p.untranscribed))
