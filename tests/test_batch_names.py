"""Batch names that must not collide, lie or run: unique report names, the batch's own file
names reserved, non-UTF-8 folder names, formulas in CSV cells, --out inside a unit, links."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from click.testing import CliRunner

from zi_media.batch.run import report_names
from zi_media.cli import cli
from zi_media.files import shown


def run_batch(root: Path, *extra: str):
    return CliRunner().invoke(cli, ["batch", str(root), "--no-transcribe", "--quiet", *extra])


def test_report_names_are_unique_and_never_the_batchs_own() -> None:
    names = report_names(["PN A", "PN-A", "index", "Summary", "PN Sukamaju"])
    assert len(set(names.values())) == 5
    assert names["PN Sukamaju"] == "PN-Sukamaju"
    assert names["PN A"].startswith("PN-A-") and names["PN-A"].startswith("PN-A-")
    assert names["index"].startswith("index-") and names["Summary"].startswith("Summary-")


def test_a_batch_of_awkward_names(tmp_path: Path) -> None:
    root = tmp_path / "kiriman"
    root.mkdir()
    for name in ("PN A", "PN-A", "index", "=HYPERLINK(\"x\",\"klik\")"):
        (root / name).mkdir()
    os.mkdir(os.fsencode(root) + b"/PN \xff")  # a name that is not UTF-8
    (root / "usr").symlink_to("/usr")  # never walked
    r = run_batch(root)
    assert r.exit_code == 3, r.output  # the link is an error row
    out = root / "zi-media-report"
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sorted(row["unit"] for row in rows) == sorted(
        ["PN A", "PN-A", "index", "=HYPERLINK(\"x\",\"klik\")", "PN \\xff", "usr"])
    reports = [row["json"] for row in rows if row["json"]]
    assert len(reports) == len(set(reports)) == 5 and all((out / r).stat().st_size > 0 for r in reports)
    link = next(row for row in rows if row["unit"] == "usr")
    assert (link["verdict"], link["error"].startswith("a link, not followed")) == ("error", True)
    with (out / "summary.csv").open(encoding="utf-8-sig") as f:
        cells = [row["unit"] for row in csv.DictReader(f)]
    assert "'=HYPERLINK(\"x\",\"klik\")" in cells and not any(c.startswith("=") for c in cells)
    assert "<html" in (out / "index.html").read_text(encoding="utf-8")


def test_out_inside_a_unit_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "kiriman"
    (root / "PN A").mkdir(parents=True)
    r = run_batch(root, "--out", str(root / "PN A" / "laporan"))
    assert r.exit_code == 2 and "lies inside the unit PN A" in r.output
    assert not (root / "PN A" / "laporan").exists()


def test_a_name_is_shown_as_it_is() -> None:
    assert shown("PN Sukamaju Ünit") == "PN Sukamaju Ünit"
    assert shown(os.fsdecode(b"PN \xff")) == "PN \\xff"


def test_check_shows_a_non_utf8_name(tmp_path: Path) -> None:
    unit = os.fsdecode(os.fsencode(tmp_path) + b"/PN \xff")
    os.mkdir(unit)
    for fmt in ("text", "json", "html"):
        r = CliRunner().invoke(cli, ["check", unit, "--no-transcribe", "--format", fmt])
        assert r.exit_code == 1 and "PN \\xff" in r.output.replace("\\\\", "\\"), (fmt, r.output[-300:])
