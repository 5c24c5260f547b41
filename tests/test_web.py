"""The web front door over HTTP, on a real `zi-media serve` (uvicorn, a local Dask cluster,
SQLite under --data): sign-in and its limits, CSRF, the unit's upload and report, one unit
never seeing another's, bad uploads, the evaluator's matrix and overrides, a restart."""

from __future__ import annotations

import io
import select
import socket
import sqlite3
import time
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from zi_media.web.accounts import MAX_FAILURES

from .webtools import SAMPLE_UNIT, Client, Server, add_users, free_port, serving, zi_media

pytestmark = pytest.mark.xdist_group("web")
CAP_MB = 2  # the server's upload cap here: a sample unit fits, a 3-MB body does not


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("web") / "data"
    add_users(data)
    with serving(data, "--no-transcribe", "--max-upload-mb", str(CAP_MB)) as s:
        yield s


@pytest.fixture(scope="module")
def checked(server: Server) -> tuple[Client, int]:
    """The sample unit uploaded and checked, as PN Sukamaju."""
    unit = Client(server)
    unit.sign_in("PN Sukamaju")
    sid = unit.upload(sorted(SAMPLE_UNIT.iterdir()))
    assert unit.wait(sid)["state"] == "done"
    return unit, sid


def outside_data(server: Server) -> list[Path]:
    """Whatever the server wrote beside --data (its log aside)."""
    return [p for p in server.data.parent.iterdir() if p != server.data and not p.name.startswith("serve-")]


def test_users_are_added_listed_disabled_and_reset(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_users(data, {"PN Uji": "unit"})
    assert "PN Uji\tunit\tactive" in zi_media("users", "list", "--data", str(data)).stdout
    for name, why in (("../x", "a name is"), ("a\x01b", "a name is")):
        bad = zi_media("users", "add", name, "--role", "unit", "--data", str(data), "--password-stdin",
                       stdin="sandi-panjang-1\n")
        assert bad.returncode == 2 and why in bad.stderr and "Traceback" not in bad.stderr
    short = zi_media("users", "add", "PN Dua", "--role", "unit", "--data", str(data), "--password-stdin", stdin="abc\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    assert zi_media("users", "disable", "PN Uji", "--data", str(data)).returncode == 0
    assert "PN Uji\tunit\tdisabled" in zi_media("users", "list", "--data", str(data)).stdout
    assert zi_media("users", "reset", "PN Uji", "--data", str(data), "--password-stdin",
                    stdin="sandi-baru-1234\n").returncode == 0
    assert "PN Uji\tunit\tactive" in zi_media("users", "list", "--data", str(data)).stdout
    assert zi_media("users", "disable", "PN Tiada", "--data", str(data)).returncode == 2


def test_sign_in_wrong_then_right_in_both_languages(server: Server) -> None:
    c = Client(server)
    wrong = c.sign_in("PN Sukamaju", "bukan-sandinya")
    assert wrong.status == 401 and "kata sandi salah" in wrong.text
    c.get("/signin?lang=en")
    assert "Wrong user name or password" in c.sign_in("PN Sukamaju", "bukan-sandinya").text
    right = c.sign_in("PN Sukamaju")
    assert right.status == 200 and right.url.endswith("/unit") and "Upload the unit" in right.text
    cookie = next(k for k in c.jar if k.name == "zi_session")
    assert cookie.has_nonstandard_attr("HttpOnly") and len(cookie.value or "") >= 40


def test_sign_in_attempts_are_limited_per_name(server: Server, tmp_path: Path) -> None:
    add_users(server.data, {"PN Terkunci": "unit"})
    c = Client(server)
    for _ in range(MAX_FAILURES):
        assert c.sign_in("PN Terkunci", "tebakan-salah-1").status == 401
    locked = c.sign_in("PN Terkunci", "sandi-cadangan-1")  # the right password, too late
    assert locked.status == 429 and "Terlalu banyak" in locked.text and int(locked.headers["Retry-After"]) > 60
    assert Client(server).sign_in("PN Lain").status == 200  # another name from the same address still signs in


def test_forged_or_missing_csrf_is_refused(server: Server) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    assert c.api("POST", "/api/submissions", csrf="palsu").status == 403
    assert c.api("POST", "/api/submissions", csrf="").status == 403
    out = c.form("/signout", {"csrf": "palsu"})
    assert out.status == 403 and "kedaluwarsa" in out.text
    assert c.get("/unit").status == 200  # still signed in
    # a sign-in form posted from elsewhere (no cookie of this page's form)
    stranger = Client(server)
    assert stranger.form("/signin", {"pre": "x", "name": "PN Lain", "password": "sandi-lain-12"}).status == 403


def test_forms_take_small_fields_only(server: Server) -> None:
    """No form spools a file or a large body anywhere: refused before the parser reads it."""
    c = Client(server)
    page = c.get("/signin").text
    pre = page.split('name="pre" value="', 1)[1].split('"', 1)[0]
    body = (f'--b\r\nContent-Disposition: form-data; name="pre"\r\n\r\n{pre}\r\n--b\r\n'
            'Content-Disposition: form-data; name="name"; filename="x.bin"\r\n\r\nxxxx\r\n--b--\r\n').encode()
    assert c.call("POST", "/signin", body, {"Content-Type": "multipart/form-data; boundary=b"}).status == 400
    assert c.form("/signin", {"pre": pre, "name": "x" * (70 << 10), "password": "y"}).status == 413
    assert c.sign_in("PN Lain").status == 200


def test_unit_uploads_and_reads_its_report_and_plays_its_evidence(checked: tuple[Client, int]) -> None:
    unit, sid = checked
    page = unit.get(f"/submissions/{sid}")
    assert page.status == 200 and "MEMENUHI" in page.text
    report = unit.get(f"/files/{sid}/report/PN-Sukamaju.html")
    assert report.status == 200 and "PN Sukamaju" in report.text
    video = urllib.parse.quote("../PN Sukamaju/pembangunan-zi.mp4")
    assert f'src="{video}"' in report.text  # the report's player, served beside it
    part = unit.call("GET", f"/files/{sid}/PN%20Sukamaju/pembangunan-zi.mp4", headers={"Range": "bytes=0-99"})
    assert part.status == 206 and len(part.body) == 100  # seekable: an evidence link plays its moment
    assert part.headers["Content-Security-Policy"] == "sandbox"
    assert unit.get(f"/files/{sid}/report/PN-Sukamaju.json").json()["verdict"] == "met"
    assert f"/submissions/{sid}" in unit.get("/unit").text  # in its history


def test_a_unit_sees_nothing_of_another_unit(checked: tuple[Client, int], server: Server) -> None:
    _, sid = checked
    other = Client(server)
    other.sign_in("PN Lain")
    for path in (f"/submissions/{sid}", f"/api/submissions/{sid}", f"/files/{sid}/report/PN-Sukamaju.html",
                 f"/files/{sid}/PN%20Sukamaju/profil.mp4", f"/files/{sid + 1000}/report/x.html"):
        reply = other.get(path)
        assert reply.status == 404 and "PN Sukamaju" not in reply.text, path
    assert other.api("PUT", f"/api/submissions/{sid}/files/x.mp4", b"x").status == 404
    assert other.api("POST", f"/api/submissions/{sid}/start").status == 404
    for path in ("/evaluator", "/matrix/", "/units/PN%20Sukamaju"):
        assert other.get(path).status == 403, path
    anonymous = Client(server)
    assert anonymous.get(f"/files/{sid}/report/PN-Sukamaju.html").url.endswith("/signin")
    assert anonymous.call("GET", f"/api/submissions/{sid}").status == 401


@pytest.mark.parametrize("name, status, said", [
    ("..%2Fdi-luar.mp4", 400, "memuat folder"), ("a%01b.mp4", 400, "karakter kendali"),
    (".rahasia.mp4", 400, "tersembunyi"), ("%5C..%5Cx.mp4", 400, "memuat folder"), ("x" * 201 + ".mp4", 400, "200"),
    ("skrip.html", 415, ".html"), ("program.exe", 415, ".exe"),
])
def test_bad_file_names_and_kinds_are_refused(server: Server, name: str, status: int, said: str) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    sid = c.api("POST", "/api/submissions").json()["id"]
    reply = c.api("PUT", f"/api/submissions/{sid}/files/{name}", b"data")
    assert reply.status == status and said in reply.json()["error"], reply.text
    assert outside_data(server) == []


def put_head(c: Client, path: str, header: str) -> bytes:
    """A PUT's head as `c` would send it, with `header` (the body's length line)."""
    cookie = "; ".join(f"{k.name}={k.value}" for k in c.jar)
    return (f"PUT {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nX-CSRF-Token: {c.csrf}\r\n"
            f"{header}\r\n\r\n").encode()


def raw_put(c: Client, path: str, header: str, parts: Iterable[bytes] = ()) -> bytes:
    """A PUT written on the socket: its head, then `parts` while the server has not answered;
    the status line of its answer (b"" when it only closed)."""
    with socket.create_connection(("127.0.0.1", c.server.port), timeout=30) as s:
        s.sendall(put_head(c, path, header))
        try:
            for part in parts:
                if select.select([s], [], [], 0)[0]:
                    break  # answered (refused) before the body ended
                s.sendall(part)
            return s.recv(4096).split(b"\r\n")[0]
        except OSError:
            return b""


def test_uploads_over_the_cap_are_refused_as_declared_or_as_streamed(server: Server) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    sid = c.api("POST", "/api/submissions").json()["id"]
    put = f"/api/submissions/{sid}/files/besar.mp4"
    assert b" 413 " in raw_put(c, put, f"Content-Length: {(CAP_MB << 20) + 1}") + b" "  # refused before any body
    # a body that says no length (chunked) is counted as it arrives
    chunk = b"\0" * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range((CAP_MB << 4) + 16))
    assert raw_put(c, put, "Transfer-Encoding: chunked", chunks).startswith(b"HTTP/1.1 413")
    folder = server.data / "submissions" / str(sid)
    assert not any(p.is_file() for p in folder.rglob("*"))  # nothing kept of either
    refused = c.api("POST", f"/api/submissions/{sid}/start")
    assert refused.status == 400 and "Belum ada berkas" in refused.json()["error"]


def test_an_upload_cut_off_half_way_is_dropped_and_the_server_serves_on(server: Server) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    sid = c.api("POST", "/api/submissions").json()["id"]
    with socket.create_connection(("127.0.0.1", server.port)) as s:  # 300 kB of 1 MB, then gone
        s.sendall(put_head(c, f"/api/submissions/{sid}/files/profil.mp4", "Content-Length: 1000000") + b"\0" * 300_000)
    folder = server.data / "submissions" / str(sid)
    end = time.monotonic() + 20  # the server notices the closed connection on its next read
    while any(p.is_file() for p in folder.rglob("*")) and time.monotonic() < end:
        time.sleep(0.2)
    assert not any(p.is_file() for p in folder.rglob("*"))
    start = c.api("POST", f"/api/submissions/{sid}/start")
    assert start.status == 400 and "Belum ada berkas" in start.json()["error"]
    assert c.get("/unit").status == 200


def test_a_zip_bomb_and_a_fake_video_end_in_a_clear_report(server: Server) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("profil.mp4", b"\0" * (100 << 20))  # 100 MB of zeros in about 100 kB
    path = server.data.parent / "bom.zip"
    path.write_bytes(bomb.getvalue())
    sid = c.upload([path])
    path.unlink()
    ended = c.wait(sid)
    page = c.get(f"/submissions/{sid}").text
    assert ended["state"] == "error" and "inflates" in page and str(server.data) not in page, page
    fake = server.data.parent / "pembangunan-zi.mp4"
    fake.write_text("bukan video")
    sid = c.upload([fake])
    fake.unlink()
    assert c.wait(sid)["state"] == "done"
    report = c.get(f"/files/{sid}/report/PN-Lain.html").text
    assert "bukan video" in report.lower() or "rusak" in report.lower()


def test_evaluator_sees_the_matrix_and_overrides_with_a_reason(checked: tuple[Client, int], server: Server) -> None:
    _, sid = checked
    ev = Client(server)
    home = ev.sign_in("Penilai Bawas")
    assert home.url.endswith("/evaluator") and "PN Sukamaju" in home.text and "PN Lain" in home.text
    matrix = ev.get("/matrix/")
    assert matrix.status == 200 and f"../files/{sid}/report/PN-Sukamaju.html" in matrix.text
    sheet = ev.get("/matrix/summary.xlsx")
    assert sheet.status == 200 and sheet.body[:2] == b"PK"
    assert ev.get(f"/files/{sid}/report/PN-Sukamaju.html").status == 200
    page = ev.get(f"/submissions/{sid}").text
    assert 'name="requirement"' in page
    missing = ev.form(f"/submissions/{sid}/override", {"csrf": ev.csrf, "requirement": "banners", "status": "not_met",
                                                     "reason": ""})
    assert missing.status == 400 and "Alasan wajib" in missing.text
    unknown = ev.form(f"/submissions/{sid}/override", {"csrf": ev.csrf, "requirement": "tidak.ada", "status": "met",
                                                     "reason": "x"})
    assert unknown.status == 400
    done = ev.form(f"/submissions/{sid}/override", {"csrf": ev.csrf, "requirement": "banners", "status": "not_met",
                                                  "reason": "banner tidak memuat nama satker"})
    assert done.status == 200 and done.url.endswith(f"/submissions/{sid}")
    assert ev.wait(sid)["verdict"] == "not_met"
    page = ev.get(f"/submissions/{sid}").text
    assert "banner tidak memuat nama satker" in page and "Penilai Bawas" in page
    report = ev.get(f"/files/{sid}/report/PN-Sukamaju.html").text
    assert "banner tidak memuat nama satker" in report


def test_an_expired_session_sends_the_user_to_sign_in_again(server: Server) -> None:
    c = Client(server)
    c.sign_in("PN Lain")
    with sqlite3.connect(server.data / "zi-media.db") as db:
        db.execute("UPDATE sessions SET expires = 0 WHERE user = 'PN Lain'")
    page = c.get("/unit")
    assert page.url.endswith("/signin?expired=1") and "Sesi Anda telah berakhir" in page.text
    assert c.api("POST", "/api/submissions").status == 401


def test_checks_left_by_a_killed_server_are_resumed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_users(data, {"PN Sukamaju": "unit"})
    server = Server(data, free_port(), ("--no-transcribe",))
    server.start()
    c = Client(server)
    c.sign_in("PN Sukamaju")
    first = c.upload(sorted(SAMPLE_UNIT.iterdir()))
    server.stop(kill=True)  # a crash, the check queued or running
    with sqlite3.connect(data / "zi-media.db") as db:  # and one more, as a server stopped mid-check leaves it
        db.execute("UPDATE submissions SET state = 'running' WHERE id = ?", (first,))
    server.start()
    try:
        assert "1 check(s) resumed" in server.log()
        c = Client(server)
        c.sign_in("PN Sukamaju")
        ended = c.wait(first)
        assert (ended["state"], ended["verdict"]) == ("done", "met")
    finally:
        server.stop()


def test_a_unit_re_uploads_one_file_keeping_the_rest(checked: tuple[Client, int]) -> None:
    unit, sid = checked
    again = unit.upload([SAMPLE_UNIT / "banner-wbk.png"], keep=True)
    assert unit.wait(again)["state"] == "done"
    page = unit.get(f"/submissions/{again}").text
    assert all(p.name in page for p in SAMPLE_UNIT.iterdir())
    first, second = (unit.server.data / "submissions" / str(n) / "PN Sukamaju" / "profil.mp4" for n in (sid, again))
    assert first.stat().st_ino == second.stat().st_ino  # linked, not copied
