"""Files as zi-media reads and writes them: one readable-file check, one content hash, one
atomic write (a temporary file in the same folder renamed into place), so an interrupted run
never leaves a half-written cache entry, model or report."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

HASH_CHUNK = 1 << 20  # bytes read at a time when hashing or copying large files


def require_readable_file(path: Path) -> int:
    """Return the file's size in bytes, or raise InputError saying why it cannot be read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, expected a video file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file")
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    return st.st_size


def file_sha256(path: Path) -> str:
    """The content hash that keys every cache (transcripts, scans, unpacked zips); a file
    hashed before in this process and unchanged since (same size, modification time and
    inode) is not read again: the scan and the transcript of one video share one read."""
    st = os.stat(path)
    return _sha256(os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ino)


@functools.lru_cache(maxsize=256)
def _sha256(path: str, size: int, mtime_ns: int, inode: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed onto `path` when the block ends
    without an error, removed when it raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_UNDECODED = re.compile("[\udc80-\udcff]")  # a file name's bytes that were not UTF-8 (os.fsdecode)


def shown(text: str, backslash: str = "\\") -> str:
    """Text that can be written as UTF-8: the bytes of a file name that were not UTF-8 shown
    as \\xNN (a phone or an old Windows zip names folders so), never a crash on writing."""
    return _UNDECODED.sub(lambda m: f"{backslash}x{ord(m.group()) - 0xDC00:02x}", text)


def json_text(obj: object) -> str:
    """`obj` as readable JSON (UTF-8 kept), with undecodable file-name bytes as \\xNN text."""
    return shown(json.dumps(obj, ensure_ascii=False, indent=2), backslash="\\\\")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write bytes, or text as UTF-8, all or nothing."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(shown(data).encode("utf-8") if isinstance(data, str) else data)
