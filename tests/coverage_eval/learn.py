#!/usr/bin/env python3
"""Fit the learned judgement on the real corpus, choose it by measurement, and write what
ships: `python -m tests.coverage_eval.learn [--write]` (`pip install -e .[eval]`; the sentence
embeddings are kept in bench/data/e5-cache.npz, so a second run takes seconds).

Two logistic models per requirement (zi_media/content/learned.py):
- **sentences**: the sentences the readers marked for a true label are positives; every
  sentence of a text whose label is false is a negative, and so are the unmarked sentences of a
  text whose label is true (a reader marks up to six); a null label teaches nothing. Input: the
  sentence's e5 embedding and the rules' measures of it;
- **text**: from the best countable sentence's probability (scored by a sentence model that did
  not see the text's site), the rules' verdict and their measures of the text.
Every figure here is out of fold: five folds of train + dev by site, so that no model judges a
text of a site it was fitted on. Each requirement's threshold is the one that maximises found
minus COST x wrongly found (a false `met` hides a missing requirement from the evaluator, a
missed one only sends them to listen); where the learned judgement does not agree with the
readers more often than the rules alone, or finds none of its true labels, the requirement keeps
the rules (no model is shipped). Two designs are weighed per requirement: the text model alone
(it may doubt what the rules found) or the rules or the text model (it only adds).
The table prints rules, learned and keywords side by side, train and dev apart. `--write` fits
the final models on train + dev and writes zi_media/content/scorer.npz. The sealed split is
never read here.
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

COST = 2  # a false met weighs as two missed
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


def fit(texts: list[Text]) -> tuple[np.ndarray, float] | None:
    """The sentence model: weights over [embedding, measures] and its bias."""
    from sklearn.linear_model import LogisticRegression

    x, y = examples(texts)
    if y.sum() < 3:
        return None
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def sentence_score(model: tuple[np.ndarray, float] | None, t: Text) -> float:
    if model is None:
        return 0.0
    p = learned.sigmoid(t.x @ model[0] + model[1])
    return learned.text_score(p.tolist(), t.passages, t.countable, t.needed)[0]


def folds(texts: list[Text]) -> list[set[str]]:
    sites = sorted({t.site for t in texts})
    return [set(sites[k::FOLDS]) for k in range(FOLDS)]


def out_of_fold(texts: list[Text]) -> list[float]:
    """Each text's sentence score by a sentence model fitted without its site's texts."""
    scores = [0.0] * len(texts)
    for held in folds(texts):
        model = fit([t for t in texts if t.site not in held])
        for i, t in enumerate(texts):
            if t.site in held:
                scores[i] = sentence_score(model, t)
    return scores


def features(t: Text, sentence: float) -> list[float]:
    return learned.text_features(sentence, t.rules, t.x[:, learned.DIM:])


def fit_text(texts: list[Text], sentences: list[float]) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    decided = [(t, s) for t, s in zip(texts, sentences, strict=True) if t.label is not None]
    x = np.array([features(t, s) for t, s in decided])
    y = np.array([bool(t.label) for t, _ in decided])
    if y.all() or not y.any():
        return np.zeros(len(learned.TEXT_FEATURES)), 10.0 if y.all() else -10.0
    model = LogisticRegression(C=1.0, max_iter=3000).fit(x, y)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def judged(texts: list[Text]) -> list[float]:
    """Each text's learned probability, out of fold (sentence and text models both)."""
    sentences = out_of_fold(texts)
    out = [0.0] * len(texts)
    for held in folds(texts):
        w, b = fit_text([t for t in texts if t.site not in held], [s for t, s in zip(texts, sentences, strict=True)
                                                                    if t.site not in held])
        for i, t in enumerate(texts):
            if t.site in held:
                out[i] = float(learned.sigmoid(np.dot(w, features(t, sentences[i])) + b))
    return out


def decide(t: Text, tau: float, veto: bool) -> bool:
    """The learned verdict: the text model alone (it may overrule the rules), or the rules or it."""
    found = t.scores["learned"] >= tau
    return found if veto else t.rules or found


def choose(texts: list[Text], probabilities: list[float], veto: bool) -> float:
    """The threshold that maximises found minus COST x wrongly found (out of fold)."""
    decided = [t for t in texts if t.label is not None]

    def gain(tau: float) -> float:
        said = [(bool(t.label), decide(t, tau, veto)) for t in decided]
        return sum(y and p for y, p in said) - COST * sum(p and not y for y, p in said)
    return max(GRID, key=lambda tau: (gain(tau), tau))


def figures(rows: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(bool(y and p) for y, p in rows)
    fp = sum(bool(not y and p) for y, p in rows)
    fn = sum(bool(y and not p) for y, p in rows)
    prec, rec, _ = f1(tp, fp, fn)
    return sum(y == p for y, p in rows) / max(1, len(rows)), prec, rec, len(rows)


def table(name: str, by_rule: dict[str, list[Text]], taus: dict[str, float], vetoes: dict[str, bool]) -> None:
    designs = {
        "rules": lambda t, rid: t.rules,
        "learned": lambda t, rid: decide(t, taus[rid], vetoes[rid]) if taus[rid] < OFF else t.rules,
        "keywords": lambda t, rid: t.keyword,
    }
    print(f"\n== {name}")
    print(f"{'requirement':<14}{'true':>5}" + "".join(f"{d:>24}" for d in designs))
    every: dict[str, list[tuple[bool, bool]]] = {d: [] for d in designs}
    for rid, texts in sorted(by_rule.items()):
        decided = [t for t in texts if t.label is not None]
        cells = []
        for d, design in designs.items():
            rows = [(bool(t.label), bool(design(t, rid))) for t in decided]
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
    data = corpus(("train", "dev"), EMBEDDINGS)
    EMBEDDINGS.save()
    taus: dict[str, float] = {}
    vetoes: dict[str, bool] = {}
    for rid, texts in data.items():
        probabilities = judged(texts)
        for t, p in zip(texts, probabilities, strict=True):
            t.scores["learned"] = p
        decided = [t for t in texts if t.label is not None]
        rules_agree = sum(t.rules == bool(t.label) for t in decided)
        options = []  # (agreements, design): the text model alone, or the rules or it
        for veto in (True, False):
            tau = choose(texts, probabilities, veto)
            found = [t for t in decided if decide(t, tau, veto)]
            agree = sum(decide(t, tau, veto) == bool(t.label) for t in decided)
            adds = sum(bool(t.label) and not t.rules for t in found)  # finds what the rules miss
            finds = sum(bool(t.label) for t in found)  # a model that never finds it only silences the rules
            if agree > rules_agree and finds and (adds or veto):
                options.append((agree, not veto, tau, veto))
        best = max(options, default=None)
        taus[rid], vetoes[rid] = (best[2], best[3]) if best else (OFF, False)
    print("thresholds (out of fold; 2.0: the rules alone, the model did not agree more often; "
          "+: the rules or the model, =: the model decides): "
          + ", ".join(f"{r} {'=' if vetoes[r] else '+'}{t}" for r, t in sorted(taus.items())))
    for split in ("train", "dev"):
        table(f"{split}, out of fold (no model judged a site it was fitted on)",
              {r: [t for t in ts if t.split == split] for r, ts in data.items()}, taus, vetoes)
    if args.write:
        models = {}
        for rid, texts in data.items():
            sentence = fit(texts)
            if sentence is None or taus[rid] >= OFF:
                continue
            w, b = fit_text(texts, out_of_fold(texts))
            models[rid] = learned.Model(sentence[0], sentence[1], w, b, taus[rid], vetoes[rid])
        n = len({t.file for ts in data.values() for t in ts})
        learned.Scorer(models, f"fitted on {n} texts of the real corpus (train + dev), "
                       f"{datetime.date.today().isoformat()}").save()
        print(f"wrote {learned.WEIGHTS} ({', '.join(sorted(models)) or 'no model'})")


if __name__ == "__main__":
    main()
