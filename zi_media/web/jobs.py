"""The server's checks, on Dask: each submission is one batch.run.check_one on a worker (a
local cluster of --jobs workers, or the one at --scheduler), its state kept in the store as it
moves (queued, running, done or error). A worker that dies costs one retry on another, as in
a batch; a server that stops leaves queued and running checks in the store, and `resume`
submits them again on start, so every upload ends in a report or an error."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import ExitStack
from typing import Any

from distributed import Client, KilledWorker

from ..batch.cluster import client
from ..batch.run import BatchOptions, check_one
from ..files import shown
from .store import Store

REPORT_DIR = "report"  # beside the unit's folder in submissions/ID/
HEARD_EVERY_S = 1.0  # the transcription's progress is written to the store at most this often


def _checked(sid: int, store: Store, options: BatchOptions, unit: str) -> Any:
    """On the worker: mark the check running, run it. The row comes back to the server."""
    store.set_state(sid, "running")
    zipped = store.unit_zip(sid, unit)  # a unit that sent one .zip is checked as that zip
    folder = zipped if zipped.is_file() else store.unit_folder(sid, unit)
    out = store.folder(sid) / REPORT_DIR
    out.mkdir(exist_ok=True)
    last = [0.0]

    def heard(done_s: float, total_s: float) -> None:
        if time.monotonic() - last[0] >= HEARD_EVERY_S or done_s >= total_s:
            last[0] = time.monotonic()
            store.set_heard(sid, done_s, total_s)

    return check_one(folder, out, options, None, store.overrides(unit), heard)


class Jobs:
    """Submits checks and records how each ended."""

    def __init__(self, store: Store, options: BatchOptions, jobs: int, scheduler: str | None) -> None:
        self.store = store
        self.options = options
        self._stack = ExitStack()
        self.client: Client = self._stack.enter_context(client(jobs, scheduler, options.threads))
        self._futures: dict[int, Any] = {}  # kept, or Dask forgets a future nobody holds
        self._lock = threading.Lock()

    def close(self) -> None:
        self._stack.close()

    def submit(self, sid: int) -> None:
        s = self.store.submission(sid)
        if s is None:
            return
        self.store.set_state(sid, "queued")
        future: Any = self.client.submit(_checked, sid, self.store, self.options, s.unit, pure=False,
                                         key=f"zi-media-check-{sid}-{uuid.uuid4().hex}")
        with self._lock:
            self._futures[sid] = future
        future.add_done_callback(lambda f: self._done(sid, f))

    def _done(self, sid: int, future: Any) -> None:
        """Dask's callback thread: the row, or why the check could not run, into the store."""
        with self._lock:
            if id(self._futures.get(sid)) != id(future):
                return  # an older check of this submission, replaced by a newer one
            del self._futures[sid]
        try:
            row = future.result()
        except KilledWorker as e:
            self.store.set_state(sid, "error", error=f"the worker checking it died {e.allowed_failures + 1} "
                                                     "time(s): out of memory? a crash in a decoder?")
            return
        except Exception as e:  # cancelled when the server stops: left queued, resumed on start
            if future.status == "cancelled":
                return
            self.store.set_state(sid, "error", error=shown(f"{type(e).__name__}: {e}"))
            return
        # the page shows where a file is inside the submission, never where the server keeps it
        error = row.error.replace(f"{self.store.folder(sid)}/", "")
        self.store.set_state(sid, "error" if row.verdict == "error" else "done", row=row, error=error)

    def resume(self) -> int:
        """Submit again the checks a stopped server left queued or running."""
        left = self.store.unfinished()
        for s in left:
            self.submit(s.id)
        return len(left)
