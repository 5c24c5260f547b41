"""The batch at evaluator scale, on real Dask clusters: a local one of two workers, one whose
worker is killed mid-batch, a scheduler and a worker started here as separate processes; an
interrupted batch resumed; the evaluator's sheet read back; overrides applied and shown."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import openpyxl
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster

from zi_media.batch.run import BatchOptions, run_batch
from zi_media.cli import cli

from .conftest import SAMPLES, sheet_column

OPTIONS = BatchOptions("ma-2020", "en", transcribe=False)


@pytest.fixture(autouse=True)
def environ_kept() -> Iterator[None]:
    """A LocalCluster made here sets its workers' variables (OMP_NUM_THREADS=1, ...) in this
    process too: put them back, or every later test would run on one core."""
    kept = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(kept)


def submissions(root: Path, good: int = 2, bad: int = 1) -> Path:
    """A folder of unit folders copied from the samples (real videos, banners, paparan)."""
    for i in range(good):
        shutil.copytree(SAMPLES / "unit-good", root / f"PN Baik {i + 1}")
    for i in range(bad):
        shutil.copytree(SAMPLES / "unit-bad", root / f"PN Kurang {i + 1}")
    return root


def zi(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "zi-media"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow  # starts a Dask cluster
def test_a_local_cluster_of_two_workers_and_the_evaluators_sheet(tmp_path: Path) -> None:
    root = submissions(tmp_path / "kiriman")
    r = zi("batch", str(root), "--jobs", "2", "--no-transcribe", "--quiet")
    assert r.returncode == 1, r.stderr
    out = root / "zi-media-report"
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(row["unit"], row["verdict"], row["development.duration"]) for row in rows] == [
        ("PN Baik 1", "met", "met"), ("PN Baik 2", "met", "met"), ("PN Kurang 1", "not_met", "")]
    assert rows[2]["profile.duration"] == "not_met" and rows[2]["banners"] == "not_met"

    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    assert sheet is not None
    col = sheet_column(sheet, "Video profil satuan kerja: Durasi")  # the sheet itself: tests/test_reports.py
    assert [sheet.cell(i, col).value for i in (3, 5)] == ["OK", "GAGAL"]
    assert sheet.cell(3, 1).hyperlink.target == "PN-Baik-1.html" and (out / "PN-Baik-1.html").is_file()

    mtimes = [p.stat().st_mtime_ns for p in sorted(out.glob("PN-*.json"))]
    again = zi("batch", str(root), "--jobs", "1", "--no-transcribe", "--quiet")  # another --jobs: still resumed
    assert again.returncode == 1 and [p.stat().st_mtime_ns for p in sorted(out.glob("PN-*.json"))] == mtimes

    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="matrix"' in index and "aria-sort" in index and "http" not in index.split("<script>")[1]

    english = zi("batch", str(root), "--jobs", "2", "--no-transcribe", "--quiet", "--lang", "en",
                 "--out", str(tmp_path / "en"))
    assert english.returncode == 1
    sheet = openpyxl.load_workbook(tmp_path / "en" / "summary.xlsx").active
    assert sheet is not None and [c.value for c in sheet[1]][:3] == ["Unit", "Verdict", "What is not met"]


@pytest.mark.slow  # starts a Dask cluster
@pytest.mark.parametrize("deaths_allowed", [1, 0])
def test_a_worker_killed_mid_batch_costs_a_retry_not_the_batch(tmp_path: Path, deaths_allowed: int) -> None:
    """zi-media's local cluster allows one death per unit; with none allowed, the unit the
    worker was checking becomes an error row that says so, and the batch still goes on."""
    root = submissions(tmp_path / "kiriman", good=4, bad=2)
    with dask.config.set({"distributed.scheduler.allowed-failures": deaths_allowed}), \
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        pids = c.run(os.getpid)
        killed: list[int] = []

        def kill_one(done: int, total: int) -> None:
            if done >= 1 and not killed:  # a unit has finished: the workers are on the next ones
                busy = [w for w, keys in c.processing().items() if keys]
                killed.append(pids[busy[0]])
                os.kill(killed[0], signal.SIGKILL)

        rows = run_batch(root, tmp_path / "out", OPTIONS, progress=kill_one, scheduler=cluster.scheduler_address)
    assert killed and len(rows) == 6
    expected = {**{f"PN Baik {i}": "met" for i in range(1, 5)}, "PN Kurang 1": "not_met", "PN Kurang 2": "not_met"}
    if deaths_allowed:
        assert {r.unit: r.verdict for r in rows} == expected
    else:
        lost = [r for r in rows if r.verdict == "error"]
        assert lost and all("the worker checking it died (1 time(s)" in r.error for r in lost)
        assert all(expected[r.unit] == r.verdict for r in rows if r.verdict != "error")


@pytest.mark.slow  # starts a Dask cluster
def test_an_interrupted_batch_resumes_where_it_stopped(tmp_path: Path) -> None:
    root = submissions(tmp_path / "kiriman", good=4, bad=2)
    out = tmp_path / "out"
    exe = Path(sys.executable).parent / "zi-media"
    p = subprocess.Popen([str(exe), "batch", str(root), "--out", str(out), "--no-transcribe", "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not list((out / ".zi-media").glob("*.json")) and p.poll() is None:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and time.monotonic() - start < 5, err
    assert "run the same command again" in err
    done = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert 1 <= len(done) < 6 and all((out / row["html"]).is_file() for row in done)  # consistent index
    before = {row["unit"]: (out / row["json"]).stat().st_mtime_ns for row in done}

    r = zi("batch", str(root), "--out", str(out), "--no-transcribe", "--quiet")
    assert r.returncode == 1, r.stderr
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(rows) == 6
    assert all((out / rows_json).stat().st_mtime_ns == mtime for rows_json, mtime in
               ((next(x["json"] for x in rows if x["unit"] == u), m) for u, m in before.items()))

    (root / "PN Baik 1" / "profil.mp4").write_bytes((SAMPLES / "unit-bad" / "profil.mp4").read_bytes())
    r = zi("batch", str(root), "--out", str(out), "--no-transcribe", "--quiet")  # a changed unit is checked again
    verdicts = {row["unit"]: row["verdict"] for row in json.loads((out / "summary.json").read_text())}
    assert verdicts["PN Baik 1"] == "not_met" and verdicts["PN Baik 2"] == "met"


@pytest.mark.slow
def test_a_batch_on_a_scheduler_and_a_worker_started_here(tmp_path: Path) -> None:
    root = submissions(tmp_path / "kiriman", good=1, bad=1)
    address_file = tmp_path / "scheduler.json"
    dask_cli = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen([*dask_cli, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(address_file)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        for _ in range(300):
            if address_file.is_file() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen([*dask_cli, "worker", "--scheduler-file", str(address_file), "--nthreads", "1",
                                   "--nworkers", "1", "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with Client(address, timeout=60) as c:
            c.wait_for_workers(1, timeout=60)
        r = zi("batch", str(root), "--scheduler", address, "--no-transcribe", "--quiet")
        assert r.returncode == 1, r.stderr
        rows = json.loads((root / "zi-media-report" / "summary.json").read_text())
        assert [(row["unit"], row["verdict"]) for row in rows] == [("PN Baik 1", "met"), ("PN Kurang 1", "not_met")]
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)


@pytest.mark.slow  # waits out the connection timeout
def test_no_scheduler_there_is_a_clear_error(tmp_path: Path) -> None:
    root = submissions(tmp_path / "kiriman", good=1, bad=0)
    r = zi("batch", str(root), "--scheduler", "tcp://127.0.0.1:9", "--no-transcribe", "--quiet", timeout=120)
    assert r.returncode == 2 and "cannot reach a Dask scheduler" in r.stderr and "Traceback" not in r.stderr


OVERRIDE = """\
- unit: PN Kurang 1
  requirement: profile.duration
  status: met
  reason: durasi 5:00 tanpa layar hitam penutup; diterima
  reviewer: Budi Santoso
  date: 2026-11-20
"""


@pytest.mark.slow  # checks and renders a batch three times
def test_overrides_are_applied_and_shown_beside_the_machine(tmp_path: Path) -> None:
    root = submissions(tmp_path / "kiriman", good=1, bad=1)
    (root / "overrides.yaml").write_text(OVERRIDE, encoding="utf-8")
    r = CliRunner().invoke(cli, ["batch", str(root), "--no-transcribe", "--quiet"])
    assert r.exit_code == 1, r.output
    out = root / "zi-media-report"
    doc = json.loads((out / "PN-Kurang-1.json").read_text(encoding="utf-8"))
    duration = next(f for f in doc["files"][0]["findings"] if f["id"] == "duration")
    assert duration["status"] == "met" and duration["override"]["machine_status"] == "not_met"
    assert duration["override"]["reviewer"] == "Budi Santoso"
    assert "Keputusan peninjau (diubah peninjau, semula GAGAL): durasi 5:00" in (out / "PN-Kurang-1.html").read_text()
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    assert sheet is not None
    col = sheet_column(sheet, "Video profil satuan kerja: Durasi")
    assert sheet.cell(4, col).value == "OK*" and "Budi Santoso" in sheet.cell(4, col).comment.text
    row = next(x for x in csv.DictReader((out / "summary.csv").open(encoding="utf-8-sig")) if x["unit"] == "PN Kurang 1")
    assert row["profile.duration"].startswith("met (machine: not_met;")

    unused = OVERRIDE.replace("profile.duration", "development.testimonials")  # PN Kurang 1 has no such video
    (root / "overrides.yaml").write_text(OVERRIDE + unused.replace("- unit", "\n- unit", 1), encoding="utf-8")
    CliRunner().invoke(cli, ["batch", str(root), "--no-transcribe", "--quiet", "--lang", "en"])
    doc = json.loads((out / "PN-Kurang-1.json").read_text(encoding="utf-8"))
    warned = next(f for f in doc["findings"] if f["id"] == "override_unused")
    assert (warned["status"], warned["measured"]) == ("warning", "development.testimonials")
    assert "Reviewer's decision not applied" in warned["message"]

    (root / "overrides.yaml").write_text(OVERRIDE.replace("status: met", "status: not_met"), encoding="utf-8")
    CliRunner().invoke(cli, ["batch", str(root), "--no-transcribe", "--quiet"])  # a changed decision re-renders
    doc = json.loads((out / "PN-Kurang-1.json").read_text(encoding="utf-8"))
    assert next(f for f in doc["files"][0]["findings"] if f["id"] == "duration")["override"]["status"] == "not_met"


@pytest.mark.parametrize(("change", "said"), [
    (("PN Kurang 1", "PN Tidak Ada"), "unknown unit 'PN Tidak Ada'"),
    (("profile.duration", "profile.durasi"), "unknown requirement 'profile.durasi'"),
    (("status: met", "status: ok"), "status 'ok' must be one of met, not_met, warning"),
    (("date: 2026-11-20", "date: kemarin"), "date 'kemarin' is not a date"),
    (("  reviewer: Budi Santoso\n", ""), "'reviewer' is missing"),
])
def test_overrides_are_read_strictly(tmp_path: Path, change: tuple[str, str], said: str) -> None:
    root = submissions(tmp_path / "kiriman", good=0, bad=1)
    (root / "overrides.yaml").write_text(OVERRIDE.replace(*change), encoding="utf-8")
    r = CliRunner().invoke(cli, ["batch", str(root), "--no-transcribe", "--quiet"])
    assert r.exit_code == 2 and said in r.output and "entry 1" in r.output, r.output
    assert not (root / "zi-media-report").exists()


def test_a_local_worker_may_use_its_share_of_the_cores() -> None:
    """Dask's nannies pin OpenMP to one thread; the speech model of a unit would then run on one
    core (measured: a one-worker batch took 1.9 times as long as the same units in process)."""
    from zi_media.batch.cluster import client

    before = dict(os.environ)
    with client(1, None, threads=2) as c:
        seen = c.run(lambda: (os.environ.get("OMP_NUM_THREADS"), os.environ.get("MALLOC_TRIM_THRESHOLD_")))
        assert list(seen.values()) == [("2", before.get("MALLOC_TRIM_THRESHOLD_"))]
        assert dict(os.environ) == before  # and this process keeps its own
