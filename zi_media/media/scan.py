"""One decoding pass over a file's pictures and sound: black and frozen stretches, scene
changes, silence, loudness (EBU R128 integrated loudness and true peak), clipping, and (when
asked) the text shown on screen, read from pictures sampled in the same pass (media.screen).

FFmpeg's own detectors do the work (blackdetect, freezedetect, the scene score, silencedetect,
ebur128, volumedetect) in one run of the `ffmpeg` binary, so the file is decoded once. The
pictures are thinned to SCAN_FPS and shrunk to SCAN_WIDTH_PX before any detector sees them:
enough for stretches to a fifth of a second, and an 8K or a 1x1 picture costs the same. The
binary rather than PyAV: the detectors report through FFmpeg's log, and a filter graph run
by the binary keeps decoding and filtering in its threads, out of Python. The pictures for
reading text are taken from the same 5-fps stream at full size (at most OCR_WIDTH_PX wide):
at each scene change and every SAMPLE_EVERY_S.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

from .. import cache
from ..files import file_sha256, write_atomic
from ..ocr import ocr_language, tesseract
from ..types import MediaFacts, MediaScan, ScreenText, Stretch
from . import screen as screen_reading
from .screen import SAMPLE_EVERY_S, read_pictures

log = logging.getLogger(__name__)

SCAN_FPS = 5  # pictures a second the detectors see
SCAN_WIDTH_PX = 320
BLACK_MIN_S = 0.5  # shortest black stretch reported by the detector (the rule decides what counts)
FREEZE_MIN_S = 2.0
FREEZE_NOISE = 0.003  # picture difference below which two frames are the same
SCENE_SCORE = 0.3  # FFmpeg's scene score above which a picture change is a new scene
LOUD_LUFS = -5.0  # momentary loudness (400 ms) above this is over-loud
LOUD_MIN_S = 0.5
SILENCE_DB = -50.0
SILENCE_MIN_S = 1.0
TIMEOUT_FACTOR = 2.0  # the pass may take twice the media's duration, plus a minute
OCR_WIDTH_PX = 1280  # pictures for reading text: a 720p frame as it is, larger ones shrunk


def _graph(video: bool, track: int | None, pictures: Path | None) -> tuple[str, list[str]]:
    """The filter graph and outputs; `track` is the audio stream checked (None: no sound)."""
    parts, maps = [], []
    if video:
        split = f"[0:v:0]fps={SCAN_FPS},split=2[d][o];[d]" if pictures else f"[0:v:0]fps={SCAN_FPS},"
        # Every thinned picture goes on to the output: one that only scene changes reached
        # would start no stream until the first cut, and the sound waiting for it overflows
        # FFmpeg's muxing queue after minutes of a still shot ("Too many packets buffered").
        # The scene changes are logged on a branch that ends in a sink.
        parts.append(f"{split}scale={SCAN_WIDTH_PX}:-2,format=yuv420p,"
                     f"blackdetect=d={BLACK_MIN_S}:pix_th=0.10,"
                     f"freezedetect=n={FREEZE_NOISE}:d={FREEZE_MIN_S},split=2[v][s];"
                     f"[s]select='gt(scene\\,{SCENE_SCORE})',showinfo@scenes,nullsink")
        maps += ["-map", "[v]"]
        if pictures:
            every = round(SAMPLE_EVERY_S * SCAN_FPS)
            parts.append(f"[o]select='gt(scene\\,{SCENE_SCORE})+not(mod(n\\,{every}))',"
                         f"scale='min({OCR_WIDTH_PX}\\,iw)':-2,showinfo@pictures[p]")
    if track is not None:
        parts.append(f"[0:a:{track}]ebur128=peak=true:framelog=info,"
                     f"silencedetect=n={SILENCE_DB}dB:d={SILENCE_MIN_S},volumedetect[a]")
        maps += ["-map", "[a]"]
    maps += ["-f", "null", "-"]
    if video and pictures:
        maps += ["-map", "[p]", "-fps_mode", "vfr", str(pictures / "p%06d.png")]
    return ";".join(parts), maps


def scan(facts: MediaFacts, read_screen: bool = False, use_cache: bool = True) -> MediaScan:
    """Scan a playable file (and read its on-screen text when `read_screen`); a half that
    cannot run (no such stream, no ffmpeg, an error) is skipped with the reason, never
    raised. Content scanned before (the same bytes, under any name: a unit checked again, a
    video checked as each kind or in another language) is not decoded again: in this process
    from memory, in another from the user's cache (`use_cache`), like its transcript. A scan
    that failed is never kept: the next check tries again."""
    video = bool(facts.video) and facts.video[0].pictures  # a stream without pictures is none
    track = facts.audio[0].track if facts.audio else None  # the checked track (media.probe.audio_track)
    if facts.duration_s is None or not (video or facts.audio):
        return MediaScan(False, False, skipped="no picture or sound to scan")
    try:
        content = file_sha256(facts.path)
    except OSError as e:
        return MediaScan(False, False, skipped=f"the file cannot be read ({e.strerror})", failed=True)
    key = (content, video, track, facts.duration_s, read_screen and video)
    if (found := _SCANNED.get(key) if use_cache else None) is None:
        entry = _cache_path(key)
        found = _cached(entry) if use_cache else None
        if found is None:
            found = _scan(str(facts.path), *key[1:])
            if not found.failed:
                _keep(entry, found)
        _SCANNED[key] = found
        while len(_SCANNED) > SCANS_KEPT:
            _SCANNED.popitem(last=False)
    return found


SCANS_KEPT = 64  # scans kept in this process, the oldest dropped first
_SCANNED: OrderedDict[tuple[str, bool, int | None, float, bool], MediaScan] = OrderedDict()
SCAN_FORMAT = 1  # bump when MediaScan's cached shape changes; older entries are scanned again


@functools.cache
def _version(exe: str | None) -> str:
    """The first line of `exe -version` (ffmpeg, tesseract): another version may read a file
    otherwise, so its scans are other cache entries."""
    if exe is None:
        return "absent"
    try:
        out = subprocess.run([exe, "--version" if "tesseract" in Path(exe).name else "-version"],
                             capture_output=True, text=True, errors="replace", timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (out.stdout or out.stderr).strip().split("\n")[0]


def _cache_path(key: tuple[str, bool, int | None, float, bool]) -> Path:
    """The cache entry of a scan: the content and what was scanned, every setting of the
    detectors and of the text reading, the ffmpeg and tesseract that ran."""
    # every number in upper case here and in media.screen is a setting (a new one joins the key)
    settings = {k: v for k, v in globals().items() if k.isupper() and isinstance(v, (int, float))}
    reading = None
    if key[4]:
        exe = tesseract()
        reading = [_version(exe), exe and ocr_language(exe),
                   {k: v for k, v in vars(screen_reading).items() if k.isupper() and isinstance(v, (int, float))}]
    name = json.dumps([SCAN_FORMAT, *key, settings, _version(shutil.which("ffmpeg")), reading], sort_keys=True)
    return cache.scans_dir() / f"{hashlib.sha256(name.encode()).hexdigest()}.json"


def _cached(entry: Path) -> MediaScan | None:
    """A scan read back from the cache; an unreadable or damaged entry is scanned again."""
    try:
        d = json.loads(entry.read_text(encoding="utf-8"))
        stretches = {k: tuple(Stretch(_number(a), _number(b)) for a, b in d[k])
                     for k in ("black", "frozen", "silence", "loud")}
        found = MediaScan(**{**d, **stretches, "scenes": tuple(_number(t) for t in d["scenes"]),
                             "screen": tuple(ScreenText(_number(a), _number(b), str(t)) for a, b, t in d["screen"])})
        flags = (found.pictures, found.sound, found.screen_read, found.failed)
        measures = (found.loudness_lufs, found.true_peak_db, found.clipped_share)
        if not all(isinstance(f, bool) for f in flags) or not isinstance(found.skipped, str) or \
                not all(m is None or (isinstance(m, (int, float)) and not isinstance(m, bool)) for m in measures):
            raise TypeError("a field of another type")
        return found
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as e:
        log.warning("the cached scan %s cannot be read (%s): scanning again", entry, e)
        return None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


def _keep(entry: Path, found: MediaScan) -> None:
    d: dict[str, Any] = dataclasses.asdict(found)
    for k in ("black", "frozen", "silence", "loud"):
        d[k] = [[s["start_s"], s["end_s"]] for s in d[k]]
    d["screen"] = [[t["start_s"], t["end_s"], t["text"]] for t in d["screen"]]
    try:
        write_atomic(entry, json.dumps(d, ensure_ascii=False))
    except OSError as e:  # a read-only or misplaced cache costs the next check a scan, never this result
        log.warning("the scan cache %s cannot be written (%s): this scan is not kept", entry.parent, e)


def _scan(path: str, video: bool, track: int | None, duration_s: float, read_screen: bool) -> MediaScan:
    exe = shutil.which("ffmpeg")
    if exe is None:
        return MediaScan(False, False, skipped="ffmpeg is not installed", failed=True)
    timeout = duration_s * TIMEOUT_FACTOR + 60
    with tempfile.TemporaryDirectory(prefix="zi-media-scan-") as tmp:
        pictures = Path(tmp) if read_screen else None
        graph, maps = _graph(video, track, pictures)
        try:
            run = subprocess.run([exe, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
                                  "-i", path, "-filter_complex", graph, *maps],
                                 capture_output=True, text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            return MediaScan(False, False, skipped=f"the scan took longer than {timeout:.0f} s", failed=True)
        if run.returncode != 0:
            last = run.stderr.strip().splitlines()[-1:] or ["no message"]
            return MediaScan(False, False, skipped=f"ffmpeg could not decode the file ({last[0]})", failed=True)
        found = _parse(run.stderr, duration_s, video, track is not None)
        if pictures is None:
            return found
        times = [float(t) for t in re.findall(rf"showinfo@pictures.*?pts_time:{_NUMBER}", run.stderr)]
        files = sorted(pictures.glob("p*.png"))
        screen = read_pictures(zip(times, files, strict=False), duration_s, found.scenes)
    return dataclasses.replace(found, screen=screen or (), screen_read=screen is not None)


_NUMBER = r"(-?[\d.]+|-?inf|nan)"


def _stretches(log: str, start: str, end: str, duration_s: float) -> tuple[Stretch, ...]:
    """Pairs of start/end marks in the log; one still open at the end closes at the end."""
    out, opened = [], None
    for m in re.finditer(rf"({re.escape(start)}|{re.escape(end)})\s*:?\s*{_NUMBER}", log):
        value = float(m.group(2))
        if m.group(1) == start:
            opened = value
        elif opened is not None:
            out.append(Stretch(max(opened, 0.0), min(value, duration_s)).rounded())
            opened = None
    if opened is not None and opened < duration_s:
        out.append(Stretch(max(opened, 0.0), duration_s).rounded())
    return tuple(out)


def _last(pattern: str, log: str) -> float | None:
    found = re.findall(pattern, log)
    if not found:
        return None
    value = float(found[-1])
    return value if value == value else None  # nan: nothing measured


def _loud(log: str, duration_s: float) -> tuple[Stretch, ...]:
    """Stretches where ebur128's momentary loudness (its 10-a-second log) stays above LOUD_LUFS."""
    out: list[Stretch] = []
    start, last = None, 0.0
    for t, m in re.findall(rf"\bt:\s*{_NUMBER}\s+TARGET:\S+ LUFS\s+M:\s*{_NUMBER}", log):
        now, level = float(t), float(m)
        if level > LOUD_LUFS and start is None:
            start = max(now - 0.4, 0.0)  # the momentary window looks back 400 ms
        elif level <= LOUD_LUFS and start is not None:
            if now - start >= LOUD_MIN_S:
                out.append(Stretch(start, min(now, duration_s)).rounded())
            start = None
        last = now
    if start is not None and last - start >= LOUD_MIN_S:
        out.append(Stretch(start, min(last, duration_s)).rounded())
    return tuple(out)


def _parse(log: str, duration_s: float, video: bool, audio: bool) -> MediaScan:
    black = tuple(Stretch(float(a), min(float(b), duration_s)).rounded() for a, b in
                  re.findall(rf"black_start:{_NUMBER} black_end:{_NUMBER}", log))
    frozen = _stretches(log, "freezedetect.freeze_start", "freezedetect.freeze_end", duration_s)
    silence = _stretches(log, "silence_start", "silence_end", duration_s)
    loud = _loud(log, duration_s)
    scenes = tuple(round(float(t), 2) for t in re.findall(rf"showinfo@scenes.*?pts_time:{_NUMBER}", log))
    summary = log.rsplit("Summary:", 1)[-1] if "Summary:" in log else ""
    loudness = _last(rf"\n\s+I:\s+{_NUMBER} LUFS", summary) if audio else None
    peak = _last(rf"Peak:\s+{_NUMBER} dBFS", summary) if audio else None
    samples = _last(rf"n_samples: {_NUMBER}", log)
    at_full = _last(rf"histogram_0db: {_NUMBER}", log) or 0.0
    clipped = at_full / samples if samples else None
    return MediaScan(video, audio, black, frozen, silence, loud, scenes,
                     loudness if loudness is None or loudness > -70 else None,
                     peak if peak is None or peak > -200 else None, clipped)
