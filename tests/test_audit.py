"""The completeness audit, sentence-scale segments and the vocabulary-echo guard: the pure
rules on hand-made times, then the whole path on real speech (espeak-ng) and the real model."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zi_media.file_check import speech_finding
from zi_media.report.i18n import text
from zi_media.speech.audio import blocks
from zi_media.speech.audit import covering, holes, syllables, thin, uncovered
from zi_media.speech.engine import DecodeOptions, RawSegment, Word
from zi_media.speech.guards import flag_of
from zi_media.speech.sentences import sentences, text_of
from zi_media.speech.transcribe import compute, make_engine
from zi_media.types import Stretch

from .conftest import ffmpeg, fuzzy_found


def audio_of(path: Path) -> Any:
    ((_, audio),) = blocks(path)
    return audio


def words(*spec: tuple[float, float, str]) -> list[Word]:
    return [Word(a, b, t, 0.9) for a, b, t in spec]


def test_speech_without_words_is_a_hole_a_pause_is_not() -> None:
    speech = [Stretch(0.0, 10.0), Stretch(12.0, 13.0)]
    said = [Stretch(0.0, 1.0), Stretch(1.2, 2.0), Stretch(8.0, 9.0), Stretch(12.1, 12.9)]
    assert uncovered(speech, said) == [Stretch(2.3, 7.7), Stretch(9.3, 10.0)]
    assert holes(speech, said) == [Stretch(2.3, 7.7)]  # 0.7 s at the end is under 2 s
    assert holes(speech, []) == [Stretch(0.0, 10.0), Stretch(12.0, 13.0)]  # a whole stretch of 1 s too
    assert holes([], said) == []


def test_a_short_utterance_lost_whole_is_a_hole() -> None:
    """A 1.5-s interview cut with no word is decoded again and reported; a pause of the same
    length inside a stretch with words is not, nor a stretch under MIN_LOST_S."""
    speech = [Stretch(0.0, 6.0), Stretch(10.0, 11.5), Stretch(15.0, 15.8)]
    said = [Stretch(0.0, 2.0), Stretch(3.8, 6.0)]
    assert holes(speech, said) == [Stretch(10.0, 11.5)]


def test_a_word_stretched_over_seconds_covers_nothing_a_number_may() -> None:
    said = words((0.0, 1.0, " satu"), (1.2, 4.6, " pagi,"), (4.8, 5.5, " hubungi"))  # "pagi" over 3.4 s
    assert holes([Stretch(0.0, 5.5)], covering(said)) == [Stretch(1.3, 4.5)]
    number = words((0.0, 1.0, " di"), (1.2, 4.6, " 2245."), (4.8, 5.5, " ya"))  # four digits said
    assert holes([Stretch(0.0, 5.5)], covering(number)) == []


def test_a_stretch_heard_as_far_fewer_syllables_than_it_lasts_is_thin() -> None:
    """A 2-s sentence that came out of a window of digit clips as "-1" is decoded again; one heard
    in full is not, nor a short stretch, nor a stretch with no word at all (a hole already)."""
    assert (syllables("ada yang bisa dibantu"), syllables("-1"), syllables("119"), syllables("Rp")) == (8, 2, 6, 1)
    speech = [Stretch(0.0, 2.4), Stretch(3.0, 5.4), Stretch(6.0, 6.8), Stretch(8.0, 10.0)]
    said = words((0.3, 2.0, " -1"), (3.2, 3.6, " ada"), (3.6, 3.9, " yang"), (3.9, 4.3, " bisa"),
                 (4.3, 5.0, " dibantu"), (6.1, 6.6, " 3"))
    assert thin(speech, said) == [(Stretch(0.0, 2.4), said[:1])]
    assert thin(speech, []) == []


def test_sentences_cut_on_punctuation_pauses_and_length() -> None:
    w = words((0.0, 0.5, " Area"), (0.5, 1.0, " kelima."), (1.1, 1.5, " Kami"), (1.5, 2.0, " membangun"),
              (4.0, 4.5, " zona"), (4.5, 5.0, " integritas?"))
    assert [text_of(g) for g in sentences(w)] == ["Area kelima.", "Kami membangun", "zona integritas?"]
    long_run = words(*((i * 1.0, i * 1.0 + 0.8, f" kata{i}," if i == 9 else f" kata{i}") for i in range(30)))
    groups = sentences(long_run)
    assert all(g[-1].end_s - g[0].start_s <= 15.0 for g in groups)
    assert groups[0][-1].text == " kata9,"  # cut after the comma, not in the middle of a clause
    assert [w.text for g in groups for w in g] == [w.text for w in long_run]  # nothing lost


def raw(start: float, end: float, said: str) -> RawSegment:
    return RawSegment(start, end, said, -0.3, 0.1, 1.2)


def test_vocabulary_said_over_music_is_flagged_said_in_speech_is_not() -> None:
    vocabulary = {"zona", "integritas", "wbk", "wbbm", "penguatan", "pengawasan"}
    echo = raw(30.0, 34.0, "Zona Integritas, WBK, WBBM.")
    assert flag_of(echo, [Stretch(0.0, 20.0)], vocabulary) == "vocabulary_echo"
    assert flag_of(echo, [Stretch(29.0, 40.0)], vocabulary) is None  # really said
    assert flag_of(raw(30.0, 34.0, "Kami sedang membangun zona integritas."), [], vocabulary) is None


@pytest.fixture(scope="module")
def narration(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """About 14 s of Indonesian narration (espeak-ng) as 16 kHz mono audio."""
    wav = tmp_path_factory.mktemp("audit") / "narasi.wav"
    subprocess.run(["espeak-ng", "-v", "id", "-s", "140", "-w", str(wav),
                    "Area kelima, penguatan pengawasan. Kami membentuk unit pengendalian gratifikasi. "
                    "Masyarakat dapat melapor melalui whistle blowing system tanpa takut."], check=True)
    return audio_of(wav)


@dataclass
class EarlyStop:
    """The real engine, but its first pass loses everything after `keep_s` (or after its first
    `keep_words` words, wherever the recogniser put them: on some CPUs it skips the first
    sentence of this narration): what a batched window that stops early looks like.
    `redecode_ok=False` makes the second pass fail too."""

    inner: Any
    keep_s: float
    redecode_ok: bool = True
    redecoded: int = 0
    keep_words: int | None = None

    @property
    def name(self) -> str:
        return str(self.inner.name)

    @property
    def model_identity(self) -> str:
        return str(self.inner.model_identity)

    def run(self, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
            progress: Callable[[float, float], None]) -> list[RawSegment]:
        kept = []
        raw = list(self.inner.run(audio, options, speech, progress))
        if self.keep_words is not None:
            first = [w for s in raw for w in s.words][:self.keep_words]
            self.keep_s = first[-1].end_s if first else 0.0
        for s in raw:
            early = tuple(w for w in s.words if w.end_s <= self.keep_s)
            if early:
                kept.append(RawSegment(s.start_s, early[-1].end_s, text_of(early), s.avg_logprob,
                                       s.no_speech_prob, s.compression_ratio, early))
        return kept

    def redecode(self, pieces: list[Any], options: DecodeOptions, unloop: bool = False) -> list[list[RawSegment]]:
        self.redecoded += len(pieces)
        return self.inner.redecode(pieces, options, unloop) if self.redecode_ok else [[] for _ in pieces]


class Misheard(EarlyStop):
    """The real engine, but its first pass hears the words said before `keep_s` as one "-1": what a
    batched window of digit clips made of the sentence between them."""

    def run(self, audio: Any, options: DecodeOptions, speech: tuple[Stretch, ...],
            progress: Callable[[float, float], None]) -> list[RawSegment]:
        raw = list(self.inner.run(audio, options, speech, progress))
        early = [w for s in raw for w in s.words if w.end_s <= self.keep_s]
        heard = [RawSegment(early[0].start_s, early[-1].end_s, "-1", -0.5, 0.0, 1.0,
                            (Word(early[0].start_s, early[-1].end_s, " -1", 0.5),))] if early else []
        for s in raw:
            late = tuple(w for w in s.words if w.end_s > self.keep_s)
            if late:
                heard.append(RawSegment(late[0].start_s, s.end_s, text_of(late), s.avg_logprob,
                                        s.no_speech_prob, s.compression_ratio, late))
        return heard


LOST_WORDS = ("membentuk", "masyarakat", "melapor", "melalui", "tanpa", "takut")  # said at 5-13 s


@pytest.mark.asr
def test_the_audit_recovers_speech_a_first_pass_lost(narration: Any) -> None:
    engine = EarlyStop(make_engine("faster-whisper", "base"), keep_s=3.0)
    t = compute(engine, narration, DecodeOptions("id"))
    said = " ".join(s.text for s in t.evidence)
    assert engine.redecoded >= 1
    # the words said after the first pass stopped are back, give or take a CPU's slips
    assert len(fuzzy_found(LOST_WORDS, said)) >= 4, said
    assert t.untranscribed == () and t.covered_share == 1.0
    assert all(s.end_s - s.start_s <= 15.0 for s in t.segments)


@pytest.mark.asr
def test_a_sentence_misheard_as_a_digit_is_heard_again(narration: Any) -> None:
    """The first sentence (its own stretch, 0-3 s) heard as "-1" is decoded again on its own and
    its words replace the "-1"; the rest stays as it was heard."""
    engine = Misheard(make_engine("faster-whisper", "base"), keep_s=2.9)
    t = compute(engine, narration, DecodeOptions("id"))
    said = " ".join(s.text for s in t.evidence)
    first = " ".join(s.text for s in t.evidence if s.start_s < 3.0)
    assert engine.redecoded >= 1
    # "Area kelima, penguatan pengawasan": 12 syllables, whatever words a CPU's kernels make of them
    assert "-1" not in said and syllables(first) >= 8 and fuzzy_found(("kelima", "penguatan", "pengawasan"), first)
    assert len(fuzzy_found(LOST_WORDS, said)) >= 4, said


SAID = (("pengadilan", "negeri", "bandung"), ("masyarakat", "melapor", "gratifikasi"),
        ("pelayanan", "publik", "terpadu"))


@pytest.mark.asr
def test_each_piece_decoded_again_keeps_its_own_words(tmp_path: Path) -> None:
    """Pieces that start right on their first word, decoded again in one batch: each gets its own
    words back (faster-whisper times them up to 0.01 s before their piece, and they once went to
    the piece before, at its time)."""
    import numpy as np

    pieces = []
    for i, said in enumerate(SAID):
        wav = tmp_path / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "id", "-s", "140", "-w", str(wav), " ".join(said)], check=True)
        audio = audio_of(wav)
        voiced = np.flatnonzero(np.abs(audio) > 0.02)
        pieces.append(audio[voiced[0]:voiced[-1] + 1])
    heard = make_engine("faster-whisper", "base").redecode(pieces, DecodeOptions("id"))
    texts = [" ".join(r.text for r in raws) for raws in heard]
    for i, got in enumerate(texts):  # more of its own words than of any other piece's, whatever a CPU hears
        assert len(fuzzy_found(SAID[i], got)) > max(len(fuzzy_found(o, got)) for o in SAID if o != SAID[i]), texts


@pytest.mark.asr
def test_what_stays_lost_is_reported_untranscribed(narration: Any) -> None:
    engine = EarlyStop(make_engine("faster-whisper", "base"), keep_s=0.0, redecode_ok=False, keep_words=2)
    t = compute(engine, narration, DecodeOptions("id"))
    assert t.untranscribed and t.untranscribed[0].start_s < 4.0 and t.untranscribed[-1].end_s > 10.0
    assert t.covered_share is not None and t.covered_share < 0.5
    finding = speech_finding(t)
    assert (finding.status, finding.message.key) == ("warning", "speech.incomplete")
    assert "listen to those parts" in text(finding.message, "en")


@pytest.mark.asr
def test_music_alone_gives_no_evidence(tmp_path: Path) -> None:
    """A chord progression with a beat, no voice: no words may count as evidence, even with
    the vocabulary prompt on."""
    music = tmp_path / "musik.wav"
    chord = "+".join(f"0.12*sin({f}*2*PI*t)" for f in (261.6, 329.6, 392.0))
    ffmpeg("-f", "lavfi", "-i", f"aevalsrc='({chord})*(0.6+0.4*gt(mod(t,0.5),0.25))':s=16000:d=25", str(music))
    t = compute(make_engine("faster-whisper", "base"), audio_of(music),
                DecodeOptions("id", vocabulary="Zona Integritas, WBK, WBBM, Penguatan Pengawasan"))
    assert t.evidence == (), t.segments
