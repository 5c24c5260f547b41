"""The wheel carries the shipped profiles, the report templates, the voice encoder and py.typed, so an installed
zi-media finds them and type checkers read its hints."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import REPO


def test_wheel_ships_the_profiles(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("zi_media-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (REPO / "profiles").glob("*.yaml"))
    assert shipped and all(f"zi_media/profiles/{n}" in names for n in shipped)
    assert "zi_media/cli.py" in names
    for folder in ("report/templates", "web/templates", "web/static"):  # the pages, their script and style
        shipped = sorted(p.name for p in (REPO / "zi_media" / folder).iterdir())
        assert shipped and all(f"zi_media/{folder}/{n}" in names for n in shipped)
    assert "zi_media/py.typed" in names
    # the voice encoder's weights, with the licence and notice they are shipped under
    assert all(f"zi_media/speech/voice_encoder.{x}" in names for x in ("npz", "LICENSE", "NOTICE"))


def test_version_comes_from_the_package_metadata() -> None:
    import tomllib

    from zi_media import __version__

    assert __version__ == tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
