"""HTML reports: one self-contained file per unit or video (inline CSS, images as data:
URIs, no network), and the batch index. They only format; pictures come in prepared."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import __version__
from .i18n import label, label_or, size, text
from .report import summary, where
from .thumbnails import best_evidence_time, frame_key
from .timefmt import mmss
from .types import FileReport, Finding

if TYPE_CHECKING:
    from .unit import UnitReport

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
header.verdict{padding:20px 24px;color:#fff}
header.met{background:#1b7f3b} header.not_met,header.error{background:#b3261e}
header h1{margin:0 0 4px;font-size:28px} header p{margin:0;opacity:.92}
section{background:#fff;border-radius:8px;padding:12px 18px;margin:16px 0;box-shadow:0 1px 2px #0002}
h2{font-size:19px;margin:6px 0 10px}
table{border-collapse:collapse;width:100%} td{padding:7px 8px;border-top:1px solid #e3e6ea;vertical-align:top}
.badge{display:inline-block;min-width:84px;text-align:center;border-radius:4px;padding:2px 6px;
font-weight:600;font-size:13px;color:#fff}
.met{background:#1b7f3b} .not_met{background:#b3261e} .warning{background:#a15c00}
.ev{margin:4px 0 0 0;padding-left:18px;font-size:14px;color:#3a4352} .ev code{color:#1d2433}
.hint{font-size:14px;color:#5b4400;background:#fff6dd;padding:4px 8px;border-radius:4px;margin-top:4px}
img.thumb{width:240px;border-radius:4px;display:block;margin-top:6px}
.grid{display:flex;flex-wrap:wrap;gap:14px} .grid figure{margin:0;width:240px;font-size:13px}
footer{font-size:12px;color:#6b7280;margin-top:24px}
"""


def _page(title: str, lang: str, body: Iterable[str]) -> str:
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _badge(status: str, lang: str) -> str:
    return f'<span class="badge {status}">{escape(label(f"status.{status}", lang))}</span>'


def _finding_row(f: Finding, lang: str, report: FileReport | None, images: Mapping[str, str]) -> str:
    title = f.content.title[lang] if f.content else label_or(f.id, lang, f.id)
    cell = [f"<b>{escape(title)}</b><br>{escape(text(f.message, lang))}"]
    if f.content is not None:
        c = f.content
        items = []
        for e in sorted(c.evidence, key=lambda e: -e.weight * e.similarity)[:5]:
            items.append(f"<li><b>{escape(where(e, lang))}</b> &ldquo;<code>{escape(e.heard)}</code>&rdquo; "
                         f"~ {escape(e.phrase)} ({e.similarity:g})</li>")
        if items:
            cell.append(f'<ul class="ev">{"".join(items)}</ul>')
        if c.sectors:
            names = ", ".join(label_or(f"sector.{s}", lang, s) for s in c.sectors)
            cell.append(f"<div>{escape(label('sectors', lang))}: {escape(names)}</div>")
        if c.coverage != "met":
            cell.append(f'<div class="hint">{escape(label("hint", lang))}: {escape(c.hint[lang])}</div>')
        t = best_evidence_time(f)
        if report is not None and t is not None and (uri := images.get(frame_key(report.path, t))):
            cell.append(f'<img class="thumb" alt="{escape(mmss(t))}" src="{uri}">')
    return f"<tr><td>{_badge(f.status, lang)}</td><td>{''.join(cell)}</td></tr>"


def _file_section(r: FileReport, lang: str, images: Mapping[str, str]) -> str:
    m = r.media
    facts = f" ({escape(size(m.size_bytes, lang))})" if m else ""
    rows = "".join(_finding_row(f, lang, r, images) for f in r.findings)
    return (f"<section><h2>{escape(r.kind_title[lang])}: {escape(r.path.name)}{facts}</h2>"
            f"<table>{rows}</table></section>")


def _header(verdict: str, heading: str, detail: str, lang: str) -> str:
    return (f'<header class="verdict {verdict}"><h1>{escape(label("verdict", lang))}: '
            f'{escape(label(f"verdict.{verdict}", lang))}</h1><p>{escape(heading)}</p>'
            f"<p>{escape(detail)}</p></header>")


def render_html(report: FileReport, lang: str, images: Mapping[str, str] | None = None) -> str:
    """One video (or transcript) report as a page."""
    head = _header(report.verdict, str(report.path),
                   f"{report.profile_name} {report.profile_version} · {summary(report.findings, lang)}", lang)
    return _page(f"zi-media: {report.path.name}", lang,
                 [head, "<main>", _file_section(report, lang, images or {}), _footer(), "</main>"])


def render_unit_html(unit: "UnitReport", lang: str, images: Mapping[str, str] | None = None) -> str:
    """A unit folder's report: verdict first, then the unit's items, banners, each file."""
    images = images or {}
    body = [_header(unit.verdict, f"{label('unit', lang)}: {unit.name}",
                    f"{unit.profile_name} {unit.profile_version} · {summary(unit.all_findings(), lang)}", lang),
            "<main>"]
    if unit.error:
        body.append(f"<section><h2>{escape(label('verdict.error', lang))}</h2><p>{escape(unit.error)}</p></section>")
    rows = "".join(_finding_row(f, lang, None, images) for f in unit.findings)
    body.append(f"<section><h2>{escape(label('unit', lang))}: {escape(unit.name)}</h2><table>{rows}</table></section>")
    if unit.banners:
        figures = []
        for c in unit.banners:
            uri = images.get(str(c.facts.path))
            pic = f'<img class="thumb" alt="{escape(c.facts.path.name)}" src="{uri}">' if uri else ""
            said = escape(c.facts.text or "-")
            figures.append(f"<figure>{pic}<figcaption>{_badge('met' if c.passes else 'not_met', lang)} "
                           f"{escape(c.facts.path.name)} {c.facts.width_px}x{c.facts.height_px}<br>"
                           f"<i>{said[:160]}</i></figcaption></figure>")
        body.append(f"<section><h2>Banner</h2><div class=\"grid\">{''.join(figures)}</div></section>")
    body += [_file_section(r, lang, images) for r in unit.files]
    if unit.unknown:
        names = "".join(f"<li>{escape(p.name)}</li>" for p in unit.unknown)
        body.append(f"<section><h2>{escape(label('unknown', lang))}</h2><ul>{names}</ul></section>")
    body += [_footer(), "</main>"]
    return _page(f"zi-media: {unit.name}", lang, body)


def render_index(rows: list[dict[str, Any]], lang: str) -> str:
    """The batch index: one row per unit with its verdict, counts and a link to its report."""
    trs = []
    for r in rows:
        verdict = r["verdict"]
        badge = f'<span class="badge {"met" if verdict == "met" else "not_met"}">' \
                f'{escape(label(f"verdict.{verdict}", lang))}</span>'
        link = f'<a href="{escape(r["html"])}">{escape(r["unit"])}</a>' if r.get("html") else escape(r["unit"])
        trs.append(f"<tr><td>{badge}</td><td>{link}</td><td>{r['met']}</td><td>{r['not_met']}</td>"
                   f"<td>{r['warnings']}</td><td>{escape(r['missing'] or r.get('error') or '')}</td></tr>")
    met = sum(r["verdict"] == "met" for r in rows)
    head = (f'<header class="verdict {"met" if met == len(rows) else "not_met"}"><h1>zi-media</h1>'
            f"<p>{met} / {len(rows)} {escape(label('verdict.met', lang))}</p></header>")
    cols = "".join(f"<td><b>{escape(c)}</b></td>" for c in (
        label("verdict", lang), label("unit", lang), "met", "not met", "warning", label("missing_items", lang)))
    return _page("zi-media batch", lang, [head, "<main><section><table>", f"<tr>{cols}</tr>", *trs,
                                          "</table></section>", _footer(), "</main>"])


def _footer() -> str:
    return f"<footer>zi-media {escape(__version__)}</footer>"
