"""One exception family; the CLI turns any of them into a one-line message and exit code 2."""

from __future__ import annotations


class ZiMediaError(Exception):
    """Base of every error zi-media reports to a person instead of a traceback."""


class InputError(ZiMediaError):
    """A path the user gave cannot be used: missing, a folder, unreadable, not a regular file."""


class ProfileError(ZiMediaError):
    """A requirement profile cannot be found or is invalid; the message names file and key."""


class UnknownKindError(ZiMediaError):
    """The media kind asked for is not defined by the profile."""


class ModelError(ZiMediaError):
    """The speech model asked for cannot be had offline, or its files are corrupt."""


class TranscriptError(ZiMediaError):
    """A supplied transcript file cannot be read, or transcription itself failed."""


class AudioDecodeError(TranscriptError):
    """The media's audio stream cannot be decoded: a finding about the file, not a crash."""


class Interrupted(ZiMediaError):
    """A batch stopped by Ctrl-C, after writing the summaries of the units it finished."""


class UsageError(ZiMediaError):
    """The command was called without something it needs (an argument, an option)."""
