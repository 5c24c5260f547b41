#!/usr/bin/env python3
"""Fit the learned sentence scorer on the real corpus, choose its design and thresholds by
measurement, and write what ships: `python -m tests.coverage_eval.learn [--write]`
(`pip install -e .[eval]`; the embeddings of the corpus's sentences are kept in
bench/data/e5-cache.npz, so a second run takes seconds).

Sentence examples: the sentences the readers marked for a true label are positives; every
sentence of a text whose label is false is a negative, and so are the unmarked sentences of a
text whose label is true (a reader marks up to six); a null label teaches nothing. Features:
the sentence's e5 embedding and the rules' measures of it (zi_media/content/learned.py).

Designs, per requirement, side by side on the dev split (models fitted on train only):
- rules: zi-media's phrase rules alone (as before this scorer);
- model: the learned score alone, at its threshold;
- rules or model: met when either finds it;
- keywords: any name or anchor phrase (what a reader with Ctrl-F would do).
The threshold of each requirement is chosen on scores no model saw in fitting: five folds of
train + dev by site (a site's texts never both fit and judge), as the lowest threshold at which
"rules or model" keeps a precision of TARGET_PRECISION or more there (no threshold reaches it: the
model is left out for that requirement). `--write` fits the final models on train + dev and
writes zi_media/content/scorer.npz. The sealed split is never read here.
"""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass, field

import numpy as np

from zi_media.content import learned
from zi_media.content.coverage import read_sentences
from zi_media.content.normalize import normalize
from zi_media.profiles import load_profile

from .evaluate import EMBEDDINGS, Embeddings, f1, keyword_met, marked, real_cases, real_path, real_transcript, site

TARGET_PRECISION = 0.95
FOLDS = 5
C = 1.0
GRID = tuple(round(0.01 * k, 2) for k in range(5, 100))
OFF = 2.0  # above any probability: the model never finds the requirement


@dataclass
class Text:
    """One text judged as a kind, with what the model reads of it for one requirement."""

    file: str
    site: str
    split: str
    label: bool | None
    rules: bool
    keyword: bool
    x: np.ndarray  # sentences x features
    marks: np.ndarray  # 1 where the reader marked the sentence for this requirement
    countable: list[bool]
    passages: list[int]
    needed: int
    scores: dict[str, float] = field(default_factory=dict)  # design -> text score


def corpus(splits: tuple[str, ...], embeddings: Embeddings) -> dict[str, list[Text]]:
    """Every labelled text of the splits, per requirement."""
    profile = load_profile()
    out: dict[str, list[Text]] = {}
    for case in [c for s in splits for c in real_cases(s)]:
        path = real_path(case["file"], case.get("local", False))
        if path is None:
            continue
        rules = profile.rules(case["kind"]).content
        transcript = real_transcript(path)
        reading = read_sentences(transcript, rules, own_media=False)
        if not reading.sentences:
            continue
        emb = embeddings(reading.sentences)
        lines = [seg.text for seg in transcript.segments]
        said = [" ".join(s.split()).lower() for s in reading.sentences]
        text = " ".join(lines)
        labels = case["labels"] or {}
        for rule in rules:
            label = labels.get(rule.id, {"value": False})
            marks = np.zeros(len(said))
            if label["value"]:
                quotes = {q for _, q in marked(lines, label.get("evidence", []))}
                for i, s in enumerate(said):
                    words = " ".join(normalize(s))
                    marks[i] = float(any(words and (words in q or q in words) for q in quotes))
            x = learned.design(emb, np.asarray(reading.measures[rule.id], dtype=np.float64))
            out.setdefault(rule.id, []).append(Text(
                case["file"], site(case["source"]), case["split"], label["value"], reading.rules_met[rule.id],
                keyword_met(text, rule), x, marks, reading.countable[rule.id], list(reading.passages),
                rule.min_passages))
    return out


def examples(texts: list[Text]) -> tuple[np.ndarray, np.ndarray]:
    """Sentence examples: a null label, or a true one without marked sentences, teaches nothing."""
    use = [t for t in texts if t.label is False or (t.label and t.marks.any())]
    if not use:
        return np.zeros((0, learned.DIM + len(learned.MEASURES))), np.zeros(0)
    return np.vstack([t.x for t in use]), np.concatenate([t.marks if t.label else np.zeros(len(t.marks)) for t in use])


def fit(texts: list[Text]) -> learned.Model | None:
    from sklearn.linear_model import LogisticRegression

    x, y = examples(texts)
    if y.sum() < 3:
        return None
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y)
    return learned.Model(model.coef_[0].astype(np.float64), float(model.intercept_[0]), OFF)


def score(model: learned.Model | None, t: Text) -> float:
    if model is None:
        return 0.0
    return learned.text_score(model.probabilities(t.x).tolist(), t.passages, t.countable, t.needed)[0]


def out_of_fold(texts: list[Text]) -> list[float]:
    """Each text's score by a model fitted without its site's texts."""
    sites = sorted({t.site for t in texts})
    scores = [0.0] * len(texts)
    for k in range(FOLDS):
        held = set(sites[k::FOLDS])
        model = fit([t for t in texts if t.site not in held])
        for i, t in enumerate(texts):
            if t.site in held:
                scores[i] = score(model, t)
    return scores


def choose(texts: list[Text], scores: list[float]) -> float:
    """The lowest threshold at which rules-or-model keeps TARGET_PRECISION; OFF if none does."""
    decided = [(t, s) for t, s in zip(texts, scores, strict=True) if t.label is not None]
    for tau in GRID:
        tp = sum(bool(t.label and (t.rules or s >= tau)) for t, s in decided)
        fp = sum(bool(not t.label and (t.rules or s >= tau)) for t, s in decided)
        added = sum(bool(t.label and not t.rules and s >= tau) for t, s in decided)
        if added and tp / max(1, tp + fp) >= TARGET_PRECISION:
            return tau
    return OFF


def figures(rows: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(bool(y and p) for y, p in rows)
    fp = sum(bool(not y and p) for y, p in rows)
    fn = sum(bool(y and not p) for y, p in rows)
    prec, rec, _ = f1(tp, fp, fn)
    return sum(y == p for y, p in rows) / max(1, len(rows)), prec, rec, len(rows)


def table(name: str, by_rule: dict[str, list[Text]], taus: dict[str, float]) -> None:
    designs = {
        "rules": lambda t, tau: t.rules,
        "model": lambda t, tau: t.scores["model"] >= tau,
        "rules or model": lambda t, tau: t.rules or t.scores["model"] >= tau,
        "keywords": lambda t, tau: t.keyword,
    }
    print(f"\n== {name}")
    print(f"{'requirement':<14}{'true':>5}" + "".join(f"{d:>24}" for d in designs))
    every: dict[str, list[tuple[bool, bool]]] = {d: [] for d in designs}
    for rid, texts in sorted(by_rule.items()):
        decided = [t for t in texts if t.label is not None]
        cells = []
        for d, decide in designs.items():
            rows = [(bool(t.label), bool(decide(t, taus.get(rid, OFF)))) for t in decided]
            every[d] += rows
            agree, prec, rec, _ = figures(rows)
            cells.append(f"{agree:7.1%} p{prec:5.2f} r{rec:5.2f}")
        print(f"{rid:<14}{sum(bool(t.label) for t in decided):>5}" + "".join(f"{c:>24}" for c in cells))
    cells = []
    for d in designs:
        agree, prec, rec, _ = figures(every[d])
        cells.append(f"{agree:7.1%} p{prec:5.2f} r{rec:5.2f}")
    print(f"{'overall':<14}{sum(y for y, _ in every['rules']):>5}" + "".join(f"{c:>24}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="fit on train + dev and write the shipped scorer")
    args = parser.parse_args()
    embeddings = EMBEDDINGS
    data = corpus(("train", "dev"), embeddings)
    embeddings.save()
    taus: dict[str, float] = {}
    for rid, texts in data.items():
        both = [t for t in texts if t.split in ("train", "dev")]
        taus[rid] = choose(both, out_of_fold(both))
        model = fit([t for t in texts if t.split == "train"])
        for t in texts:
            t.scores["model"] = score(model, t)
    print("thresholds (out of fold, train + dev; 2.0: the model is left out): "
          + ", ".join(f"{r} {t}" for r, t in sorted(taus.items())))
    for split in ("train", "dev"):
        table(f"{split} (models fitted on train)", {r: [t for t in ts if t.split == split] for r, ts in data.items()},
              taus)
    if args.write:
        models = {}
        for rid, texts in data.items():
            model = fit(texts)
            if model is not None and taus[rid] < OFF:
                models[rid] = learned.Model(model.weights, model.bias, taus[rid])
        n = len({t.file for ts in data.values() for t in ts})
        learned.Scorer(models, f"fitted on {n} texts of the real corpus (train + dev), "
                       f"{datetime.date.today().isoformat()}").save()
        print(f"wrote {learned.WEIGHTS} ({', '.join(sorted(models)) or 'no model'})")


if __name__ == "__main__":
    main()
