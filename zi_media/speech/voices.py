"""Who speaks when: voice vectors over the speech stretches, clustered into speakers.

The voice encoder is CAM++ (speech/voice_encoder.py: numpy, weights beside it, no download).
Each stretch that VAD judged speech is one voice (VAD cuts at pauses of half a second, where a
turn mostly changes; a change of voice without a pause is not found), embedded once from its
middle EMBED_MAX_S; stretches are merged by average linkage on cosine similarity until no two
clusters are closer than SAME_VOICE; a voice with less speech than MIN_SPEAKER_S joins the voice
nearest in time. Speech too short to embed, or none, gives no speakers: the voices were not told
apart, and the findings say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..types import Speaker, Stretch
from .engine import SAMPLE_RATE
from .voice_encoder import DIM, embed

MIN_EMBED_S = 1.0  # a stretch shorter than this is too short to embed on its own
EMBED_MAX_S = 3.0  # of a longer stretch, its middle this long is embedded (one voice; bounds the cost: 6 s
# told voices apart no better on the 40 dev mixes, 38 of 40 right against 39, in 1.6 times the time)
SAME_VOICE = 0.55  # cosine above which clusters are one voice: low end of the dev plateau 0.55-0.65 (music lowers it)
MIN_SPEAKER_S = 2.0  # less speech than this is a transition between voices, or music taken for speech
NEAR_S = 1.0  # a word in a pause belongs to a turn this near


@dataclass(frozen=True)
class Turn:
    """A stretch of speech said by one voice."""

    start_s: float
    end_s: float
    speaker: str


@dataclass(frozen=True)
class Voices:
    turns: tuple[Turn, ...]
    speakers: tuple[Speaker, ...]  # () when the voices could not be told apart

    def speaker_at(self, start_s: float, end_s: float) -> str | None:
        """The voice that says most of [start_s, end_s]; in a pause, the voice of the turn within
        NEAR_S; None when no turn is that near."""
        overlaps = [(min(end_s, t.end_s) - max(start_s, t.start_s), t.speaker) for t in self.turns]
        best = max(overlaps, default=(0.0, None))
        if best[0] > 0:
            return best[1]
        near = min(((max(t.start_s - end_s, start_s - t.end_s), t.speaker) for t in self.turns), default=None)
        return near[1] if near is not None and near[0] <= NEAR_S else None


def _spots(speech: tuple[Stretch, ...]) -> list[tuple[int, float, float]]:
    """(stretch index, start, end) of the piece of each stretch that is embedded: the middle
    EMBED_MAX_S of every stretch at least MIN_EMBED_S long."""
    out = []
    for k, s in enumerate(speech):
        if s.duration_s >= MIN_EMBED_S:
            middle, half = (s.start_s + s.end_s) / 2, min(s.duration_s, EMBED_MAX_S) / 2
            out.append((k, middle - half, middle + half))
    return out


def _clusters(vectors: Any, same: float) -> list[int]:
    """Average-linkage clusters of unit vectors, merged while the closest pair of clusters is
    more alike than `same` (for unit vectors the average pairwise similarity of two clusters
    is the dot product of their sums over the product of their sizes)."""
    import numpy as np

    sums = np.array(vectors, dtype=np.float64)
    sizes = np.ones(len(sums))
    alive = np.ones(len(sums), bool)
    owner = np.arange(len(sums))
    sim = sums @ sums.T
    np.fill_diagonal(sim, -np.inf)
    while alive.sum() > 1:
        a, b = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[a, b] < same:
            break
        sums[a] += sums[b]
        sizes[a] += sizes[b]
        alive[b] = False
        sim[b, :] = sim[:, b] = -np.inf
        row = (sums @ sums[a]) / (sizes * sizes[a])
        row[~alive] = -np.inf
        row[a] = -np.inf
        sim[a, :] = sim[:, a] = row
        owner[owner == b] = a
    return [int(o) for o in owner]


@dataclass(frozen=True)
class Listened:
    """The voice vectors of some audio: the middle of the piece each was taken from, its
    speech stretch, the vector."""

    middles: tuple[float, ...]  # the middle of each embedded piece
    stretch: tuple[int, ...]  # index into the speech stretches the pieces were cut from
    vectors: Any  # n x DIM unit vectors

    def shifted(self, offset_s: float, first_stretch: int) -> Listened:
        """The same vectors in a longer file: times moved by `offset_s`, stretch indices by
        `first_stretch` (a block's vectors in the file's time)."""
        return Listened(tuple(a + offset_s for a in self.middles), tuple(k + first_stretch for k in self.stretch),
                        self.vectors)


def listen(audio: Any, speech: tuple[Stretch, ...]) -> Listened:
    """The voice vectors of `audio` (16 kHz mono float32) over its speech stretches."""
    import numpy as np

    spots = _spots(speech)
    vectors = [embed(audio[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)]) for _, a, b in spots]
    return Listened(tuple((a + b) / 2 for _, a, b in spots), tuple(k for k, _, _ in spots),
                    np.stack(vectors) if vectors else np.zeros((0, DIM), np.float32))


def joined(parts: list[Listened]) -> Listened:
    import numpy as np

    return Listened(tuple(a for p in parts for a in p.middles), tuple(k for p in parts for k in p.stretch),
                    np.concatenate([p.vectors for p in parts]) if parts else np.zeros((0, DIM), np.float32))


def told_apart(heard: Listened, speech: tuple[Stretch, ...]) -> Voices:
    """Who speaks when over `speech`, from its voice vectors; no speakers when none was embedded."""
    if not heard.middles:
        return Voices((), ())
    spots = list(zip(heard.stretch, heard.middles, strict=True))
    labels = _merged_small(_clusters(heard.vectors, SAME_VOICE), spots, speech)
    return _described(_turns(labels, spots, speech))


def voices(audio: Any, speech: tuple[Stretch, ...]) -> Voices:
    """The voices of `audio` (16 kHz mono float32) over its speech stretches."""
    return told_apart(listen(audio, speech), speech)


def _merged_small(owner: list[int], spots: list[tuple[int, float]], speech: tuple[Stretch, ...]) -> list[int]:
    """Clusters with under MIN_SPEAKER_S of speech take the label of their neighbour in time."""
    speech_of: dict[int, float] = {}
    for o, k in dict.fromkeys(zip(owner, (k for k, _ in spots), strict=True)):
        speech_of[o] = speech_of.get(o, 0.0) + speech[k].duration_s
    big = {o for o, s in speech_of.items() if s >= MIN_SPEAKER_S} or {max(speech_of, key=lambda o: speech_of[o])}
    out = list(owner)
    for i, o in enumerate(owner):
        if o not in big:
            near = min((abs(spots[j][1] - spots[i][1]), j) for j in range(len(owner)) if owner[j] in big)
            out[i] = owner[near[1]]
    return out


def _turns(labels: list[int], spots: list[tuple[int, float]],
           speech: tuple[Stretch, ...]) -> list[tuple[float, float, int]]:
    """One turn a stretch, in its vector's voice; a stretch too short to embed takes the voice of
    the embedded piece nearest in time."""
    voice_of = {k: label for (k, _), label in zip(spots, labels, strict=True)}
    centres = [(a, label) for (_, a), label in zip(spots, labels, strict=True)]
    return [(s.start_s, s.end_s, voice_of[k] if k in voice_of else
             min(centres, key=lambda c: abs(c[0] - (s.start_s + s.end_s) / 2))[1])
            for k, s in enumerate(speech)]


def _described(raw: list[tuple[float, float, int]]) -> Voices:
    """Speakers named S1, S2, ... in order of first speech; the narrator is the most heard."""
    order: dict[int, str] = {}
    for _, _, label in sorted(raw):
        order.setdefault(label, f"S{len(order) + 1}")
    turns = tuple(Turn(round(a, 2), round(b, 2), order[label]) for a, b, label in sorted(raw))
    heard: dict[str, float] = {}
    first: dict[str, float] = {}
    for t in turns:
        heard[t.speaker] = heard.get(t.speaker, 0.0) + t.end_s - t.start_s
        first.setdefault(t.speaker, t.start_s)
    narrator = max(heard, key=lambda s: heard[s])
    speakers = tuple(Speaker(s, round(heard[s], 2), first[s], "narrator" if s == narrator else "other")
                     for s in order.values())
    return Voices(turns, speakers)
