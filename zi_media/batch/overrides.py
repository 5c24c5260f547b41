"""A reviewer's decisions beside the machine's: overrides.yaml (beside the submissions, or
--overrides FILE) sets a requirement's status for a unit, with the reason, the reviewer and
the date. Read strictly, since a typo would silently leave the machine's verdict standing:
an unknown unit, requirement, status or field is an error that names it.

    - unit: PN Sukamaju
      requirement: development.testimonials
      status: met
      reason: "testimoni pengguna layanan di 06:12; model ucapan melewatkannya"
      reviewer: Budi Santoso
      date: 2026-11-20
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import cast

from ..errors import InputError
from ..profiles import Profile
from ..types import FileReport, Finding, Message, Override, Status, UnitReport
from ..yamlsafe import YamlError, load
from .matrix import key, requirement_keys

OVERRIDES_FILE = "overrides.yaml"  # beside the submissions, in ROOT
FIELDS = ("unit", "requirement", "status", "reason", "reviewer", "date")
STATUSES = ("met", "not_met", "warning")
MAX_BYTES = 5 << 20  # an overrides file is typed by people; anything bigger is not one


def _entry(i: int, item: object, units: Collection[str], keys: Collection[str], where: str) -> Override:
    at = f"{where}: entry {i + 1}"
    if not isinstance(item, dict):
        raise InputError(f"{at}: expected a mapping with {', '.join(FIELDS)}")
    if unknown := sorted(set(map(str, item)) - set(FIELDS)):
        raise InputError(f"{at}: unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    if missing := [f for f in FIELDS if item.get(f) in (None, "")]:
        raise InputError(f"{at}: {missing[0]!r} is missing")
    values = {f: item[f].isoformat() if isinstance(item[f], dt.date) else str(item[f]).strip() for f in FIELDS}
    if values["unit"] not in units:
        raise InputError(f"{at}: unknown unit {values['unit']!r} (no such unit folder in the batch)")
    if values["requirement"] not in keys:
        raise InputError(f"{at}: unknown requirement {values['requirement']!r} "
                         f"(one of: {', '.join(sorted(keys))})")
    if values["status"] not in STATUSES:
        raise InputError(f"{at}: status {values['status']!r} must be one of {', '.join(STATUSES)}")
    try:
        dt.date.fromisoformat(values["date"])
    except ValueError:
        raise InputError(f"{at}: date {values['date']!r} is not a date (YYYY-MM-DD)") from None
    return Override(values["unit"], values["requirement"], cast(Status, values["status"]),
                    values["reason"], values["reviewer"], values["date"])


def load_overrides(path: Path, units: Collection[str], profile: Profile) -> dict[str, tuple[Override, ...]]:
    """The overrides in `path` per unit name, validated against the batch's units and the
    profile's requirements. Two decisions on one requirement of one unit are an error."""
    if not path.is_file():
        raise InputError(f"{path}: no such overrides file")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}: over {MAX_BYTES >> 20} MB, not an overrides file")
    try:
        doc = load(path.read_text(encoding="utf-8"))
    except (YamlError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not readable YAML: {e}") from None
    if isinstance(doc, dict) and set(doc) == {"overrides"}:
        doc = doc["overrides"]
    if doc is None:
        doc = []
    if not isinstance(doc, list):
        raise InputError(f"{path}: expected a list of overrides (unit, requirement, status, reason, reviewer, date)")
    keys = requirement_keys(profile)
    found: dict[str, tuple[Override, ...]] = {}
    for i, item in enumerate(doc):
        o = _entry(i, item, units, keys, str(path))
        if any(p.requirement == o.requirement for p in found.get(o.unit, ())):
            raise InputError(f"{path}: entry {i + 1}: {o.unit!r} {o.requirement!r} is overridden twice")
        found[o.unit] = (*found.get(o.unit, ()), o)
    return found


def _decided(f: Finding, column: str, overrides: dict[str, Override]) -> Finding:
    o = overrides.get(column)
    return f if o is None else replace(f, status=o.status, override=o, machine=f.machine or f.status)


def apply_overrides(unit: UnitReport, overrides: tuple[Override, ...]) -> UnitReport:
    """The unit's report with each overridden finding's status set by the reviewer; the
    machine's status stays on the finding. A decision on a requirement this unit has no
    finding for (its video was not found, say) changes nothing, and a warning says so."""
    if not overrides:
        return unit
    by_key = {o.requirement: o for o in overrides}

    def file(r: FileReport) -> FileReport:
        return replace(r, findings=tuple(_decided(f, key(f, r), by_key) for f in r.findings))

    present = {key(f) for f in unit.findings} | {key(f, r) for r in unit.files for f in r.findings}
    unused = [o.requirement for o in overrides if o.requirement not in present]
    said = (Finding("override_unused", "warning", " ".join(unused), None,
                    Message("override.unused", {"requirements": ", ".join(unused)})),) if unused else ()
    return replace(unit, findings=(*(_decided(f, key(f), by_key) for f in unit.findings), *said),
                   files=tuple(file(r) for r in unit.files))
