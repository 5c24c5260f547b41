"""The files of one unit folder and what each is: from zi-media.yaml, or from their names.

Naming conventions (case-insensitive, words anywhere in the file name):
  profile video       "profil"
  development video   "pembangunan", "zi", "zona", "development"
  (a video named otherwise, "VID_20200901.mp4", is assigned by what is said in it: unit/check.py)
  banners, posters    "banner", "spanduk", "poster", "baliho", "wbk", "wbbm"; any other image is
                      read too, and counts as a banner when its text says so (unit/check.py)
  paparan             a .pptx or .pdf named "paparan", "presentasi" or "slide"
                      (one named otherwise, "DOC-20200901-WA0003.pptx", by what it says: unit/check.py)
A manifest `zi-media.yaml` in the folder names the files instead (any key may be left out):
  profile: video_1.mp4
  development: video_2.mp4
  banners: [foto_1.jpg, foto_2.jpg]
  paparan: slides.pptx
and may give the unit's full name and region for the reports (a manifest with only these two
keys leaves the files to be found by their names and content):
  name: Pengadilan Negeri Sukamaju Kelas IA
  region: Pengadilan Tinggi Bandung, Jawa Barat
Two candidates for one role is ambiguous, never a guess: the report asks for the manifest.
Files that fit no role are listed, not fatal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import yamlsafe
from ..errors import InputError

MANIFEST = "zi-media.yaml"
FILE_KEYS = {"profile", "development", "banners", "paparan"}  # the manifest's keys that name files
MAX_NAME_CHARS = 200  # a unit's name or region as the reports show it
MAX_MANIFEST_BYTES = 100_000  # a manifest names a handful of files
VIDEO_EXT = {".mp4", ".mov", ".mkv", ".avi", ".webm", ".m4v", ".mpg", ".mpeg", ".3gp", ".wmv", ".flv", ".ts"}
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
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
    outside: tuple[str, ...] = ()  # manifest entries and links that lead out of the folder: never read
    images: tuple[Path, ...] = ()  # other images (phone names): banners if their text says so
    unnamed_videos: tuple[Path, ...] = ()  # videos whose names say no role: assigned by what is said
    title: str | None = None  # the unit's full name, from the manifest
    region: str | None = None  # its region (the court of appeal, the province), from the manifest
    documents: tuple[Path, ...] = ()  # .pptx/.pdf whose names say no role: the paparan if their text says so

    @property
    def name(self) -> str:
        return self.root.name


COMMON_EXT = {"profile": ".mp4/.mov", "development": ".mp4/.mov", "banners": ".jpg/.png", "paparan": ".pptx/.pdf"}


def expected_names(role: str) -> dict[str, str]:
    """How a file is named to be taken for `role` ("profile", "development", "banners",
    "paparan"), in each report language: what a unit that lacks it should rename."""
    words = {"profile": VIDEO_WORDS["profile"], "development": VIDEO_WORDS["development"],
             "banners": BANNER_WORDS, "paparan": PAPARAN_WORDS}[role][:3]
    quoted = [f"\u201c{w}\u201d" for w in words]
    listed = {lang: (", ".join(quoted[:-1]) + f" {conj} " + quoted[-1]) if len(quoted) > 1 else quoted[0]
              for lang, conj in (("id", "atau"), ("en", "or"))}
    return {"id": f"nama berkas memuat {listed['id']} ({COMMON_EXT[role]})",
            "en": f"a file name with {listed['en']} ({COMMON_EXT[role]})"}


def _words(path: Path) -> set[str]:
    return set(re.split(r"[^0-9a-z]+", path.stem.lower()))


def _inside(root: Path, path: Path) -> bool:
    """Whether `path`, links followed, is within the unit folder `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere, unresolvable, or a link loop
        return False
    return True


def _files(root: Path) -> tuple[list[Path], list[str]]:
    """The unit's files (hidden ones left out), and the links in it that lead outside it.
    Linked folders are not entered: a link can never bring another unit's files in."""
    files: list[Path] = []
    outside: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for d in dirs:
            if (here / d).is_symlink() and not _inside(root, here / d):
                outside.append(str((here / d).relative_to(root)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(names):
            p = here / name
            if name.startswith("."):
                continue
            if not _inside(root, p):
                outside.append(str(p.relative_to(root)))
            elif p.is_file():
                files.append(p)
    return sorted(files), outside


def find(root: Path) -> Submission:
    """The unit's files by manifest or naming; raises InputError for a bad folder or manifest."""
    if not root.is_dir():
        raise InputError(f"{root}: not a folder" if root.exists() else f"{root}: no such folder")
    if (root / MANIFEST).is_file():
        data = _manifest(root)
        found = _from_manifest(root, data) if set(data) & FILE_KEYS else _by_names(root)
        return replace(found, title=_text_of(data.get("name")), region=_text_of(data.get("region")))
    return _by_names(root)


def _text_of(value: object) -> str | None:
    return " ".join(str(value).split())[:MAX_NAME_CHARS] if value is not None else None


def _by_names(root: Path) -> Submission:
    """The unit's files by their names (and, for the rest, by content later)."""
    files, outside = _files(root)
    candidates: dict[str, list[Path]] = {"profile": [], "development": [], "paparan": []}
    banners: list[Path] = []
    images: list[Path] = []
    unnamed: list[Path] = []
    documents: list[Path] = []
    unknown: list[Path] = []
    for p in files:
        if p == root / MANIFEST:  # a manifest that only names the unit
            continue
        ext, words = p.suffix.lower(), _words(p)
        if ext in VIDEO_EXT:
            kinds = [k for k, ws in VIDEO_WORDS.items() if words & set(ws)]
            (candidates[kinds[0]] if len(kinds) == 1 else unnamed).append(p)
        elif ext in IMAGE_EXT:
            (banners if words & set(BANNER_WORDS) else images).append(p)
        elif ext in PAPARAN_EXT:
            (candidates["paparan"] if words & set(PAPARAN_WORDS) else documents).append(p)
        else:
            unknown.append(p)
    ambiguous = {role: tuple(ps) for role, ps in candidates.items() if len(ps) > 1}
    videos = {k: ps[0] for k, ps in candidates.items() if k != "paparan" and len(ps) == 1}
    paparan = candidates["paparan"][0] if len(candidates["paparan"]) == 1 else None
    return Submission(root, videos, tuple(banners), paparan, tuple(unknown), ambiguous, outside=tuple(outside),
                      images=tuple(images), unnamed_videos=tuple(unnamed), documents=tuple(documents))


def _manifest(root: Path) -> dict[str, Any]:
    """The manifest's keys, checked: a bad one raises InputError saying which."""
    path = root / MANIFEST
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise InputError(f"invalid manifest {path}: larger than {MAX_MANIFEST_BYTES // 1000} kB")
        data = yamlsafe.load(path.read_text(encoding="utf-8")) or {}
    except (yamlsafe.YamlError, UnicodeDecodeError) as e:
        raise InputError(f"invalid manifest {path}: {yamlsafe.short(e)}") from None
    allowed = {"profile": str, "development": str, "banners": list, "paparan": str, "name": str, "region": str}
    if not isinstance(data, dict):
        raise InputError(f"invalid manifest {path}: expected a mapping of keys")
    for key, value in data.items():
        if key not in allowed:
            raise InputError(f'invalid manifest {path}: unknown key "{key}" (allowed: {", ".join(allowed)})')
        if not isinstance(value, allowed[key]):
            what = "a list of file names" if allowed[key] is list else "a file name" if key in FILE_KEYS else "text"
            raise InputError(f'invalid manifest {path}: "{key}" must be {what}')
    return data


def _from_manifest(root: Path, data: dict[str, Any]) -> Submission:
    path = root / MANIFEST
    outside: list[str] = []

    def named(name: object) -> Path | None:
        """The file an entry names; None (and the entry noted) when it leads out of the folder."""
        p = root / str(name)
        if not _inside(root, p):
            outside.append(str(name))
            return None
        if not p.is_file():
            raise InputError(f'invalid manifest {path}: "{yamlsafe.short(name, 80)}" is not a file in {root}')
        return p

    videos: dict[str, Path] = {k: p for k in ("profile", "development")
                               if k in data and (p := named(data[k])) is not None}
    banners = tuple(p for b in data.get("banners", []) if (p := named(b)) is not None)
    paparan = named(data["paparan"]) if "paparan" in data else None
    used = {*videos.values(), *banners, paparan, path}
    files, links_out = _files(root)
    unknown = tuple(p for p in files if p not in used)
    return Submission(root, videos, banners, paparan, unknown, {}, manifest=True, outside=(*outside, *links_out))
