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


def audio_track(streams: Any) -> int:
    """Which of a file's audio streams is checked and transcribed: the one marked default
    (a phone or an editor may put a silent or a commentary track first), else the first."""
    import av

    marked = [i for i, s in enumerate(streams) if s.disposition & av.stream.Disposition.default]
    return marked[0] if len(marked) == 1 else 0


def _codec(stream: Any) -> str:
    """The format's own name ("av1", "mp3"), not the decoder FFmpeg picked ("libdav1d", "mp3float")."""
    codec = stream.codec_context.codec
    return str(codec.canonical_name if codec is not None else stream.codec_context.name)


def _rotation(container: Any, stream: Any) -> int:
    """How a player turns the pictures (the display matrix), from the first frame; 0 when
    none can be decoded (a stream without pictures is found out by the data read)."""
    import av

    try:
        frame = next(container.decode(stream), None) if _rewind(container) else None
    except (av.FFmpegError, ValueError):
        return 0
    return round(-frame.rotation) % 360 if frame is not None else 0


def _facts(path: Path, size: int, container: Any) -> MediaFacts:  # av.container.InputContainer
    import av

    name = container.format.name
    start_s = (container.start_time or 0) / AV_TIME_BASE
    header_s = container.duration / AV_TIME_BASE if container.duration else None
    streams = container.streams
    checked = audio_track(streams.audio)
    audio = tuple(
        AudioStream(_codec(s), s.codec_context.sample_rate, s.codec_context.layout.nb_channels,
                    i, bool(s.disposition & av.stream.Disposition.default))
        for i, s in sorted(enumerate(streams.audio), key=lambda e: e[0] != checked)
    )

    def streams_of_video(seen: set[int] | None) -> tuple[VideoStream, ...]:
        return tuple(VideoStream(_codec(s), s.codec_context.width, s.codec_context.height,
                                 float(s.average_rate) if s.average_rate else None,
                                 _rotation(container, s) if seen is not None else 0,
                                 seen is None or s.index in seen or _has_packets(container, s))
                     for s in streams.video)

    if not header_s or not (streams.video or audio):
        return MediaFacts(path, size, name, None, None, streams_of_video(None), audio, problem="no_duration",
                          problem_detail=f"{container.format.long_name}, {len(container.streams)} stream(s)")
    declared_s = max(header_s, 0.0)  # a negative header declares nothing: the data is read from the start
    data_end_s, seen = _data_end(container, start_s, declared_s)
    video = streams_of_video(seen)
    if data_end_s is not None and data_end_s > declared_s + HEADER_TOLERANCE_S:
        # The data plays longer than the header says: what plays is judged, the header reported.
        return MediaFacts(path, size, name, data_end_s, data_end_s, video, audio, header_duration_s=header_s)
    if data_end_s is None or data_end_s < declared_s - TRUNCATION_TOLERANCE_S:
        return MediaFacts(path, size, name, declared_s, data_end_s, video, audio,
                          problem="truncated")
    return MediaFacts(path, size, name, declared_s, data_end_s, video, audio)


def _data_end(container: Any, start_s: float, duration_s: float) -> tuple[float | None, set[int]]:
    """End time of the last packet in the file, read by demuxing only the last TAIL_S, and
    the streams that had packets there. The seek goes by each stream in turn until one
    lands: a video stream without a single frame has no index to seek by."""
    import av

    target = start_s + max(0.0, duration_s - TAIL_S)
    end: float | None = None
    seen: set[int] = set()
    for stream in _seek_bases(container):
        try:
            _seek(container, target, stream)
            for packet in container.demux():
                if packet.pts is None or packet.time_base is None or not packet.size:
                    continue
                seen.add(packet.stream.index)
                t = float((packet.pts + (packet.duration or 0)) * packet.time_base) - start_s
                end = t if end is None else max(end, t)
        except av.FFmpegError:
            pass  # a read error in the tail is what truncation looks like; `end` says how far it got
        if end is not None:
            break
    return end, seen


def _seek_bases(container: Any) -> tuple[Any, ...]:
    """What a seek may go by, in turn: the container's default stream (None), then each
    stream with a time base (a video stream without a frame has no index to seek by)."""
    return (None, *(s for s in container.streams if s.time_base))


def _seek(container: Any, seconds: float, stream: Any) -> None:
    """To the last key point at or before `seconds`, by `stream` (None: the default one)."""
    if stream is None:
        container.seek(int(seconds * AV_TIME_BASE), backward=True)
    else:
        container.seek(int(seconds / stream.time_base), backward=True, stream=stream)


def _rewind(container: Any) -> bool:
    """Back to the first packet, by whichever stream has an index to seek by; False if none has."""
    import av

    for stream in _seek_bases(container):
        try:
            _seek(container, 0.0, stream)
            return True
        except av.FFmpegError:
            continue
    return False


SEARCH_PACKETS = 5000  # packets read from the start to find a stream's first one (a minute of any video)


def _has_packets(container: Any, stream: Any) -> bool:
    """Whether the stream carries any data, by demuxing from the start until it does."""
    import av

    if not _rewind(container):
        return True  # cannot be read from the start: not called pictureless
    try:
        for n, packet in enumerate(container.demux()):
            if packet.stream.index == stream.index and packet.size:
                return True
            if n >= SEARCH_PACKETS:
                return True  # not seen early; some files interleave late: not called pictureless
    except av.FFmpegError:
        return True  # damage is judged by the truncation check, not called "no pictures"
    return False
