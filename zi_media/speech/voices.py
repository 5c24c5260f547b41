"""Who speaks when: voice vectors over the speech stretches, clustered into speakers.

The voice encoder is CAM++ (speech/voice_encoder.py: numpy, weights beside it, no download).
Each stretch that VAD judged speech is one voice (VAD cuts at pauses of half a second, where a
turn mostly changes; a change of voice without a pause is not found), embedded once from its
middle EMBED_MAX_S; stretches are merged by average linkage on cosine similarity until no two
clusters are closer than SAME_VOICE; a voice with less speech than MIN_SPEAKER_S joins the voice
nearest in time. Speech too short to embed, or none, gives no speakers: the voices were not told
apart, and the findings say so.

CAM++ hears a channel as much as a voice: one narrator with every second turn through a
telephone band (nothing above 3.4 kHz, noise under it) came out as two voices in all 10 dev mixes.
So where a block has both telephone-band and full-band stretches, a pair across the two is
compared on vectors of the full-band one cut to the telephone band too: 8 of 10 right
(docs/measurements.md). Voices all heard through a telephone band stay less apart than full-band
ones: two interviewees on the telephone may still be taken for one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..types import Speaker, Stretch
from .audio import narrowband
from .engine import SAMPLE_RATE
from .voice_encoder import DIM, embed_all

MIN_EMBED_S = 1.0  # a stretch shorter than this is too short to embed on its own
EMBED_MAX_S = 3.0  # of a longer stretch, its middle this long is embedded (one voice; bounds the cost: 6 s
# told voices apart no better on the 40 dev mixes, 38 of 40 right against 39, in 1.6 times the time)
SAME_VOICE = 0.55  # cosine above which clusters are one voice: low end of the dev plateau 0.55-0.65 (music lowers it)
MIN_SPEAKER_S = 2.0  # less speech than this is a transition between voices, or music taken for speech
NEAR_S = 1.0  # a word in a pause belongs to a turn this near
PHONE_HZ = 3400.0  # a telephone channel's top (cutting the full-band piece's lows at 300 Hz too merged
# interviewees; a threshold of their own for pairs in the band invented voices on the other mixes)


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


def _clusters(similar: Any, same: float) -> list[int]:
    """Average-linkage clusters over a matrix of pairwise similarities, merged while the closest
    pair of clusters is more alike than `same` (a merged cluster's similarity to another is the
    size-weighted mean of its two parts': the mean over all pairs of members)."""
    import numpy as np

    sim = np.array(similar, dtype=np.float64)
    sizes = np.ones(len(sim))
    alive = np.ones(len(sim), bool)
    owner = np.arange(len(sim))
    np.fill_diagonal(sim, -np.inf)
    while alive.sum() > 1:
        a, b = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[a, b] < same:
            break
        row = (sizes[a] * sim[a] + sizes[b] * sim[b]) / (sizes[a] + sizes[b])
        sizes[a] += sizes[b]
        alive[b] = False
        row[~alive] = -np.inf
        row[a] = -np.inf
        sim[b, :] = sim[:, b] = -np.inf
        sim[a, :] = sim[:, a] = row
        owner[owner == b] = a
    return [int(o) for o in owner]


def _phone_band(piece: Any) -> Any:
    import numpy as np

    spectrum = np.fft.rfft(piece)
    spectrum[np.fft.rfftfreq(len(piece), 1 / SAMPLE_RATE) > PHONE_HZ] = 0
    return np.fft.irfft(spectrum, len(piece)).astype(np.float32)


@dataclass(frozen=True)
class Listened:
    """The voice vectors of some audio: the middle of the piece each was taken from, its
    speech stretch, the vector, whether the piece was telephone-band, and (only where a block
    had both kinds) each piece's vector in the telephone band."""

    middles: tuple[float, ...]  # the middle of each embedded piece
    stretch: tuple[int, ...]  # index into the speech stretches the pieces were cut from
    vectors: Any  # n x DIM unit vectors
    narrow: tuple[bool, ...]  # each piece heard through a telephone band
    phone: Any = None  # n x DIM unit vectors of the pieces cut to the telephone band, or None

    def shifted(self, offset_s: float, first_stretch: int) -> Listened:
        """The same vectors in a longer file: times moved by `offset_s`, stretch indices by
        `first_stretch` (a block's vectors in the file's time)."""
        return replace(self, middles=tuple(a + offset_s for a in self.middles),
                       stretch=tuple(k + first_stretch for k in self.stretch))

    def similarities(self) -> Any:
        """Cosine of every pair; a telephone-band piece and a full-band one compared in the
        telephone band, where both were heard in it."""
        import numpy as np

        sim = self.vectors @ self.vectors.T
        if self.phone is not None:
            narrow = np.array(self.narrow, bool)
            across = narrow[:, None] != narrow[None, :]
            sim[across] = (self.phone @ self.phone.T)[across]
        return sim


def listen(audio: Any, speech: tuple[Stretch, ...]) -> Listened:
    """The voice vectors of `audio` (16 kHz mono float32) over its speech stretches."""
    spots = _spots(speech)
    pieces = [audio[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for _, a, b in spots]
    vectors = embed_all(pieces)
    narrow = tuple(narrowband(p) for p in pieces)
    phone = None
    if any(narrow) and not all(narrow):  # a telephone-band piece's own vector is already in the band
        phone = vectors.copy()
        wide = [i for i, n in enumerate(narrow) if not n]
        phone[wide] = embed_all([_phone_band(pieces[i]) for i in wide])
    return Listened(tuple((a + b) / 2 for _, a, b in spots), tuple(k for k, _, _ in spots), vectors, narrow, phone)


def joined(parts: list[Listened]) -> Listened:
    """The vectors of all the blocks. A block without telephone-band vectors (it had one kind of
    piece only) lends its full vectors in their place: its pieces were not kept to be cut."""
    import numpy as np

    phone = None
    if any(p.phone is not None for p in parts):
        phone = np.concatenate([p.vectors if p.phone is None else p.phone for p in parts])
    return Listened(tuple(a for p in parts for a in p.middles), tuple(k for p in parts for k in p.stretch),
                    np.concatenate([p.vectors for p in parts]) if parts else np.zeros((0, DIM), np.float32),
                    tuple(n for p in parts for n in p.narrow), phone)


def told_apart(heard: Listened, speech: tuple[Stretch, ...]) -> Voices:
    """Who speaks when over `speech`, from its voice vectors; no speakers when none was embedded."""
    if not heard.middles:
        return Voices((), ())
    spots = list(zip(heard.stretch, heard.middles, strict=True))
    labels = _merged_small(_clusters(heard.similarities(), SAME_VOICE), spots, speech)
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
