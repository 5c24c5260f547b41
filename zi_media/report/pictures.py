"""Small JPEG pictures for the HTML report: video frames at evidence times, and banners.

Prepared before rendering (the renderer only formats) and kept as data: URIs, so the
report is one self-contained file. One frame per content finding, decoded after a seek:
never the whole video.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ..types import BannerFacts, FileReport, UnitReport
from .common import best_evidence_time, frame_key

WIDTH_PX = 240  # thumbnails are this wide
JPEG_QUALITY = 70


def _data_uri(bgr: Any) -> str:
    import cv2

    h, w = bgr.shape[:2]
    small = cv2.resize(bgr, (WIDTH_PX, max(1, round(h * WIDTH_PX / w))), interpolation=cv2.INTER_AREA)
    _, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode()


def _frames(video: Path, times: list[float]) -> dict[str, str]:
    import av

    out: dict[str, str] = {}
    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                return out
            stream = container.streams.video[0]
            for t in sorted(set(times)):
                container.seek(int(t * 1_000_000), backward=True)
                for frame in container.decode(stream):
                    if frame.time is None or frame.time >= t - 0.5:
                        out[frame_key(video, t)] = _data_uri(frame.to_ndarray(format="bgr24"))
                        break
    except av.FFmpegError:
        pass  # a damaged video simply has no pictures in the report
    return out


def _for_file(report: FileReport) -> dict[str, str]:
    if report.media is None or not report.media.video:
        return {}
    times = [t for f in report.findings if (t := best_evidence_time(f)) is not None]
    return _frames(report.path, times)


def _banner(facts: BannerFacts) -> Any:
    """A banner as it was read (BGR), or None: of an animation the frame whose reading is
    shown, since its first frame may be blank."""
    import cv2
    import numpy as np

    if facts.frames == 1:
        return cv2.imdecode(np.fromfile(str(facts.path), dtype=np.uint8), cv2.IMREAD_COLOR)
    from PIL import Image

    try:
        with Image.open(facts.path) as image:
            image.seek(facts.frame)
            return cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    except (OSError, EOFError, SyntaxError, ValueError, IndexError):  # a damaged animation: no picture
        return None


def _for_unit(unit: UnitReport) -> dict[str, str]:
    images: dict[str, str] = {}
    for r in unit.files:
        images |= _for_file(r)
    for c in unit.banners:
        if c.facts.decodable and (image := _banner(c.facts)) is not None:
            images[str(c.facts.path)] = _data_uri(image)
    return images


def prepare(report: FileReport | UnitReport) -> dict[str, str]:
    """The pictures the HTML report of `report` shows, by key (frame_key, or a banner's path)."""
    return _for_unit(report) if isinstance(report, UnitReport) else _for_file(report)
