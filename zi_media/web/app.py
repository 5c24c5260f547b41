"""The web app (Starlette, served by uvicorn): sign-in, the unit's upload and history, the
evaluator's matrix and overrides, and the reports the checks wrote, served only to the unit
that owns them and to evaluators.

Uploads are the request body itself, one file per PUT, streamed to disk chunk by chunk (a
2-GB video never sits in memory) into --data, checked against the caps as it arrives; a
file cut off half-way is removed, never checked. Every request that changes something
carries the session's CSRF token (a header from the page's script, a field in its forms)."""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import secrets
import shutil
import time
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..batch.overrides import STATUSES
from ..batch.run import SUMMARIES, BatchOptions, error_row
from ..batch.summary import write_summaries
from ..profiles import load_profile
from ..report.i18n import label, size
from ..timefmt import mmss
from ..types import BatchRow, Override, Status
from ..unit.archive import MAX_TOTAL_BYTES
from ..unit.submission import IMAGE_EXT, MANIFEST, MAX_NAME_CHARS, PAPARAN_EXT, VIDEO_EXT
from . import accounts
from .jobs import REPORT_DIR, Jobs
from .store import Store, Submission
from .words import word

HERE = Path(__file__).parent
SESSION_COOKIE, PRE_COOKIE, LANG_COOKIE = "zi_session", "zi_signin", "zi_lang"
UPLOADS = ".uploads"  # files still arriving, in submissions/ID/
ACCEPTED = VIDEO_EXT | IMAGE_EXT | PAPARAN_EXT | {".zip"}
MAX_FILES = 50  # per submission: a unit sends a handful
MAX_FORM_BYTES = 64 << 10  # a form's fields: a name, a password, a reason of 2,000 characters


@functools.cache
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("zi_media.web", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals.update(word=word, label=label, size=size)
    return env


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "id")
    return lang if lang in ("id", "en") else "id"


class WebError(HTTPException):
    """An error the page explains in the user's language (`key` in words.WORDS)."""

    def __init__(self, status: int, key: str, **params: object) -> None:
        super().__init__(status, key)
        self.key, self.params = key, params


class Server:
    def __init__(self, store: Store, jobs: Jobs | None, options: BatchOptions, max_upload: int) -> None:
        self.store, self.jobs, self.options, self.max_upload = store, jobs, options, max_upload

    # sessions
    def session(self, request: Request) -> accounts.Session:
        token = request.cookies.get(SESSION_COOKIE, "")
        found = accounts.session(self.store, token)
        if found is None:
            raise WebError(401, "expired" if token else "signin")
        return found

    def csrf(self, request: Request, session: accounts.Session, form: Any = None) -> None:
        sent = request.headers.get("x-csrf-token") or (form.get("csrf") if form is not None else None) or ""
        if not secrets.compare_digest(str(sent), session.csrf):
            raise WebError(403, "csrf")

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        lang = lang_of(request)
        html = _env().get_template(template).render(lang=lang, **values)
        response = Response(html, status, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})
        if "lang" in request.query_params:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def own(self, session: accounts.Session, sid: int) -> Submission:
        """The submission, when this user may see it: its own unit's, or any to an evaluator.
        Another unit's is "not found", so a guessed number tells nothing."""
        s = self.store.submission(sid)
        if s is None or (session.user.role == "unit" and s.unit != session.user.name):
            raise WebError(404, "not_found")
        return s

    # pages
    async def home(self, request: Request) -> Response:
        try:
            session = self.session(request)
        except WebError:
            return RedirectResponse("/signin", 303)
        return RedirectResponse("/unit" if session.user.role == "unit" else "/evaluator", 303)

    async def signin_form(self, request: Request, message: str = "", status: int = 200,
                          params: dict[str, object] | None = None) -> Response:
        pre = secrets.token_urlsafe(24)
        expired = request.query_params.get("expired") == "1" and not message
        response = self.page(request, "signin.html", status, pre=pre, message=message or ("expired" if expired else ""),
                             params=params or {})
        response.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    async def signin(self, request: Request) -> Response:
        form = await _form(request)
        if not secrets.compare_digest(str(form.get("pre", "")), request.cookies.get(PRE_COOKIE, "") or "-"):
            return await self.signin_form(request, "csrf", 403)
        address = request.client.host if request.client else "-"
        try:
            found = accounts.sign_in(self.store, str(form.get("name", "")).strip(), str(form.get("password", "")),
                                     address)
        except accounts.TooManyAttempts as e:
            response = await self.signin_form(request, "too_many", 429, {"minutes": math.ceil(e.wait_s / 60)})
            response.headers["Retry-After"] = str(int(e.wait_s) + 1)
            return response
        if found is None:
            return await self.signin_form(request, "wrong_password", 401)
        token, _ = found
        response = RedirectResponse("/", 303)
        response.set_cookie(SESSION_COOKIE, token, max_age=accounts.SESSION_S, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
        response.delete_cookie(PRE_COOKIE)
        return response

    async def signout(self, request: Request) -> Response:
        session = self.session(request)
        self.csrf(request, session, await _form(request))
        accounts.sign_out(self.store, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/signin", 303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def _role(self, request: Request, role: str) -> accounts.Session:
        session = self.session(request)
        if session.user.role != role:
            raise WebError(403, "forbidden")
        return session

    async def unit_home(self, request: Request) -> Response:
        session = self._role(request, "unit")
        return self.page(request, "unit.html", session=session, submissions=self.store.submissions(session.user.name),
                         cap=size(self.max_upload, lang_of(request)), now=time.time(), elapsed=elapsed)

    async def submission_page(self, request: Request) -> Response:
        session = self.session(request)
        s = self.own(session, request.path_params["sid"])
        files = [p.name for p in self.store.sent(s.id, s.unit)]
        return self.page(request, "submission.html", session=session, s=s, files=files, now=time.time(),
                         elapsed=elapsed, statuses=STATUSES, overrides=self.store.overrides(s.unit),
                         report=_report_link(s))

    async def evaluator_home(self, request: Request) -> Response:
        session = self._role(request, "evaluator")
        units = [u for u in self.store.users() if u.role == "unit"]
        latest = {s.unit: s for s in reversed(self.store.submissions())}
        return self.page(request, "evaluator.html", session=session, units=units, latest=latest, now=time.time(),
                         elapsed=elapsed, report=_report_link)

    async def unit_history(self, request: Request) -> Response:
        session = self._role(request, "evaluator")
        name = request.path_params["name"]
        user = self.store.user(name)
        if user is None or user.role != "unit":
            raise WebError(404, "not_found")
        return self.page(request, "history.html", session=session, unit=user,
                         submissions=self.store.submissions(name), now=time.time(), elapsed=elapsed,
                         report=_report_link)

    async def matrix(self, request: Request) -> Response:
        """The batch index and sheets over every unit's latest checked submission, written
        afresh into --data/matrix/LANG/ (a few dozen rows: milliseconds)."""
        self._role(request, "evaluator")
        name = request.path_params.get("name", "index.html")
        if name not in SUMMARIES:
            raise WebError(404, "not_found")
        lang = lang_of(request)
        out = self.store.data / "matrix" / lang
        out.mkdir(parents=True, exist_ok=True)
        rows = [_matrix_row(s) for s in self.store.latest_checked()]
        write_summaries(rows, out, lang, load_profile(self.options.profile_ref))
        return FileResponse(out / name, headers={"Cache-Control": "no-store"})

    async def files(self, request: Request) -> Response:
        """A file of a submission: its reports and the unit's own files (the evidence links
        play them). Only regular files inside the submission's folder, never through a link."""
        session = self.session(request)
        s = self.own(session, request.path_params["sid"])
        rel = request.path_params["path"]
        if rel == f"{REPORT_DIR}/index.html":  # the report's link back to a batch index
            return RedirectResponse("/", 303)
        folder = self.store.folder(s.id)
        path = folder / rel
        if (".." in Path(rel).parts or rel.startswith(UPLOADS) or not path.resolve().is_relative_to(folder.resolve())
                or any(p.is_symlink() for p in (path, *path.parents) if p.is_relative_to(folder))
                or not path.is_file()):
            raise WebError(404, "not_found")
        ours = rel.startswith(f"{REPORT_DIR}/")
        # the unit's own files are served as what they are and never run as a page of this site
        headers = {} if ours else {"Content-Security-Policy": "sandbox"}
        return FileResponse(path, headers=headers)

    # the unit's uploads
    async def new_submission(self, request: Request) -> Response:
        session = self._role(request, "unit")
        self.csrf(request, session)
        keep = request.query_params.get("keep") == "1"
        unit = session.user.name
        sid = self.store.add_submission(unit)
        folder = self.store.folder(sid)
        self.store.unit_folder(sid, unit).mkdir(parents=True)
        last = next((s for s in self.store.submissions(unit) if s.id != sid and s.state != "open"), None)
        if keep and last is not None:  # hard links: a re-upload of one file copies nothing
            before = self.store.folder(last.id)
            for p in self.store.sent(last.id, unit):
                if not p.is_symlink():
                    target = folder / p.relative_to(before)
                    try:
                        os.link(p, target)
                    except OSError:
                        shutil.copy2(p, target)
        return JSONResponse({"id": sid})

    def _open(self, request: Request) -> Submission:
        """The unit's own submission named in the path, still taking files (CSRF checked)."""
        session = self._role(request, "unit")
        self.csrf(request, session)
        s = self.own(session, request.path_params["sid"])
        if s.state != "open":
            raise WebError(409, "not_open")
        return s

    async def put_file(self, request: Request) -> Response:
        s = self._open(request)
        name = _file_name(request.path_params["name"])
        suffix = Path(name).suffix.lower()
        if suffix not in ACCEPTED and name != MANIFEST:
            raise WebError(415, "bad_kind", suffix=suffix or name)
        target = self.store.unit_zip(s.id, s.unit) if suffix == ".zip" else self.store.unit_folder(s.id, s.unit) / name
        sent = self.store.sent(s.id, s.unit)
        held = sum(p.stat().st_size for p in sent if p != target)
        if len(sent) >= MAX_FILES and target not in sent:
            raise WebError(413, "too_much", cap=f"{MAX_FILES} files")
        cap = min(self.max_upload, MAX_TOTAL_BYTES - held)
        over = WebError(413, "too_big" if cap == self.max_upload else "too_much", cap=size(cap, lang_of(request)))
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise over
        part = self.store.folder(s.id) / UPLOADS / f"{secrets.token_hex(8)}.part"
        part.parent.mkdir(exist_ok=True)
        received = 0
        try:
            with part.open("wb") as f:
                async for chunk in request.stream():
                    received += len(chunk)
                    if received > cap:
                        raise over
                    f.write(chunk)
            if declared.isdigit() and received != int(declared):
                raise ClientDisconnect()
            os.replace(part, target)
        except ClientDisconnect:
            return JSONResponse({"error": "cut off"}, 400)
        finally:  # a cut or refused body is never kept
            part.unlink(missing_ok=True)
        return JSONResponse({"name": name, "bytes": received})

    async def start(self, request: Request) -> Response:
        s = self._open(request)
        sent = self.store.sent(s.id, s.unit)
        zipped = self.store.unit_zip(s.id, s.unit) in sent
        if zipped and len(sent) > 1:
            raise WebError(400, "zip_alone")
        if not sent:
            raise WebError(400, "no_files")
        self._check(s.id)
        return JSONResponse({"url": f"/submissions/{s.id}"})

    def _check(self, sid: int) -> None:
        if self.jobs is None:
            raise WebError(503, "error")
        self.jobs.submit(sid)

    async def state(self, request: Request) -> Response:
        session = self.session(request)
        s = self.own(session, request.path_params["sid"])
        lang = lang_of(request)
        return JSONResponse({"state": s.state, "shown": elapsed(s, time.time(), lang),
                             "verdict": s.row.verdict if s.row else None},
                            headers={"Cache-Control": "no-store"})

    async def override(self, request: Request) -> Response:
        """An evaluator's decision on one requirement of a unit, kept for its later submissions
        too; the submission is checked again with it (its transcripts come from the cache)."""
        session = self._role(request, "evaluator")
        form = await _form(request)
        self.csrf(request, session, form)
        s = self.own(session, request.path_params["sid"])
        requirement, status, reason = (str(form.get(k, "")).strip() for k in ("requirement", "status", "reason"))
        keys = {c.key for c in s.row.cells} if s.row else set()
        if requirement not in keys or status not in STATUSES:
            raise WebError(400, "bad_override")
        if not reason:
            raise WebError(400, "no_reason")
        self.store.set_override(Override(s.unit, requirement, cast(Status, status), reason[:2000],
                                         session.user.name, dt.date.today().isoformat()))
        self._check(s.id)
        return RedirectResponse(f"/submissions/{s.id}", 303)

    async def failed(self, request: Request, exc: Exception) -> Response:
        """Any refusal as a page in the user's language (JSON for the page's script); 401 sends
        a page to sign in."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        key = exc.key if isinstance(exc, WebError) else {404: "not_found", 405: "error"}.get(status, "error")
        params = exc.params if isinstance(exc, WebError) else {}
        lang = lang_of(request)
        if request.url.path.startswith("/api/") or request.method == "PUT":
            return JSONResponse({"error": word(key, lang, **params)}, status)
        if status == 401:
            if key == "expired" or request.method == "GET":
                return RedirectResponse("/signin?expired=1" if key == "expired" else "/signin", 303)
            return await self.signin_form(request, key, 401)
        return self.page(request, "message.html", status, message=key, params=params)


async def _form(request: Request) -> Any:
    """A page's form (sign-in, sign-out, an override): small fields only. A file part, or a body
    over MAX_FORM_BYTES, is refused before it is read, so no one (signed in or not) can make the
    form parser spool anything to disk or memory."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise WebError(413, "error")
    return await request.form(max_files=0, max_fields=20)


def _file_name(name: str) -> str:
    """An uploaded file's name, as the unit will see it in its report: a plain name."""
    name = unicodedata.normalize("NFC", name)
    why = ("name.empty" if not name.strip() else
           "name.long" if len(name) > MAX_NAME_CHARS else
           "name.folder" if "/" in name or "\\" in name or name in (".", "..") else
           "name.control" if any(unicodedata.category(ch).startswith("C") for ch in name) else
           "name.hidden" if name.startswith(".") else "")
    if why:
        raise WebError(400, why, most=MAX_NAME_CHARS)
    return name


def _report_link(s: Submission) -> str | None:
    return f"/files/{s.id}/{REPORT_DIR}/{s.row.html}" if s.row and s.row.html else None


def _matrix_row(s: Submission) -> BatchRow:
    """A unit's row in the evaluator's matrix, linked (from /matrix/) to its reports."""
    if s.row is None:
        return replace(error_row(Path(s.unit), s.error or "?"), unit=s.unit)
    link = f"../files/{s.id}/{REPORT_DIR}/"
    return replace(s.row, json=link + s.row.json if s.row.json else "", html=link + s.row.html if s.row.html else "")


def elapsed(s: Submission, now: float, lang: str) -> str:
    """The state as a person reads it, with how long it has run or how long it took."""
    shown = word(f"state.{s.state}", lang)
    if s.state == "running" and s.started:
        running = word("elapsed", lang, state=shown, elapsed=mmss(now - s.started))
        return running + (word("heard", lang, done=mmss(s.heard[0]), total=mmss(s.heard[1])) if s.heard else "")
    if s.state in ("done", "error") and s.started and s.finished:
        return word("elapsed", lang, state=shown, elapsed=mmss(s.finished - s.started))
    return shown


HEADERS = [(b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"), (b"x-content-type-options", b"nosniff")]


class Headers:
    """Headers on every response: never framed by another site, no referrer outside it. A
    plain ASGI middleware, so the upload's body streams through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)


def make_app(store: Store, jobs: Jobs | None, options: BatchOptions, max_upload: int) -> Starlette:
    s = Server(store, jobs, options, max_upload)
    routes = [
        Route("/", s.home),
        Route("/signin", s.signin_form, methods=["GET"]),
        Route("/signin", s.signin, methods=["POST"]),
        Route("/signout", s.signout, methods=["POST"]),
        Route("/unit", s.unit_home),
        Route("/evaluator", s.evaluator_home),
        Route("/units/{name}", s.unit_history),
        Route("/matrix/", s.matrix),
        Route("/matrix/{name}", s.matrix),
        Route("/submissions/{sid:int}", s.submission_page),
        Route("/submissions/{sid:int}/override", s.override, methods=["POST"]),
        Route("/files/{sid:int}/{path:path}", s.files),
        Route("/api/submissions", s.new_submission, methods=["POST"]),
        Route("/api/submissions/{sid:int}", s.state),
        Route("/api/submissions/{sid:int}/files/{name:path}", s.put_file, methods=["PUT"]),
        Route("/api/submissions/{sid:int}/start", s.start, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Headers)],
                     exception_handlers={HTTPException: s.failed, Exception: s.failed})

