"""The batch's matrix: one row per unit, one column per requirement. A column's key names the
requirement the same way in summary.xlsx, summary.csv, index.html and overrides.yaml:
a unit-level id ("banners", "video_development") or the file's kind and the requirement
("development.duration", "development.testimonials", "paparan.area_1")."""

from __future__ import annotations

from ..profiles import Profile
from ..report.i18n import label, label_or, text
from ..types import Cell, FileReport, Finding, Status, UnitReport

FILE_FINDINGS = ("playable", "speech")  # checked on every video, whatever the profile lists
WORSE: dict[Status, int] = {"met": 0, "warning": 1, "not_met": 2}


def key(f: Finding, file: FileReport | None = None) -> str:
    """The column of a finding: its id, or for a file's finding the kind and the id."""
    if file is None:
        return f.id
    return f"{file.kind}.{f.id.removeprefix(file.kind + '_')}"


def _title(f: Finding, file: FileReport | None, lang: str) -> str:
    name = f.content.title[lang] if f.content else label_or(f.id, lang, f.id)
    return f"{file.kind_title[lang]}: {name}" if file else name


def cells(unit: UnitReport, lang: str) -> tuple[Cell, ...]:
    """The unit's matrix row; where two files of one kind were checked, the worse status."""
    found: dict[str, Cell] = {}
    pairs = [*((f, None) for f in unit.findings), *((f, r) for r in unit.files for f in r.findings)]
    for f, file in pairs:
        k = key(f, file)
        if k not in found or WORSE[f.status] > WORSE[found[k].status]:
            o = f.override
            found[k] = Cell(k, _title(f, file, lang), f.status, f.machine,
                            f"{o.reason} ({o.reviewer}, {o.date})" if o else "",
                            file.kind_title[lang] if file else label("unit", lang),
                            text(f.message, lang) if f.status != "met" else "")
    return tuple(found.values())


def requirement_keys(profile: Profile) -> set[str]:
    """Every column the profile's checks can fill (what overrides.yaml may name)."""
    keys = {f"{kind}.{r}" for kind, rules in profile.kinds.items()
            for r in (*FILE_FINDINGS, *rules.requirements, *(c.id for c in rules.content))}
    if (unit := profile.unit) is not None:
        keys |= {f"video_{k}" for k in unit.videos} | {"paparan"} | {f"paparan.{c.id}" for c in unit.paparan_content}
        keys |= {name for name, rules in (("banners", unit.banners), ("covid_banner", unit.covid_banner)) if rules}
    return keys
