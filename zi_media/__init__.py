"""zi-media: check the media a work unit submits for the Zona Integritas (WBK/WBBM) evaluation.

The library API: `check_path` (a video, a unit folder or a transcript, as `zi-media check`
does), `check_file` and `check_transcript` for one file, `load_profile` for the rules.
Each name is imported when first used (PEP 562), so `zi-media --help` and any light
sub-module do not load the whole pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check import check_path
    from .errors import ZiMediaError
    from .file_check import TranscribeSettings, check_file, check_transcript
    from .profiles import load_profile
    from .types import FileReport, UnitReport
    from .version import __version__

_HOMES = {"check_path": "check", "ZiMediaError": "errors", "TranscribeSettings": "file_check",
          "check_file": "file_check", "check_transcript": "file_check", "load_profile": "profiles",
          "FileReport": "types", "UnitReport": "types", "__version__": "version"}

__all__ = ["FileReport", "TranscribeSettings", "UnitReport", "ZiMediaError", "__version__", "check_file",
           "check_path", "check_transcript", "load_profile"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
