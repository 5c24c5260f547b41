"""Content requirements found in what is said: six areas, impact, testimonials, innovations,
the campaign message; each with timestamped evidence.

Matching survives speech-recognition errors: text is normalised (case, punctuation,
hyphens, digits spelt out in Indonesian), and each profile phrase is compared with every
window of the transcript's words of about its length by fuzzy ratio (rapidfuzz, computed in
bulk), also with the spaces removed ("e court" = "ecourt"). A phrase counts once per
requirement, at its weight times its similarity; area-specific anchors weigh more than
generic words. A match right after a negator ("tidak puas") or in a segment with an
`exclude` phrase (a complaint) does not count. Flagged segments (suspected
hallucinations) are never read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..timefmt import number
from ..types import ContentDetail, Coverage, Evidence, Finding, Message, Status, Transcript
from .normalize import normalize
from .rules import ContentRule

NEGATORS = frozenset({"tidak", "tak", "kurang", "belum", "bukan", "nggak", "gak", "enggak"})
NEGATION_REACH = 2  # words before a match that may negate it
UNTIMED_STEP_S = 10.0  # pseudo-seconds between lines of a transcript without times
WEAK_SHARE = 0.25  # below this share of min_score a requirement is missing, not weak

def threshold(phrase: str) -> float:
    """Similarity (0-100) a window needs: short words must be exact, long phrases may slip."""
    n = len(phrase.replace(" ", ""))
    return 100.0 if n <= 4 else 90.0 if n <= 7 else 85.0


SHORT_WINDOW_MIN = 90.0  # a window one word shorter than the phrase: only merged words ("ecourt")


@dataclass(frozen=True)
class ContentResult:
    rule: ContentRule
    coverage: Coverage
    score: float
    passages: int
    evidence: tuple[Evidence, ...]  # the best match of each phrase, in time order
    sectors: tuple[str, ...] = ()  # sectors heard near the evidence (innovations)


@dataclass(frozen=True)
class _Word:
    text: str
    segment: int
    start_s: float
    end_s: float


class _Stream:
    """The transcript's evidence segments as one run of normalised words."""

    def __init__(self, transcript: Transcript) -> None:
        self.timed = transcript.timed
        self.words: list[_Word] = []
        for i, seg in enumerate(transcript.segments):
            if seg.flag is not None:
                continue
            start, end = (seg.start_s, seg.end_s) if transcript.timed else (i * UNTIMED_STEP_S,) * 2
            self.words += [_Word(w, i, start, end) for w in normalize(seg.text)]

    def windows(self, size: int) -> list[str]:
        texts = [w.text for w in self.words]
        return [" ".join(texts[i:i + size]) for i in range(len(texts) - size + 1)]


@dataclass(frozen=True)
class _Match:
    phrase: str
    first: int  # index of the first word
    size: int  # words in the window
    similarity: float


def _find_all(stream: _Stream, phrases: set[str]) -> dict[str, list[_Match]]:
    """Every non-overlapping window matching each phrase, computed in bulk per window size."""
    import numpy as np
    from rapidfuzz import fuzz, process

    by_len: dict[int, list[str]] = {}
    for p in phrases:
        by_len.setdefault(len(p.split()), []).append(p)
    found: dict[str, list[_Match]] = {p: [] for p in phrases}
    cache: dict[int, tuple[list[str], list[str]]] = {}
    for n, group in by_len.items():
        cutoffs = np.array([threshold(p) for p in group])
        for size in {max(1, n - 1), n, n + 1}:
            if size not in cache:
                spaced = stream.windows(size)
                cache[size] = (spaced, [w.replace(" ", "") for w in spaced])
            spaced, joined = cache[size]
            if not spaced:
                continue
            scores = np.maximum(
                process.cdist(group, spaced, scorer=fuzz.ratio, workers=1),
                process.cdist([p.replace(" ", "") for p in group], joined, scorer=fuzz.ratio, workers=1))
            needed = np.maximum(cutoffs, SHORT_WINDOW_MIN) if size < n else cutoffs
            for row, col in zip(*np.nonzero(scores >= needed[:, None]), strict=True):
                found[group[row]].append(_Match(group[row], int(col), size, float(scores[row, col])))
    for p, matches in found.items():  # best first, then drop those overlapping a better one
        kept: list[_Match] = []
        for m in sorted(matches, key=lambda m: (-m.similarity, m.first)):
            if all(m.first + m.size <= k.first or k.first + k.size <= m.first for k in kept):
                kept.append(m)
        found[p] = sorted(kept, key=lambda m: m.first)
    return found


def _negated(stream: _Stream, m: _Match) -> bool:
    if m.phrase.split()[0] in NEGATORS:
        return False
    before = stream.words[max(0, m.first - NEGATION_REACH):m.first]
    return any(w.text in NEGATORS for w in before)


def _evidence(stream: _Stream, m: _Match, weight: float) -> Evidence:
    first, last = stream.words[m.first], stream.words[m.first + m.size - 1]
    heard = " ".join(w.text for w in stream.words[m.first:m.first + m.size])
    start, end = (first.start_s, last.end_s) if stream.timed else (None, None)
    return Evidence(start, end, heard, m.phrase, round(m.similarity, 1), weight, first.segment + 1)


def _judge(rule: ContentRule, stream: _Stream, found: dict[str, list[_Match]]) -> ContentResult:
    voided = {stream.words[m.first].segment for p in rule.exclude for m in found[p]
              if not _negated(stream, m)}  # "tidak berbelit belit" is praise, not a complaint
    candidates = [m for p in rule.phrases for m in found[p]
                  if stream.words[m.first].segment not in voided and not _negated(stream, m)]
    # The same words count once: where phrases overlap ("area empat", "area keempat"), the
    # heaviest, closest match keeps them. Openers only mark where passages start.
    openers = [m for m in candidates if m.phrase in rule.openers]
    usable: list[_Match] = []
    for m in sorted(candidates, key=lambda m: (-rule.phrases[m.phrase] * m.similarity, m.first)):
        if m.phrase not in rule.openers and all(
                m.first + m.size <= k.first or k.first + k.size <= m.first for k in usable):
            usable.append(m)
    best: dict[str, _Match] = {}
    for m in usable + openers:
        if m.phrase not in best or m.similarity > best[m.phrase].similarity:
            best[m.phrase] = m
    score = sum(rule.phrases[p] * m.similarity / 100 for p, m in best.items())
    passages = _passages(rule, stream, usable + openers)
    evidence = tuple(_evidence(stream, m, rule.phrases[m.phrase])
                     for m in sorted(best.values(), key=lambda m: m.first))
    met = score >= rule.min_score and passages >= rule.min_passages
    coverage: Coverage = "met" if met else "weak" if score >= rule.min_score * WEAK_SHARE else "missing"
    sectors = _sectors(rule, stream, found, list(best.values())) if met else ()
    return ContentResult(rule, coverage, round(score, 2), passages, evidence, sectors)


def _passages(rule: ContentRule, stream: _Stream, matches: list[_Match]) -> int:
    """Passages with content: a new one after a silence of passage_gap_s or at an opener."""
    count, open_has_content, last_end = 0, False, None
    for m in sorted(matches, key=lambda m: m.first):
        w = stream.words[m.first]
        if m.phrase in rule.openers or last_end is None or w.start_s - last_end > rule.passage_gap_s:
            count += open_has_content
            open_has_content = False
        open_has_content = open_has_content or m.phrase not in rule.openers
        last_end = stream.words[m.first + m.size - 1].end_s
    return count + open_has_content


def _sectors(rule: ContentRule, stream: _Stream, found: dict[str, list[_Match]],
             matches: list[_Match]) -> tuple[str, ...]:
    """Sectors named within a passage gap of the requirement's matches."""
    spans = [(stream.words[m.first].start_s, stream.words[m.first + m.size - 1].end_s) for m in matches]
    near = set()
    for sector, phrases in rule.sectors.items():
        for p in phrases:
            for m in found[p]:
                t = stream.words[m.first].start_s
                if any(a - rule.passage_gap_s <= t <= b + rule.passage_gap_s for a, b in spans):
                    near.add(sector)
    return tuple(s for s in rule.sectors if s in near)


def cover(transcript: Transcript, rules: tuple[ContentRule, ...]) -> tuple[ContentResult, ...]:
    """Judge every content rule against one transcript."""
    stream = _Stream(transcript)
    phrases = {p for r in rules for p in (*r.phrases, *r.exclude, *(q for qs in r.sectors.values() for q in qs))}
    found = _find_all(stream, phrases) if stream.words and phrases else {p: [] for p in phrases}
    return tuple(_judge(rule, stream, found) for rule in rules)


def content_findings(transcript: Transcript, rules: tuple[ContentRule, ...]) -> tuple[Finding, ...]:
    """One finding per content rule: met, warning (weak: heard too little) or not_met (missing)."""
    findings = []
    for r in cover(transcript, rules):
        # weak: some of it was heard, a person should listen (warning); but too few separate
        # passages (one testimonial where two are required) breaks the rule itself
        short = r.coverage == "weak" and r.score >= r.rule.min_score
        status: Status = "met" if r.coverage == "met" else \
            "warning" if r.coverage == "weak" and not short else "not_met"
        params: dict[str, str | Mapping[str, str]] = {
            "title": r.rule.title, "score": number(r.score), "limit": number(r.rule.min_score),
            "passages": str(r.passages), "min_passages": str(r.rule.min_passages),
            "count": str(len(r.evidence)),
        }
        key = "content.weak_passages" if short else f"content.{r.coverage}"
        detail = ContentDetail(r.rule.title, r.coverage, r.score, r.evidence, r.rule.hint, r.sectors)
        findings.append(Finding(r.rule.id, status, r.score, r.rule.min_score, Message(key, params), detail))
    return tuple(findings)
