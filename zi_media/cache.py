"""The user's cache folder: assembled models, and transcripts and scans keyed by content.

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


def scans_dir() -> Path:
    """Picture and sound scans, with the text read on screen (media.scan)."""
    return root() / "scans"


@dataclass(frozen=True)
class Usage:
    path: Path
    transcripts: int  # number of cached transcripts
    transcripts_bytes: int
    models_bytes: int
    scans: int = 0  # number of cached scans
    scans_bytes: int = 0


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def _count(folder: Path) -> int:
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


def usage() -> Usage:
    t, s = transcripts_dir(), scans_dir()
    return Usage(root(), _count(t), _size(t), _size(models_dir()), _count(s), _size(s))


def clear(models: bool = False) -> int:
    """Remove cached transcripts and scans (and assembled models if asked); return bytes freed."""
    freed = 0
    for folder in (transcripts_dir(), scans_dir(), *((models_dir(),) if models else ())):
        freed += _size(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return freed
