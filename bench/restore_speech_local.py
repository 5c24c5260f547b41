#!/usr/bin/env python3
"""Rebuild bench/data/speech-local/ (the real clips bench/gather_speech_sets.py assembles the
speech and voice sets from) and bench/data/music/track4.flac (the `-lofi` music bed) from local
snapshots of the public repositories below, as the `fetch` tool leaves them: bare git
directories such as /work/.mirror/s-sakti+data_indsp_teldialog_svcsr/repo. Only their data files
are read (audio and transcriptions); none of their code is used.

  speech-local/indsp-teldialog-svcsr   s-sakti/data_indsp_teldialog_svcsr @ f178c4c, CC BY-NC-SA 4.0:
      sentences U001-U012 of each of the 22 speakers whose zip the snapshot holds (264 clips)
  speech-local/indsp-news-tts          s-sakti/data_indsp_news_tts @ f704939, CC BY-NC-SA 4.0:
      the news-TTS speaker's clips of the one zip the snapshot holds but SPK00_F_2004 ("Ya, Tuhan.")
      and SPK00_F_2006 ("Berhenti."), exclamations under 1 s (10 clips)
  speech-local/indsp-digit-cdsr        s-sakti/data_indsp_digit_cdsr @ b2eefc1, CC BY-NC-SA 4.0:
      every connected-digit clip of the 104 test speakers (test1-test4; 86 of them not in the
      telephone set, 18 also there; 4004 clips)
  speech-local/tifaniwarnita-indonesian-asr   tifaniwarnita/indonesian-asr @ 03d9ed8 (no licence
      given: local use only): the 11 recorded test sentences of 5 speakers
  music/track4.flac                    1olegshev/clue-cards @ 69a674c: "Oceanside" by TAD (OpenGameArt
      "lofi Compilation", CC0), public/sounds/music/game-90s.mp3

Each source folder gets clipNNN.flac (16 kHz mono, numbered from 1 in the order of the original
paths sorted, zip members written ZIP/MEMBER; as many digits as the count needs, at least 3: the
digit corpus has clip0001-clip4004), refs.tsv (the repository's own transcription,
words as it writes them), speakers.tsv (`teldialog:FAL`, `digit:FAL`, ...: the part after the
colon names the same person in the two INDspeech corpora, as gather_speech_sets compares it),
originals.tsv (clip<TAB>original path) and SOURCES.md. The INDspeech licences forbid
redistribution: bench/data is ignored by git and must never be committed.
Each repository is read at the commit above when the snapshot has it, else at HEAD (said so).
From these, bench/gather_speech_sets.py makes the sets docs/measurements.md measured (clean speech
with 0.8-s pauses, words as bench/speech_eval.py counts them): dev 60 clips, 266.4 s; sealed 97,
463.9 s, 376 words; fresh, third, fourth, fifth, sixth 148 each, 685.2 / 643.5 / 656.8 / 675.3 /
626.4 s, 552 / 497 / 510 / 546 / 470 words.

Usage: python bench/restore_speech_local.py MIRROR [MIRROR ...] [--out bench/data]
  MIRROR: a snapshot's git directory (.../owner+name/repo) or a folder holding several
  (/work/.mirror); all five repositories are needed.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import wave
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from make_speech_set import ffmpeg

REPO = Path(__file__).resolve().parents[1]
COMMITS = {
    "s-sakti/data_indsp_teldialog_svcsr": "f178c4ce6226daa700fe4189892272701c90cb44",
    "s-sakti/data_indsp_news_tts": "f704939f1d67da33ce9b65f5a3c5328fab1c38ff",
    "s-sakti/data_indsp_digit_cdsr": "b2eefc10fc649149cdb634c74e23af26d6a210c8",
    "tifaniwarnita/indonesian-asr": "03d9ed80a3f39cde43ddae7c7db8aa4693a33931",
    "1olegshev/clue-cards": "69a674ca61088bdabc7a635a34a3755cb363e4c4",
}
TELEPHONE_SENTENCES = [f"U{k:03d}" for k in range(1, 13)]
NEWS_LEFT_OUT = {"SPK00_F_2004", "SPK00_F_2006"}
MUSIC_PATH = "public/sounds/music/game-90s.mp3"
CC_BY_NC_SA = ("CC BY-NC-SA 4.0 (the repository's LICENSE_CC-BY-NC-SA-4.0.txt): non-commercial use, "
               "cite the corpus paper; the README forbids sharing a copy publicly. Local only, never committed.")


class Snapshot:
    """One repository's bare git directory, read at a fixed commit."""

    def __init__(self, name: str, git_dir: Path) -> None:
        self.name, self.git_dir = name, git_dir
        pinned = COMMITS[name]
        if self._run("cat-file", "-e", f"{pinned}^{{commit}}", check=False).returncode == 0:
            self.commit = pinned
        else:
            self.commit = self._run("rev-parse", "HEAD").stdout.decode().strip()
            print(f"{name}: commit {pinned[:7]} not in {git_dir}; reading HEAD {self.commit[:7]}", file=sys.stderr)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", "--git-dir", str(self.git_dir), *args], capture_output=True, check=check)

    def files(self, under: str) -> list[str]:
        """Paths under `under` whose content the snapshot holds (large files may be left out), sorted."""
        rows = [line.split("\t", 1) for line in
                self._run("ls-tree", "-r", self.commit, "--", under).stdout.decode().splitlines()]
        blobs = "".join(f"{meta.split()[2]}\n" for meta, _ in rows).encode()
        checked = subprocess.run(["git", "--git-dir", str(self.git_dir), "cat-file", "--batch-check"], input=blobs,
                                 capture_output=True, check=True).stdout.decode().splitlines()
        return sorted(path for (_, path), answer in zip(rows, checked, strict=True) if not answer.endswith(" missing"))

    def read(self, path: str) -> bytes:
        return self._run("show", f"{self.commit}:{path}").stdout

    def text(self, path: str) -> str:
        return self.read(path).decode("utf-8").replace("\r", "")


@dataclass
class Clip:
    original: str  # path in the repository (ZIP/MEMBER for a zip's member)
    audio: bytes
    text: str
    speaker: str


def zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            yield name, z.read(name)


def marked_words(text: str) -> str:
    """An INDspeech transcription (one word a line between |S| and |E|) as one line."""
    return " ".join(w for w in text.replace("|S|", "\n").replace("|E|", "\n").split())


def telephone(snap: Snapshot) -> list[Clip]:
    texts = {Path(n).stem: marked_words(b.decode()) for n, b in zip_members(snap.read("text/text.zip"))}
    clips = []
    for zpath in snap.files("speech"):
        members = dict(zip_members(snap.read(zpath)))
        speaker = Path(zpath).stem
        clips += [Clip(f"{zpath}/{speaker}_{u}.wav", members[f"{speaker}_{u}.wav"], texts[u], f"teldialog:{speaker}")
                  for u in TELEPHONE_SENTENCES]
    return clips


def news(snap: Snapshot) -> list[Clip]:
    texts = dict(line.split("\t", 1) for line in snap.text("text/orig_transcript").splitlines() if "\t" in line)
    return [Clip(f"{zpath}/{name}", audio, texts[Path(name).stem].strip(), "newstts:SPK00_F")
            for zpath in snap.files("speech") for name, audio in zip_members(snap.read(zpath))
            if name.endswith(".wav") and Path(name).stem not in NEWS_LEFT_OUT]


def digits(snap: Snapshot) -> list[Clip]:
    clips = []
    for zpath in snap.files("speech"):
        subset, speaker = zpath.split("/")[1], Path(zpath).stem
        if not subset.startswith("test"):
            continue
        texts = {Path(n).stem: marked_words(b.decode()) for n, b in
                 zip_members(snap.read(f"text/{subset}/{speaker}.zip"))}
        clips += [Clip(f"{zpath}/{name}", audio, texts[Path(name).stem], f"digit:{speaker}")
                  for name, audio in zip_members(snap.read(zpath)) if name.endswith(".wav")]
    return clips


def other(snap: Snapshot) -> list[Clip]:
    texts = dict(line.split("\t", 1) for line in
                 snap.text("training/wordlist/recorded-transcript.txt").splitlines() if "\t" in line)
    clips = []
    for path in snap.files("training/dataset/test"):
        if path.endswith(".wav"):
            stem = Path(path).stem  # SPEAKER_SENTENCE
            clips.append(Clip(path, snap.read(path), texts[stem].strip(), f"tifaniwarnita:{stem.split('_')[0]}"))
    return clips


def seconds(clips: list[Clip]) -> float:
    total = 0.0
    for c in clips:
        with wave.open(io.BytesIO(c.audio)) as w:
            total += w.getnframes() / w.getframerate()
    return total


def write_source(out: Path, clips: list[Clip], sources: str) -> None:
    """The clips in the order of their original paths as clipNNN.flac (16 kHz mono) with their tables."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    clips = sorted(clips, key=lambda c: c.original)
    width = max(3, len(str(len(clips))))
    names = [f"clip{i:0{width}d}.flac" for i in range(1, len(clips) + 1)]
    with tempfile.TemporaryDirectory() as tmp:

        def convert(i: int) -> None:
            raw = Path(tmp) / f"{i}.wav"
            raw.write_bytes(clips[i].audio)
            ffmpeg("-i", str(raw), "-ar", "16000", "-ac", "1", str(out / names[i]))

        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(convert, range(len(clips))))
    for table, field in (("refs.tsv", "text"), ("speakers.tsv", "speaker"), ("originals.tsv", "original")):
        (out / table).write_text("".join(f"{n}\t{getattr(c, field)}\n" for n, c in zip(names, clips, strict=True)),
                                  encoding="utf-8")
    (out / "SOURCES.md").write_text(sources, encoding="utf-8")
    print(f"{out}: {len(clips)} clips, {len({c.speaker for c in clips})} speakers, {seconds(clips):.1f} s")


def sources_md(title: str, snap: Snapshot, licence: str, taken: str) -> str:
    return (f"# {title}\n\n"
            f"- **Repository**: https://github.com/{snap.name} at commit `{snap.commit}`\n"
            f"- **Licence**: {licence}\n"
            f"- **Taken**: {taken}\n"
            "- **Made**: each WAV converted with `ffmpeg -i IN -ar 16000 -ac 1 clipNNN.flac` (lossless where it was\n"
            "  16 kHz mono already); clips numbered in the order of their original paths sorted\n"
            "  (`originals.tsv`); `refs.tsv` the repository's transcription, `speakers.tsv` the speaker.\n"
            "- Rebuilt by `bench/restore_speech_local.py`; not redistributable: never commit bench/data.\n")


SOURCES: dict[str, tuple[str, str, Callable[[Snapshot], list[Clip]], str, str]] = {
    "indsp-teldialog-svcsr": (
        "s-sakti/data_indsp_teldialog_svcsr", "INDspeech TELDIALOG SVCSR: telephone dialogue sentences, read",
        telephone, CC_BY_NC_SA,
        "`speech/{test,train}/SPK.zip` (only the 22 speakers' zips the snapshot holds; the others are\n"
        "  left out of it), members `SPK_U001.wav`-`SPK_U012.wav` (the first 12 of the 100 utterances, the\n"
        "  same sentences for every speaker); texts from `text/text.zip` (`U001.ANS`, ...: one word a line\n"
        "  between |S| and |E|, joined with spaces, upper case as given). Speaker `teldialog:SPK`."),
    "indsp-news-tts": (
        "s-sakti/data_indsp_news_tts", "INDspeech NEWS TTS: one female speaker, news and travel sentences",
        news, CC_BY_NC_SA,
        "`speech/SPK00_2000.zip` (the only speech zip the snapshot holds): its 12 clips but\n"
        "  SPK00_F_2004 (\"Ya, Tuhan.\") and SPK00_F_2006 (\"Berhenti.\"), exclamations under 1 s; texts from\n"
        "  `text/orig_transcript` (the sentence as written). Speaker `newstts:SPK00_F`."),
    "indsp-digit-cdsr": (
        "s-sakti/data_indsp_digit_cdsr", "INDspeech DIGIT CDSR: connected digits, read",
        digits, CC_BY_NC_SA,
        "`speech/test{1,2,3,4}/SPK.zip`, every clip of the 104 test speakers (18 of them also speak\n"
        "  in the telephone corpus under the same code); texts from `text/testN/SPK.zip` (`SPK_X.txt`:\n"
        "  one digit word a line between |S| and |E|, joined with spaces; 0 is NOL or KOSONG as said).\n"
        "  Speaker `digit:SPK`. The training speakers are left out (their zips are mostly not in the snapshot)."),
    "tifaniwarnita-indonesian-asr": (
        "tifaniwarnita/indonesian-asr", "Indonesian ASR (Tifani Warnita): recorded test sentences",
        other, "none given in the repository: all rights reserved by default; local use only, never committed.",
        "`training/dataset/test/*.wav` (11 clips, 16 or 44.1 kHz, resampled to 16 kHz); texts from\n"
        "  `training/wordlist/recorded-transcript.txt`. Speaker `tifaniwarnita:N`, N the file name's\n"
        "  prefix (5 speakers)."),
}


def find_snapshots(paths: list[Path]) -> dict[str, Snapshot]:
    """Each repository's git directory among `paths` (git directories or folders holding them)."""
    found: dict[str, Snapshot] = {}
    for name in COMMITS:
        key = name.replace("/", "+")
        for path in paths:
            holder = path if key in path.resolve().parts else path / key
            candidates = [holder / "repo", holder]
            git_dir = next((c for c in candidates if (c / "HEAD").is_file() and (c / "objects").is_dir()), None)
            if git_dir is not None:
                found[name] = Snapshot(name, git_dir)
                break
        else:
            sys.exit(f"no snapshot of {name} among {', '.join(map(str, paths))} (fetch github:{name} first)")
    return found


def music(snap: Snapshot, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        mp3 = Path(tmp) / "oceanside.mp3"
        mp3.write_bytes(snap.read(MUSIC_PATH))
        ffmpeg("-i", str(mp3), "-map_metadata", "-1", "-sample_fmt", "s16", str(out / "track4.flac"))
    (out / "SOURCES.md").write_text(
        "# Music beds\n\n"
        "`track4.flac`: \"Oceanside\" by TAD, from the \"lofi Compilation\" on OpenGameArt\n"
        "(https://opengameart.org/content/lofi-compilation), CC0 1.0 (public domain).\n\n"
        f"- **Where the bytes were found**: https://github.com/{snap.name} at commit `{snap.commit}`,\n"
        f"  `{MUSIC_PATH}` (its `public/sounds/music/ATTRIBUTION.md`: \"game-90s.mp3 | Oceanside | TAD |\n"
        "  lofi Compilation\", all tracks CC0).\n"
        "- **Made**: `ffmpeg -i game-90s.mp3 -map_metadata -1 -sample_fmt s16 track4.flac` (44.1 kHz stereo,\n"
        "  102.6 s; bench/make_speech_set.py loops it and takes it to 16 kHz mono).\n"
        "- Rebuilt by `bench/restore_speech_local.py`.\n", encoding="utf-8")
    print(f"{out / 'track4.flac'}: Oceanside (TAD, CC0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("mirrors", type=Path, nargs="+", help="snapshot git directories, or folders holding them")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "data", help="default: bench/data")
    args = parser.parse_args()
    snaps = find_snapshots(args.mirrors)
    for folder, (name, title, pick, licence, taken) in SOURCES.items():
        snap = snaps[name]
        write_source(args.out / "speech-local" / folder, pick(snap), sources_md(title, snap, licence, taken))
    music(snaps["1olegshev/clue-cards"], args.out / "music")


if __name__ == "__main__":
    main()
