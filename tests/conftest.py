"""Shared fixtures: real media made by ffmpeg (lavfi test sources), built once per session.

ffmpeg must be installed (`bash dev.sh test` installs it); a missing ffmpeg fails loudly
instead of skipping, so CI can never pass without the real tool.

Every test that decodes with the real CTranslate2 model must be marked `asr`: what the model
hears differs with the CPU's instruction set, so `bash dev.sh test-isa` runs exactly those
tests under each one. A test that decodes unmarked fails, so the mark cannot go stale.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest

from zi_media.speech.faster_engine import FasterWhisperEngine

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

MakeMedia = Callable[..., Path]


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache of the session's own: the model is assembled fresh, no user cache is touched.
    Under pytest-xdist the workers share it, so a video one worker transcribed is a cache hit
    for the other (entries are written atomically, as for two users of one cache)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.getbasetemp().parent / "cache"
        path.mkdir(exist_ok=True)
    else:
        path = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("ZI_MEDIA_CACHE_DIR", str(path))
    yield path
    mp.undo()


def pytest_report_header() -> str:
    """The CTranslate2 kernels in force, so a failure names the CPU path it was heard on."""
    isa, mkl = os.environ.get("CT2_FORCE_CPU_ISA"), os.environ.get("CT2_USE_MKL")
    return f"CTranslate2: CT2_FORCE_CPU_ISA={isa or '(the CPU best)'} CT2_USE_MKL={mkl or '(default)'}"


_decodes = [0]  # calls into the CTranslate2 model in this process


@pytest.fixture(scope="session", autouse=True)
def count_decodes() -> Iterator[None]:
    """Count every decode by the real CTranslate2 engine (first pass and re-decodes)."""
    mp = pytest.MonkeyPatch()
    for name in ("run", "redecode"):
        real = getattr(FasterWhisperEngine, name)

        def counted(self: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            _decodes[0] += 1
            return _real(self, *args, **kwargs)

        mp.setattr(FasterWhisperEngine, name, counted)
    yield
    mp.undo()


_BEFORE = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    item.stash[_BEFORE] = _decodes[0]  # before any fixture: a module fixture's decode counts too
    yield


@pytest.fixture(autouse=True)
def asr_mark_is_honest(request: pytest.FixtureRequest, count_decodes: None) -> Iterator[None]:
    """Fail a test that ran the model without the `asr` mark (dev.sh test-isa would miss it)."""
    yield
    if _decodes[0] > request.node.stash[_BEFORE] and request.node.get_closest_marker("asr") is None:
        pytest.fail("this test decodes with the real model: mark it @pytest.mark.asr", pytrace=False)


def fuzzy_found(words: Iterable[str], text: str, ratio: float = 0.8) -> list[str]:
    """The words of `words` heard in `text`, allowing the small slips speech recognition makes
    ("korusi" for "korupsi"), which differ from one CPU's kernels to another's."""
    spoken = re.findall(r"\w+", text.lower())
    return [w for w in words if any(SequenceMatcher(None, w, s).ratio() >= ratio for s in spoken)]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def joined_video(path: Path, parts: list[tuple[str, str, str]]) -> Path:
    """A video made of parts, each (picture source, sound source, filter) as lavfi inputs,
    encoded alike (h264, aac mono) and joined without re-encoding."""
    encoded = []
    for i, (picture, sound, draw) in enumerate(parts):
        out = path.with_name(f"{path.stem}-part{i}.mp4")
        ffmpeg("-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", sound, "-vf", draw,
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1",
               "-shortest", str(out))
        encoded.append(out)
    listing = path.with_name(f"{path.stem}-parts.txt")
    listing.write_text("".join(f"file '{p}'\n" for p in encoded))
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(path))
    return path


@pytest.fixture(scope="session")
def make_media(tmp_path_factory: pytest.TempPathFactory) -> MakeMedia:
    """make_media(duration_s=2, video=True, audio=True, ext="mp4", faststart=False) -> path.

    A tiny test pattern (64x64, 1 fps) and a sine tone; identical requests share one file.
    """
    root = tmp_path_factory.mktemp("media")
    made: dict[tuple, Path] = {}

    def make(duration_s: float = 2.0, video: bool = True, audio: bool = True,
             ext: str = "mp4", faststart: bool = False) -> Path:
        key = (duration_s, video, audio, ext, faststart)
        if key not in made:
            out = root / f"clip_{duration_s}_{int(video)}{int(audio)}_{int(faststart)}.{ext}"
            inputs: list[str] = []
            if video:
                inputs += ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=1"]
            if audio:
                inputs += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000"]
            codecs = (["-c:v", "libx264", "-preset", "ultrafast"] if video else []) + \
                     (["-c:a", "aac", "-b:a", "24k"] if audio else [])  # 24k: a 5-minute tone in 0.7 s
            flags = ["-movflags", "+faststart"] if faststart else []
            ffmpeg(*inputs, "-t", str(duration_s), *codecs, *flags, str(out))
            made[key] = out
        return made[key]

    return make


@pytest.fixture
def truncated(make_media: MakeMedia, tmp_path: Path) -> Path:
    """A 10-second mp4 with its index first (faststart), cut to its first 40 % of bytes."""
    whole = make_media(10.0, faststart=True).read_bytes()
    out = tmp_path / "cut.mp4"
    out.write_bytes(whole[: len(whole) * 4 // 10])
    return out


SPEECH_TEXT = ("Pengadilan negeri sedang membangun zona integritas menuju wilayah bebas dari korupsi. "
               "Pelayanan publik kami cepat dan tanpa pungutan liar. "
               "Masyarakat merasa puas dengan pelayanan pengadilan.")


@pytest.fixture(scope="session")
def speech_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 12 s of Indonesian speech (espeak-ng) behind a test pattern, as an mp4."""
    root = tmp_path_factory.mktemp("speech")
    wav, out = root / "speech.wav", root / "speech.mp4"
    subprocess.run(["espeak-ng", "-v", "id", "-s", "150", "-w", str(wav), SPEECH_TEXT], check=True)
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-i", str(wav), "-shortest",
           "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(out))
    return out


def sheet_column(sheet: Any, title: str) -> int:
    """The column of summary.xlsx whose header's comment is the requirement's full `title`."""
    return next(c.column for c in sheet[2] if c.comment is not None and c.comment.text == title)
