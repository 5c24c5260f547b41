"""The user's cache folder: assembled models and transcripts keyed by content.

Location: $ZI_MEDIA_CACHE_DIR, else %LOCALAPPDATA%\\zi-media on Windows, else
$XDG_CACHE_HOME/zi-media (default ~/.cache/zi-media). Writes go through
files.write_atomic, so an interrupted run never leaves a half-written entry.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


def user_cache_home() -> Path:
    """Where programs keep caches on this system: $XDG_CACHE_HOME, else ~/.cache.
    openai-whisper keeps its checkpoints under it too (`whisper/`)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def root() -> Path:
    if env := os.environ.get("ZI_MEDIA_CACHE_DIR"):
        return Path(env)
    if sys.platform == "win32" and (local := os.environ.get("LOCALAPPDATA")):
        return Path(local) / "zi-media"
    return user_cache_home() / "zi-media"


def models_dir() -> Path:
    return root() / "models"


def transcripts_dir() -> Path:
    return root() / "transcripts"


@dataclass(frozen=True)
class Usage:
    path: Path
    transcripts: int  # number of cached transcripts
    transcripts_bytes: int
    models_bytes: int


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def usage() -> Usage:
    t = transcripts_dir()
    count = len(list(t.glob("*.json"))) if t.is_dir() else 0
    return Usage(root(), count, _size(t), _size(models_dir()))


def clear(models: bool = False) -> int:
    """Remove cached transcripts (and assembled models if asked); return bytes freed."""
    freed = 0
    for folder in (transcripts_dir(), models_dir()) if models else (transcripts_dir(),):
        freed += _size(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return freed
