"""Files at the edges: zip members with the longest legal name, twice the same name, or a
password; the modes of what zi-media writes; an --out that cannot be written, at the start
or when the disk fills during a batch. Each input is made here (zipfile, folders)."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zi_media import cache, files
from zi_media.cli import cli
from zi_media.errors import InputError
from zi_media.files import write_atomic
from zi_media.profiles import load_profile
from zi_media.report.i18n import text
from zi_media.unit.archive import unpacked
from zi_media.unit.check import check_unit

from .conftest import SAMPLES

GOOD = SAMPLES / "unit-good"
LONGEST = "catatan-" + "a" * 239 + ".txt"  # 251 bytes: legal, with room for no prefix and suffix


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name, and writes it
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in members:
                z.writestr(name, content)
    return path


def _encrypt_first(path: Path) -> None:
    """Mark the zip's first member as encrypted (general-purpose flag bit 0), in its local
    header and in the central directory, as a zip made with a password has it."""
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(signature) + flag_at
        data[i] |= 0x1
    path.write_bytes(bytes(data))


def test_the_longest_legal_names_are_written_and_unpacked(tmp_path: Path) -> None:
    write_atomic(tmp_path / ("r" * 255), "x")  # the file system's own limit
    assert (tmp_path / ("r" * 255)).read_text() == "x" and os.listdir(tmp_path) == ["r" * 255]
    archive = _zip(tmp_path / "kiriman.zip", [(LONGEST, b"catatan"), (f"PN/{LONGEST}", b"di folder")])
    report = check_unit(archive, load_profile())
    assert sorted(p.name for p in report.unknown) == [LONGEST, LONGEST]
    assert sorted(p.read_bytes() for p in report.unknown) == [b"catatan", b"di folder"]


def test_a_name_twice_in_a_zip_keeps_the_first_and_says_so(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "kiriman.zip", [("catatan.txt", b"pertama"), ("PN/a.txt", b"satu"),
                                              ("catatan.txt", b"kedua"), ("PN\\a.txt", b"dua")])
    for _ in range(2):  # unpacked, then from the cache: said both times
        report = check_unit(archive, load_profile())
        assert sorted(p.read_bytes() for p in report.unknown) == [b"pertama", b"satu"]
        found = next(f for f in report.findings if f.id == "zip_duplicates")
        assert (found.status, found.measured) == ("warning", 2)
        assert text(found.message, "en") == (
            "The zip holds more than one file of the same name; the first of each was checked, "
            "the others left out: PN/a.txt, catatan.txt")
        assert "catatan.txt" in text(found.message, "id")
    single = check_unit(_zip(tmp_path / "biasa.zip", [("catatan.txt", b"x")]), load_profile())
    assert all(f.id != "zip_duplicates" for f in single.findings)


def test_a_password_protected_member_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "terkunci.zip", [("profil.mp4", b"\0" * 1000), ("catatan.txt", b"x")])
    _encrypt_first(archive)
    r = CliRunner().invoke(cli, ["check", str(archive), "--no-transcribe"])
    assert r.exit_code == 2, r.output
    assert r.stderr == (f"zi-media: error: {archive}: member 'profil.mp4' is password-protected: "
                        "submit the zip without a password\n")
    with pytest.raises(InputError):
        unpacked(archive)
    assert not list((cache.root() / "unpacked").glob(f"*/{archive.stem}"))


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _modes(folder: Path) -> set[int]:
    return {stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_file()}


def test_what_is_written_is_readable_as_the_umask_says(tmp_path: Path) -> None:
    (tmp_path / "kiriman" / "PN A").mkdir(parents=True)
    out = tmp_path / "laporan"
    with _umask(0o022):
        r = CliRunner().invoke(cli, ["batch", str(tmp_path / "kiriman"), "--out", str(out), "--no-transcribe"])
        assert r.exit_code == 1, r.output
        assert {p.name for p in out.iterdir()} >= {"PN-A.json", "PN-A.html", "summary.json", "index.html"}
        assert _modes(out) == {0o644}  # reports, summaries, the resume record
        folder = unpacked(_zip(tmp_path / "unit.zip", [("profil.mp4", b"x"), ("PN/catatan.txt", b"y")])).folder
        assert _modes(folder) == {0o644}
    with _umask(0o027):
        write_atomic(tmp_path / "rahasia.json", "{}")
    assert stat.S_IMODE((tmp_path / "rahasia.json").stat().st_mode) == 0o640


def _batch(root: Path, out: Path) -> Result:
    return CliRunner().invoke(cli, ["batch", str(root), "--out", str(out), "--no-transcribe", "--quiet"])


def _units(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / "kiriman" / name).mkdir(parents=True)
    return tmp_path / "kiriman"


@pytest.mark.parametrize("why", ["Not a directory", "Read-only file system"])
def test_an_out_that_cannot_be_written_is_one_line_before_any_unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    why: str) -> None:
    root = _units(tmp_path, "PN A")
    monkeypatch.setattr("zi_media.batch.run.check_unit", lambda *a: pytest.fail("a unit was checked"))
    if why == "Not a directory":
        (tmp_path / "berkas").write_text("")
        out = tmp_path / "berkas" / "laporan"
    else:  # a read-only mount: root writes everywhere else, so the file system's answer is made here
        out = tmp_path / "laporan"
        real = tempfile.mkstemp

        def read_only(*args: object, dir: str | None = None, **kwargs: object) -> tuple[int, str]:
            if dir is not None and Path(dir).is_relative_to(out):
                raise OSError(errno.EROFS, why, os.path.join(dir, "x"))
            return real(*args, dir=dir, **kwargs)  # type: ignore[call-overload,no-any-return]

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    r = _batch(root, out)
    assert (r.exit_code, r.stderr) == (2, f"zi-media: error: --out {out}: cannot write there ({why})\n")


@pytest.mark.parametrize("onward", [False, True], ids=["one-write-fails", "disk-stays-full"])
def test_a_full_disk_mid_batch_names_the_file_and_leaves_consistent_summaries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, onward: bool) -> None:
    root, out = _units(tmp_path, "PN A", "PN B", "PN C"), tmp_path / "laporan"
    real, full = files.atomic_path, [False]

    @contextmanager
    def filling(path: Path) -> Iterator[Path]:
        """The disk fills while PN-C.html is written (and, `onward`, stays full)."""
        with real(path) as tmp:
            yield tmp
            full[0] = full[0] or path.name == "PN-C.html"
            if full[0] and path.is_relative_to(out):
                full[0] = onward
                raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "atomic_path", filling)
    r = _batch(root, out)
    reports = {"PN-A.json", "PN-A.html", "PN-B.json", "PN-B.html"}
    if onward:
        assert (r.exit_code, r.stderr) == (2, f"zi-media: error: cannot write {out / 'summary.csv'} (No space "
                                              "left on device); the summaries were removed, as they would not "
                                              "match the reports: run the same command again once it can be "
                                              "written (units with reports are not checked again)\n")
        assert {p.name for p in out.iterdir() if p.is_file()} == reports  # no summary left behind
        return
    assert r.exit_code == 3, r.output  # PN C could not be checked
    rows = {row["unit"]: row for row in json.loads((out / "summary.json").read_text())}
    assert (rows["PN C"]["verdict"], rows["PN C"]["json"]) == ("error", "")
    assert rows["PN C"]["error"] == f"InputError: cannot write {out / 'PN-C.html'} (No space left on device)"
    listed = {row[k] for row in rows.values() for k in ("json", "html") if row[k]}
    on_disk = {p.name for p in out.iterdir() if p.suffix in (".json", ".html")} - {"summary.json", "index.html"}
    assert listed == on_disk == reports  # PN-C.json, written before the disk filled, is gone too
    assert not list(out.rglob(f"{files.TEMP_PREFIX}*"))
