"""The files of one unit folder and what each is: from zi-media.yaml, or from their names.

Naming conventions (case-insensitive, words anywhere in the file name):
  profile video       "profil"
  development video   "pembangunan", "zi", "zona", "development"
  banners, posters    "banner", "spanduk", "poster", "baliho", "wbk", "wbbm"
  paparan             a .pptx or .pdf named "paparan", "presentasi" or "slide"
A manifest `zi-media.yaml` in the folder names the files instead (any key may be left out):
  profile: video_1.mp4
  development: video_2.mp4
  banners: [foto_1.jpg, foto_2.jpg]
  paparan: slides.pptx
Two candidates for one role is ambiguous, never a guess: the report asks for the manifest.
Files that fit no role are listed, not fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError

MANIFEST = "zi-media.yaml"
VIDEO_EXT = {".mp4", ".mov", ".mkv", ".avi", ".webm", ".m4v", ".mpg", ".mpeg", ".3gp", ".wmv", ".flv", ".ts"}
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
PAPARAN_EXT = {".pptx", ".pdf"}
VIDEO_WORDS = {"profile": ("profil",), "development": ("pembangunan", "zi", "zona", "development")}
BANNER_WORDS = ("banner", "spanduk", "poster", "baliho", "wbk", "wbbm")
PAPARAN_WORDS = ("paparan", "presentasi", "slide", "slides")


@dataclass(frozen=True)
class Submission:
    root: Path
    videos: dict[str, Path] = field(default_factory=dict)  # kind -> file
    banners: tuple[Path, ...] = ()
    paparan: Path | None = None
    unknown: tuple[Path, ...] = ()  # files that fit no role
    ambiguous: dict[str, tuple[Path, ...]] = field(default_factory=dict)  # role -> candidates
    manifest: bool = False  # roles came from zi-media.yaml

    @property
    def name(self) -> str:
        return self.root.name


def _words(path: Path) -> set[str]:
    return set(re.split(r"[^0-9a-z]+", path.stem.lower()))


def find(root: Path) -> Submission:
    """The unit's files by manifest or naming; raises InputError for a bad folder or manifest."""
    if not root.is_dir():
        raise InputError(f"{root}: not a folder" if root.exists() else f"{root}: no such folder")
    if (root / MANIFEST).is_file():
        return _from_manifest(root)
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    candidates: dict[str, list[Path]] = {"profile": [], "development": [], "paparan": []}
    banners: list[Path] = []
    unknown: list[Path] = []
    for p in files:
        ext, words = p.suffix.lower(), _words(p)
        if ext in VIDEO_EXT:
            kinds = [k for k, ws in VIDEO_WORDS.items() if words & set(ws)]
            (candidates[kinds[0]] if len(kinds) == 1 else unknown).append(p)
        elif ext in IMAGE_EXT and words & set(BANNER_WORDS):
            banners.append(p)
        elif ext in PAPARAN_EXT and words & set(PAPARAN_WORDS):
            candidates["paparan"].append(p)
        else:
            unknown.append(p)
    ambiguous = {role: tuple(ps) for role, ps in candidates.items() if len(ps) > 1}
    videos = {k: ps[0] for k, ps in candidates.items() if k != "paparan" and len(ps) == 1}
    paparan = candidates["paparan"][0] if len(candidates["paparan"]) == 1 else None
    return Submission(root, videos, tuple(banners), paparan, tuple(unknown), ambiguous)


def _from_manifest(root: Path) -> Submission:
    path = root / MANIFEST
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"invalid manifest {path}: {e}") from e
    allowed = {"profile": str, "development": str, "banners": list, "paparan": str}
    if not isinstance(data, dict):
        raise InputError(f"invalid manifest {path}: expected a mapping of keys")
    for key, value in data.items():
        if key not in allowed:
            raise InputError(f'invalid manifest {path}: unknown key "{key}" (allowed: {", ".join(allowed)})')
        if not isinstance(value, allowed[key]):
            raise InputError(f'invalid manifest {path}: "{key}" must be '
                             f'{"a list of file names" if allowed[key] is list else "a file name"}')

    def named(name: object) -> Path:
        p = root / str(name)
        if not p.is_file():
            raise InputError(f'invalid manifest {path}: "{name}" is not a file in {root}')
        return p

    videos = {k: named(data[k]) for k in ("profile", "development") if k in data}
    banners = tuple(named(b) for b in data.get("banners", []))
    paparan = named(data["paparan"]) if "paparan" in data else None
    used = {*videos.values(), *banners, paparan, path}
    unknown = tuple(sorted(p for p in root.rglob("*") if p.is_file() and p not in used
                           and not p.name.startswith(".")))
    return Submission(root, videos, banners, paparan, unknown, {}, manifest=True)
