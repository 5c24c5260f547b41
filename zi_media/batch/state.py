"""Resume: a unit whose inputs are unchanged since its last report is not checked again.

After each unit, the batch records beside its reports (OUT/.zi-media/NAME.json) a fingerprint
of what the verdict depends on (every file's relative name, size and modification time, the
profile as loaded, the tool version, the options that change a verdict, the unit's
overrides) and the unit's summary row. A re-run that computes the same fingerprint, and
finds the reports still there, takes the row as it is. Error rows are never recorded: a unit
that could not be checked is tried again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..files import json_text, write_atomic
from ..types import BatchRow, Cell, Override
from ..version import __version__

STATE_DIR = ".zi-media"  # inside the batch's output folder
STATE_FORMAT = 2  # 2: cells carry their group and the reason they failed


def _files(unit: Path) -> list[tuple[str, int, int]]:
    """(relative name, size, mtime in ns) of every entry under `unit`; links not followed."""
    if not unit.is_dir():
        st = unit.lstat()
        return [(unit.name, st.st_size, st.st_mtime_ns)]
    found = []
    for here, dirs, names in os.walk(unit):  # os.walk follows no links to folders by default
        dirs.sort()
        for name in sorted(names):
            p = Path(here) / name
            st = p.lstat()
            found.append((os.fsencode(p.relative_to(unit)).hex(), st.st_size, st.st_mtime_ns))
    return found


def fingerprint(unit: Path, settings: object, overrides: tuple[Override, ...]) -> str:
    """What a unit's verdict depends on, as one hash. `settings` is everything else that
    matters (the profile as loaded, the options), given by its repr."""
    payload = json.dumps([STATE_FORMAT, __version__, repr(settings), [asdict(o) for o in overrides],
                          _files(unit)])
    return hashlib.sha256(payload.encode()).hexdigest()


def _path(out: Path, base: str) -> Path:
    return out / STATE_DIR / f"{base}.json"


def record(out: Path, base: str, mark: str, row: BatchRow) -> None:
    """Remember a unit's row under its fingerprint (`mark`); error rows are not remembered."""
    if row.verdict == "error":
        return
    (out / STATE_DIR).mkdir(exist_ok=True)
    write_atomic(_path(out, base), json_text({"fingerprint": mark, "row": asdict(row)}))


def row_from(fields: dict[str, Any]) -> BatchRow:
    """A row as asdict() wrote it to JSON, read back (its cells too)."""
    return BatchRow(**{**fields, "cells": tuple(Cell(**c) for c in fields.get("cells", ()))})


def recorded(out: Path, base: str, mark: str) -> BatchRow | None:
    """The row recorded for a unit under the same fingerprint, when its reports still exist."""
    try:
        doc: dict[str, Any] = json.loads(_path(out, base).read_text(encoding="utf-8"))
        if doc.get("fingerprint") != mark:
            return None
        row = row_from(doc["row"])
    except (OSError, ValueError, TypeError, KeyError):
        return None  # no record, or one this version cannot read: check the unit again
    return row if all((out / f).is_file() for f in (row.json, row.html) if f) else None
