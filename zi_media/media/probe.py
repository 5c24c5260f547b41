"""Media facts from a file: the one place that opens containers (PyAV, FFmpeg's libraries).

It reads the container header and demuxes (never decodes) the packets from a few seconds
before the declared end to the real end of the data, so a 15-minute video costs
milliseconds, and a header that declares less than the data plays (crafted to pass a
duration rule) is caught: the duration judged is the data's. A file that is not media, is empty, or is cut short is
not an error here: it comes back as MediaFacts with `problem` set, because an unplayable
video is a finding about the submission. Paths that cannot be used at all (missing,
a folder, unreadable) raise InputError.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..files import require_readable_file
from ..types import AudioStream, MediaFacts, VideoStream

TAIL_S = 3.0  # seconds demuxed at the end to see that the data reaches the declared duration
TRUNCATION_TOLERANCE_S = 1.0  # packets may end a little before the declared duration
HEADER_TOLERANCE_S = 2.0  # data playing this much longer than the header declares: the header lies
AV_TIME_BASE = 1_000_000  # FFmpeg's container timestamps are in microseconds


def probe(path: Path) -> MediaFacts:
    """Read the facts of one media file; see the module docstring for what is read."""
    size = require_readable_file(path)
    if size == 0:
        return MediaFacts(path, 0, None, None, None, problem="empty")
    import av  # deferred: `zi-media --help` must not pay for FFmpeg's libraries

    try:
        with av.open(os.fspath(path), metadata_errors="ignore") as container:
            return _facts(path, size, container)
    except av.FFmpegError as e:
        detail = getattr(e, "strerror", None) or str(e)
        return MediaFacts(path, size, None, None, None, problem="not_media", problem_detail=detail)


def _facts(path: Path, size: int, container: Any) -> MediaFacts:  # av.container.InputContainer
    video = tuple(
        VideoStream(s.codec_context.name, s.codec_context.width, s.codec_context.height,
                    float(s.average_rate) if s.average_rate else None)
        for s in container.streams.video
    )
    audio = tuple(
        AudioStream(s.codec_context.name, s.codec_context.sample_rate,
                    s.codec_context.layout.nb_channels)
        for s in container.streams.audio
    )
    name = container.format.name
    start_s = (container.start_time or 0) / AV_TIME_BASE
    header_s = container.duration / AV_TIME_BASE if container.duration else None
    if not header_s or not (video or audio):
        return MediaFacts(path, size, name, None, None, video, audio, problem="no_duration",
                          problem_detail=f"{container.format.long_name}, {len(container.streams)} stream(s)")
    declared_s = max(header_s, 0.0)  # a negative header declares nothing: the data is read from the start
    data_end_s = _data_end(container, start_s, declared_s)
    if data_end_s is not None and data_end_s > declared_s + HEADER_TOLERANCE_S:
        # The data plays longer than the header says: what plays is judged, the header reported.
        return MediaFacts(path, size, name, data_end_s, data_end_s, video, audio, header_duration_s=header_s)
    if data_end_s is None or data_end_s < declared_s - TRUNCATION_TOLERANCE_S:
        return MediaFacts(path, size, name, declared_s, data_end_s, video, audio,
                          problem="truncated")
    return MediaFacts(path, size, name, declared_s, data_end_s, video, audio)


def _data_end(container: Any, start_s: float, duration_s: float) -> float | None:
    """End time of the last packet in the file, read by demuxing only the last TAIL_S."""
    import av

    target = start_s + max(0.0, duration_s - TAIL_S)
    end: float | None = None
    try:
        container.seek(int(target * AV_TIME_BASE), backward=True)
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            t = float((packet.pts + (packet.duration or 0)) * packet.time_base) - start_s
            end = t if end is None else max(end, t)
    except av.FFmpegError:
        pass  # a read error in the tail is what truncation looks like; `end` says how far it got
    return end
