"""Voices: who speaks when (speech/voices.py), on real public-domain speech (tests/data/speech-cc0:
six Mozilla Common Voice clips, four speakers), and testimonials counted by voice.

The encoder runs on numpy (no CTranslate2), so its vectors do not depend on the CPU's
instruction set the way the Whisper model's words do."""

from __future__ import annotations

import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zi_media.content.coverage import content_findings, lower_third_name
from zi_media.profiles import load_profile
from zi_media.report.common import passage_note
from zi_media.speech import vad
from zi_media.speech import voice_encoder as VE
from zi_media.speech import voices as V
from zi_media.speech.transcript_files import read, transcript_from_dict, transcript_to_dict, write
from zi_media.speech.vad import speech_stretches
from zi_media.types import ScreenText, Segment, Speaker, Stretch, Transcript

from .conftest import REPO

CC0 = REPO / "tests" / "data" / "speech-cc0"
GAP = 0.8  # seconds of silence between clips
DEV = load_profile().rules("development").content


def clip(n: int) -> Any:
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(CC0 / f"clip00{n}.flac"), "-f", "f32le", "-ac", "1",
                          "-ar", "16000", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(out, np.float32)


def said(*clips: int) -> tuple[Any, list[float]]:
    """The clips one after another, and the time the middle of each is said."""
    parts, middles, t = [], [], 0.0
    for n in clips:
        a = clip(n)
        parts += [a, np.zeros(int(GAP * 16000), np.float32)]
        middles.append(t + len(a) / 32000)
        t += len(a) / 16000 + GAP
    return np.concatenate(parts), middles


def test_the_encoder_is_campplus_on_numpy() -> None:
    """The weights load, the vectors are unit length, one voice is far nearer itself than another
    (clips 1 and 2: one man; 3 and 4: one woman; 6: another man), and the filterbank is Kaldi's."""
    vectors = [VE.embed(clip(n)) for n in (1, 2, 3, 4, 6)]
    assert all(abs(float(np.linalg.norm(v)) - 1) < 1e-4 and v.shape == (VE.DIM,) for v in vectors)
    man, man_again, woman, woman_again, other = vectors
    same = min(float(man @ man_again), float(woman @ woman_again))
    assert same > V.SAME_VOICE > max(float(man @ woman), float(man @ other), float(woman @ other)), vectors
    # two tones through the filterbank, against kaldi-native-fbank 1.23 (dither 0, snip edges,
    # 80 bins; mean over the frames removed), as the encoder was trained on it
    tones = (np.sin(np.arange(3200) * 0.3) * 0.3 + 0.05 * np.sin(np.arange(3200) * 1.7)).astype(np.float32)
    frames = VE.fbank(tones)
    assert frames.shape == (18, 80)
    assert np.allclose(frames[0, :4], [-3.8247, -1.1745, -1.4262, 0.2433], atol=1e-3)
    assert np.allclose(frames[5, 40:43], [-0.182, -0.2477, 0.0], atol=1e-3)


def test_pieces_embedded_together_get_the_vectors_each_gets_alone() -> None:
    """Pieces of as many frames share one pass through the TDNN: no piece's frames may reach
    another's vector (a convolution's padding, a mean over the wrong axis), whatever the batch."""
    clips = [clip(n) for n in (1, 2, 3, 4, 6)]
    pieces = [c[:48000] for c in clips] + [clips[0][8000:40000], clips[2][:20000], clips[4][-16000:]]
    alone = np.stack([VE.embed(p) for p in pieces])
    together = VE.embed_all(pieces)
    assert together.shape == (len(pieces), VE.DIM)
    assert np.abs(together - alone).max() < 1e-5
    assert float(alone[0] @ alone[2]) < 0.9  # different pieces: vectors of their own
    assert VE.embed_all([]).shape == (0, VE.DIM)


def test_one_real_voice_throughout_is_one_speaker_the_narrator() -> None:
    audio, _ = said(1, 2)
    v = V.voices(audio, speech_stretches(audio))
    assert [(s.id, s.role) for s in v.speakers] == [("S1", "narrator")]


def test_real_voices_told_apart_and_the_same_voice_known_again() -> None:
    audio, middles = said(6, 1, 6, 3)
    v = V.voices(audio, speech_stretches(audio))
    who = [v.speaker_at(t, t) for t in middles]
    assert who[0] == who[2]  # clip 6 twice: one person
    assert who[1] not in (who[0], None) and who[3] not in (who[0], None)
    assert len(v.speakers) == 3 and sum(s.role == "narrator" for s in v.speakers) == 1


def orchestra() -> Any:
    """14 s of a public-domain string orchestra (Brahms, Hungarian Dance no. 5), 16 kHz."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(REPO / "tests/data/music-pd/brahms-hungarian-dance-5.flac"),
                          "-f", "f32le", "-ac", "1", "-ar", "16000", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(out, np.float32)


def band(audio: Any) -> Any:
    """`audio` with nothing outside a telephone's 300-3400 Hz."""
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(len(audio), 1 / 16000)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    return np.fft.irfft(spectrum, len(audio)).astype(np.float32)


def test_speech_through_a_telephone_band_is_listened_to_again_music_through_one_stays_music() -> None:
    """Silero misses a third of the real sentences cut to a telephone band; where the audio is
    telephone-band the VAD listens again at a lower threshold and finds them. Full-band audio is
    heard once, as before, and an orchestra through the same band is still no speech."""
    wide, _ = said(1, 2, 3, 4, 5, 6)
    heard = speech_stretches(wide)
    assert heard == vad._detected(wide, vad.THRESHOLD)

    def found(stretches: tuple[Stretch, ...]) -> float:
        frames = len(wide) // 160
        ref, hyp = np.zeros(frames, bool), np.zeros(frames, bool)
        for stretch, marks in [(s, ref) for s in heard] + [(s, hyp) for s in stretches]:
            marks[int(stretch.start_s * 100):int(stretch.end_s * 100)] = True
        return float((ref & hyp).sum() / ref.sum())

    narrow = band(wide)
    assert found(vad._detected(narrow, vad.THRESHOLD)) < 0.8 < 0.85 < found(speech_stretches(narrow))
    assert speech_stretches(band(orchestra())) == ()


def test_stretches_heard_again_join_the_first_without_overlap_or_a_window_over_30_s() -> None:
    first = (Stretch(0.0, 10.0), Stretch(20.0, 28.0))
    again = vad.outside([Stretch(8.0, 12.0), Stretch(15.0, 21.0), Stretch(27.0, 52.0)],
                        [(s.start_s, s.end_s) for s in first])
    assert again == [Stretch(10.0, 12.0), Stretch(15.0, 20.0), Stretch(28.0, 52.0)]
    united = vad._united(first, again)
    assert united == (Stretch(0.0, 12.0), Stretch(15.0, 28.0), Stretch(28.0, 52.0))
    assert all(a.end_s <= b.start_s for a, b in pairwise(united)) and max(s.duration_s for s in united) <= 30


@pytest.mark.parametrize("case", ["too_short", "music", "real_music", "telephone", "silence"])
def test_hard_audio_gives_one_speaker_or_none_never_a_crash(case: str) -> None:
    if case == "too_short":  # under a second of speech: nothing to embed
        audio = clip(1)[: int(0.8 * 16000)]
    elif case == "real_music":  # one man under a string orchestra as loud as he is, 2 s of it alone first
        voice, _ = said(1, 2, 1, 2)
        music = np.resize(orchestra(), len(voice) + 32000)
        music = music * float(np.sqrt(np.mean(voice ** 2)) / np.sqrt(np.mean(music ** 2)))
        audio = music.astype(np.float32)
        audio[32000:] += voice
    elif case == "music":
        t = np.arange(16000 * 8) / 16000
        audio = (0.2 * np.sin(2 * np.pi * 220 * t) * (1 + np.sign(np.sin(2 * np.pi * 2 * t)))).astype(np.float32)
    elif case == "telephone":  # one voice, band-limited to 300-3400 Hz
        audio = band(said(1, 2)[0])
    else:
        audio = np.zeros(16000 * 5, np.float32)
    speech = speech_stretches(audio) if case != "too_short" else (Stretch(0.0, 0.8),)
    v = V.voices(audio, speech)
    assert len(v.speakers) <= 1
    if case in ("too_short", "silence"):
        assert v.speakers == () and v.speaker_at(0.0, 0.5) is None


def phone(piece: Any, seed: int) -> Any:
    """`piece` as through a telephone: noise 20 dB under it, nothing above 3.4 kHz, 6 dB quieter."""
    noisy = piece + np.random.default_rng(seed).normal(0.0, float(np.sqrt(np.mean(piece ** 2))) / 10, len(piece))
    spectrum = np.fft.rfft(noisy)
    spectrum[np.fft.rfftfreq(len(piece), 1 / 16000) > 3400] = 0
    return (np.fft.irfft(spectrum, len(piece)) / 2).astype(np.float32)


def test_a_telephone_band_is_heard_and_a_voice_compared_across_it_in_that_band() -> None:
    assert not V.narrowband(clip(1)) and V.narrowband(phone(clip(1), 0))
    parts = [clip(n) if k % 2 == 0 else phone(clip(n), k) for k, n in enumerate((1, 2, 1, 2))]
    audio = np.concatenate([x for p in parts for x in (p, np.zeros(int(GAP * 16000), np.float32))])
    speech = speech_stretches(audio)
    heard = V.listen(audio, speech)
    narrow = np.array(heard.narrow)
    assert narrow.tolist() == [False, True, False, True]
    across = narrow[:, None] != narrow[None, :]
    # one man: cut to the telephone band, his full-band sentences are more like his telephone ones
    assert heard.similarities()[across].mean() > (heard.vectors @ heard.vectors.T)[across].mean() + 0.03
    assert [s.id for s in V.told_apart(heard, speech).speakers] == ["S1"]


def test_clusters_by_average_similarity() -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(2, 256))
    vectors = np.concatenate([c + 0.3 * rng.normal(size=(5, 256)) for c in centres])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    owner = V._clusters(vectors @ vectors.T, 0.5)
    assert len(set(owner[:5])) == 1 and len(set(owner[5:])) == 1 and owner[0] != owner[5]
    assert len(set(V._clusters(vectors @ vectors.T, -1.0))) == 1  # everything alike enough: one cluster


def voiced(*lines: tuple[float, float, str, str]) -> Transcript:
    """A transcript with voices: (start, end, text, speaker); S1 is the narrator."""
    ids = sorted({s for *_, s in lines})
    speakers = tuple(Speaker(i, 10.0, 0.0, "narrator" if i == "S1" else "other") for i in ids)
    return Transcript(tuple(Segment(a, b, t, 0.9, speaker=s) for a, b, t, s in lines), "id", "test", "test", {},
                      0.0, speakers=speakers)


FIRST = "Nama saya Budi, tokoh masyarakat. Pelayanannya cepat, petugasnya ramah, saya merasa puas."
SECOND = "Nama saya Siti, pengguna layanan. Prosesnya mudah dan sangat membantu."


def finding_of(t: Transcript) -> Any:
    return next(f for f in content_findings(t, DEV) if f.id == "testimonials")


def test_two_outside_voices_are_two_testimonials() -> None:
    f = finding_of(voiced((0.0, 5.0, "Berikut testimoni masyarakat.", "S1"), (101.0, 110.0, FIRST, "S2"),
                            (190.0, 199.0, SECOND, "S3")))
    assert (f.status, f.message.key, f.message.params["voices"]) == ("met", "content.met_voices", "2")
    assert f.message.params["times"] == "01:41 Budi, 03:10 Siti"  # each voice named by what it says
    spoken = [e for e in f.content.evidence if e.speaker == "S2"]
    assert spoken and "other voice S2" in passage_note(spoken[0], "en")


def test_a_lower_third_names_the_voice_speaking_under_it() -> None:
    t = voiced((0.0, 5.0, "Berikut testimoni masyarakat.", "S1"), (101.0, 110.0, FIRST, "S2"),
               (190.0, 199.0, SECOND, "S3"))
    screen = (ScreenText(102.0, 106.0, "BUDI SANTOSO, S.H. - TOKOH MASYARAKAT"),  # shown as S2 speaks
              ScreenText(150.0, 160.0, "Siti Rahma - Pengguna Layanan"),  # shown while nobody speaks
              ScreenText(191.0, 195.0, "Stop Pungli"))  # a slogan, not a name
    f = next(f for f in content_findings(t, DEV, screen) if f.id == "testimonials")
    assert f.message.params["times"] == "01:41 Budi Santoso, 03:10 Siti"  # shown name first, else said
    assert lower_third_name("Bapak H. Ahmad Dahlan | Tokoh Adat") == "Ahmad Dahlan"
    assert lower_third_name("Sutrisno") is None and lower_third_name("Pengadilan Negeri Sleman") is None


def test_a_narrator_reading_both_quotes_is_weak() -> None:
    f = finding_of(voiced((101.0, 110.0, FIRST, "S1"), (190.0, 199.0, SECOND, "S1")))
    assert (f.status, f.message.key) == ("warning", "content.narrator_voice")


def test_two_passages_in_one_outside_voice_are_one_person() -> None:
    f = finding_of(voiced((0.0, 4.0, "Berikut testimoni.", "S1"), (101.0, 110.0, FIRST, "S2"),
                            (190.0, 199.0, SECOND, "S2")))
    assert (f.status, f.message.key, f.message.params["voices"]) == ("warning", "content.same_voice", "1")


def test_without_voices_testimonials_are_counted_by_words_as_before() -> None:
    t = voiced((101.0, 110.0, FIRST, "S1"), (190.0, 199.0, SECOND, "S1"))
    plain = Transcript(tuple(Segment(s.start_s, s.end_s, s.text, 0.9) for s in t.segments), "id", "t", "t", {}, 0.0)
    assert (finding_of(plain).status, finding_of(plain).message.key) == ("met", "content.met_unvoiced")
    supplied = Transcript(plain.segments, "id", "file", "t.srt", {}, 0.0)  # a transcript file: no audio to hear
    assert (finding_of(supplied).status, finding_of(supplied).message.key) == ("met", "content.met")


def test_speakers_travel_through_json_srt_and_vtt(tmp_path: Path) -> None:
    t = voiced((0.0, 2.0, "Selamat datang.", "S1"), (2.5, 4.0, "Saya puas.", "S2"))
    again = transcript_from_dict(transcript_to_dict(t))
    assert (again.speakers, [s.speaker for s in again.segments]) == (t.speakers, ["S1", "S2"])
    for fmt in ("srt", "vtt"):
        text = write(t, fmt)
        assert "[S2] Saya puas." in text
        path = tmp_path / f"t.{fmt}"
        path.write_text(text, encoding="utf-8")
        back = read(path, "id")
        assert [(s.speaker, s.text) for s in back.segments] == [("S1", "Selamat datang."), ("S2", "Saya puas.")]


def test_the_timeline_draws_the_voices_narrator_grey() -> None:
    from zi_media.media.probe import probe
    from zi_media.report.timeline import timeline
    from zi_media.types import FileReport

    video = REPO / "samples" / "unit-good" / "profil.mp4"
    t = voiced((0.0, 2.0, "Selamat datang.", "S1"), (2.5, 4.0, "Saya puas.", "S2"), (4.5, 6.0, "Terima kasih.", "S1"))
    drawn = timeline(FileReport("ma-2020", "1", "profile", {"en": "Profile"}, video, probe(video), (), t), "en")
    assert drawn is not None
    (voices,) = [track for track in drawn.tracks if track.name == "Voices"]
    assert [m.kind for m in voices.marks] == ["narrator", "voice1", "narrator"]
    assert voices.marks[1].title.startswith("other voice S2")
