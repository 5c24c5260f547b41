"""Speech to text: pick an engine, decode the audio, guard the text, audit what was lost,
cut it into sentences, cache the transcript.

1. The audio is decoded once (16 kHz mono) and voice activity detection marks the speech.
2. The engine transcribes it with word times (faster-whisper: batched over speech chunks).
3. Guards flag invented text (speech/guards.py); the audit (speech/audit.py) finds speech
   that has no words, decodes each such hole again on its own (all the holes in batches),
   and records what still yields nothing as untranscribed.
4. Words are regrouped into sentence-scale segments (speech/sentences.py), cut again where the
   voice changes; the voices are told apart over the whole file (speech/voices.py).

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
from .audit import covering, heard_better, holes, speech_seconds, thin
from .engine import (
    ENGINES,
    SAMPLE_RATE,
    WINDOW_S,
    DecodeOptions,
    Engine,
    Progress,
    RawSegment,
    Word,
    no_progress,
    shifted,
)
from .guards import confidence, flag_of, plain_words_text
from .sentences import sentences, text_of
from .transcript_files import transcript_from_dict, transcript_to_dict
from .vad import hearing
from .voices import Listened, Voices, joined, listen, told_apart

log = logging.getLogger(__name__)
# bump when the cached JSON changes shape or meaning (4: CAM++ voices; 5: voices from 3 s of each stretch,
# words placed in the piece they overlap most; 6: telephone-band pieces compared with full-band ones in
# their band; 7: text decoded again kept at its own piece's time; 8: thin stretches heard again; 9: telephone-band
# speech listened to again); older ones are recomputed
CACHE_FORMAT = 9
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


def _heard_words(judged: list[_Judged]) -> list[Word]:
    """The words of the segments the guards let through."""
    return [w for j in judged if j.flag is None for w in j.raw.words]


def _audited(eng: Engine, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
             judged: list[_Judged], judge: Callable[[RawSegment], _Judged]) -> list[_Judged]:
    """The segments with what decoding again on its own yields for every hole (speech with no
    words) and every thin stretch (speech heard as far fewer syllables than it lasts), the latter
    replacing the words first heard there when it says more."""
    audio_s = len(audio) / SAMPLE_RATE
    words = _heard_words(judged)
    suspects = thin(speech, words)
    gaps = [h for h in holes(speech, covering(words))
            if not any(h.start_s < s.end_s and s.start_s < h.end_s for s, _ in suspects)]
    spans = []
    for hole in [*gaps, *(s for s, _ in suspects)]:
        start_s = max(0.0, hole.start_s - REDECODE_PAD_S)
        spans.append((start_s, min(audio_s, hole.end_s + REDECODE_PAD_S, start_s + WINDOW_S)))
    if not spans:
        return judged
    pieces = [audio[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in spans]
    again = [[judge(shifted(raw, a)) for raw in raws]
             for (a, _), raws in zip(spans, eng.redecode(pieces, options), strict=True)]
    # a piece that loops again is decoded once more, one by one, in a way that cannot loop
    looped = [i for i, decoded in enumerate(again) if any(j.flag == "repetition" for j in decoded)
              and not any(j.flag is None and j.raw.words for j in decoded)]
    if looped:
        unlooped = eng.redecode([pieces[i] for i in looped], options, unloop=True)
        for i, raws in zip(looped, unlooped, strict=True):
            again[i] = [judge(shifted(raw, spans[i][0])) for raw in raws]
    replaced: set[Word] = set()
    for (stretch, first), decoded in zip(suspects, again[len(gaps):], strict=True):
        heard = " ".join(j.raw.text for j in decoded if j.flag is None)
        if heard_better(stretch, text_of(first), heard):
            replaced.update(first)
        else:
            decoded.clear()
    kept = [k for j in judged if (k := _without(j, replaced)) is not None]
    return sorted(kept + [j for decoded in again for j in decoded], key=lambda j: j.raw.start_s)


def _without(j: _Judged, words: set[Word]) -> _Judged | None:
    """`j` without `words`, its text made again from the words it keeps; None if it keeps none."""
    kept = tuple(w for w in j.raw.words if w not in words)
    if len(kept) == len(j.raw.words):
        return j
    if not kept:
        return None
    raw = replace(j.raw, words=kept, text=text_of(kept), start_s=kept[0].start_s, end_s=kept[-1].end_s)
    return _Judged(raw, j.flag)


def _segments(judged: list[_Judged], found: Voices) -> tuple[Segment, ...]:
    """Sentence-scale segments, cut again where the voice changes; a flagged segment, or one
    without word times, stays whole."""
    out: list[Segment] = []
    for j in judged:
        conf = confidence(j.raw)
        if j.flag is not None or not j.raw.words:
            out.append(Segment(round(j.raw.start_s, 2), round(j.raw.end_s, 2), j.raw.text, conf, j.flag,
                               found.speaker_at(j.raw.start_s, j.raw.end_s)))
            continue
        for group in sentences(j.raw.words):
            for speaker, run in _by_voice(group, found):
                out.append(Segment(round(run[0].start_s, 2), round(run[-1].end_s, 2), text_of(run), conf,
                                   speaker=speaker))
    return tuple(sorted(out, key=lambda s: s.start_s))


def _by_voice(words: list[Word], found: Voices) -> list[tuple[str | None, list[Word]]]:
    """The words in runs of one voice; a run of one word (a boundary's jitter) joins its neighbour."""
    runs: list[tuple[str | None, list[Word]]] = []
    for w in words:
        speaker = found.speaker_at(w.start_s, w.end_s)
        if runs and runs[-1][0] == speaker:
            runs[-1][1].append(w)
        else:
            runs.append((speaker, [w]))
    kept: list[tuple[str | None, list[Word]]] = []
    for speaker, run in runs:
        if kept and (len(run) == 1 or len(kept[-1][1]) == 1):
            keep = kept[-1][0] if len(run) == 1 else speaker
            kept[-1] = (keep, kept[-1][1] + run)
        else:
            kept.append((speaker, run))
    return kept


@dataclass(frozen=True)
class _Heard:
    """One block of audio heard, in the file's time: its segments judged, its speech, the part of
    it the voices are told from, the speech that still has no words, its voice windows."""

    judged: list[_Judged]
    speech: tuple[Stretch, ...]
    voiced: tuple[Stretch, ...]
    missing: tuple[Stretch, ...]
    audio_s: float
    listened: Listened


def _heard(eng: Engine, audio: Any, options: DecodeOptions, progress: Progress, offset_s: float = 0.0,
           first_stretch: int = 0) -> _Heard:
    speech, voiced = hearing(audio)
    vocabulary = frozenset(plain_words_text(options.vocabulary).split())

    def judge(raw: RawSegment) -> _Judged:
        return _Judged(raw, flag_of(raw, speech, vocabulary))

    judged = [judge(r) for r in eng.run(audio, options, speech, progress)]
    judged = _audited(eng, audio, options, speech, judged, judge)
    missing = tuple(holes(speech, covering(_heard_words(judged))))
    listened = listen(audio, voiced)

    def moved(s: Stretch) -> Stretch:
        return Stretch(s.start_s + offset_s, s.end_s + offset_s).rounded()

    return _Heard([_Judged(shifted(j.raw, offset_s), j.flag) for j in judged] if offset_s else judged,
                  tuple(moved(s) for s in speech), tuple(moved(s) for s in voiced), tuple(moved(s) for s in missing),
                  len(audio) / SAMPLE_RATE, listened.shifted(offset_s, first_stretch))


def _transcript(eng: Engine, options: DecodeOptions, parts: list[_Heard]) -> Transcript:
    """One transcript from the blocks heard, the voices told apart over all of them at once."""
    speech = tuple(s for p in parts for s in p.speech)
    missing = tuple(s for p in parts for s in p.missing)
    found = told_apart(joined([p.listened for p in parts]), tuple(s for p in parts for s in p.voiced))
    speech_s = speech_seconds(speech)
    return Transcript(_segments([j for p in parts for j in p.judged], found), options.language, eng.name,
                      eng.model_identity, asdict(options), speech_s,
                      audio_s=round(sum(p.audio_s for p in parts), 2),
                      transcribed_s=round(max(0.0, speech_s - speech_seconds(missing)), 2), untranscribed=missing,
                      speakers=found.speakers)


def compute(eng: Engine, audio: Any, options: DecodeOptions, progress: Progress = no_progress) -> Transcript:
    """A transcript of `audio` (16 kHz mono float32) by `eng`, guarded, audited, cut into
    sentences and voices, with the speech accounted for; times from the start of `audio`."""
    return _transcript(eng, options, [_heard(eng, audio, options, progress)])


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
    parts: list[_Heard] = []
    for offset_s, audio in blocks(path):
        def block_progress(done_s: float, total_s: float, offset_s: float = offset_s) -> None:
            progress(offset_s + done_s, offset_s + total_s)

        parts.append(_heard(eng, audio, options, block_progress, offset_s, sum(len(p.voiced) for p in parts)))
        del audio  # one block in memory at a time
    t = _transcript(eng, options, parts)
    try:
        write_atomic(entry, json.dumps(transcript_to_dict(t), ensure_ascii=False))
    except OSError as e:  # a read-only or misplaced cache costs the re-check, never the result
        log.warning("the transcript cache %s cannot be written (%s): this transcript is not kept",
                    entry.parent, e.strerror or e)
    return t
