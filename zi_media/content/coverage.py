"""Content requirements found in what is said: six areas, impact, testimonials, innovations,
the campaign message; each with timestamped evidence and the reading of its sentence.

Matching survives speech-recognition errors and Indonesian word forms: text is normalised
(case, punctuation, hyphens, digits spelt out in Indonesian), and each profile phrase is
compared with every window of the transcript's words of about its length by fuzzy ratio
(rapidfuzz, computed in bulk), also with the spaces removed ("e court" = "ecourt") and word
by word as roots ("pencanangan" = "mencanangkan"). A match right after a negator ("tidak
puas") or in a segment with an `exclude` phrase (a complaint) does not count. Flagged segments
(suspected hallucinations) are never read.

Then sentences are read, not loose words: a requirement is met when sentences *describe* it,
that is tell the unit's own work (not another institution's, not a definition, a hope or a
duty) with enough of its vocabulary and, where the profile says so, phrases of every
`together` group in the same sentence ("aplikasi" with what it does for whom). A name alone
("area lima penguatan pengawasan") or someone else's work is evidence, shown as such, but
makes the requirement weak at most.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from ..timefmt import mmss, number
from ..types import ContentDetail, Coverage, Evidence, Finding, Message, Passage, ScreenText, Source, Status, Transcript
from . import learned
from .normalize import NUMBER_WORDS, normalize, sentences, stem
from .rules import ContentRule, Reading

if TYPE_CHECKING:
    import numpy as np

_NAME = re.compile(r"\b[Nn]ama saya,? ((?:[A-Z][\w'-]+ ?){1,3})")  # a name as a transcript writes it

NEGATORS = frozenset({"tidak", "tak", "kurang", "belum", "bukan", "nggak", "gak", "enggak"})
UNBOUND = NEGATORS | {"tanpa"}  # before a duty word: no duty ("tanpa harus datang")
PLACES = frozenset({"di", "ke", "kepada", "pada", "bagi", "untuk", "terhadap", "dalam"})  # not acting
WITHIN = frozenset({"lingkup", "lingkungan", "bawah", "naungan", "jajaran"})  # "di lingkungan Mahkamah Agung"
NEGATION_REACH = 2  # words before a match that may negate it
COMPLAINT_MIN = 95.0  # similarity a complaint needs to void its segment: heard as said
UNTIMED_STEP_S = 10.0  # pseudo-seconds between lines of a transcript without times
WEAK_SHARE = 0.25  # below this share of min_score a requirement is missing, not weak
PASSAGE_BACK = 2  # sentences before a sentence that belong to its passage
NEAR_S = 3.0  # at most this pause between two timed segments of one passage
NAMED_SHARE = 0.5  # of passage_score, in a passage that names the requirement

def threshold(phrase: str) -> float:
    """Similarity (0-100) a window needs: short words must be exact, long phrases may slip;
    one long word less than several ("pencanangan" is not "penanganan")."""
    n = len(phrase.replace(" ", ""))
    return 100.0 if n <= 4 else 90.0 if n <= 7 or " " not in phrase else 85.0


MERGED_MIN = 95.0  # a window of fewer words than the phrase: only merged words ("ecourt"), not one left out
WORD_MIN = 75.0  # each word of a phrase in a window of its size: one word wholly other is no match


@dataclass(frozen=True)
class ContentResult:
    rule: ContentRule
    coverage: Coverage
    score: float  # weight of the sentences that describe it (what `met` is judged on)
    passages: int  # separate passages among those sentences
    evidence: tuple[Evidence, ...]  # the best match of each phrase, in time order
    sectors: tuple[str, ...] = ()  # sectors heard near the evidence (innovations)
    heard: float = 0.0  # weight of everything heard, named or not, anyone's work
    voices: tuple[tuple[str, float, str | None], ...] | None = None  # by_voice rules: each outside
    # voice of the describing passages, when it first speaks, the name it says; None: not told apart
    learned: float | None = None  # the learned model's score of the text (None: no model for it)
    learned_threshold: float | None = None  # the score at which the model finds it
    by_model: bool = False  # met only because the model found it (the rules alone did not)
    doubted: bool = False  # the rules found it, the model did not: weak, to be listened to


@dataclass(frozen=True)
class _Word:
    text: str
    root: str
    segment: int  # a key of the stream's segments: 0.. for speech, -1.. for screen text
    sentence: int
    start_s: float
    end_s: float
    source: Source = "speech"


class _Stream:
    """The transcript's evidence segments, and the text shown on screen, as one run of
    normalised words in time order, cut into sentences."""

    def __init__(self, transcript: Transcript, screen: tuple[ScreenText, ...] = ()) -> None:
        self.timed = transcript.timed
        self.voice_of = {i: seg.speaker for i, seg in enumerate(transcript.segments)}
        self.said = {i: seg.text for i, seg in enumerate(transcript.segments) if seg.flag is None}
        self.roles = {s.id: s.role for s in transcript.speakers}  # empty: voices not told apart
        self.spans = {i: (seg.start_s, seg.end_s) for i, seg in enumerate(transcript.segments)}
        self.shown = screen if transcript.timed else ()
        self.words: list[_Word] = []
        self.sentences: list[tuple[int, int]] = []  # [first, end) word index of each sentence
        self.said_as: list[str] = []  # each sentence as written (the context shown with evidence)
        self.confidence = {i: seg.confidence for i, seg in enumerate(transcript.segments)}
        items: list[tuple[float, float, str, int, Source]] = []
        for i, seg in enumerate(transcript.segments):
            if seg.flag is not None:
                continue
            start, end = (seg.start_s, seg.end_s) if transcript.timed else (i * UNTIMED_STEP_S,) * 2
            items.append((start, end, seg.text, i, "slide" if transcript.engine == "paparan" else "speech"))
        if transcript.timed or not items:
            items += [(s.start_s, s.end_s, s.text, -1 - k, "screen") for k, s in enumerate(screen)]
            items.sort(key=lambda item: (item[0], item[4] == "screen"))
        for start, end, said, key, source in items:
            for text in sentences(said):
                first, n = len(self.words), len(self.sentences)
                self.words += [_Word(w, stem(w), key, n, start, end, source) for w in normalize(text)]
                if len(self.words) > first:
                    self.sentences.append((first, len(self.words)))
                    self.said_as.append(" ".join(text.split()))

    def windows(self, size: int, roots: bool = False) -> list[str]:
        texts = [w.root if roots else w.text for w in self.words]
        return [" ".join(texts[i:i + size]) for i in range(len(texts) - size + 1)]

    def texts(self, sentence: int, roots: bool = False) -> list[str]:
        first, end = self.sentences[sentence]
        return [w.root if roots else w.text for w in self.words[first:end]]


@dataclass(frozen=True)
class _Match:
    phrase: str
    first: int  # index of the first word
    size: int  # words in the window
    similarity: float


CONTEXT_CHARS = 240  # the sentence shown around a piece of evidence, shortened at a word beyond this
ROOTED_WORD_MIN = 10  # letters a one-word phrase needs to match other forms of its root


def _rooted(phrase: str) -> str:
    """The phrase as roots, for matching other forms of its words. A single short word keeps
    its form: "meningkat" (rose, a result) is not "meningkatkan" (to raise, an aim), while
    "pencanangan" matches "dicanangkan" and "memudahkan" matches "kemudahan"."""
    if " " not in phrase and len(phrase) < ROOTED_WORD_MIN:
        return phrase
    return " ".join(stem(w) for w in phrase.split())


def _find_all(stream: _Stream, phrases: set[str]) -> dict[str, list[_Match]]:
    """Every non-overlapping window matching each phrase, computed in bulk per window size."""
    import numpy as np
    from rapidfuzz import fuzz, process

    by_len: dict[int, list[str]] = {}
    for p in phrases:
        by_len.setdefault(len(p.split()), []).append(p)
    found: dict[str, list[_Match]] = {p: [] for p in phrases}
    cache: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for n, group in by_len.items():
        cutoffs = np.array([threshold(p) for p in group])
        for size in {max(1, n - 1), n, n + 1}:
            if size not in cache:
                spaced = stream.windows(size)
                cache[size] = (spaced, [w.replace(" ", "") for w in spaced], stream.windows(size, roots=True))
            spaced, joined, rooted = cache[size]
            if not spaced:
                continue
            scores = np.maximum(
                process.cdist(group, spaced, scorer=fuzz.ratio, workers=1),
                process.cdist([p.replace(" ", "") for p in group], joined, scorer=fuzz.ratio, workers=1))
            if size == n:  # the same words in another form: equal roots (see _rooted)
                at: dict[str, list[int]] = {}
                for col, window in enumerate(rooted):
                    at.setdefault(window, []).append(col)
                for row, p in enumerate(group):
                    scores[row, at.get(_rooted(p), [])] = 100.0
            needed = np.maximum(cutoffs, MERGED_MIN) if size < n else cutoffs
            for row, col in zip(*np.nonzero(scores >= needed[:, None]), strict=True):
                if size == n and not _word_by_word(group[row], stream.words[col:col + n]):
                    continue
                found[group[row]].append(_Match(group[row], int(col), size, float(scores[row, col])))
    for p, matches in found.items():  # best first, then drop those overlapping a better one
        kept: list[_Match] = []
        for m in sorted(matches, key=lambda m: (-m.similarity, m.first)):
            if all(m.first + m.size <= k.first or k.first + k.size <= m.first for k in kept):
                kept.append(m)
        found[p] = sorted(kept, key=lambda m: m.first)
    return found


def _word_by_word(phrase: str, words: list[_Word]) -> bool:
    """Every word of the phrase is like its counterpart, or shares its root."""
    from rapidfuzz import fuzz

    return all(w.text == p or w.root == stem(p) or fuzz.ratio(p, w.text) >= WORD_MIN
               for p, w in zip(phrase.split(), words, strict=True))


def _spans(words: list[str], phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the phrases are among the words, as (start, end), in order."""
    by_first: dict[str, list[list[str]]] = {}
    for p in phrases:
        by_first.setdefault(p.split()[0], []).append(p.split())
    return sorted((i, i + len(p)) for i, w in enumerate(words) for p in by_first.get(w, ()) if words[i:i + len(p)] == p)


def _starts(words: list[str], phrases: tuple[str, ...], unless_after: frozenset[str] = frozenset()) -> list[int]:
    """Where the phrases start among the words (in order), except right after `unless_after`."""
    return [i for i, _ in _spans(words, phrases) if i == 0 or words[i - 1] not in unless_after]


def _placed(words: list[str], i: int) -> bool:
    """An institution only placed or addressed: after "di", "ke", ... ("di 35 pengadilan",
    "di lingkungan Mahkamah Agung")."""
    while i > 0 and words[i - 1] in NUMBER_WORDS:
        i -= 1
    if i > 1 and words[i - 1] in WITHIN:
        i -= 1
    return i > 0 and words[i - 1] in PLACES


def _actors(words: list[str], reading: Reading, own_media: bool) -> tuple[list[int], list[int], bool]:
    """Where the unit and where other institutions are named as acting, longest names first
    ("pengadilan tinggi" is another court in a PN's text, not the unit's "pengadilan"), and
    whether the text is mostly about other institutions: named at least as often as the unit,
    acting or not, in a text that is not the unit's own media.

    A unit word that heads names of bodies ("pengadilan" of "pengadilan negeri") is the unit's
    only in a text whose unit is such a body, or which names no body and is the unit's own
    media or names other institutions acting less often: in a Lapas's text, or a Komisi
    Yudisial report, "pengadilan" is another institution."""
    named = [(i, body) for body, names in enumerate(reading.bodies) for i, _ in _spans(words, names)]
    own_body = min(named)[1] if named else None
    heads = {name.split()[0] for names in reading.bodies for name in names}
    generic = {u for u in reading.unit if u.split()[0] in heads}
    # (start, end, own, generic): which names are kept does not depend on whose the generic ones are
    cues = [(a, b, True, u in generic) for u in reading.unit for a, b in _spans(words, (u,))]
    cues += [(a, b, False, False) for a, b in _spans(words, reading.others)]
    cues += [(a, b, body == own_body, False) for body, names in enumerate(reading.bodies)
             for a, b in _spans(words, names)]
    kept: list[tuple[int, int, bool, bool]] = []
    for a, b, own, gen in sorted(cues, key=lambda c: (c[0] - c[1], c[0])):  # longest first
        if all(b <= ka or kb <= a for ka, kb, _, _ in kept):
            kept.append((a, b, own, gen))
    if own_body is not None:
        generic_own = any(name.split()[0] in {g.split()[0] for g in generic} for name in reading.bodies[own_body])
    else:
        generic_own = own_media or sum(own for _, _, own, _ in kept) >= sum(
            not own and not _placed(words, a) for a, _, own, _ in kept)
    owned = [(a, own and (generic_own or not gen)) for a, _, own, gen in kept]
    acting = sorted((a, own) for a, own in owned if not _placed(words, a))
    others = sum(not own for _, own in owned)
    mostly_others = not own_media and 0 < others >= len(owned) - others
    return [a for a, own in acting if own], [a for a, own in acting if not own], mostly_others


def _reads(stream: _Stream, reading: Reading, own_media: bool = True) -> list[str]:
    """How each sentence is read: "own" (the unit's work, told as done), "other" (another
    institution's, or the unit attending its event) or "general" (a definition, a hope, a duty).

    Whose work follows the institution a sentence names first as acting (not one only placed
    or addressed: "di pengadilan agama", "lapor ke KPK"); a sentence that names none continues
    the paragraph's last one named (in speech, a paragraph goes on across segments said without a
    pause). A paragraph that has named none yet is the unit's in its
    own media (its video, paparan and screen text: an area title with its caption, narration
    without "kami"); in a text about the unit written by others (an article: `own_media`
    false) it belongs to whoever the whole text names more often (a KPK explainer). A definition
    ("X adalah ...") is general unless the unit is named in it or the sentence before; a duty
    word counts unless negated ("tanpa harus datang")."""
    import bisect

    words = [w.text for w in stream.words]
    unit, others, mostly_others = _actors(words, reading, own_media)
    attending, definition = _starts(words, reading.attending), _starts(words, reading.definition)
    hoped = _starts(words, reading.aspiration, UNBOUND | {"yang"})  # "dokumen yang wajib dilaksanakan" is done
    default = "other" if mostly_others else "own"
    out: list[str] = []
    actor, unit_before, segment = default, False, None
    for first, end in stream.sentences:
        def within(at: list[int], first: int = first, end: int = end) -> list[int]:
            return at[bisect.bisect_left(at, first):bisect.bisect_left(at, end)]
        if stream.words[first].segment != segment:
            if not (own_media and first and _goes_on(stream, stream.words[first - 1], stream.words[first])):
                actor, unit_before = default, False
            segment = stream.words[first].segment
        own_at, other_at = within(unit), within(others)
        if own_at or other_at:
            actor = "other" if other_at and (not own_at or other_at[0] < own_at[0]) else "own"
        if actor == "other" or (other_at and within(attending)):
            out.append("other")
        elif within(hoped) or (not own_at and not unit_before and within(definition)):
            out.append("general")
        else:
            out.append("own")
        unit_before = bool(own_at)
    return out


def _goes_on(stream: _Stream, before: _Word, word: _Word) -> bool:
    """Speech that goes on from one segment into the next, as a recogniser cuts one paragraph
    (the same source, within NEAR_S; in a script without times, the next line): a sentence
    there continues whose work was told."""
    if before.source != word.source or word.source == "screen":
        return False
    return word.start_s - before.end_s <= NEAR_S if stream.timed else word.segment == before.segment + 1


def _negated(stream: _Stream, m: _Match) -> bool:
    if m.phrase.split()[0] in NEGATORS:
        return False
    before = stream.words[max(0, m.first - NEGATION_REACH):m.first]
    return any(w.text in NEGATORS for w in before)


def _clear(stream: _Stream, m: _Match) -> bool:
    """The match was heard as written, not only alike or of the same root ("perbelit" is
    "berbelit" by its root, but no word a speaker says)."""
    from rapidfuzz import fuzz

    heard = " ".join(w.text for w in stream.words[m.first:m.first + m.size])
    return fuzz.ratio(m.phrase, heard) >= COMPLAINT_MIN


def _inside(m: _Match, k: _Match) -> bool:
    """`m`'s words lie within the longer match `k`."""
    return k.size > m.size and k.first <= m.first and m.first + m.size <= k.first + k.size


def _evidence(stream: _Stream, m: _Match, weight: float, passage: Passage) -> Evidence:
    first, last = stream.words[m.first], stream.words[m.first + m.size - 1]
    heard = " ".join(w.text for w in stream.words[m.first:m.first + m.size])
    start, end = (first.start_s, last.end_s) if stream.timed or first.source == "screen" else (None, None)
    line = -first.segment if first.source == "screen" else first.segment + 1
    speaker = stream.voice_of.get(first.segment) if first.source == "speech" else None
    confidence = stream.confidence.get(first.segment) if first.source == "speech" else None
    return Evidence(start, end, heard, m.phrase, round(m.similarity, 1), weight, line, passage, first.source,
                    speaker, stream.roles.get(speaker) if speaker else None,
                    textwrap.shorten(stream.said_as[first.sentence], CONTEXT_CHARS, placeholder=" \u2026"),
                    None if confidence is None else round(confidence, 2))


def _passage(stream: _Stream, sentence: int) -> list[int]:
    """The sentence and up to PASSAGE_BACK before it, in the same segment or said right before
    (in a text without times: on the line before, as a paragraph goes on)."""
    out = [sentence]
    while len(out) <= PASSAGE_BACK and out[0] > 0:
        before, after = stream.sentences[out[0] - 1], stream.sentences[out[0]]
        a, b = stream.words[before[1] - 1], stream.words[after[0]]
        if a.segment != b.segment and not (b.start_s - a.end_s <= NEAR_S if stream.timed
                                           else b.segment == a.segment + 1 and b.source == a.source):
            break  # a pause, or (text without times) another line than the next one
        out.insert(0, out[0] - 1)
    return out


def _best(matches: list[_Match]) -> dict[str, _Match]:
    best: dict[str, _Match] = {}
    for m in matches:
        if m.phrase not in best or m.similarity > best[m.phrase].similarity:
            best[m.phrase] = m
    return best


def _weight(rule: ContentRule, best: Mapping[str, _Match]) -> float:
    return sum(rule.phrases[p] * m.similarity / 100 for p, m in best.items())


def _usable(rule: ContentRule, stream: _Stream,
            found: dict[str, list[_Match]]) -> tuple[list[_Match], list[_Match], set[int]]:
    """The rule's matches that may count (not negated, not in a complaint's segment, the same
    words once), the openers among them, and the segments a complaint voids."""
    # "tidak berbelit belit" is praise, not a complaint. A complaint voids its segment only where
    # it was heard clearly (a recogniser that garbles "berbelit" as "perbelit" garbles the
    # "tidak" before it too: "tantimak perbelit belit"), not negated, and not inside a longer
    # praise phrase of the rule ("timak berbelit belit" read as "tidak berbelit belit").
    praise = [m for p in rule.phrases for m in found[p] if not _negated(stream, m)]
    voided = {stream.words[m.first].segment for p in rule.exclude for m in found[p]
              if _clear(stream, m) and not _negated(stream, m) and not any(_inside(m, k) for k in praise)}
    candidates = [m for m in praise if stream.words[m.first].segment not in voided]
    # The same words count once: where phrases overlap ("area empat", "area keempat"), the
    # heaviest, closest, longest match keeps them. Openers only mark where passages start.
    openers = [m for m in candidates if m.phrase in rule.openers]
    usable: list[_Match] = []
    for m in sorted(candidates, key=lambda m: (-rule.phrases[m.phrase] * m.similarity, -m.size, m.first)):
        if m.phrase not in rule.openers and all(
                m.first + m.size <= k.first or k.first + k.size <= m.first for k in usable):
            usable.append(m)
    return usable, openers, voided


def _measures(rule: ContentRule, stream: _Stream, usable: list[_Match], voided: set[int],
              reads: list[str]) -> list[list[float]]:
    """The rules' measures of each sentence, as the learned model takes them (learned.MEASURES):
    the requirement's vocabulary weight (names aside) in it and in the sentences before it in
    its passage, whether it names the requirement, how it is read, whether a complaint voids it."""
    told: dict[int, list[_Match]] = {}
    named: set[int] = set()
    for m in usable:
        sentence = stream.words[m.first].sentence
        if m.phrase in rule.names:
            named.add(sentence)
        else:
            told.setdefault(sentence, []).append(m)
    hit = [min(_weight(rule, _best(told.get(s, []))), learned.HIT_CAP) / learned.HIT_CAP
           for s in range(len(stream.sentences))]
    rows = []
    for s, (first, _) in enumerate(stream.sentences):
        context = max((hit[b] for b in _passage(stream, s)[:-1]), default=0.0)
        rows.append([hit[s], context, float(s in named), float(reads[s] == "own"), float(reads[s] == "other"),
                     float(reads[s] == "general"), float(stream.words[first].segment in voided)])
    return rows


def _countable(rule: ContentRule, reads: list[str]) -> list[bool]:
    """The sentences the model may find a requirement in, as the rules read them: the unit's
    own work told as done, where the requirement is the unit's (not another body's work, a
    definition, a hope or a duty)."""
    return [not rule.attributed or read == "own" for read in reads]


def _judge(rule: ContentRule, stream: _Stream, found: dict[str, list[_Match]],
           reads: list[str], scorer: learned.Scorer | None, embeddings: np.ndarray | None) -> ContentResult:
    usable, openers, voided = _usable(rule, stream, found)
    by_sentence: dict[int, list[_Match]] = {}
    for m in usable:
        by_sentence.setdefault(stream.words[m.first].sentence, []).append(m)
    describing: set[int] = set()
    for sentence in by_sentence:
        # a passage: the sentence with the one or two before it ("... akta anak sekaligus. Ini
        # terobosan pertama."); after the requirement's name ("Area dua, penataan tata laksana.
        # Kami menyusun ..."), half the weight describes it
        window = [s for s in _passage(stream, sentence) if s in by_sentence
                  and (not rule.attributed or reads[s] == "own")]
        if sentence not in window:
            continue
        in_window = [m for s in window for m in by_sentence[s]]
        told = _best([m for m in in_window if m.phrase not in rule.names])
        named = any(m.phrase in rule.names for m in in_window)
        on_screen = stream.words[stream.sentences[sentence][0]].source == "screen"
        together = rule.screen_together if on_screen and rule.screen_together is not None else rule.together
        if told and _weight(rule, told) >= rule.passage_score * (NAMED_SHARE if named else 1.0) and \
                all(any(p in told for p in group) for group in together):
            describing.update(window)

    def read_as(m: _Match) -> Passage:
        sentence = stream.words[m.first].sentence
        if sentence in describing:  # a name counts within a passage that tells its work
            return "describes"
        if m.phrase in rule.names:  # a heading ("Area lima, penguatan pengawasan") is nobody's work
            return "named"
        if rule.attributed and reads[sentence] != "own":
            return "other" if reads[sentence] == "other" else "general"
        return "partial"

    counted = [m for m in usable if read_as(m) == "describes"]
    described = _weight(rule, _best(counted))
    passages = _passages(rule, stream, counted + openers) if counted else 0
    voices = _outside_voices(stream, counted) if rule.by_voice and stream.roles else None
    heard_best = _best(usable)
    heard = _weight(rule, heard_best)
    people = passages if voices is None else min(passages, len(voices))
    met = described >= rule.min_score and people >= rule.min_passages and described > 0
    model = scorer.models.get(rule.id) if scorer is not None and embeddings is not None else None
    score: float | None = None
    read: list[Evidence] = []
    by_model = doubted = False
    if model is not None and embeddings is not None:
        score, read = _learned(rule, stream, model, embeddings, _measures(rule, stream, usable, voided, reads),
                               reads, met)
        agrees = score >= model.threshold
        if agrees and voices is not None and not met:  # as many outside voices as people needed
            voices = _voices(stream, [(e.speaker, e.start_s or 0.0) for e in read])
            agrees = len(voices) >= rule.min_passages
        by_model, doubted = agrees and not met, model.overrules and met and not agrees
        met = agrees if model.overrules else met or agrees
    coverage: Coverage = "met" if met else "weak" if doubted or heard >= rule.min_score * WEAK_SHARE else "missing"
    shown = {**heard_best, **_best(counted)}  # a phrase's describing match before others
    evidence = tuple(_evidence(stream, m, rule.phrases[m.phrase], read_as(m))
                     for m in sorted(shown.values(), key=lambda m: m.first))
    if met and read:
        evidence = tuple(sorted(evidence + tuple(read), key=lambda e: (e.line if e.start_s is None else e.start_s)))
    sectors = _sectors(rule, stream, found, counted) if met else ()
    return ContentResult(rule, coverage, round(described, 2), passages, evidence, sectors, round(heard, 2),
                         voices, None if score is None else round(score, 3),
                         None if model is None else model.threshold, by_model, doubted)


MODEL_EVIDENCE = 6  # sentences the model found shown as evidence, best first


def _learned(rule: ContentRule, stream: _Stream, model: learned.Model, embeddings: np.ndarray,
             measures: list[list[float]], reads: list[str], rules_met: bool) -> tuple[float, list[Evidence]]:
    """The model's probability that the text describes the requirement, and its best sentences
    (those at the text's sentence score or above) as evidence: the whole sentence is what it read."""
    import numpy as np

    rows = np.asarray(measures, dtype=np.float64).reshape(len(stream.sentences), len(learned.MEASURES))
    probabilities = model.probabilities(learned.design(embeddings, rows))
    passages = [stream.words[first].segment for first, _ in stream.sentences]
    best, chosen = learned.text_score(probabilities.tolist(), passages, _countable(rule, reads), rule.min_passages)
    decided = model.decide(learned.text_features(best, rules_met, rows))
    out = []
    for s in sorted(chosen, key=lambda s: -probabilities[s])[:MODEL_EVIDENCE]:
        first, end = stream.sentences[s]
        p = round(float(probabilities[s]), 3)
        out.append(replace(_evidence(stream, _Match("", first, end - first, 100.0), p, "describes"), model_score=p))
    return decided, out


def _outside_voices(stream: _Stream, matches: list[_Match]) -> tuple[tuple[str, float, str | None], ...]:
    """The voices other than the narrator's that say `matches`, each with when it first does and
    the name it gives itself ("nama saya Budi ..."), if any: two passages in one voice are one
    person, and a narrator reading a quote is no testimonial."""
    words = [stream.words[m.first] for m in matches]
    return _voices(stream, [(stream.voice_of.get(w.segment) if w.source == "speech" else None, w.start_s)
                            for w in words])


def _voices(stream: _Stream, said: list[tuple[str | None, float]]) -> tuple[tuple[str, float, str | None], ...]:
    """Each outside voice among (voice, time) pairs, when it first speaks and its name."""
    first: dict[str, float] = {}
    for speaker, t in sorted(said, key=lambda pair: pair[1]):
        if speaker and stream.roles.get(speaker) == "other":
            first.setdefault(speaker, t)
    return tuple((speaker, t, _name_shown(stream, speaker) or _name_said(stream, speaker))
                 for speaker, t in first.items())


def _name_said(stream: _Stream, speaker: str) -> str | None:
    """The name a voice says it has: the capitalised words after "nama saya" in its segments."""
    for i, text in stream.said.items():
        if stream.voice_of.get(i) == speaker and (found := _NAME.search(text)):
            return found.group(1).strip()
    return None


def _name_shown(stream: _Stream, speaker: str) -> str | None:
    """The name a lower third gives a voice: a name-shaped line on screen while it speaks
    (spelled as shown, so it is preferred to the name the recogniser heard)."""
    spans = [stream.spans[i] for i in stream.said if stream.voice_of.get(i) == speaker]
    for line in stream.shown:
        if any(line.start_s < b and a < line.end_s for a, b in spans) and (name := lower_third_name(line.text)):
            return name
    return None


_HONORIFICS = {"bapak", "bpk", "ibu", "sdr", "sdri", "saudara", "saudari", "h", "hj", "dr", "drs", "dra", "ir", "prof"}
_NOT_NAMES = {  # capitalised words of titles, captions and unit names, never of a person's name
    "pengadilan", "negeri", "agama", "tinggi", "militer", "tata", "usaha", "mahkamah", "agung", "kelas",
    "zona", "integritas", "wilayah", "bebas", "dari", "korupsi", "birokrasi", "bersih", "dan", "melayani",
    "wbk", "wbbm", "area", "manajemen", "perubahan", "penataan", "laksana", "sistem", "sdm", "penguatan",
    "akuntabilitas", "kinerja", "pengawasan", "peningkatan", "kualitas", "pelayanan", "publik", "inovasi",
    "aplikasi", "layanan", "ptsp", "testimoni", "pembangunan", "video", "profil", "satuan", "kerja",
    "terima", "kasih", "selamat", "datang", "salam", "menuju", "bersama", "tolak", "stop", "gratifikasi",
    "pungli", "anti", "budaya", "informasi", "pengaduan", "covid", "tokoh",
    "masyarakat", "pengguna", "adat", "ketua", "hakim", "panitera", "sekretaris", "kami", "siap",
}


def lower_third_name(line: str) -> str | None:
    """The person's name in a lower third ("Budi Santoso, S.H. - Tokoh Masyarakat",
    "IBU SITI AMINAH"), title-cased; None for a line that is not shaped like a name: one to
    four capitalised words after any honorific, a lone word only when a role follows it."""
    head, *rest = re.split(r"\s*[,|/\u2013\u2014]\s*|\s+-\s+", line.strip(), maxsplit=1)
    words = [w for w in head.split() if w.lower().rstrip(".") not in _HONORIFICS]
    if not 1 <= len(words) <= 4 or (len(words) == 1 and not rest):
        return None
    if not all(re.fullmatch(r"[A-Z][A-Za-z'\u2019]*\.?", w) for w in words) \
            or any(w.lower().rstrip(".") in _NOT_NAMES for w in words):
        return None
    return " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in words)


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


Shipped = Literal["shipped"]


def _prepared(transcript: Transcript, rules: tuple[ContentRule, ...], screen: tuple[ScreenText, ...],
              own_media: bool) -> tuple[_Stream, dict[str, list[_Match]], dict[Reading, list[str]]]:
    stream = _Stream(transcript, screen)
    phrases = {p for r in rules for p in (*r.phrases, *r.exclude, *(q for qs in r.sectors.values() for q in qs))}
    found = _find_all(stream, phrases) if stream.words and phrases else {p: [] for p in phrases}
    readings = {r.reading for r in rules}
    return stream, found, {reading: _reads(stream, reading, own_media) for reading in readings}


def cover(transcript: Transcript, rules: tuple[ContentRule, ...], screen: tuple[ScreenText, ...] = (),
          own_media: bool = True, scorer: learned.Scorer | Shipped | None = "shipped",
          embedder: learned.Embedder | None = None) -> tuple[ContentResult, ...]:
    """Judge every content rule against one transcript and the text shown on screen: the
    unit's own media unless `own_media` is false (an article about it, as in the corpus); with
    the shipped learned scorer beside the rules unless another (or None: rules only) is given."""
    stream, found, reads = _prepared(transcript, rules, screen, own_media)
    model = learned.load() if scorer == "shipped" else scorer
    embeddings = None
    if model is not None and stream.sentences and any(r.id in model.models for r in rules):
        unique = list(dict.fromkeys(stream.said_as))  # a sentence said or shown again is embedded once
        rows = (embedder or learned.embed)(unique)
        at = {text: i for i, text in enumerate(unique)}
        embeddings = rows[[at[text] for text in stream.said_as]]
    return tuple(_judge(rule, stream, found, reads[rule.reading], model, embeddings) for rule in rules)


@dataclass(frozen=True)
class SentenceReading:
    """What the learned model reads of a text, per requirement: the sentences as written, and
    for each requirement their measures, whether each may count, its passage, and what the
    rules alone judge (for fitting and measuring the model: tests/coverage_eval/learn.py)."""

    sentences: tuple[str, ...]
    passages: tuple[int, ...]
    measures: Mapping[str, list[list[float]]]
    countable: Mapping[str, list[bool]]
    rules_met: Mapping[str, bool]


def read_sentences(transcript: Transcript, rules: tuple[ContentRule, ...], screen: tuple[ScreenText, ...] = (),
                   own_media: bool = True) -> SentenceReading:
    stream, found, reads = _prepared(transcript, rules, screen, own_media)
    measures, countable, met = {}, {}, {}
    for rule in rules:
        usable, _, voided = _usable(rule, stream, found)
        measures[rule.id] = _measures(rule, stream, usable, voided, reads[rule.reading])
        countable[rule.id] = _countable(rule, reads[rule.reading])
        met[rule.id] = _judge(rule, stream, found, reads[rule.reading], None, None).coverage == "met"
    return SentenceReading(tuple(stream.said_as), tuple(stream.words[a].segment for a, _ in stream.sentences),
                           measures, countable, met)


def _weak_why(r: ContentResult) -> str:
    """Why a requirement heard is still weak, from how its evidence was read."""
    read = {e.passage for e in r.evidence}
    if read & {"describes", "partial"} or not read:
        return "content.weak"  # its own sentences say too little
    return "content.named" if read == {"named"} else "content.others" if "other" in read else "content.general"


def content_findings(transcript: Transcript, rules: tuple[ContentRule, ...],
                     screen: tuple[ScreenText, ...] = ()) -> tuple[Finding, ...]:
    """One finding per content rule: met, warning (weak: heard too little) or not_met (missing)."""
    findings = []
    for r in cover(transcript, rules, screen):
        # weak: some of it was heard, a person should listen (warning); but too few separate
        # passages (one testimonial where two are required) breaks the rule itself
        short = r.coverage == "weak" and r.score >= r.rule.min_score
        status: Status = "met" if r.coverage == "met" else \
            "warning" if r.coverage == "weak" and not short else "not_met"
        params: dict[str, str | Mapping[str, str]] = {
            "title": r.rule.title, "score": number(r.score), "limit": number(r.rule.min_score),
            "passages": str(r.passages), "min_passages": str(r.rule.min_passages),
            "count": str(len(r.evidence)), "voices": str(len(r.voices or ())),
            "times": ", ".join(mmss(t) + (f" {name}" if name else "") for _, t, name in r.voices or ()),
            "heard": number(r.heard),
            "learned": number(r.learned or 0.0), "threshold": number(r.learned_threshold or 0.0),
        }
        key = "content.weak_passages" if short else _weak_why(r) if r.coverage == "weak" else \
            "content.barely" if r.coverage == "missing" and r.evidence else f"content.{r.coverage}"
        if r.voices is not None and r.score >= r.rule.min_score and r.passages >= r.rule.min_passages:
            # the words made enough testimonials: the voices decide how many people spoke them
            key = "content.met_voices" if r.coverage == "met" else \
                "content.narrator_voice" if not r.voices else "content.same_voice"
            status = "met" if r.coverage == "met" else "warning"
        elif r.rule.by_voice and r.coverage == "met" and transcript.engine != "file":
            key = "content.met_unvoiced"  # heard, but its voices could not be told apart
        elif r.by_model:
            key = "content.met_model"  # the rules' phrases fell short; the sentences describe it
        elif r.doubted:
            key = "content.doubted"  # the phrases were heard; the sentences do not read as describing it
        detail = ContentDetail(r.rule.title, r.coverage, r.score, r.evidence, r.rule.hint, r.sectors,
                               r.learned, r.learned_threshold)
        findings.append(Finding(r.rule.id, status, r.score, r.rule.min_score, Message(key, params), detail))
    return tuple(findings)
