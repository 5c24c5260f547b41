"""One file against one kind of a profile: probe -> technical checks -> FileReport."""

from __future__ import annotations

from pathlib import Path

from .checks import run_checks
from .probe import probe
from .profiles import Profile
from .types import FileReport


def check_file(path: Path, profile: Profile, kind: str) -> FileReport:
    """Check one video. Raises UnknownKindError or InputError for what cannot be checked at all;
    anything wrong with the media itself becomes a finding."""
    rules = profile.rules(kind)
    facts = probe(Path(path))
    return FileReport(profile.name, profile.version, kind, rules.title, facts,
                      run_checks(facts, rules.requirements))
