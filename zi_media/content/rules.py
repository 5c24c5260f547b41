"""What must be said, as a profile states it: the rule type that profiles build and the
coverage engine judges (kept here so that content depends on no profile code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ContentRule:
    """One content requirement, as the profile states it (phrases already normalised)."""

    id: str
    title: Mapping[str, str]  # language -> title
    hint: Mapping[str, str]  # language -> what a narrator usually says for it
    phrases: Mapping[str, float]  # phrase -> weight; names and anchors included
    min_score: float  # met at this score or more; weak above zero
    min_passages: int = 1  # separate passages needed (e.g. two testimonials)
    passage_gap_s: float = 15.0  # silence between matches that starts a new passage
    openers: tuple[str, ...] = ()  # phrases that start a new passage ("nama saya")
    exclude: tuple[str, ...] = ()  # phrases that void their segment (a complaint)
    sectors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # reported, not scored
