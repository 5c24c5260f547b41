"""What every report format shares: the summary line, where evidence was heard, which
evidence is strongest, the key of a picture, and the exit-code policy. Imports nothing of
the renderers, so each of them can use it without an import circle."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..files import shown
from ..timefmt import number, span
from ..types import BannerFacts, BatchRow, Cell, Evidence, FileReport, Finding, UnitReport
from .i18n import label

EXIT_MET = 0  # every requirement met (warnings allowed)
EXIT_NOT_MET = 1  # at least one requirement not met
EXIT_USAGE = 2  # usage or input error: a typo, a missing path, an invalid profile or manifest
EXIT_COULD_NOT_CHECK = 3  # a model that cannot load, a crash inside the tool, a unit that errored, a failed scan


def exit_code(reports: Iterable[FileReport | UnitReport | BatchRow]) -> int:
    """The exit code for these reports (or batch rows): could-not-check (an error, or a part
    that could not be checked) beats not-met beats met."""
    verdicts = {r.verdict for r in reports}
    if verdicts & {"error", "incomplete"}:
        return EXIT_COULD_NOT_CHECK
    return EXIT_NOT_MET if verdicts - {"met"} else EXIT_MET


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # every control character but tab


def printable(text: str) -> str:
    """One line safe to print on a terminal: control characters (escape sequences or line
    breaks in a crafted file name, say) are shown as \\xNN instead of being obeyed, and so
    are a file name's bytes that were not UTF-8."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown(text))


def summary(findings: Iterable[Finding], lang: str) -> str:
    """ "N of M requirements not met", for every report format."""
    findings = list(findings)
    failed = sum(f.status == "not_met" for f in findings)
    return label("summary", lang, failed=failed, total=len(findings))


def where(e: Evidence, lang: str) -> str:
    """Where evidence was heard: mm:ss-mm:ss, or the line of an untimed transcript."""
    if e.start_s is None or e.end_s is None:
        return f"{label('slide' if e.source == 'slide' else 'line', lang)} {e.line}"
    return span(e.start_s, e.end_s)


def untranscribed(report: FileReport) -> str:
    """The stretches of speech that gave no words, as mm:ss-mm:ss, for the speech finding."""
    t = report.transcript
    return ", ".join(span(u.start_s, u.end_s) for u in t.untranscribed) if t else ""


GENERIC_WEIGHT = 0.5  # a single word weighing less than this ("saya", "cepat", "aplikasi") is no evidence alone
LOW_CONFIDENCE = 0.5  # a segment recognised with less (exp of the mean token log-probability) may be misheard


def telling(evidence: Iterable[Evidence]) -> list[Evidence]:
    """The evidence worth showing on its own: phrases of two words or more, and single words
    that weigh enough; generic words count in the score, within their sentences, but are not
    shown as evidence by themselves (unless nothing else was heard)."""
    found = list(evidence)
    return [e for e in found if e.model_score is not None or " " in e.phrase or e.weight >= GENERIC_WEIGHT] or found


def strongest(evidence: Iterable[Evidence], n: int) -> list[Evidence]:
    """The n telling pieces of evidence that weigh most (weight x similarity), those from
    sentences that describe the requirement first; ties keep their time order."""
    return sorted(telling(evidence), key=lambda e: (e.passage != "describes", -e.weight * e.similarity))[:n]


MODEL_HEARD_CHARS = 100  # a sentence the model found, shortened at a word beyond this


def matched(e: Evidence, lang: str) -> str:
    """The words heard and what made them evidence: the rule's phrase and how alike they are,
    or, for a sentence the learned model found, the model and its score."""
    if e.model_score is not None:
        heard = textwrap.shorten(e.heard, MODEL_HEARD_CHARS, placeholder=" \u2026")
        return f'"{heard}" ({label("model_read", lang, value=number(e.model_score)[lang])})'
    return f'"{e.heard}" ~ {e.phrase} ({label("similarity", lang, value=number(e.similarity)[lang])})'


def passage_note(e: Evidence, lang: str) -> str:
    """Where a piece of evidence came from when it was shown, not said (" [on screen]"), whose
    voice said it (" [other voice S2]"), and why it does not count toward `met` (" [name only]");
    or nothing."""
    notes = [label(f"source.{e.source}", lang)] if e.source == "screen" else []
    notes += [label("unsure", lang)] if e.confidence is not None and e.confidence < LOW_CONFIDENCE else []
    notes += [label(f"voice.{e.role}", lang, speaker=e.speaker)] if e.speaker and e.role else []
    notes += [label(f"passage.{e.passage}", lang)] if e.passage != "describes" else []
    return f" [{', '.join(notes)}]" if notes else ""


def override_note(f: Finding, lang: str) -> str:
    """A reviewer's decision on the finding, with the machine's own status; or nothing."""
    if f.override is None or f.machine is None:
        return ""
    o = f.override
    was = label("overridden", lang, machine=label(f"status.{f.machine}", lang))
    return f"{label('override', lang)} ({was}): {o.reason} ({o.reviewer}, {o.date})"


def best_evidence_time(finding: Finding) -> float | None:
    """The time to picture a finding at: its strongest timed content evidence, or the middle
    of its first stretch (a black screen, a frozen picture), if it has either."""
    if finding.stretches:
        first = finding.stretches[0]
        return round((first.start_s + first.end_s) / 2, 1)
    timed: Sequence[Evidence] = [e for e in finding.content.evidence if e.start_s is not None] \
        if finding.content else []
    return best[0].start_s if (best := strongest(timed, 1)) else None


def frame_key(video: Path, t: float) -> str:
    """The key of the picture of `video` at `t` seconds among a report's prepared pictures."""
    return f"{video}@{t:.1f}"


def banner_size(facts: BannerFacts, lang: str) -> str:
    """A banner's size as measured, and for an animation which frame's reading is shown."""
    size_px = f"{facts.width_px}x{facts.height_px}"
    return f"{size_px}, {label('banner_frame', lang, n=facts.frame + 1, total=facts.frames)}" \
        if facts.frames > 1 else size_px


def failing_units(rows: Iterable[BatchRow], key: str) -> set[str]:
    """The units whose requirement `key` (a matrix column) is not met."""
    return {r.unit for r in rows for c in r.cells if c.key == key and c.status == "not_met"}


def column_groups(cols: Sequence[Cell]) -> list[tuple[str, int]]:
    """The matrix columns' parts in order, each with how many columns it spans (a header over them)."""
    groups: list[tuple[str, int]] = []
    for c in cols:
        if groups and groups[-1][0] == c.group:
            groups[-1] = (c.group, groups[-1][1] + 1)
        else:
            groups.append((c.group, 1))
    return groups
