"""Everything the server keeps, under one --data folder: `zi-media.db` (SQLite: users, sign-in
sessions, failed sign-ins, submissions, overrides) and `submissions/ID/` (the unit's files in a
folder named after the unit, its reports in `report/`). Each call opens its own connection, so
the event loop, the upload handlers and Dask's callback thread never share one; WAL lets them
read while one writes."""

from __future__ import annotations

import json
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, cast

from ..batch.state import row_from
from ..errors import InputError
from ..types import BatchRow, Override

DB_NAME = "zi-media.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('unit', 'evaluator')),
    hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name), csrf TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS failures (who TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, unit TEXT NOT NULL REFERENCES users(name), created REAL NOT NULL,
    state TEXT NOT NULL, started REAL, finished REAL, row TEXT, error TEXT, heard_s REAL, of_s REAL);
CREATE TABLE IF NOT EXISTS overrides (
    unit TEXT NOT NULL, requirement TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
    reviewer TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (unit, requirement));
CREATE INDEX IF NOT EXISTS submissions_unit ON submissions (unit, id);
CREATE INDEX IF NOT EXISTS failures_who ON failures (who, at);
"""
Role = Literal["unit", "evaluator"]
State = Literal["open", "queued", "running", "done", "error"]  # open: files still being uploaded
NAME = re.compile(r"[\w][\w .,()&'-]{1,79}", re.UNICODE)  # a unit's or an evaluator's name, as a folder name too


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    hash: str
    active: bool


@dataclass(frozen=True)
class Submission:
    id: int
    unit: str
    created: float
    state: State
    started: float | None
    finished: float | None
    row: BatchRow | None
    error: str
    heard: tuple[float, float] | None = None  # while running: seconds of a video transcribed, of how many


def valid_name(name: str) -> str:
    """A user's name as typed, checked: it names the unit's folder on disk and its reports, so
    no path separator, no control character, no leading dot, at most 80 characters."""
    name = unicodedata.normalize("NFC", name.strip())
    if not NAME.fullmatch(name):
        raise InputError(f"{name!r}: a name is 2-80 letters, digits, spaces and . , ( ) & ' - (starting with a "
                         "letter or digit)")
    return name


class Store:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.db = data / DB_NAME
        data.mkdir(parents=True, exist_ok=True)
        with self._connect() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.db, timeout=30)) as c, c:
            c.execute("PRAGMA foreign_keys=ON")
            yield c

    def _one(self, sql: str, *args: Any) -> Any:
        with self._connect() as c:
            return c.execute(sql, args).fetchone()

    def _all(self, sql: str, *args: Any) -> list[Any]:
        with self._connect() as c:
            return c.execute(sql, args).fetchall()

    def _do(self, sql: str, *args: Any) -> int:
        with self._connect() as c:
            cur = c.execute(sql, args)
            return (cur.lastrowid or 0) if sql.lstrip().upper().startswith("INSERT") else cur.rowcount

    # users
    def add_user(self, name: str, role: Role, hash: str) -> None:
        try:
            self._do("INSERT INTO users VALUES (?, ?, ?, 1, ?)", valid_name(name), role, hash, time.time())
        except sqlite3.IntegrityError:
            raise InputError(f"user {name!r} exists already (zi-media users reset to give a new password)") from None

    def user(self, name: str) -> User | None:
        r = self._one("SELECT name, role, hash, active FROM users WHERE name = ?", name)
        return User(r[0], r[1], r[2], bool(r[3])) if r else None

    def users(self) -> list[User]:
        return [User(r[0], r[1], r[2], bool(r[3])) for r in self._all("SELECT name, role, hash, active FROM users "
                                                                       "ORDER BY role, name")]

    def set_user(self, name: str, *, hash: str | None = None, active: bool | None = None) -> None:
        if self.user(name) is None:
            raise InputError(f"no user {name!r} (zi-media users list shows them)")
        if hash is not None:
            self._do("UPDATE users SET hash = ?, active = 1 WHERE name = ?", hash, name)
        if active is not None:
            self._do("UPDATE users SET active = ? WHERE name = ?", int(active), name)
        self._do("DELETE FROM sessions WHERE user = ?", name)  # a new password or a disabled user: signed out

    # sessions and failed sign-ins
    def add_session(self, token: str, user: str, csrf: str, expires: float) -> None:
        self._do("DELETE FROM sessions WHERE expires < ?", time.time())
        self._do("INSERT INTO sessions VALUES (?, ?, ?, ?)", token, user, csrf, expires)

    def session(self, token: str) -> tuple[User, str, float] | None:
        """The session's user (active), CSRF token and expiry; None when unknown."""
        r = self._one("SELECT u.name, u.role, u.hash, s.csrf, s.expires FROM sessions s JOIN users u "
                      "ON u.name = s.user WHERE s.token = ? AND u.active = 1", token)
        return (User(r[0], r[1], r[2], True), r[3], r[4]) if r else None

    def end_session(self, token: str) -> None:
        self._do("DELETE FROM sessions WHERE token = ?", token)

    def failed(self, who: str) -> None:
        self._do("INSERT INTO failures VALUES (?, ?)", who, time.time())

    def failures_since(self, who: str, since: float) -> tuple[int, float]:
        """How often `who` failed since `since`, and when first."""
        self._do("DELETE FROM failures WHERE at < ?", time.time() - 86400)
        n, first = self._one("SELECT COUNT(*), MIN(at) FROM failures WHERE who = ? AND at >= ?", who, since)
        return n, first or 0.0

    # submissions
    def folder(self, sid: int) -> Path:
        return self.data / "submissions" / str(sid)

    def unit_folder(self, sid: int, unit: str) -> Path:
        return self.folder(sid) / unit

    def unit_zip(self, sid: int, unit: str) -> Path:
        """Where a unit's one .zip goes: named after the unit, whose name its report takes."""
        return self.folder(sid) / f"{unit}.zip"

    def sent(self, sid: int, unit: str) -> list[Path]:
        """The files the unit has sent in this submission: its folder's, then its .zip."""
        folder, zipped = self.unit_folder(sid, unit), self.unit_zip(sid, unit)
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        return [*files, zipped] if zipped.is_file() else files

    def add_submission(self, unit: str) -> int:
        return self._do("INSERT INTO submissions (unit, created, state, error) VALUES (?, ?, 'open', '')",
                        unit, time.time())

    def submission(self, sid: int) -> Submission | None:
        r = self._one("SELECT * FROM submissions WHERE id = ?", sid)
        return _submission(r) if r else None

    def submissions(self, unit: str | None = None) -> list[Submission]:
        if unit is None:
            return [_submission(r) for r in self._all("SELECT * FROM submissions ORDER BY id DESC")]
        return [_submission(r) for r in self._all("SELECT * FROM submissions WHERE unit = ? ORDER BY id DESC", unit)]

    def latest_checked(self) -> list[Submission]:
        """Each unit's newest submission that ended in a report or an error."""
        return [_submission(r) for r in self._all(
            "SELECT * FROM submissions WHERE id IN (SELECT MAX(id) FROM submissions "
            "WHERE state IN ('done', 'error') GROUP BY unit) ORDER BY unit")]

    def unfinished(self) -> list[Submission]:
        """Checks queued or running when the server stopped: started again on start."""
        return [_submission(r) for r in self._all("SELECT * FROM submissions WHERE state IN ('queued', 'running') "
                                                  "ORDER BY id")]

    def set_heard(self, sid: int, done_s: float, total_s: float) -> None:
        self._do("UPDATE submissions SET heard_s = ?, of_s = ? WHERE id = ?", done_s, total_s, sid)

    def set_state(self, sid: int, state: State, *, row: BatchRow | None = None, error: str = "") -> None:
        now = time.time()
        if state == "running":
            self._do("UPDATE submissions SET state = ?, started = ?, heard_s = NULL, of_s = NULL WHERE id = ?",
                     state, now, sid)
        elif state == "queued":
            self._do("UPDATE submissions SET state = ?, started = NULL, finished = NULL, error = '' WHERE id = ?",
                     state, sid)
        else:
            self._do("UPDATE submissions SET state = ?, finished = ?, row = ?, error = ? WHERE id = ?", state,
                     now if state in ("done", "error") else None, json.dumps(asdict(row)) if row else None,
                     error, sid)

    # overrides: a reviewer's decision holds for the unit's later submissions too, as in overrides.yaml
    def set_override(self, o: Override) -> None:
        self._do("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?)", o.unit, o.requirement, o.status,
                 o.reason, o.reviewer, o.date)

    def overrides(self, unit: str) -> tuple[Override, ...]:
        return tuple(Override(*r) for r in self._all("SELECT unit, requirement, status, reason, reviewer, date "
                                                     "FROM overrides WHERE unit = ? ORDER BY requirement", unit))


def _submission(r: Any) -> Submission:
    row = row_from(json.loads(r[6])) if r[6] else None
    heard = (r[8], r[9]) if r[3] == "running" and r[8] is not None and r[9] else None
    return Submission(r[0], r[1], r[2], cast(State, r[3]), r[4], r[5], row, r[7] or "", heard)
