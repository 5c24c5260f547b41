#!/usr/bin/env python3
"""Assemble the local speech and voice sets of issue 29 from real clips kept under
bench/data/speech-local/<source>/ (clipNNN.flac, refs.tsv, speakers.tsv, SOURCES.md; none
redistributable, so none committed; bench/restore_speech_local.py rebuilds them from snapshots of
their repositories) and the committed CC0 clips of tests/data/speech-cc0.

  speech-dev     INDspeech telephone dialogue, 22 speakers reading 2 of its 12 sentences each
                 (speaker i: sentences 2i and 2i+1, so every sentence is read about 4 times),
                 the INDspeech news-TTS speaker's 10 clips and the 6 CC0 clips: tuned on
  speech-cv      the 6 CC0 Common Voice clips alone
  speech-sealed  one connected-digit clip of each INDspeech digit speaker not also in the
                 telephone set (86), and 11 read sentences of another source: never tuned on
  speech-fresh, speech-third, speech-fourth, speech-fifth, speech-sixth
                 each made when the set before it was spent (the sealed set, then each in turn),
                 for one session of issue 29, and sealed until then: 2 more telephone sentences
                 of each of the 22 speakers (speaker i: 2i+6 and 2i+7, 2i+2 and 2i+3, 2i+4 and
                 2i+5, 2i+8 and 2i+9, 2i+10 and 2i+11), the next digit clip of each of the 86
                 digit speakers (the second, third, fourth, fifth, sixth) and of each of the 18
                 also in the telephone set (the first, second, third, fourth, fifth)
  speech-seventh the telephone sentences spent, the seventh digit clip of each of the 86 digit
                 speakers and the sixth of the 18 also in the telephone set (made for issue 29's
                 seventh session, sealed until then)
  voices-dev     every telephone-dialogue clip and the news-TTS speaker (for voice mixes)
  voices-new     every digit clip of those 86 speakers and the other source (never tuned on)
Each speech set is then built by bench/make_speech_set.py (a `-lofi` twin of each with
`--music` a real CC0 track), the voice sets by bench/make_voice_mixes.py.
Usage: python bench/gather_speech_sets.py [bench/data]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TELEPHONE, NEWS, DIGITS, OTHER = ("indsp-teldialog-svcsr", "indsp-news-tts", "indsp-digit-cdsr",
                                  "tifaniwarnita-indonesian-asr")


def table(folder: Path, name: str) -> dict[str, str]:
    rows = (line.split("\t", 1) for line in (folder / name).read_text().splitlines() if line.strip())
    return {f: text.strip() for f, text in rows}


def write(out: Path, picked: list[tuple[Path, str]]) -> None:
    """Copy the picked clips (folder, file) into `out` with their texts and speakers."""
    out.mkdir(parents=True, exist_ok=True)
    refs, speakers = [], []
    for folder, f in picked:
        name = f"{folder.name}-{f}"
        shutil.copy(folder / f, out / name)
        if (folder / "refs.tsv").is_file():
            refs.append(f"{name}\t{table(folder, 'refs.tsv')[f]}")
        speakers.append(f"{name}\t{table(folder, 'speakers.tsv')[f]}")
    if refs:
        (out / "refs.tsv").write_text("\n".join(refs) + "\n")
    (out / "speakers.tsv").write_text("\n".join(speakers) + "\n")
    print(f"{out}: {len(picked)} clips, {len({s.split(chr(9))[1] for s in speakers})} speakers")


def by_speaker(folder: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f, who in sorted(table(folder, "speakers.tsv").items()):
        out.setdefault(who, []).append(f)
    return out


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "bench" / "data"
    local, cc0 = data / "speech-local", REPO / "tests" / "data" / "speech-cc0"
    telephone = by_speaker(local / TELEPHONE)
    everyone = {w.split(":")[-1] for w in telephone}
    digits = {w: fs for w, fs in by_speaker(local / DIGITS).items() if w.split(":")[-1] not in everyone}
    plain = [(local / NEWS, f) for f in sorted(table(local / NEWS, "refs.tsv"))]
    other = [(local / OTHER, f) for f in sorted(table(local / OTHER, "refs.tsv"))]
    cv = [(cc0, f) for f in sorted(table(cc0, "refs.tsv"))]
    write(data / "speech-dev", [(local / TELEPHONE, fs[j]) for i, (_, fs) in enumerate(sorted(telephone.items()))
                                for j in (2 * i % 12, (2 * i + 1) % 12)] + plain + cv)
    write(data / "speech-cv", cv)
    write(data / "speech-sealed", [(local / DIGITS, fs[0]) for _, fs in sorted(digits.items())] + other)
    shared = {w: fs for w, fs in by_speaker(local / DIGITS).items() if w not in digits}

    def later(sentence: int | None, clip: int) -> list[tuple[Path, str]]:
        """Telephone sentences 2i+`sentence` and the one after of each speaker i (none once they are
        spent), digit clip `clip` of each digit speaker, and clip `clip` - 1 of each digit speaker
        also in the telephone set."""
        spoken = [] if sentence is None else [(local / TELEPHONE, fs[j]) for i, (_, fs) in enumerate(sorted(
            telephone.items())) for j in ((2 * i + sentence) % 12, (2 * i + sentence + 1) % 12)]
        return (spoken
                + [(local / DIGITS, fs[clip]) for _, fs in sorted(digits.items()) if len(fs) > clip]
                + [(local / DIGITS, fs[clip - 1]) for _, fs in sorted(shared.items()) if len(fs) > clip - 1])

    write(data / "speech-fresh", later(6, 1))
    write(data / "speech-third", later(2, 2))
    write(data / "speech-fourth", later(4, 3))
    write(data / "speech-fifth", later(8, 4))
    write(data / "speech-sixth", later(10, 5))
    write(data / "speech-seventh", later(None, 6))
    write(data / "voices-dev", [(local / TELEPHONE, f) for fs in telephone.values() for f in fs]
          + [(local / NEWS, f) for f in sorted(table(local / NEWS, "speakers.tsv"))])
    write(data / "voices-new", [(local / DIGITS, f) for fs in digits.values() for f in fs]
          + [(local / OTHER, f) for f in sorted(table(local / OTHER, "speakers.tsv"))])


if __name__ == "__main__":
    main()
