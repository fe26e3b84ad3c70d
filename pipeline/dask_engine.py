"""The Dask engine: the same per-document ``fn(task)`` on a ``distributed`` cluster.

Without a scheduler address it starts a LocalCluster of single-threaded worker
processes; with one (``tcp://host:8786``) it uses that cluster, whose workers
must have letopis installed at the same version and see the input files at the
same paths (results travel back to this process, which alone writes them).
A worker plugin loads the models once per worker process.
"""
from __future__ import annotations

import logging
import multiprocessing
from typing import Callable, Generic, Iterator, Sequence, TypeVar

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed

T = TypeVar("T")
R = TypeVar("R")


class WarmUp(WorkerPlugin):
    """Runs ``warm_up()`` once in every worker, before its first task."""

    def __init__(self, warm_up: Callable[[], None]) -> None:
        self.warm_up = warm_up

    def setup(self, worker: object) -> None:
        self.warm_up()


def _local_cluster(workers: int, preload: Sequence[str]) -> LocalCluster:
    """Single-threaded worker processes, forked where possible from a server that
    imported ``preload`` (as ``engines.ProcessPool`` does), so they start at once."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "forkserver":
        multiprocessing.get_context(method).set_forkserver_preload(list(preload))
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
        )


class DaskEngine(Generic[T, R]):
    def __init__(
        self, workers: int, fn: Callable[[T], R], warm_up: Callable[[], None], address: str | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        self.fn = fn
        self.cluster = None
        if address is None:
            self.cluster = _local_cluster(workers, preload)
            address = self.cluster.scheduler_address
        self.client = Client(address)
        self.client.register_plugin(WarmUp(warm_up), name="letopis-warm-up")
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.running = as_completed()
        self.tasks: dict[str, T] = {}

    def submit(self, task: T) -> None:
        future = self.client.submit(self.fn, task, pure=False)
        self.tasks[future.key] = task
        self.running.add(future)

    def completed(self) -> Iterator[tuple[T, R | BaseException]]:
        for future in self.running:
            task = self.tasks.pop(future.key)
            outcome = future.exception() if future.status == "error" else future.result()
            future.release()
            yield task, outcome

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
