"""A unit submitted as one .zip: unpacked safely into the cache folder, then checked as a folder.

Before a byte is written the zip's directory is checked: at most MAX_MEMBERS files,
MAX_TOTAL_BYTES in all, no member that inflates more than MAX_RATIO times (a bomb), no
absolute path, no `..`, no link, no password. Of two members with one name the first is
kept, and the report says so. Unpacked once per content (the folder is named after the
zip's sha256) and reused on a re-check.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import cache
from ..errors import InputError
from ..files import HASH_CHUNK, atomic_path, file_sha256

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 20_000_000_000  # two 15-minute videos in high quality and the rest
MAX_RATIO = 200  # media barely compresses; a member that inflates more is a bomb
DONE = ".zi-media-unpacked"  # written last: an interrupted unpack is redone
ENCRYPTED = 0x1  # general-purpose flag bit 0: the member needs a password


def _member_path(info: zipfile.ZipInfo, zip_path: Path) -> PurePosixPath | None:
    """Where a member goes inside the unit; None for folders and system litter; InputError
    for a member that would leave the folder, is a link, or needs a password."""
    name = info.filename.replace(chr(92), "/")  # Windows zips use backslashes
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and parts[0].endswith(":")) or ".." in parts:
        raise InputError(f"{zip_path}: member '{name[:80]}' would leave the unit folder")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError(f"{zip_path}: member '{name[:80]}' is a link")
    if info.is_dir() or not parts or parts[0] == "__MACOSX":
        return None
    if info.flag_bits & ENCRYPTED:
        raise InputError(f"{zip_path}: member '{name[:80]}' is password-protected: submit the zip without a password")
    return PurePosixPath(*parts)


@dataclass(frozen=True)
class Unpacked:
    """A zip as check_unit takes it: where its files are, and what unpacking could not keep."""

    folder: Path  # the zip's files
    duplicates: tuple[str, ...] = ()  # member names the zip holds more than once: the first of each was kept


def _members(z: zipfile.ZipFile, zip_path: Path) -> tuple[dict[PurePosixPath, zipfile.ZipInfo], tuple[str, ...]]:
    """The members to unpack, the first of each name, within the limits; and the names held
    more than once (unpacked in turn, a later one would silently replace the first)."""
    members: dict[PurePosixPath, zipfile.ZipInfo] = {}
    twice: set[str] = set()
    for info in z.infolist():
        if (rel := _member_path(info, zip_path)) is not None:
            if rel in members:
                twice.add(str(rel))
            else:
                members[rel] = info
    total = sum(i.file_size for i in members.values())
    if len(members) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
        raise InputError(f"{zip_path}: {len(members)} files, {total / 1e9:.1f} GB unpacked: more than "
                         f"{MAX_MEMBERS} files or {MAX_TOTAL_BYTES / 1e9:.0f} GB")
    for i in members.values():
        if i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 1_000_000:
            raise InputError(f"{zip_path}: member '{i.filename[:80]}' inflates {i.file_size / 1e6:.0f} MB "
                             f"from {i.compress_size / 1e3:.0f} kB (a decompression bomb)")
    return members, tuple(sorted(twice))


def unpacked(zip_path: Path) -> Unpacked:
    """The zip's files (unpacked on first use; its directory is read each time, for the names
    it holds twice); InputError for a zip that is damaged or breaks the limits."""
    try:
        folder = cache.root() / "unpacked" / file_sha256(zip_path)[:24] / zip_path.stem
        with zipfile.ZipFile(zip_path) as z:
            members, duplicates = _members(z, zip_path)
            if not (folder / DONE).is_file():
                shutil.rmtree(folder, ignore_errors=True)
                for rel, info in members.items():
                    with z.open(info) as src, atomic_path(folder / rel) as tmp, open(tmp, "wb") as out:
                        shutil.copyfileobj(src, out, HASH_CHUNK)
                (folder / DONE).write_text(zip_path.name)
        return Unpacked(folder, duplicates)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise InputError(f"{zip_path}: not a zip that can be opened ({e})") from None
    except OSError as e:
        raise InputError(f"{zip_path}: cannot unpack ({e.strerror or e})") from None
