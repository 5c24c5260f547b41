"""`zi-media serve`: the store, the Dask engine and the app together, served by uvicorn until
Ctrl-C; checks a stopped server left queued or running are submitted again first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..batch.run import BatchOptions
from .jobs import Jobs
from .store import Store


def serve(data: Path, host: str, port: int, options: BatchOptions, jobs: int, scheduler: str | None,
          max_upload: int, said: Callable[[str], None] = print) -> None:
    import uvicorn

    from .app import make_app

    store = Store(data)
    engine = Jobs(store, options, jobs, scheduler)
    try:
        resumed = engine.resume()
        said(f"zi-media: serving http://{host}:{port}/ (data in {data}; {resumed} check(s) resumed)")
        uvicorn.run(make_app(store, engine, options, max_upload), host=host, port=port, log_level="warning",
                    proxy_headers=True, timeout_graceful_shutdown=5)
    finally:
        engine.close()
