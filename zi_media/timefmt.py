"""Clock-style durations as players show them (m:ss or h:mm:ss), numbers as each report
language writes them (Indonesian: decimal comma), and the time a check ran."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping


def number(x: float) -> Mapping[str, str]:
    """A number in each report language: {"id": "4,75", "en": "4.75"}."""
    return {"id": f"{x:g}".replace(".", ","), "en": f"{x:g}"}


def percent(share: float) -> Mapping[str, str]:
    """A share (0..1) as a percentage with one decimal: {"id": "96,5 %", "en": "96.5 %"}."""
    return {lang: f"{text} %" for lang, text in number(round(share * 100, 1)).items()}


def whole_seconds(seconds: float) -> int:
    """Seconds truncated the way a player's clock shows them: 300.9 s is shown as 5:00."""
    return math.floor(seconds + 1e-6)


def clock(seconds: float) -> str:
    """Format seconds as m:ss, or h:mm:ss from one hour on."""
    total = whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def span(start_s: float, end_s: float) -> str:
    """A stretch of time as mm:ss-mm:ss, to jump to in a player."""
    return f"{mmss(start_s)}-{mmss(end_s)}"


def mmss(seconds: float) -> str:
    """Format an evidence time as mm:ss (h:mm:ss from one hour on), to jump to in a player."""
    total = whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def checked_now() -> str:
    """The date and time of a check as its reports show it, local time: "2026-12-01 17:25"."""
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
