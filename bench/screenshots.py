#!/usr/bin/env python3
"""The reports as a person sees them: a page in headless Chromium at a window width (a PNG, and
what the page measured of its own layout), printed to PDF and turned into PNG pages by
pdftoppm. The tests use these to check the layout; run as a script, it makes the screenshots
in docs/ from a batch's output folder.

Usage: python bench/screenshots.py OUT_FOLDER [DOCS_FOLDER]
  (OUT_FOLDER: what `zi-media batch ... --out OUT_FOLDER` wrote; the first unit page is shot)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1"]
# measured by the page itself once laid out, written where --dump-dom shows it
MEASURE = """<script>window.addEventListener("load", function () {
  var names = Array.prototype.map.call(document.querySelectorAll(".tl-name"),
                                       function (t) { return t.getBoundingClientRect().height; });
  var spill = Array.prototype.filter.call(document.querySelectorAll("section"),
                                          function (s) { return s.scrollWidth > s.clientWidth + 1; }).length;
  parent.postMessage(JSON.stringify({page_width: document.documentElement.scrollWidth, sections_spilling: spill,
                                     smallest_track_name_px: names.length ? Math.min.apply(null, names) : null}), "*");
});</script>"""
# Chromium's window is at least 500 px wide: the page is shown in a frame of the exact width
FRAME = """<!doctype html><html><body style="margin:0"><iframe src="{src}" style="width:{width}px;height:{height}px;
border:0;display:block"></iframe><pre id="zi-measured"></pre><script>window.addEventListener("message",
function (e) {{ document.getElementById("zi-measured").textContent = e.data; }});</script></body></html>"""


def _chromium(profile: Path, *args: str) -> str:
    return subprocess.run(["chromium", *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, check=True, timeout=180).stdout


def shoot(page: Path, width: int, png: Path, height: int = 2400) -> dict[str, float | None]:
    """A screenshot of `page` `width` px wide (the top `height` px), and what the page measured
    of its layout: its full width (wider than `width`: a phone must scroll sideways), how many
    sections spill out of their card, the smallest timeline track name in px."""
    import cv2

    window = max(width, 500)
    probe = page.with_name(f".measure-{page.name}")  # beside the page, so its links and player resolve
    frame = page.with_name(f".frame-{page.name}")
    try:
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
        frame.write_text(FRAME.format(src=probe.name, width=width, height=height), encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            dom = _chromium(Path(tmp), f"--window-size={window},{height}", "--virtual-time-budget=5000",
                            "--dump-dom", frame.as_uri())
            _chromium(Path(tmp), f"--window-size={window},{height}", "--virtual-time-budget=5000",
                      f"--screenshot={png}", frame.as_uri())
    finally:
        probe.unlink(missing_ok=True)
        frame.unlink(missing_ok=True)
    cv2.imwrite(str(png), cv2.imread(str(png))[:, :width])
    found = re.search(r'<pre id="zi-measured">(.*?)</pre>', dom, re.S)
    return json.loads(found.group(1).replace("&quot;", '"')) if found and found.group(1) else {}


def printed(page: Path, pdf: Path) -> list[Path]:
    """`page` printed to PDF by Chromium (its print styles), each page a PNG beside the PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        _chromium(Path(tmp), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True, timeout=120)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's size as pdfinfo names it ("595.276 x 841.89 pts (A4)")."""
    info = subprocess.run(["pdfinfo", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"Page\s+\d+ size:\s+(.*)", info)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def main() -> None:
    out = Path(sys.argv[1])
    docs = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "docs"
    unit = sorted(p for p in out.glob("*.html") if p.name != "index.html")[0]
    print("desktop", shoot(unit, 1400, docs / "report-desktop.png", 2000))
    print("phone", shoot(unit, 420, docs / "report-phone.png", 2400))
    print("index", shoot(out / "index.html", 1400, docs / "index-desktop.png", 900))
    with tempfile.TemporaryDirectory() as tmp:
        for name, page in (("report-print", unit), ("index-print", out / "index.html")):
            pages = printed(page, Path(tmp) / f"{name}.pdf")
            shutil.copyfile(pages[0], docs / f"{name}.png")
            print(name, len(pages), "pages", pdf_pages(Path(tmp) / f"{name}.pdf")[:1])


if __name__ == "__main__":
    main()
