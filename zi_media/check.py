"""The one library entry behind `zi-media check`: a video, a unit folder, or a transcript."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .file_check import TranscribeSettings, check_file, check_transcript
from .profiles import Profile
from .speech.transcript_files import read
from .types import FileReport, UnitReport
from .unit.check import check_unit, is_archive


def check_path(path: Path | None, profile: Profile, kind: str | None = None, *,
               transcription: TranscribeSettings | None = None,
               transcript_path: Path | None = None) -> FileReport | UnitReport:
    """Check what the user named: a unit folder or .zip (all of it; `kind` is not needed), one video
    of `kind`, or with no `path` the transcript at `transcript_path` alone. A supplied
    transcript replaces transcription. Raises a ZiMediaError (UsageError for a missing
    argument) for what cannot be checked at all."""
    if path is None and transcript_path is None:
        raise UsageError("Missing argument 'VIDEO' (or give --transcript FILE to check a transcript alone).")
    if path is not None and (path.is_dir() or is_archive(path)):
        return check_unit(path, profile, transcription)
    if kind is None:
        raise UsageError("Missing option '--kind' (needed for a single video or transcript).")
    rules = profile.rules(kind)  # an unknown kind is an error before any file is opened
    transcript = read(transcript_path, rules.language) if transcript_path else None
    if path is None:
        assert transcript_path is not None and transcript is not None
        return check_transcript(transcript_path, transcript, profile, kind)
    return check_file(path, profile, kind, transcription=None if transcript else transcription,
                      transcript=transcript)
