"""Speech to text behind one small engine interface, cached by the media's content.

faster-whisper (CTranslate2, int8 on CPU, CUDA when present) is the default engine:
batched decoding over voice-activity chunks halves the time at the same accuracy on these
CPUs (shared/notes/measurements.md). Heavy imports (numpy, ctranslate2) happen only when a
transcript is really computed, never for --help or a cache hit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from . import cache
from .errors import TranscriptError
from .types import Segment, Transcript

SAMPLE_RATE = 16000  # Hz; what Whisper expects
ENGINES = ("faster-whisper", "openai-whisper")
CACHE_FORMAT = 1  # bump when the cached JSON changes shape; older entries are recomputed

Progress = Callable[[float, float], None]  # called with (seconds done, seconds in all)

# Text Whisper is known to invent over silence and music; never evidence.
FILLER_PHRASES = (
    "terima kasih telah menonton", "terima kasih sudah menonton", "terima kasih untuk menonton",
    "jangan lupa subscribe", "jangan lupa like", "silakan subscribe", "subtitle oleh",
    "subtitles by", "sub indo by", "diterjemahkan oleh", "amara.org", "thanks for watching",
    "thank you for watching", "like and subscribe",
)
NO_SPEECH_PROB = 0.6  # with AVG_LOGPROB below: Whisper's own "this was not speech" rule
AVG_LOGPROB = -1.0
COMPRESSION_RATIO = 2.4  # text that compresses this well is a repetition loop


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
    model_identity: str

    def run(self, audio: Any, options: DecodeOptions, progress: Progress) -> tuple[list[RawSegment], float]:
        """Transcribe 16 kHz mono float32 audio; return segments and seconds of speech kept."""


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: str, threads: int = 0) -> None:
        from .whisper_models import resolve_ct2

        self._ref = resolve_ct2(model)
        self.model_identity = self._ref.identity
        self._threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            import ctranslate2
            from faster_whisper import WhisperModel

            from .whisper_models import bundled_base

            location = str(bundled_base()) if self._ref.bundled else self._ref.location
            cuda = ctranslate2.get_cuda_device_count() > 0
            self._model = WhisperModel(location, device="cuda" if cuda else "cpu",
                                       compute_type="float16" if cuda else "int8",
                                       cpu_threads=self._threads, local_files_only=True)
        return self._model

    def run(self, audio: Any, options: DecodeOptions, progress: Progress) -> tuple[list[RawSegment], float]:
        from faster_whisper import BatchedInferencePipeline

        model = self._load()
        common = dict(language=options.language, beam_size=options.beam_size,
                      vad_filter=options.vad, without_timestamps=False)
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
        return out, info.duration_after_vad


@functools.lru_cache(maxsize=1)
def make_engine(name: str, model: str, threads: int = 0) -> Engine:
    """The engine for these settings; the last one is kept, so the files of a unit (and
    the units of a batch worker) share one loaded model instead of loading it per file."""
    if name == "faster-whisper":
        return FasterWhisperEngine(model, threads)
    if name == "openai-whisper":
        from .openai_engine import OpenAIWhisperEngine

        return OpenAIWhisperEngine(model, threads)
    raise TranscriptError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")


def _normal(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def guard(raw: RawSegment) -> Segment:
    """Flag what Whisper is known to invent, so it never counts as evidence."""
    text = _normal(raw.text)
    flag = None
    if not text:
        flag = "empty"
    elif raw.no_speech_prob > NO_SPEECH_PROB and raw.avg_logprob < AVG_LOGPROB:
        flag = "no_speech"
    elif any(p in text for p in FILLER_PHRASES):
        flag = "filler"
    elif _is_loop(raw.text, raw.compression_ratio):
        flag = "repetition"
    confidence = math.exp(min(raw.avg_logprob, 0.0))
    return Segment(round(raw.start_s, 2), round(raw.end_s, 2), raw.text, round(confidence, 3), flag)


def _is_loop(text: str, compression_ratio: float) -> bool:
    """A repetition loop: text that compresses too well, or one word said 4+ times running."""
    words = _normal(text).split()
    data = text.encode()
    ratio = len(data) / len(zlib.compress(data)) if len(data) > 80 else compression_ratio
    runs = any(len(set(words[i:i + 4])) == 1 for i in range(len(words) - 3))
    return ratio > COMPRESSION_RATIO or runs


def load_audio(path: Path) -> Any:
    """Decode only the audio, resampled to 16 kHz mono float32 (PyAV, no ffmpeg binary)."""
    from faster_whisper import decode_audio

    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as e:  # PyAV raises its own error family; any of them means no audio
        raise TranscriptError(f"{path}: cannot decode its audio: {e}") from e


def transcript_to_dict(t: Transcript) -> dict[str, Any]:
    return {
        "language": t.language, "engine": t.engine, "model": t.model, "options": dict(t.options),
        "speech_s": t.speech_s, "cached": t.cached, "timed": t.timed,
        "segments": [asdict(s) for s in t.segments],
    }


def transcript_from_dict(d: dict[str, Any], *, cached: bool = False) -> Transcript:
    return Transcript(
        segments=tuple(Segment(**s) for s in d["segments"]), language=d["language"],
        engine=d["engine"], model=d["model"], options=d["options"], speech_s=d["speech_s"],
        cached=cached, timed=d.get("timed", True),
    )


def _cache_path(media_sha256: str, engine: Engine, options: DecodeOptions) -> Path:
    key = json.dumps([CACHE_FORMAT, media_sha256, engine.name, engine.model_identity,
                      asdict(options)], sort_keys=True)
    return cache.transcripts_dir() / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def transcribe(path: Path, options: DecodeOptions, *, engine: str = "faster-whisper",
               model: str = "base", use_cache: bool = True, threads: int = 0,
               progress: Progress = lambda done_s, total_s: None) -> Transcript:
    """Transcribe the audio of `path`, or serve the cached transcript of the same content."""
    eng = make_engine(engine, model, threads)
    entry = _cache_path(cache.file_sha256(path), eng, options)
    if use_cache and entry.is_file():
        try:
            return transcript_from_dict(json.loads(entry.read_text(encoding="utf-8")), cached=True)
        except (ValueError, KeyError, TypeError):
            pass  # a corrupt entry is recomputed and overwritten below
    audio = load_audio(path)
    raw, speech_s = eng.run(audio, options, progress) if len(audio) else ([], 0.0)
    t = Transcript(tuple(guard(r) for r in raw), options.language, eng.name, eng.model_identity,
                   asdict(options), round(speech_s, 2))
    cache.write_atomic(entry, json.dumps(transcript_to_dict(t), ensure_ascii=False).encode())
    return t
