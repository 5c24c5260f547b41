#!/usr/bin/env python3
"""The judgement designs of issue 18 side by side on the same splits, so that the choice can be
checked: `python -m tests.coverage_eval.designs [--sealed]` (`pip install -e .[eval]`).

- **rules**: zi-media as shipped (content/coverage.py and the profile's phrases);
- **sentence model**: a logistic model per requirement over each sentence's word roots, root
  pairs, the roots of the sentence before, its reading (the unit's own work, another's, a hope)
  and each requirement's vocabulary weight in it; fitted on the train split's sentence labels
  (the quotes of `true` labels are the positives); a requirement is met when a sentence that
  may count (the unit's own, for the requirements that need it) reaches the requirement's
  threshold, chosen on the train split by models fitted without the text's site (folds), a
  false `met` costing FALSE_MET_COST found ones;
- **rules or model**: met when either is;
- **keywords**: any of the requirement's names or anchors.

Measured on the dev split (the sealed split only with --sealed, once), the rules won: see
docs/measurements.md. The model is not shipped; this script keeps the comparison reproducible.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from zi_media.content import coverage as cv
from zi_media.profiles import load_profile

from .evaluate import f1, keyword_met, marked, real_cases, real_path, real_transcript, site

C = 1.0  # inverse regularisation
FOLDS = 5
FALSE_MET_COST = 3
GRID = tuple(round(0.05 * k, 2) for k in range(2, 20))
OFF = 1.01  # no probability reaches it: the model never finds the requirement met
HIT_CAP = 2.0


def features(roots: list[str], before: list[str], read: str, hits: Mapping[str, float]) -> dict[str, float]:
    f: dict[str, float] = {f"w:{r}": 1.0 for r in roots}
    f.update({f"b:{a} {b}": 1.0 for a, b in itertools.pairwise(roots)})
    f.update({f"p:{r}": 0.5 for r in before})
    f[f"r:{read}"] = 1.0
    f.update({f"h:{rule}": min(w, HIT_CAP) / HIT_CAP for rule, w in hits.items() if w > 0})
    norm = math.sqrt(sum(v * v for v in f.values()))
    return {k: v / norm for k, v in f.items()}


@dataclass
class Judged:
    """One text judged for one requirement, with what the model reads of its sentences."""

    file: str
    kind: str
    site: str
    negative: bool  # nothing of the text is met (a hard negative)
    label: bool | None
    rules: bool
    keyword: bool
    sentences: list[tuple[dict[str, float], int, bool]]  # features, marked by the reader, may count


def judged(split: str) -> dict[str, list[Judged]]:
    profile = load_profile()
    out: dict[str, list[Judged]] = {}
    for case in real_cases(split):
        path = real_path(case["file"], case.get("local", False))
        if path is None:
            continue
        rules = profile.rules(case["kind"]).content
        transcript = real_transcript(path)
        stream = cv._Stream(transcript)
        phrases = {p for r in rules for p in r.phrases}
        found = cv._find_all(stream, phrases) if stream.words else {p: [] for p in phrases}
        reads = cv._reads(stream, rules[0].reading)
        hits: list[dict[str, float]] = [{} for _ in stream.sentences]
        for rule in rules:
            for p in rule.phrases:
                best: dict[int, float] = {}
                for m in found[p]:
                    if not cv._negated(stream, m):
                        s = stream.words[m.first].sentence
                        best[s] = max(best.get(s, 0.0), rule.phrases[p] * m.similarity / 100)
                for s, w in best.items():
                    hits[s][rule.id] = hits[s].get(rule.id, 0.0) + w
        feats = [features(stream.texts(s, roots=True),
                          stream.texts(s - 1, roots=True) if len(cv._passage(stream, s)) > 1 else [],
                          reads[s], hits[s]) for s in range(len(stream.sentences))]
        said = [" ".join(stream.texts(s)) for s in range(len(stream.sentences))]
        lines = [seg.text for seg in transcript.segments]
        labels = case["labels"] or {}
        negative = not any(v["value"] is True for v in labels.values())
        text = " ".join(lines)
        for rule, result in zip(rules, cv.cover(transcript, rules), strict=True):
            label = labels.get(rule.id, {"value": False})
            marks = {s for _, s in marked(lines, label.get("evidence", []))} if label["value"] else set()
            out.setdefault(rule.id, []).append(Judged(
                case["file"], case["kind"], site(case["source"]), negative, label["value"],
                result.coverage == "met", keyword_met(text, rule),
                [(f, int(s in marks), not rule.attributed or r == "own")
                 for s, r, f in zip(said, reads, feats, strict=True)]))
    return out


def _rows(texts: list[Judged]) -> list[tuple[dict[str, float], int]]:
    """Sentence examples: a text with a null label, or true without marked sentences, teaches nothing."""
    return [(f, y) for t in texts if t.label is False or (t.label and any(y for _, y, _ in t.sentences))
            for f, y, _ in t.sentences]


Model = tuple[dict[str, float], float]


def fit(rows: list[tuple[dict[str, float], int]]) -> Model | None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if sum(y for _, y in rows) < 3:
        return None
    vec = DictVectorizer()
    x = vec.fit_transform([f for f, _ in rows])
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(x, [y for _, y in rows])
    return dict(zip(vec.get_feature_names_out(), model.coef_[0], strict=True)), float(model.intercept_[0])


def best(model: Model | None, t: Judged) -> float:
    """The highest probability among the sentences of the text that may count."""
    if model is None:
        return 0.0
    w, b = model
    return max((1 / (1 + math.exp(-(b + sum(v * w.get(k, 0.0) for k, v in f.items()))))
                for f, _, ok in t.sentences if ok), default=0.0)


def threshold(texts: list[Judged]) -> float:
    sites = sorted({t.site for t in texts})
    probs = [0.0] * len(texts)
    for k in range(FOLDS):
        held = set(sites[k::FOLDS])
        model = fit(_rows([t for t in texts if t.site not in held]))
        for i, t in enumerate(texts):
            if t.site in held:
                probs[i] = best(model, t)

    def gain(tau: float) -> int:
        added = [t.label for t, p in zip(texts, probs, strict=True) if not t.rules and p >= tau and t.label is not None]
        return sum(bool(a) for a in added) - FALSE_MET_COST * sum(not a for a in added)
    tau = max(GRID, key=lambda tau: (gain(tau), tau))
    return tau if gain(tau) > 0 else OFF


def figures(name: str, decided: list[tuple[Judged, bool]]) -> str:
    tp = sum(bool(t.label and p) for t, p in decided)
    fp = sum(bool(not t.label and p) for t, p in decided)
    fn = sum(bool(t.label and not p) for t, p in decided)
    agree = sum(bool(t.label) == p for t, p in decided) / max(1, len(decided))
    false_neg = sum(bool(p and t.negative) for t, p in decided)
    prec, rec, f = f1(tp, fp, fn)
    return (f"  {name:<16} agree {agree:6.1%}  precision {prec:.3f}  recall {rec:.3f}  F1 {f:.3f}  "
            f"false met on negatives {false_neg}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sealed", action="store_true", help="also the sealed test split (once, at the end)")
    args = parser.parse_args()
    train = judged("train")
    models: dict[str, Model | None] = {}
    taus: dict[str, float] = {}
    for rule, texts in sorted(train.items()):
        models[rule], taus[rule] = fit(_rows(texts)), threshold(texts)
    print("thresholds chosen on train folds (1.01: the model never decides): "
          + ", ".join(f"{r} {t}" for r, t in taus.items()))
    for split in ("train", "dev", *(("test",) if args.sealed else ())):
        data = train if split == "train" else judged(split)
        rows = [(t, best(models[r], t) >= taus[r]) for r, texts in data.items() for t in texts if t.label is not None]
        print(f"== {split}: {len(rows)} labels ({sum(bool(t.label) for t, _ in rows)} true)")
        print(figures("rules (shipped)", [(t, t.rules) for t, _ in rows]))
        print(figures("sentence model", rows))
        print(figures("rules or model", [(t, t.rules or m) for t, m in rows]))
        print(figures("keywords", [(t, t.keyword) for t, _ in rows]))


if __name__ == "__main__":
    main()
