#!/usr/bin/env python3
"""How often content coverage agrees with careful readers, side by side with a plain keyword
matcher (what a reader with Ctrl-F would do), on two corpora kept apart:

- **real**: Indonesian court and government texts as published, labelled by reading
  (`real/labels.yaml` for the train and dev splits, `real/labels-sealed.yaml` for the sealed
  test split; rules in `real/README.md`); texts whose terms forbid redistribution are read
  from `bench/data/coverage-real/` when present and counted as missing otherwise;
- **synthetic**: narration written for the tests and its espeak-ng transcripts
  (`labels.yaml`); it plumbs, it does not predict real text.

A requirement judged `met` is a positive; `weak` and `missing` are negatives. A `null` label
(defensible either way) is left out of every figure. The keyword matcher calls a requirement
met when any of its names or anchor phrases (the profile's weight-1 phrases) appears, case and
punctuation ignored. Evidence precision: of the true labels judged met whose sentences the
readers marked, those whose top evidence is one of them. Run from the repository root:
`python -m tests.coverage_eval.evaluate [--sealed]` (tables per split, then every disagreement
but the sealed split's). tests/test_coverage.py holds the floors.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import yaml

from zi_media.content import learned
from zi_media.content.coverage import ContentResult, cover
from zi_media.content.normalize import normalize, sentences
from zi_media.content.rules import ContentRule
from zi_media.profiles import load_profile
from zi_media.report.common import strongest
from zi_media.speech.transcript_files import read
from zi_media.types import Evidence, Segment, Transcript

if TYPE_CHECKING:
    import numpy as np

HERE = Path(__file__).resolve().parent
REAL = HERE / "real"
LOCAL_REAL = Path(os.environ.get("ZI_MEDIA_COVERAGE_REAL", HERE.parents[1] / "bench" / "data" / "coverage-real"))
CACHE = HERE.parents[1] / "bench" / "data" / "e5-cache.npz"


@dataclass(frozen=True)
class Outcome:
    file: str
    kind: str
    style: str  # synthetic: clean/asr/testimonial/news/negative; real: positive/negative
    requirement: str
    expected: bool | None  # None: the label is null (defensible either way)
    predicted: bool
    coverage: str
    score: float
    keyword: bool  # what the plain keyword matcher says
    reason: str = ""  # the reader's reason (real corpus)
    top_shown: bool | None = None  # a true label judged met: is its top evidence a sentence the reader marked?
    rules: bool = False  # what the phrase rules alone say (zi-media before the learned scorer)
    learned: float | None = None  # the learned scorer's text score


def keyword_met(text: str, rule: ContentRule) -> bool:
    """Any of the rule's names or anchors (weight 1 phrases) in the text, as whole words."""
    said = f" {' '.join(normalize(text))} "
    return any(f" {phrase} " in said for phrase, weight in rule.phrases.items() if weight >= 1.0)


def real_transcript(path: Path) -> Transcript:
    """A real text as an untimed transcript, one segment per line, without its source line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    segments = tuple(Segment(0.0, 0.0, ln.strip(), 1.0) for ln in lines if ln.strip())
    return Transcript(segments, "id", "file", "text", {}, 0.0, timed=False)


SECOND_LEVEL = ("go", "co", "or", "ac", "sch", "web", "my", "desa", "net", "mil", "ponpes", "biz", "com", "org")


def site(url: str) -> str:
    """The site a source address belongs to: its registered name ("pn-serang.go.id",
    "mahkamahagung.go.id", "detik.com"), so that subdomains count as one site."""
    host = (urlparse(url).hostname or url).lower()
    parts = host.split(".")
    keep = 3 if len(parts) >= 3 and parts[-1] == "id" and parts[-2] in SECOND_LEVEL else 2
    return ".".join(parts[-keep:])


def real_path(name: str, local: bool) -> Path | None:
    path = (LOCAL_REAL if local else REAL / "texts") / name
    return path if path.is_file() else None


SEALED = REAL / "labels-sealed.yaml"  # the test split: labelled before the judgement was fitted, run once


def real_cases(split: str | None = None) -> list[dict]:
    """The labelled entries of a split (train and dev in labels.yaml, the sealed test split in
    its own file, so that fitting never reads it), or of all three."""
    cases = yaml.safe_load((REAL / "labels.yaml").read_text(encoding="utf-8"))
    if split in (None, "test"):
        cases += yaml.safe_load(SEALED.read_text(encoding="utf-8")) if SEALED.is_file() else []
    return [c for c in cases if split in (None, c["split"])]


WRAPPED_LINES = 4  # a quote may run over this many lines of a hard-wrapped text (a report's PDF)


def marked(lines: list[str], quotes: Iterable[str]) -> set[tuple[int, str]]:
    """The sentences a reader marked, as (1-based line, normalised words), found by their quotes;
    in a text wrapped at hard line breaks, a quote that runs over lines marks the sentence
    pieces it covers on each of them."""
    said = [(n, " ".join(normalize(line)), [" ".join(normalize(s)) for s in sentences(line)])
            for n, line in enumerate(lines, 1)]
    out = set()
    for q in quotes:
        quote = " ".join(normalize(q))
        if not quote:
            continue
        found = {(n, part) for n, line, parts in said if quote in line
                 for part in parts if quote in part or part in quote}
        for first in range(len(said)) if not found else ():
            for k in range(2, WRAPPED_LINES + 1):
                window = said[first:first + k]
                joined = " ".join(line for _, line, _ in window)
                start = joined.find(quote)
                if len(window) < k or start < 0 or start >= len(window[0][1]) or \
                        start + len(quote) <= len(joined) - len(window[-1][1]):
                    continue  # not a quote that starts on the first line and ends on the last
                found |= {(window[0][0], window[0][2][-1]), (window[-1][0], window[-1][2][0])}
                found |= {(n, part) for n, _, parts in window[1:-1] for part in parts}
                break
        out |= found
    return out


def _shown(e: Evidence | None, marks: set[tuple[int, str]]) -> bool:
    return e is not None and any(n == e.line and f" {e.heard} " in f" {s} " for n, s in marks)


class Embeddings:
    """e5 embeddings of sentences, kept on disk by the sentence's key (bench/data/, not
    committed), so that judging the corpus again costs seconds."""

    def __init__(self, path: Path = CACHE) -> None:
        import numpy as np

        self.path = path
        self.known: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path) as data:
                self.known = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        self.added = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        todo = sorted({t for t in texts if learned.text_key(t) not in self.known})
        for start in range(0, len(todo), 256):
            batch = todo[start:start + 256]
            for t, v in zip(batch, learned.embed(batch), strict=True):
                self.known[learned.text_key(t)] = v
            self.added += len(batch)
        if not texts:
            return np.zeros((0, learned.DIM), dtype=np.float32)
        return np.stack([self.known[learned.text_key(t)] for t in texts])

    def save(self) -> None:
        import numpy as np

        if self.added:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = sorted(self.known)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.known[k] for k in keys]))
            self.added = 0


EMBEDDINGS = Embeddings()


def _judged(file: str, kind: str, style: str, transcript: Transcript, rules: tuple[ContentRule, ...],
            labels: dict[str, tuple[bool | None, str]],
            evidence: dict[str, list[str]] | None = None, own_media: bool = True) -> Iterable[Outcome]:
    text = " ".join(seg.text for seg in transcript.evidence)
    lines = [seg.text for seg in transcript.segments]
    result: ContentResult
    alone = cover(transcript, rules, own_media=own_media, scorer=None)
    for result, by_rules in zip(cover(transcript, rules, own_media=own_media, embedder=EMBEDDINGS), alone,
                                strict=True):
        expected, reason = labels.get(result.rule.id, (False, ""))
        quotes = (evidence or {}).get(result.rule.id)
        top = strongest(result.evidence, 1)
        shown = _shown(top[0] if top else None, marked(lines, quotes)) if quotes and result.coverage == "met" else None
        yield Outcome(file, kind, style, result.rule.id, expected, result.coverage == "met",
                      result.coverage, result.score, keyword_met(text, result.rule), reason, shown,
                      by_rules.coverage == "met", result.learned)


def real_outcomes(profile_ref: str = "ma-2020", split: str | None = None) -> tuple[list[Outcome], list[str]]:
    """Judgements on the real corpus (one split, or all), and the local texts that are not on
    this machine."""
    profile = load_profile(profile_ref)
    out: list[Outcome] = []
    missing: list[str] = []
    for case in real_cases(split):
        path = real_path(case["file"], case.get("local", False))
        if path is None:
            missing.append(case["file"])
            continue
        labels = {req: (v["value"], v.get("reason", "")) for req, v in (case["labels"] or {}).items()}
        quotes = {req: v["evidence"] for req, v in (case["labels"] or {}).items() if v.get("evidence")}
        style = "positive" if any(v is True for v, _ in labels.values()) else "negative"
        out += _judged(case["file"], case["kind"], style, real_transcript(path),
                       profile.rules(case["kind"]).content, labels, quotes, own_media=False)
    EMBEDDINGS.save()
    return out, sorted(set(missing))


def outcomes(profile_ref: str = "ma-2020") -> list[Outcome]:
    """Judgements on the synthetic set."""
    profile = load_profile(profile_ref)
    out: list[Outcome] = []
    for case in yaml.safe_load((HERE / "labels.yaml").read_text()):
        rules = profile.rules(case["kind"])
        labels: dict[str, tuple[bool | None, str]] = dict.fromkeys(case["met"], (True, ""))
        out += _judged(case["file"], case["kind"], case["style"], read(HERE / case["file"], rules.language),
                       rules.content, labels)
    return out


def _decided(results: Iterable[Outcome]) -> list[Outcome]:
    return [o for o in results if o.expected is not None]


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _said(o: Outcome, keyword: bool = False, rules: bool = False) -> bool:
    """What zi-media says, or the keyword matcher, or the phrase rules alone (zi-media before
    the learned judgement)."""
    return o.keyword if keyword else o.rules if rules else o.predicted


def table(results: list[Outcome], keyword: bool = False, rules: bool = False) -> dict[str, tuple[float, float, float]]:
    """requirement id (and "overall") -> (precision, recall, F1), of zi-media, the keyword
    matcher or the rules alone."""
    counts: dict[str, Counter[str]] = {}
    for o in _decided(results):
        predicted = _said(o, keyword, rules)
        c = counts.setdefault(o.requirement, Counter())
        c["tp"] += bool(o.expected and predicted)
        c["fp"] += bool(not o.expected and predicted)
        c["fn"] += bool(o.expected and not predicted)
    total = sum(counts.values(), Counter())
    rows = {req: f1(c["tp"], c["fp"], c["fn"]) for req, c in sorted(counts.items())}
    rows["overall"] = f1(total["tp"], total["fp"], total["fn"])
    return rows


def agreement(results: list[Outcome], keyword: bool = False, requirement: str | None = None,
              rules: bool = False) -> float:
    """The share of (non-null) judgements that agree with the labels."""
    decided = [o for o in _decided(results) if requirement in (None, o.requirement)]
    return sum(_said(o, keyword, rules) == o.expected for o in decided) / max(1, len(decided))


def false_met(results: list[Outcome], keyword: bool = False, rules: bool = False) -> int:
    """`met` judgements on the negatives (news, hard negatives: texts where nothing is met)."""
    return sum(bool(_said(o, keyword, rules) and o.expected is False)
               for o in results if o.style in ("negative", "news"))


def evidence_precision(results: list[Outcome]) -> tuple[int, int]:
    """Of the true labels judged met whose sentences the reader marked: how many show one of
    those sentences as their top evidence, out of how many."""
    judged = [o.top_shown for o in results if o.expected and o.top_shown is not None]
    return sum(judged), len(judged)


def report(name: str, results: list[Outcome], disagreements: bool = True) -> None:
    columns = {"zi-media": {}, "rules alone": {"rules": True}, "keyword matcher": {"keyword": True}}
    tables = {c: table(results, **kw) for c, kw in columns.items()}
    decided = _decided(results)
    kinds = len({(o.file, o.kind) for o in results})
    print(f"\n== {name}: {len({o.file for o in results})} texts ({kinds} judged as a kind), {len(decided)} labels "
          f"({sum(bool(o.expected) for o in decided)} true), "
          f"{len(results) - len(decided)} null labels left out")
    print(f"{'':<14}" + "".join(f"{c:^33}" for c in columns))
    print(f"{'requirement':<14}" + f"{'agree':>8}{'prec':>8}{'recall':>8}{'F1':>7}  " * len(columns))
    for req in tables["zi-media"]:
        only = None if req == "overall" else req
        print(f"{req:<14}" + "".join(f"{agreement(results, requirement=only, **kw):>8.1%}"
                                     + "".join(f"{v:>8.2f}" for v in tables[c][req][:2]) + f"{tables[c][req][2]:>7.2f}  "
                                     for c, kw in columns.items()))
    print("false met on negatives: " + ", ".join(f"{c} {false_met(results, **kw)}" for c, kw in columns.items()))
    hit, judged = evidence_precision(results)
    print(f"evidence precision: {hit} of {judged} met true labels show a marked sentence first")
    misses = [o for o in decided if o.expected != o.predicted]
    print(f"{len(misses)} disagreements{':' if disagreements else ' (not shown: sealed)'}")
    for o in misses if disagreements else ():
        print(f"  {o.file} ({o.kind}) {o.requirement}: reader {'met' if o.expected else 'not met'}"
              f"{' (' + o.reason + ')' if o.reason else ''}, zi-media {o.coverage} (score {o.score}), "
              f"keyword {'met' if o.keyword else 'not met'}")


SPOKEN_WORDS_PER_S = 2.5  # Indonesian narration: about 150 words a minute


def timing() -> float:
    """Milliseconds to judge a 15-minute transcript (the development requirements): real
    sentences of the corpus, one segment each, as many as 15 minutes of narration hold."""
    said = [sentence for path in sorted((REAL / "texts").glob("*.txt"))
            for seg in real_transcript(path).segments for sentence in sentences(seg.text)]
    segments: list[Segment] = []
    t, words = 0.0, 0
    while words < 900 * SPOKEN_WORDS_PER_S:
        text = said[len(segments) % len(said)]
        n = len(text.split())
        segments.append(Segment(t, t + n / SPOKEN_WORDS_PER_S, text, 0.9))
        t, words = t + n / SPOKEN_WORDS_PER_S, words + n
    transcript = Transcript(tuple(segments), "id", "test", "test", {}, 900.0)
    rules = load_profile().rules("development").content
    cover(transcript, rules)  # warm the imports
    start = time.perf_counter()
    cover(transcript, rules)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sealed", action="store_true",
                        help="also judge the sealed test split (run once, at the end of a change)")
    parser.add_argument("--stemmer", choices=("hand", "sastrawi"), default="hand",
                        help="the word-root finder: the package's affix stripper or PySastrawi")
    args = parser.parse_args()
    if args.stemmer == "sastrawi":
        use_sastrawi()
    missing = {c["file"] for c in real_cases() if real_path(c["file"], c.get("local", False)) is None}
    if missing:
        print(f"{len(missing)} local texts of the real corpus are not on this machine "
              f"({LOCAL_REAL}); their labels are left out")
    report("real corpus, train split (the learned judgement is fitted on it; out-of-fold figures: learn.py)",
           real_outcomes(split="train")[0])
    report("real corpus, dev split (designs and thresholds chosen on it; fitted on it too)", real_outcomes(split="dev")[0])
    if args.sealed:
        report("real corpus, SEALED test split (headline figures)", real_outcomes(split="test")[0],
               disagreements=False)
    report("synthetic set", outcomes())
    print(f"\ncoverage of a 15-minute transcript: {timing():.0f} ms")


def use_sastrawi() -> None:
    """Word roots from PySastrawi (dictionary-based) instead of the hand-written affix stripper,
    for the side-by-side measure (`--stemmer sastrawi`; `pip install -e .[eval]`)."""
    import functools

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from zi_media.content import coverage, normalize

    stemmer = StemmerFactory().create_stemmer()
    root = functools.lru_cache(maxsize=65536)(lambda w: stemmer.stem(w) if w.isalpha() else w)
    normalize.stem = coverage.stem = root


if __name__ == "__main__":
    main()
