"""Speech to text: pick an engine, decode the audio, guard the text, cache the transcript.

Transcripts are cached by (content hash of the media, engine, model, options), so a
re-check after editing a profile costs no transcription. Heavy imports (numpy, ctranslate2,
torch) happen only when a transcript is really computed, never for --help or a cache hit.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import cache
from ..errors import TranscriptError
from ..files import file_sha256, write_atomic
from ..types import Transcript
from .engine import ENGINES, SAMPLE_RATE, DecodeOptions, Engine, Progress, no_progress
from .guards import guard
from .transcript_files import transcript_from_dict, transcript_to_dict

CACHE_FORMAT = 1  # bump when the cached JSON changes shape; older entries are recomputed


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


def load_audio(path: Path) -> Any:
    """Decode only the audio, resampled to 16 kHz mono float32 (PyAV, no ffmpeg binary)."""
    from faster_whisper import decode_audio

    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as e:  # PyAV raises its own error family; any of them means no audio
        raise TranscriptError(f"{path}: cannot decode its audio: {e}") from e


def _cache_path(media_sha256: str, engine: Engine, options: DecodeOptions) -> Path:
    key = json.dumps([CACHE_FORMAT, media_sha256, engine.name, engine.model_identity,
                      asdict(options)], sort_keys=True)
    return cache.transcripts_dir() / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def transcribe(path: Path, options: DecodeOptions, *, engine: str = "faster-whisper",
               model: str = "base", use_cache: bool = True, threads: int = 0,
               progress: Progress = no_progress) -> Transcript:
    """Transcribe the audio of `path`, or serve the cached transcript of the same content."""
    eng = make_engine(engine, model, threads)
    entry = _cache_path(file_sha256(path), eng, options)
    if use_cache and entry.is_file():
        try:
            return transcript_from_dict(json.loads(entry.read_text(encoding="utf-8")), cached=True)
        except (ValueError, KeyError, TypeError):
            pass  # a corrupt entry is recomputed and overwritten below
    audio = load_audio(path)
    raw, speech_s = eng.run(audio, options, progress) if len(audio) else ([], 0.0)
    t = Transcript(tuple(guard(r) for r in raw), options.language, eng.name, eng.model_identity,
                   asdict(options), round(speech_s, 2))
    write_atomic(entry, json.dumps(transcript_to_dict(t), ensure_ascii=False))
    return t
