"""Hostile and broken input: each case made in a fixture (small on disk, large when decoded),
each asserting the finding or message, the exit code, and that nothing outside the unit
folder reaches any report. Memory-heavy cases run in a child process under a memory cap."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from zi_media.cli import cli
from zi_media.errors import InputError, ProfileError
from zi_media.media.probe import probe
from zi_media.profiles import load_profile
from zi_media.unit.check import check_unit

from .conftest import SAMPLES, MakeMedia

GOOD = SAMPLES / "unit-good"


def unit(tmp_path: Path, name: str = "unit", **extra: bytes | str) -> Path:
    root = tmp_path / name
    root.mkdir()
    for f in GOOD.iterdir():
        (root / f.name).write_bytes(f.read_bytes())
    for rel, content in extra.items():
        (root / rel).write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def reports(root: Path) -> str:
    """The text, JSON and HTML reports of a unit, together."""
    out = []
    for fmt in ("text", "json", "html"):
        r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe", "--format", fmt, "--lang", "en"])
        assert r.exit_code in (0, 1), r.output
        out.append(r.stdout)
    return "\n".join(out)


def test_manifest_paths_and_links_outside_the_unit_are_never_read(tmp_path: Path) -> None:
    other = unit(tmp_path, "other unit")
    (other / "rahasia.txt").write_text("RAHASIA UNIT LAIN")
    root = unit(tmp_path, "unit", **{"zi-media.yaml": "profile: ../other unit/profil.mp4\n"
                                     "development: pembangunan-zi.mp4\nbanners: [/etc/passwd, banner-wbk.png]\n"})
    (root / "tautan.png").symlink_to(other / "banner-wbk.png")
    (root / "folder-lain").symlink_to(other, target_is_directory=True)
    report = check_unit(root, load_profile())
    outside = next(f for f in report.findings if f.id == "outside")
    assert outside.status == "not_met"
    assert outside.message.params["entries"] == "../other unit/profil.mp4, /etc/passwd, folder-lain, tautan.png"
    assert {f.id: f.status for f in report.findings}["video_profile"] == "not_met"  # not taken from elsewhere
    everything = reports(root)
    assert "root:x:0" not in everything and "RAHASIA" not in everything
    assert str(other) not in everything.replace(str(other) + "/profil.mp4", "")  # only the entry is named


def _patch_durations(data: bytearray, seconds: int) -> None:
    """Make an mp4 declare `seconds` in every duration field (mvhd, tkhd, mdhd; version 0)."""
    movie_scale = struct.unpack(">I", data[data.find(b"mvhd") + 16:data.find(b"mvhd") + 20])[0]
    for box, scale_at, duration_at in ((b"mvhd", 16, 20), (b"tkhd", None, 24), (b"mdhd", 16, 20)):
        i = data.find(box)
        while i != -1:
            scale = movie_scale if scale_at is None else struct.unpack(">I", data[i + scale_at:i + scale_at + 4])[0]
            data[i + duration_at:i + duration_at + 4] = struct.pack(">I", seconds * scale)
            i = data.find(box, i + 4)


def test_a_header_that_declares_less_than_the_data_plays_is_caught(make_media: MakeMedia, tmp_path: Path) -> None:
    data = bytearray(make_media(360.0, faststart=True).read_bytes())
    _patch_durations(data, 120)
    liar = tmp_path / "profil.mp4"
    liar.write_bytes(bytes(data))
    facts = probe(liar)
    assert facts.header_duration_s == pytest.approx(120, abs=1)
    assert facts.duration_s == pytest.approx(360, abs=2)
    r = CliRunner().invoke(cli, ["check", str(liar), "--kind", "profile", "--no-transcribe", "--lang", "en"])
    assert r.exit_code == 1
    assert "] Duration: Duration 6:00 exceeds the limit of 5:00 (1:00 over)" in r.stdout
    assert "[WARNING] File header: The file header declares 2:00, but its data plays 6:00" in r.stdout


def _png_bomb(path: Path, side: int) -> None:
    """A 1-bit grey PNG of side x side pixels, all black: tiny on disk, huge decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))


CAPPED = """
import resource, sys, time, json
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # 3 GB of address space at most
from pathlib import Path
from zi_media.profiles import load_profile
from zi_media.unit.check import check_unit
t = time.perf_counter()
u = check_unit(Path(sys.argv[1]), load_profile())
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "banners": [[c.facts.path.name, c.facts.problem] for c in u.banners],
                  "findings": {f.id: [f.status, str(f.message.params.get("file", ""))] for f in u.findings}}))
"""


def capped_check(root: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CAPPED, str(root)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_decompression_bombs_are_findings_in_seconds(tmp_path: Path) -> None:
    root = unit(tmp_path)
    _png_bomb(root / "poster wbk besar.png", 30000)
    assert (root / "poster wbk besar.png").stat().st_size < 2_000_000
    with zipfile.ZipFile(root / "paparan.pptx", "w", zipfile.ZIP_DEFLATED) as z:  # replaces the good one
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/slides/slide1.xml", " " * 200_000_000)
    with open(root / "spanduk jarang.png", "wb") as f:  # 50 GB, sparse: nothing on disk
        f.truncate(50 * 10**9)
    result = capped_check(root)
    problems = dict(result["banners"])  # type: ignore[arg-type]
    assert "megapixels" in problems["poster wbk besar.png"] or "pixels" in problems["poster wbk besar.png"]
    assert "MB" in problems["spanduk jarang.png"]
    paparan = result["findings"]["paparan"]  # type: ignore[index]
    assert paparan[0] == "not_met" and "inflates to 200 MB" in paparan[1]
    assert float(result["seconds"]) < 20  # type: ignore[arg-type]


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
       "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"


def test_alias_bombs_are_refused_with_a_short_line(tmp_path: Path) -> None:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "zi-media.yaml").write_text(BOMB)
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"aliases \(\*name\) are not allowed, at line 2") as e:
        check_unit(root, load_profile())
    assert len(str(e.value)) < 300
    profile = tmp_path / "bom.yaml"
    profile.write_text(BOMB)
    r = CliRunner().invoke(cli, ["check", str(root), "--profile", str(profile)])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and len(r.stderr) < 300
    assert "aliases (*name) are not allowed" in r.stderr
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("change", "message"), [
    ("max_s: 300", "max_s: .inf"), ("max_s: 300", "max_s: -5"),
])
def test_profile_numbers_are_range_checked(tmp_path: Path, change: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: ma-2020\nkinds:\n  profile:\n    requirements:\n      duration: {{{message}}}\n")
    with pytest.raises(ProfileError, match=r'expected a number from 1 to 86400, got .* at "kinds.profile.requirements.duration.max_s"'):
        load_profile(str(path))


@pytest.mark.parametrize("setting", ["beam_size: 0", "batch_size: -1", "beam_size: 100"])
def test_decoding_options_are_range_checked(tmp_path: Path, setting: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: ma-2020\ntranscription:\n  {setting}\n")
    key = setting.split(":")[0]
    with pytest.raises(ProfileError, match=rf'expected a number from 1 to \d+, got .* at "transcription.{key}"'):
        load_profile(str(path))


def test_escape_sequences_in_names_are_shown_not_obeyed(tmp_path: Path) -> None:
    root = unit(tmp_path, **{"catatan \x1b[2J\x1b[31mmerah\x07.txt": "x"})
    r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe"])
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "catatan \\x1b[2J\\x1b[31mmerah\\x07.txt" in r.stdout


def test_exit_code_3_when_the_model_cannot_load(speech_clip: Path, tmp_path: Path) -> None:
    empty_model = tmp_path / "model"
    empty_model.mkdir()
    r = CliRunner().invoke(cli, ["check", str(speech_clip), "--kind", "profile", "--model", str(empty_model)])
    assert (r.exit_code, r.stdout) == (3, "")
    assert r.stderr == f"zi-media: error: {empty_model}: not a CTranslate2 Whisper model folder (no model.bin)\n"


def test_exit_code_3_for_a_crash_inside_the_tool(make_media: MakeMedia, monkeypatch: pytest.MonkeyPatch) -> None:
    import zi_media.media.checks as checks

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(checks, "check_playable", broken)
    r = CliRunner().invoke(cli, ["check", str(make_media(2.0)), "--kind", "profile", "--no-transcribe"])
    assert r.exit_code == 3
    assert r.stderr == ("zi-media: unexpected error: RuntimeError: a bug (set ZI_MEDIA_DEBUG=1 for the traceback)\n")


@pytest.mark.slow  # transcribes twice
@pytest.mark.asr
def test_a_cache_entry_of_the_wrong_types_is_recomputed(speech_clip: Path) -> None:
    from zi_media.files import file_sha256
    from zi_media.speech.engine import DecodeOptions
    from zi_media.speech.transcribe import _cache_path, make_engine, transcribe

    options = DecodeOptions("id", beam_size=2)
    first = transcribe(speech_clip, options)
    entry = _cache_path(file_sha256(speech_clip), make_engine("faster-whisper", "base"), options)
    doc = json.loads(entry.read_text())
    doc["segments"][0]["start_s"], doc["segments"][0]["text"] = "a", None
    entry.write_text(json.dumps(doc))
    again = transcribe(speech_clip, options)
    assert not again.cached and again.segments == first.segments


@pytest.mark.asr
def test_an_unwritable_cache_costs_the_reuse_never_the_result(speech_clip: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    from zi_media.speech.engine import DecodeOptions
    from zi_media.speech.transcribe import transcribe

    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("ZI_MEDIA_CACHE_DIR", str(not_a_folder))
    t = transcribe(speech_clip, DecodeOptions("id", beam_size=1))  # greedy: the cheapest decode
    assert t.evidence and not t.cached
    assert "cannot be written" in caplog.text


def _zip(path: Path, members: dict[str, bytes | Path]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content.read_bytes() if isinstance(content, Path) else content)
    return path


def test_a_unit_submitted_as_a_zip_is_checked_like_its_folder(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "PN Sukamaju.zip", {f"PN Sukamaju/{f.name}": f for f in GOOD.iterdir()}
                   | {"__MACOSX/._profil.mp4": b"litter"})
    r = CliRunner().invoke(cli, ["check", str(archive), "--no-transcribe", "--lang", "en"])
    assert r.exit_code == 0  # inside the zip the files sit in a sub-folder: found all the same
    assert r.stdout.startswith(f"Unit: PN Sukamaju ({archive})\n")
    flat = _zip(tmp_path / "flat.zip", {f.name: f for f in GOOD.iterdir()})
    r = CliRunner().invoke(cli, ["check", str(flat), "--no-transcribe", "--lang", "en", "--format", "json"])
    doc = json.loads(r.stdout)
    assert (r.exit_code, doc["verdict"], doc["unit"]["name"]) == (0, "met", "flat")


@pytest.mark.parametrize(("members", "message"), [
    ({"../keluar.txt": b"x"}, "member '../keluar.txt' would leave the unit folder"),
    ({"/etc/cron.d/x": b"x"}, "member '/etc/cron.d/x' would leave the unit folder"),
    ({"nol.bin": b"\0" * 300_000_000}, "inflates 300 MB from"),
])
def test_hostile_zips_are_refused_before_anything_is_written(tmp_path: Path, members: dict[str, bytes],
                                                             message: str) -> None:
    archive = _zip(tmp_path / "kiriman.zip", members)
    started = time.perf_counter()
    r = CliRunner().invoke(cli, ["check", str(archive), "--no-transcribe"])
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "keluar.txt").exists()


def test_a_batch_takes_zips_as_units(tmp_path: Path) -> None:
    root = tmp_path / "kiriman"
    root.mkdir()
    _zip(root / "PN Sukamaju.zip", {f.name: f for f in GOOD.iterdir()})
    _zip(root / "rusak.zip", {"../keluar.txt": b"x"})
    out = tmp_path / "laporan"
    r = CliRunner().invoke(cli, ["batch", str(root), "--out", str(out), "--no-transcribe", "--lang", "en"])
    assert r.exit_code == 3  # one unit could not be checked
    rows = json.loads((out / "summary.json").read_text())
    assert [(row["unit"], row["verdict"]) for row in rows] == [("PN Sukamaju.zip", "met"), ("rusak.zip", "error")]
    assert "would leave the unit folder" in rows[1]["error"]


def test_an_unreadable_banner_is_a_finding_for_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, who reads every file: the refusal is raised where the file is opened."""
    from PIL import Image

    real_open = Image.open

    def refuse(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("terkunci wbk.png"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Image, "open", refuse)
    root = unit(tmp_path, **{"terkunci wbk.png": (GOOD / "banner-wbk.png").read_bytes()})
    report = check_unit(root, load_profile())
    locked = next(c for c in report.banners if c.facts.path.name == "terkunci wbk.png")
    assert (locked.facts.decodable, locked.facts.problem) == (False, "cannot be read (Permission denied)")
    assert {f.id: f.status for f in report.findings}["banners"] == "met"  # the other banner still counts
