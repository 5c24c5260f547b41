"""The audio of a media file as 16 kHz mono float32, streamed in blocks of about ten minutes.

A 15-minute video is one block; a ten-hour recording never sits in memory whole (it would
take 2.3 GB as float32). Each block is cut at the quietest tenth of a second in its last
15 seconds, so a cut falls between words, not inside one. Decoded with PyAV, FFmpeg's
libraries inside the wheel; any channel layout and sample rate is downmixed and resampled.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import AudioDecodeError
from ..media.probe import audio_track
from .engine import SAMPLE_RATE

BLOCK_S = 600.0  # seconds of audio transcribed at a time
SEARCH_S = 15.0  # the cut is sought in this many last seconds of a block
STEP_S = 0.1  # loudness is measured over windows this long
NARROW_DB = -35.0  # 4-5 kHz this far under 1-3 kHz: heard through a telephone band (real full-band
# speech of four sources: -6 to -28 dB)


def narrowband(piece: Any) -> bool:
    """Whether `piece` (16 kHz) came through a telephone band: next to nothing above it."""
    import numpy as np

    power = np.abs(np.fft.rfft(piece)) ** 2
    hz = np.fft.rfftfreq(len(piece), 1 / SAMPLE_RATE)
    voice, top = power[(hz >= 1000) & (hz < 3000)].mean(), power[(hz >= 4000) & (hz < 5000)].mean()
    return bool(voice > 0 and top <= voice * 10 ** (NARROW_DB / 10))


def _quiet_cut(block: Any) -> int:
    """The sample index to cut `block` at: the start of its quietest window near the end."""
    import numpy as np

    step = int(STEP_S * SAMPLE_RATE)
    tail_start = max(0, len(block) - int(SEARCH_S * SAMPLE_RATE))
    tail = block[tail_start:]
    n = len(tail) // step
    if n < 2:
        return len(block)
    energy = np.square(tail[:n * step].reshape(n, step)).mean(axis=1)
    return tail_start + int(np.argmin(energy[1:]) + 1) * step


def blocks(path: Path, block_s: float | None = None) -> Iterator[tuple[float, Any]]:
    """(offset in seconds, audio) for each block (default BLOCK_S) of the file's checked audio
    stream (the default track: media.probe.audio_track), in order. Raises AudioDecodeError
    when not even the start can be decoded."""
    import av
    import numpy as np

    size = int((block_s or BLOCK_S) * SAMPLE_RATE)
    pending: list[Any] = []
    held, offset, decoded = 0, 0, False
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in _frames(container):
                for out in resampler.resample(frame):
                    pcm = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                    pending.append(pcm)
                    held += len(pcm)
                    decoded = True
                    if held >= size + int(SEARCH_S * SAMPLE_RATE):
                        audio = np.concatenate(pending)
                        cut = _quiet_cut(audio[:size])
                        yield offset / SAMPLE_RATE, audio[:cut]
                        offset += cut
                        pending, held = [audio[cut:]], len(audio) - cut
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0)
            del resampler
            gc.collect()  # PyAV's resampler holds buffers until collected (faster-whisper issue 390)
    except (av.FFmpegError, IndexError, ValueError) as e:
        if not decoded:
            raise AudioDecodeError(f"{path}: cannot decode its audio: {e}") from e
    rest = np.concatenate(pending) if pending else np.zeros(0, dtype=np.float32)
    if len(rest) or offset == 0:
        yield offset / SAMPLE_RATE, rest


def _frames(container: Any) -> Iterator[Any]:
    """Audio frames of the checked audio stream; a damaged frame mid-stream is skipped, and a
    file cut short simply ends (what was decoded is kept)."""
    import av

    if not container.streams.audio:
        raise AudioDecodeError(f"{container.name}: no audio stream")
    packets = container.demux(container.streams.audio[audio_track(container.streams.audio)])
    good = bad = 0
    while True:
        try:
            packet = next(packets)
        except (StopIteration, av.error.InvalidDataError):
            break
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            bad += 1
            continue
        good += len(frames)
        yield from frames
    if bad and not good:
        raise AudioDecodeError(f"{container.name}: cannot decode its audio ({bad} damaged packets, none good)")
