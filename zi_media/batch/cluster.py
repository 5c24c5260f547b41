"""The batch's engine for more than one unit at a time: Dask distributed. `--jobs N` starts a
local cluster of N worker processes; `--scheduler ADDRESS` uses a running cluster whose
workers see the same paths (units, output folder, cache) on shared storage.

A worker that dies (out of memory, killed) costs a retry of its unit on another worker, not
the batch: the scheduler allows each unit one such death, and a unit whose worker dies twice
becomes an error row. Rows come back as units finish, in any order.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

import dask
from distributed import Client, KilledWorker, LocalCluster, as_completed

from ..errors import InputError
from ..types import BatchRow

ALLOWED_DEATHS = 1  # a unit may outlive one dead worker; the second death makes it an error row
LOST_ROWS = 3  # a finished unit's row lost with its worker: waited for again this often
CONNECT_TIMEOUT_S = 20  # to reach a --scheduler
CLOSE_TIMEOUT_S = 5  # a local cluster is closed within this after Ctrl-C


def worker_environ(threads: int) -> dict[str, str | None]:
    """What a worker process starts with, instead of Dask's defaults for many small numpy
    tasks. Those pin OpenMP, MKL and OpenBLAS to one thread (a unit's speech model would run
    on one core) and set MALLOC_TRIM_THRESHOLD_=65536, which returns memory to the system so
    eagerly that a unit took 1.7 times as long (measured: 2 units, 113 s against 68 s in one
    process). Each worker gets the threads its unit may use, and glibc's own trimming."""
    n = str(max(1, threads))
    return {"OMP_NUM_THREADS": n, "MKL_NUM_THREADS": n, "OPENBLAS_NUM_THREADS": n, "MALLOC_TRIM_THRESHOLD_": None}


def _restore(environ: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environ)


@contextmanager
def client(jobs: int, scheduler: str | None, threads: int = 1) -> Iterator[Client]:
    """A Dask client: of a local cluster of `jobs` worker processes, one unit at a time each
    with `threads` threads for its libraries, or of the cluster at `scheduler`."""
    settings = {"distributed.scheduler.allowed-failures": ALLOWED_DEATHS,
                **{f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in worker_environ(threads).items()}}
    with ExitStack() as stack, dask.config.set(settings):
        if scheduler:
            try:
                c = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as e:
                raise InputError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({e})") from None
        else:
            kept = dict(os.environ)  # the nannies set the workers' variables in this process too
            stack.callback(_restore, kept)
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            _restore(kept)
            stack.callback(cluster.close, timeout=CLOSE_TIMEOUT_S)
            c = Client(cluster)
        stack.callback(c.close, timeout=CLOSE_TIMEOUT_S)
        yield c


def dask_rows(c: Client, work: Callable[..., BatchRow], tasks: Sequence[tuple[Any, ...]],
              failed: Callable[[tuple[Any, ...], str], BatchRow]) -> Iterator[tuple[tuple[Any, ...], BatchRow]]:
    """Run `work(*task)` for every task on the cluster; yield (task, row) as each finishes.
    `failed(task, why)` makes the error row of a unit that could not be run at all."""
    futures = {c.submit(work, *task, pure=False): task for task in tasks}
    lost: Counter[str] = Counter()
    try:
        finished = as_completed(futures)
        for future in finished:
            task = futures[future]
            try:
                row = future.result()
            except KilledWorker as e:
                row = failed(task, f"the worker checking it died ({e.allowed_failures + 1} "
                                   "time(s): out of memory? a crash in a decoder?)")
            except Exception as e:
                # A worker that died after finishing takes the row with it; the scheduler checks
                # the unit again, so wait for it once more. Anything else is the unit's error.
                if future.status != "error" and lost[future.key] < LOST_ROWS:
                    lost[future.key] += 1
                    finished.add(future)
                    continue
                row = failed(task, f"{type(e).__name__}: {e}")
            yield task, row
    finally:
        c.cancel(list(futures), force=True)  # stops queued units on Ctrl-C; finished ones are no-ops
