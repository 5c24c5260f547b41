#!/usr/bin/env python3
"""Precision, recall and F1 of content coverage on the labelled evaluation set.

A requirement judged `met` is a positive; `weak` and `missing` are negatives. Run from the
repository root: `python -m tests.coverage_eval.evaluate` (prints the table and every miss).
tests/test_coverage.py holds the floor: F1 >= 0.9 overall and no `met` on the negatives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from zi_media.content.coverage import cover
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


def outcomes(profile_ref: str = "ma-2020") -> list[Outcome]:
    profile = load_profile(profile_ref)
    out = []
    for case in yaml.safe_load((HERE / "labels.yaml").read_text()):
        rules = profile.rules(case["kind"])
        transcript = read(HERE / case["file"], rules.language)
        for result in cover(transcript, rules.content):
            out.append(Outcome(case["file"], case["kind"], case["style"], result.rule.id,
                               result.rule.id in case["met"], result.coverage == "met",
                               result.coverage, result.score))
    return out


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(results: list[Outcome]) -> dict[str, tuple[float, float, float]]:
    """requirement id (and "overall") -> (precision, recall, F1)."""
    counts: dict[str, Counter[str]] = {}
    for o in results:
        c = counts.setdefault(o.requirement, Counter())
        c["tp"] += o.expected and o.predicted
        c["fp"] += (not o.expected) and o.predicted
        c["fn"] += o.expected and not o.predicted
    total = sum(counts.values(), Counter())
    rows = {req: f1(c["tp"], c["fp"], c["fn"]) for req, c in counts.items()}
    rows["overall"] = f1(total["tp"], total["fp"], total["fn"])
    return rows


def main() -> None:
    results = outcomes()
    print(f"{'requirement':<14}{'precision':>10}{'recall':>8}{'F1':>7}")
    for req, (p, r, f) in table(results).items():
        print(f"{req:<14}{p:>10.2f}{r:>8.2f}{f:>7.2f}")
    misses = [o for o in results if o.expected != o.predicted]
    print(f"\n{len(results)} judgements, {len(misses)} wrong:")
    for o in misses:
        print(f"  {o.file} ({o.kind}) {o.requirement}: expected {'met' if o.expected else 'not met'}, "
              f"got {o.coverage} (score {o.score})")


if __name__ == "__main__":
    main()
