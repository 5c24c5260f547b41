"""A real `zi-media serve` in a subprocess (its own local Dask cluster, its own --data) and a
plain HTTP client with cookies that signs in as a person does: for the web tests and the bench."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conftest import REPO

SAMPLE_UNIT = REPO / "samples" / "unit-good"
PASSWORDS = {"PN Sukamaju": "sandi-sukamaju-1", "PN Lain": "sandi-lain-12", "Penilai Bawas": "sandi-penilai-1"}
ROLES = {"PN Sukamaju": "unit", "PN Lain": "unit", "Penilai Bawas": "evaluator"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def zi_media(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zi_media", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def add_users(data: Path, users: dict[str, str] = ROLES) -> None:
    for name, role in users.items():
        done = zi_media("users", "add", name, "--role", role, "--data", str(data), "--password-stdin",
                        stdin=PASSWORDS.get(name, "sandi-cadangan-1") + "\n")
        assert done.returncode == 0, done.stderr


@dataclass
class Server:
    data: Path
    port: int
    args: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 90) -> None:
        log = (self.data.parent / f"serve-{self.port}.log").open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "zi_media", "serve", "--data", str(self.data),
                                         "--port", str(self.port), *self.args], stdout=log, stderr=log,
                                        start_new_session=True)
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            assert self.process.poll() is None, self.log()
            try:
                urllib.request.urlopen(self.base + "/signin", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"the server did not answer in {timeout_s} s: {self.log()}")

    def log(self) -> str:
        return (self.data.parent / f"serve-{self.port}.log").read_text(errors="replace")

    def stop(self, kill: bool = False) -> None:
        """Ctrl-C (or SIGKILL, as a crash) to the server and its Dask cluster."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@contextmanager
def serving(data: Path, *args: str) -> Iterator[Server]:
    server = Server(data, free_port(), args)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Reply:
    status: int
    body: bytes
    url: str
    headers: Any

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One person's browser, without the browser: cookies kept, redirects followed."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def call(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Reply:
        """`data`: bytes, or an open file (give its Content-Length) streamed as it is read."""
        request = urllib.request.Request(self.server.base + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as r:
                return Reply(r.status, r.read(), r.geturl(), r.headers)
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.read(), path, e.headers)

    def get(self, path: str) -> Reply:
        return self.call("GET", path)

    def form(self, path: str, fields: dict[str, str]) -> Reply:
        return self.call("POST", path, urllib.parse.urlencode(fields).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, name: str, password: str | None = None) -> Reply:
        page = self.get("/signin")
        pre = re.search(r'name="pre" value="([^"]+)"', page.text)
        assert pre, page.text
        reply = self.form("/signin", {"pre": pre.group(1), "name": name, "password": password or PASSWORDS[name]})
        if m := re.search(r'name="csrf" value="([^"]+)"', reply.text):
            self.csrf = m.group(1)
        return reply

    def api(self, method: str, path: str, data: bytes | None = b"", csrf: str | None = None) -> Reply:
        return self.call(method, path, data, {"X-CSRF-Token": self.csrf if csrf is None else csrf})

    def upload(self, files: list[Path], keep: bool = False) -> int:
        """A new submission with `files`, started; its number."""
        made = self.api("POST", "/api/submissions" + ("?keep=1" if keep else ""))
        assert made.status == 200, made.text
        sid = int(made.json()["id"])
        for f in files:
            put = self.api("PUT", f"/api/submissions/{sid}/files/{urllib.parse.quote(f.name)}", f.read_bytes())
            assert put.status == 200, put.text
        started = self.api("POST", f"/api/submissions/{sid}/start")
        assert started.status == 200, started.text
        return sid

    def wait(self, sid: int, timeout_s: float = 300) -> dict[str, Any]:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            state = self.get(f"/api/submissions/{sid}").json()
            if state["state"] in ("done", "error"):
                return dict(state)
            time.sleep(0.5)
        raise AssertionError(f"submission {sid} still {state} after {timeout_s} s")
