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
from urllib.parse import quote

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


TEMP_PREFIX = ".zi-tmp-"  # temporary files: hidden, short and of one length (mkstemp adds 8 characters)


def _umask_from_proc() -> int | None:
    """The process's umask as Linux reports it; reading it there changes nothing, so no other
    thread can create a file in between with the umask set to 0."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next((int(line.split()[1], 8) for line in f if line.startswith("Umask:")), None)
    except OSError:
        return None


@functools.cache
def _umask_once() -> int:
    """Where /proc does not say it: set and restored, once (the moment it is 0 is kept short)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a file created now gets from open(): 0o666 less the umask."""
    mask = _umask_from_proc()
    return 0o666 & ~(_umask_once() if mask is None else mask)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed onto `path` when the block ends
    without an error, removed when it raises. Its name is short and fixed in length, so any
    name the file system allows can be written; the file ends with the mode open() would
    give it (mkstemp makes it 0600). An OSError in writing it names `path`: a full disk
    says which file it could not write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name: str | None = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
        os.close(fd)
        yield Path(name)
        os.chmod(name, file_mode())
        os.replace(name, path)
    except OSError as e:
        if e.errno is None or (name is not None and e.filename not in (None, name)):
            raise  # not an error of the temporary file (its creation, a write, the rename): a file read, say
        raise OSError(e.errno, e.strerror, os.fspath(path)) from e  # the same errno, so the same type
    finally:
        if name is not None:
            Path(name).unlink(missing_ok=True)


_UNDECODED = re.compile("[\udc80-\udcff]")  # a file name's bytes that were not UTF-8 (os.fsdecode)


def shown(text: str, backslash: str = "\\") -> str:
    """Text that can be written as UTF-8: the bytes of a file name that were not UTF-8 shown
    as \\xNN (a phone or an old Windows zip names folders so), never a crash on writing."""
    return _UNDECODED.sub(lambda m: f"{backslash}x{ord(m.group()) - 0xDC00:02x}", text)


def link_from(folder: Path, path: Path) -> str:
    """The link from a page written in `folder` to the file at `path`: relative, so a report
    and its unit's folder can be moved or shared together, and URL-quoted ("#" or "?" in a name)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    return quote(Path(rel).as_posix().encode("utf-8", "surrogateescape"))


def json_text(obj: object) -> str:
    """`obj` as readable JSON (UTF-8 kept), with undecodable file-name bytes as \\xNN text."""
    return shown(json.dumps(obj, ensure_ascii=False, indent=2), backslash="\\\\")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write bytes, or text as UTF-8, all or nothing."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(shown(data).encode("utf-8") if isinstance(data, str) else data)
