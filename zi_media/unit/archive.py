"""A unit submitted as one .zip: unpacked safely into the cache folder, then checked as a folder.

Before a byte is written the zip's directory is checked: at most MAX_MEMBERS files,
MAX_TOTAL_BYTES in all, no member that inflates more than MAX_RATIO times (a bomb), no
absolute path, no `..`, no link. Unpacked once per content (the folder is named after the
zip's sha256) and reused on a re-check.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from .. import cache
from ..errors import InputError
from ..files import HASH_CHUNK, atomic_path, file_sha256

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 20_000_000_000  # two 15-minute videos in high quality and the rest
MAX_RATIO = 200  # media barely compresses; a member that inflates more is a bomb
DONE = ".zi-media-unpacked"  # written last: an interrupted unpack is redone


def _member_path(info: zipfile.ZipInfo, zip_path: Path) -> PurePosixPath | None:
    """Where a member goes inside the unit; None for folders and system litter; InputError
    for a member that would leave the folder or is a link."""
    name = info.filename.replace(chr(92), "/")  # Windows zips use backslashes
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and parts[0].endswith(":")) or ".." in parts:
        raise InputError(f"{zip_path}: member '{name[:80]}' would leave the unit folder")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError(f"{zip_path}: member '{name[:80]}' is a link")
    if info.is_dir() or not parts or parts[0] == "__MACOSX":
        return None
    return PurePosixPath(*parts)


def unpacked(zip_path: Path) -> Path:
    """The folder holding the zip's files (unpacked on first use); InputError for a zip that
    is damaged or breaks the limits."""
    try:
        folder = cache.root() / "unpacked" / file_sha256(zip_path)[:24] / zip_path.stem
        if (folder / DONE).is_file():
            return folder
        with zipfile.ZipFile(zip_path) as z:
            members = [(i, p) for i in z.infolist() if (p := _member_path(i, zip_path)) is not None]
            total = sum(i.file_size for i, _ in members)
            if len(members) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
                raise InputError(f"{zip_path}: {len(members)} files, {total / 1e9:.1f} GB unpacked: more than "
                                 f"{MAX_MEMBERS} files or {MAX_TOTAL_BYTES / 1e9:.0f} GB")
            for i, _ in members:
                if i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 1_000_000:
                    raise InputError(f"{zip_path}: member '{i.filename[:80]}' inflates {i.file_size / 1e6:.0f} MB "
                                     f"from {i.compress_size / 1e3:.0f} kB (a decompression bomb)")
            shutil.rmtree(folder, ignore_errors=True)
            for info, rel in members:
                with z.open(info) as src, atomic_path(folder / rel) as tmp, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out, HASH_CHUNK)
        (folder / DONE).write_text(zip_path.name)
        return folder
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise InputError(f"{zip_path}: not a zip that can be opened ({e})") from None
    except OSError as e:
        raise InputError(f"{zip_path}: cannot unpack ({e.strerror or e})") from None
