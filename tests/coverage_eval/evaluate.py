#!/usr/bin/env python3
"""Precision, recall and F1 of content coverage on the labelled evaluation set, side by side
with a plain keyword matcher (what a reader with Ctrl-F would do).

A requirement judged `met` is a positive; `weak` and `missing` are negatives. The keyword
matcher calls a requirement met when any of its names or anchor phrases (the profile's
weight-1 phrases) appears in the text, case and punctuation ignored. Run from the repository
root: `python -m tests.coverage_eval.evaluate` (prints both tables and every miss).
tests/test_coverage.py holds the floor: F1 >= 0.9 overall and no `met` on the negatives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from zi_media.content.coverage import cover
from zi_media.content.normalize import normalize
from zi_media.content.rules import ContentRule
from zi_media.profiles import load_profile
from zi_media.speech.transcript_files import read

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Outcome:
    file: str
    kind: str
    style: str
    requirement: str
    expected: bool
    predicted: bool
    coverage: str
    score: float
    keyword: bool  # what the plain keyword matcher says


def keyword_met(text: str, rule: ContentRule) -> bool:
    """Any of the rule's names or anchors (weight 1 phrases) in the text, as whole words."""
    said = f" {' '.join(normalize(text))} "
    return any(f" {phrase} " in said for phrase, weight in rule.phrases.items() if weight >= 1.0)


def outcomes(profile_ref: str = "ma-2020") -> list[Outcome]:
    profile = load_profile(profile_ref)
    out = []
    for case in yaml.safe_load((HERE / "labels.yaml").read_text()):
        rules = profile.rules(case["kind"])
        transcript = read(HERE / case["file"], rules.language)
        text = " ".join(seg.text for seg in transcript.evidence)
        for result in cover(transcript, rules.content):
            out.append(Outcome(case["file"], case["kind"], case["style"], result.rule.id,
                               result.rule.id in case["met"], result.coverage == "met",
                               result.coverage, result.score, keyword_met(text, result.rule)))
    return out


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(results: list[Outcome], keyword: bool = False) -> dict[str, tuple[float, float, float]]:
    """requirement id (and "overall") -> (precision, recall, F1), of zi-media or the keyword matcher."""
    counts: dict[str, Counter[str]] = {}
    for o in results:
        predicted = o.keyword if keyword else o.predicted
        c = counts.setdefault(o.requirement, Counter())
        c["tp"] += o.expected and predicted
        c["fp"] += (not o.expected) and predicted
        c["fn"] += o.expected and not predicted
    total = sum(counts.values(), Counter())
    rows = {req: f1(c["tp"], c["fp"], c["fn"]) for req, c in counts.items()}
    rows["overall"] = f1(total["tp"], total["fp"], total["fn"])
    return rows


def agreement(results: list[Outcome], keyword: bool = False) -> float:
    """The share of judgements that agree with the labels."""
    return sum((o.keyword if keyword else o.predicted) == o.expected for o in results) / max(1, len(results))


def false_met(results: list[Outcome], keyword: bool = False) -> int:
    """`met` judgements on the negatives (news, hard negatives)."""
    return sum((o.keyword if keyword else o.predicted) and not o.expected
               for o in results if o.style in ("negative", "news"))


def main() -> None:
    results = outcomes()
    zi, kw = table(results), table(results, keyword=True)
    print(f"{'':<14}{'zi-media':^25}{'keyword matcher':^25}")
    print(f"{'requirement':<14}" + f"{'precision':>10}{'recall':>8}{'F1':>7}" * 2)
    for req in zi:
        print(f"{req:<14}" + "".join(f"{p:>10.2f}{r:>8.2f}{f:>7.2f}" for p, r, f in (zi[req], kw[req])))
    print(f"agreement with the labels: zi-media {agreement(results):.1%}, keyword matcher "
          f"{agreement(results, keyword=True):.1%}; false met on negatives: {false_met(results)} and "
          f"{false_met(results, keyword=True)}")
    misses = [o for o in results if o.expected != o.predicted]
    print(f"\n{len(results)} judgements, {len(misses)} wrong:")
    for o in misses:
        print(f"  {o.file} ({o.kind}) {o.requirement}: expected {'met' if o.expected else 'not met'}, "
              f"got {o.coverage} (score {o.score})")


if __name__ == "__main__":
    main()
