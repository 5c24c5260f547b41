"""Who speaks when: voice embeddings over the speech stretches, clustered into speakers.

The voice encoder is Resemblyzer's (Apache-2.0, Resemble AI: a 3-layer LSTM over 40-band mel
frames, 1.6 s at a time, giving a unit vector per voice), its weights stored beside this module
as float16 arrays (bench/make_voice_encoder.py) and run here with numpy: no torch at run time,
a few megabytes of memory. Each stretch that VAD judged speech is cut into 1.6-s windows every
HOP_S; every window is embedded; the windows of one stretch start as one cluster (a stretch is
one voice: VAD cuts at pauses of half a second, where a turn mostly changes; a change of voice
without a pause is not found) and clusters are merged by average linkage on cosine similarity
until no two are closer than SAME_VOICE; a voice with less speech than MIN_SPEAKER_S joins the
voice nearest in time. Speech too short to embed, or none, gives no speakers: the voices were
not told apart, and the findings say so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..types import Speaker, Stretch
from .engine import SAMPLE_RATE

WINDOW_S = 1.6  # the encoder's partial utterance (160 frames of 10 ms)
HOP_S = 0.8  # windows overlap by half, so a change of voice is placed within 0.4 s
MIN_EMBED_S = 1.0  # a stretch shorter than this is too short to embed on its own
SAME_VOICE = 0.66  # average cosine similarity above which two clusters are one voice (chosen on dev mixes)
MIN_SPEAKER_S = 1.0  # less speech than this is a transition between voices, not a person
NEAR_S = 1.0  # a word in a pause belongs to a turn this near
TARGET_DBFS = -30.0  # speech is raised to this loudness before embedding (never lowered)
N_FFT, HOP, N_MELS = 400, 160, 40  # 25-ms windows every 10 ms, as the encoder was trained
BATCH = 256  # windows run through the LSTM at a time (bounds memory)


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


@functools.lru_cache(maxsize=1)
def _weights() -> tuple[list[tuple[Any, Any]], Any, Any]:
    """The encoder ready to run: per LSTM layer one matrix for [input, state] and one summed
    bias, then the projection, so each step is a single matmul a layer."""
    import numpy as np

    with resources.files(__package__).joinpath("voice_encoder.npz").open("rb") as f, np.load(f) as data:
        w = {k: data[k].astype(np.float32) for k in data.files}
    layers = [(np.concatenate([w[f"lstm_weight_ih_l{n}"].T, w[f"lstm_weight_hh_l{n}"].T]),
               w[f"lstm_bias_ih_l{n}"] + w[f"lstm_bias_hh_l{n}"]) for n in range(3)]
    return layers, w["linear_weight"].T.copy(), w["linear_bias"]


@functools.lru_cache(maxsize=1)
def _mel_filters() -> Any:
    from faster_whisper.feature_extractor import FeatureExtractor

    return FeatureExtractor.get_mel_filters(SAMPLE_RATE, N_FFT, n_mels=N_MELS).astype("float32")


def _mel(wave: Any) -> Any:
    """Power mel frames (frames x 40) of `wave`, centred as librosa frames them."""
    import numpy as np

    padded = np.pad(wave, (N_FFT // 2, N_FFT // 2))
    n = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(padded, (n, N_FFT), (padded.strides[0] * HOP, padded.strides[0]))
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)  # periodic Hann
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    return (power.astype(np.float32) @ _mel_filters().T).astype(np.float32)


def embed(mels: Any) -> Any:
    """Unit voice vectors (n x 256) of mel windows (n x 160 x 40), as Resemblyzer computes them."""
    import numpy as np

    layers, linear, linear_bias = _weights()
    out = []
    for i in range(0, len(mels), BATCH):
        x = mels[i:i + BATCH]
        h = [np.zeros((len(x), 256), np.float32) for _ in layers]
        c = [np.zeros((len(x), 256), np.float32) for _ in layers]
        for t in range(x.shape[1]):
            inp = x[:, t]
            for n, (weight, bias) in enumerate(layers):
                gates = np.concatenate([inp, h[n]], axis=1) @ weight + bias
                i_, f_, g_, o_ = np.split(gates, 4, axis=1)
                c[n] = _sigmoid(f_) * c[n] + _sigmoid(i_) * np.tanh(g_)
                h[n] = _sigmoid(o_) * np.tanh(c[n])
                inp = h[n]
        raw = np.maximum(h[-1] @ linear + linear_bias, 0.0)
        out.append(raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-9))
    return np.concatenate(out) if out else np.zeros((0, 256), np.float32)


def _sigmoid(x: Any) -> Any:
    import numpy as np

    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the logistic function, without overflow


def _windows(speech: tuple[Stretch, ...]) -> list[tuple[int, float]]:
    """(stretch index, window start) of every window: HOP_S apart, the last one ending with
    the stretch; one (padded) window for a stretch between MIN_EMBED_S and WINDOW_S."""
    out = []
    for k, s in enumerate(speech):
        if s.duration_s < MIN_EMBED_S:
            continue
        last = max(s.start_s, s.end_s - WINDOW_S)
        starts = [s.start_s + i * HOP_S for i in range(int((last - s.start_s) / HOP_S) + 1)]
        if last - starts[-1] > 0.05:
            starts.append(last)
        out += [(k, a) for a in starts]
    return out


def _clusters(vectors: Any, same: float, groups: list[int] | None = None) -> list[int]:
    """Average-linkage clusters of unit vectors, merged while the closest pair of clusters is
    more alike than `same` (for unit vectors the average pairwise similarity of two clusters
    is the dot product of their sums over the product of their sizes). Vectors of one group
    start as one cluster."""
    import numpy as np

    keys = groups if groups is not None else list(range(len(vectors)))
    start = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    sums = np.zeros((len(start), vectors.shape[1]))
    sizes = np.zeros(len(start))
    for v, k in zip(vectors, keys, strict=True):
        sums[start[k]] += v
        sizes[start[k]] += 1
    alive = np.ones(len(start), bool)
    owner = np.arange(len(start))
    sim = (sums @ sums.T) / np.outer(sizes, sizes)
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
    return [int(owner[start[k]]) for k in keys]


@dataclass(frozen=True)
class Listened:
    """The voice windows of some audio: where each starts, in which speech stretch, its vector."""

    starts: tuple[float, ...]
    stretch: tuple[int, ...]  # index into the speech stretches the windows were cut from
    vectors: Any  # n x 256 unit vectors

    def shifted(self, offset_s: float, first_stretch: int) -> Listened:
        """The same windows in a longer file: times moved by `offset_s`, stretch indices by
        `first_stretch` (a block's windows in the file's time)."""
        return Listened(tuple(a + offset_s for a in self.starts), tuple(k + first_stretch for k in self.stretch),
                        self.vectors)


def listen(audio: Any, speech: tuple[Stretch, ...]) -> Listened:
    """The voice windows of `audio` (16 kHz mono float32) over its speech stretches, embedded."""
    import numpy as np

    spots = _windows(speech)
    if not spots:
        return Listened((), (), np.zeros((0, 256), np.float32))
    samples = np.concatenate([audio[int(s.start_s * SAMPLE_RATE):int(s.end_s * SAMPLE_RATE)] for s in speech])
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    gain = max(1.0, 10 ** (TARGET_DBFS / 20) / rms) if rms > 0 else 1.0
    frames = int(WINDOW_S / 0.01)
    mels: list[Any] = []
    stretch_mel: Any = None
    current = -1
    for k, a in spots:
        if k != current:  # one mel a stretch (as Resemblyzer frames an utterance), its windows sliced from it
            s = speech[k]
            piece = audio[int(s.start_s * SAMPLE_RATE):int(max(s.end_s, s.start_s + WINDOW_S) * SAMPLE_RATE)] * gain
            stretch_mel, current = _mel(piece.astype(np.float32)), k
        first = round((a - speech[k].start_s) / 0.01)
        window = stretch_mel[first:first + frames]
        mels.append(np.pad(window, ((0, frames - len(window)), (0, 0))))
    return Listened(tuple(a for _, a in spots), tuple(k for k, _ in spots), embed(np.stack(mels)))


def joined(parts: list[Listened]) -> Listened:
    import numpy as np

    return Listened(tuple(a for p in parts for a in p.starts), tuple(k for p in parts for k in p.stretch),
                    np.concatenate([p.vectors for p in parts]) if parts else np.zeros((0, 256), np.float32))


def told_apart(heard: Listened, speech: tuple[Stretch, ...]) -> Voices:
    """Who speaks when over `speech`, from its voice windows; no speakers when none was embedded."""
    if not heard.starts:
        return Voices((), ())
    spots = list(zip(heard.stretch, heard.starts, strict=True))
    labels = _merged_small(_clusters(heard.vectors, SAME_VOICE, list(heard.stretch)), spots, speech)
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
    """One turn a stretch, in its windows' voice; a stretch too short to embed takes the voice of
    the window nearest in time."""
    voice_of = {k: label for (k, _), label in zip(spots, labels, strict=True)}
    centres = [(a + WINDOW_S / 2, label) for (_, a), label in zip(spots, labels, strict=True)]
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
