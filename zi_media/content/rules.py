"""What must be said, as a profile states it: the rule type that profiles build and the
coverage engine judges (kept here so that content depends on no profile code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reading:
    """How a sentence is read before it may count for a requirement: whose work it tells and
    whether it tells something done. Phrases are normalised and matched as words."""

    unit: tuple[str, ...] = ()  # the unit speaking of itself: "kami", "pengadilan", "pn"
    others: tuple[str, ...] = ()  # other institutions: "kpk", "kementerian", "mahkamah agung"
    attending: tuple[str, ...] = ()  # with another institution named: the unit takes part in its event
    definition: tuple[str, ...] = ()  # a general statement when no unit is named: "adalah"
    aspiration: tuple[str, ...] = ()  # hoped or required, not done: "berharap", "harus"
    # kinds of unit, each its names ("pengadilan negeri", "pn"): the kind a text names first is
    # the unit's own; the others are other institutions ("Pengadilan Tinggi" in a PN's video)
    bodies: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ContentRule:
    """One content requirement, as the profile states it (phrases already normalised).

    A sentence *describes* the requirement when it is the unit's own (unless `attributed` is
    false), tells something done, holds a phrase of every `together` group, and its phrases
    other than the names weigh `passage_score` or more. The requirement is met when the
    describing sentences weigh `min_score` in all and form `min_passages` separate passages;
    names alone, or work of another institution, make it weak at most."""

    id: str
    title: Mapping[str, str]  # language -> title
    hint: Mapping[str, str]  # language -> what a narrator usually says for it
    phrases: Mapping[str, float]  # phrase -> weight; names and anchors included
    min_score: float  # the describing sentences' weight needed to be met; weak above zero
    min_passages: int = 1  # separate passages needed (e.g. two testimonials)
    passage_gap_s: float = 15.0  # silence between matches that starts a new passage
    openers: tuple[str, ...] = ()  # phrases that start a new passage ("nama saya")
    exclude: tuple[str, ...] = ()  # phrases that void their segment (a complaint)
    sectors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # reported, not scored
    names: tuple[str, ...] = ()  # the requirement's own names: they alone never describe it
    together: tuple[tuple[str, ...], ...] = ()  # one phrase of each group in the same sentence
    passage_score: float = 0.0  # weight (names aside) a sentence needs to describe it
    attributed: bool = True  # only the unit's own work counts (not for testimonials)
    by_voice: bool = False  # passages count as people by voice: outside voices, each once (testimonials)
    screen_together: tuple[tuple[str, ...], ...] | None = None  # `together` for text on screen, if other
    reading: Reading = field(default_factory=Reading)
