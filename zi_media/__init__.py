"""zi-media: check the media a work unit submits for the Zona Integritas (WBK/WBBM) evaluation.

The library API: `check_path` (a video, a unit folder or a transcript, as `zi-media check`
does), `check_file` and `check_transcript` for one file, `load_profile` for the rules.
"""

from __future__ import annotations

from .check import check_path
from .errors import ZiMediaError
from .file_check import TranscribeSettings, check_file, check_transcript
from .profiles import load_profile
from .types import FileReport, UnitReport
from .version import __version__

__all__ = ["FileReport", "TranscribeSettings", "UnitReport", "ZiMediaError", "__version__", "check_file",
           "check_path", "check_transcript", "load_profile"]
