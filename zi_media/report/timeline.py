"""A video's timeline for the HTML report: where speech is and whose voice it is, where the
picture is black or frozen, where the sound is silent, and where each requirement's evidence
was said or shown.

Geometry only (x in 0..WIDTH along the video's length, one row a track); the template draws
it as inline SVG, every mark a link to the video at that moment (`video.mp4#t=65`), which
seeks the page's player.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..timefmt import mmss, span
from ..types import FileReport, Transcript
from .common import telling
from .i18n import label

WIDTH = 1000.0  # x units across the video's length
ROW_PX = 18
LABEL_PX = 230  # room for the track names at the left
NAME_CHARS = 32  # a longer track name is shortened at a word, with an ellipsis (the full name on hover)
TIP_CHARS = 120  # a mark's words in its tooltip, shortened at a word
TIP_LINES = 8  # marks joined into one (they touch) list at most this many tooltips
MIN_MARK = 2.0  # x units: a moment is drawn at least this wide
VOICE_COLOURS = 6  # colours for voices other than the narrator's (report.css .tl-voice1..6)


@dataclass(frozen=True)
class Mark:
    x: float
    width: float
    start_s: float
    kind: str  # css class: speech, silence, black, frozen, said, shown, narrator, voice1..6
    title: str  # the tooltip: what and when


@dataclass(frozen=True)
class Track:
    name: str
    marks: tuple[Mark, ...]

    @property
    def short(self) -> str:
        return textwrap.shorten(self.name, NAME_CHARS, placeholder="\u2026")


@dataclass(frozen=True)
class Timeline:
    duration_s: float
    tracks: tuple[Track, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, mm:ss)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of mark drawn, in order of first appearance (the legend under it)."""
        return tuple(dict.fromkeys(m.kind for t in self.tracks for m in t.marks))


def _mark(start_s: float, end_s: float, duration_s: float, kind: str, title: str) -> Mark:
    x = max(0.0, min(WIDTH, start_s / duration_s * WIDTH))
    width = max(MIN_MARK, (end_s - start_s) / duration_s * WIDTH)
    return Mark(round(x, 1), round(min(width, WIDTH - x) or MIN_MARK, 1), round(start_s, 1), kind, title)


def _joined(marks: tuple[Mark, ...]) -> tuple[Mark, ...]:
    """Marks of one kind that touch or overlap drawn as one, their tooltips together: stacked,
    only the top one could be pointed at."""
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: m.x):
        last = out[-1] if out else None
        if last is not None and last.kind == m.kind and m.x <= last.x + last.width:
            tips = last.title.split("\n")
            title = last.title if len(tips) > TIP_LINES else \
                f"{last.title}\n{m.title if len(tips) < TIP_LINES else chr(0x2026)}"
            end = max(last.x + last.width, m.x + m.width)
            out[-1] = Mark(last.x, round(end - last.x, 1), last.start_s, m.kind, title)
        else:
            out.append(m)
    return tuple(out)


def _tip(text: str) -> str:
    return textwrap.shorten(text, TIP_CHARS, placeholder=" \u2026")


def _ticks(duration_s: float) -> tuple[tuple[float, str], ...]:
    step = next((s for s in (5, 10, 15, 30, 60, 120, 300) if duration_s / s <= 12), 600)
    return tuple((round(t / duration_s * WIDTH, 1), mmss(t)) for t in range(0, int(duration_s) + 1, step))


def _voices(transcript: Transcript, duration_s: float, lang: str) -> tuple[Mark, ...]:
    """Who says each segment: the narrator grey, every other voice a colour of its own."""
    others = [s.id for s in transcript.speakers if s.role != "narrator"]
    kinds = {sid: f"voice{i % VOICE_COLOURS + 1}" for i, sid in enumerate(others)}
    kinds |= {s.id: "narrator" for s in transcript.speakers if s.role == "narrator"}
    roles = {s.id: s.role for s in transcript.speakers}
    return tuple(_mark(s.start_s, s.end_s, duration_s, kinds[s.speaker],
                       f"{label(f'voice.{roles[s.speaker]}', lang, speaker=s.speaker)} {span(s.start_s, s.end_s)}")
                 for s in transcript.evidence if s.speaker in kinds)


def timeline(report: FileReport, lang: str) -> Timeline | None:
    """The timeline of one checked video, or None when there is nothing timed to draw."""
    media, scan, transcript = report.media, report.scan, report.transcript
    if media is None or not media.duration_s:
        return None
    d = media.duration_s
    tracks: list[Track] = []
    if transcript is not None and transcript.timed:
        said = tuple(_mark(s.start_s, s.end_s, d, "speech", f"{span(s.start_s, s.end_s)} {_tip(s.text)}")
                     for s in transcript.evidence)
        tracks.append(Track(label("speech", lang), said))
        if transcript.speakers:
            tracks.append(Track(label("voices", lang), _voices(transcript, d, lang)))
    if scan is not None:
        for name, kind, stretches in (("silence", "silence", scan.silence), ("loudness", "loud", scan.loud),
                                      ("black", "black", scan.black), ("freeze", "frozen", scan.frozen)):
            if (scan.sound if name in ("silence", "loudness") else scan.pictures):
                tracks.append(Track(label(name, lang), tuple(
                    _mark(s.start_s, s.end_s, d, kind, f"{label(name, lang)} {span(s.start_s, s.end_s)}")
                    for s in stretches)))
    for f in report.findings:
        if f.content is None:
            continue
        marks = tuple(_mark(e.start_s, e.end_s or e.start_s, d, "shown" if e.source == "screen" else "said",
                            f"{mmss(e.start_s)} \u201c{_tip(e.heard)}\u201d ({label(f'source.{e.source}', lang)})")
                      for e in telling(f.content.evidence) if e.start_s is not None and e.passage == "describes")
        tracks.append(Track(f.content.title[lang], marks))
    if not tracks:
        return None
    return Timeline(d, tuple(Track(t.name, _joined(t.marks)) for t in tracks), _ticks(d))
