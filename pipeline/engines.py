"""Where a batch's per-document work runs: this process, or a pool of local processes
(the Dask engine is ``dask_engine.py``). Engines know nothing of letopis: they run a
picklable ``fn(task)`` after ``warm_up()`` once per worker, and hand back each task
with its result, or the exception that replaced it, as tasks finish."""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Callable, Generic, Iterable, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKER_DIED = "the worker process died on this document (out of memory, or a crash in native code)"


class WorkerDied(RuntimeError):
    """A document killed the process that ran it, twice."""


class Engine(Protocol[T, R]):
    slots: int  # tasks that run at once

    def submit(self, task: T) -> None: ...
    def completed(self) -> Iterator[tuple[T, R | BaseException]]: ...
    def close(self) -> None: ...


class InProcess(Generic[T, R]):
    """One worker: this process (no start-up cost, no isolation from native crashes)."""

    slots = 1

    def __init__(self, fn: Callable[[T], R], warm_up: Callable[[], None]) -> None:
        self.fn = fn
        self.queue: deque[T] = deque()
        warm_up()

    def submit(self, task: T) -> None:
        self.queue.append(task)

    def completed(self) -> Iterator[tuple[T, R | BaseException]]:
        while self.queue:
            task = self.queue.popleft()
            try:
                outcome: R | BaseException = self.fn(task)
            except Exception as error:  # noqa: BLE001 - reported as the task's outcome
                outcome = error
            yield task, outcome

    def close(self) -> None:
        self.queue.clear()


def _exit_with_parent() -> None:
    """End this worker when the main process ends, even by SIGKILL."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)


def _init_worker(warm_up: Callable[[], None]) -> None:
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    warm_up()


class ProcessPool(Generic[T, R]):
    """``workers`` local processes: forked from a forkserver that imported ``preload``
    (so modules and the data they load are shared), or spawned where there is none.

    A worker that dies breaks the pool and fails every task queued in it; those
    tasks run again one at a time in a separate one-process pool, so the task that
    kills its process a second time is the one reported (``WorkerDied``)."""

    def __init__(
        self, workers: int, fn: Callable[[T], R], warm_up: Callable[[], None], preload: Sequence[str] = ()
    ) -> None:
        self.slots = workers
        self.fn = fn
        self.warm_up = warm_up
        if "forkserver" in multiprocessing.get_all_start_methods():
            self.context = multiprocessing.get_context("forkserver")
            self.context.set_forkserver_preload(list(preload))  # no effect once the server runs
        else:
            self.context = multiprocessing.get_context("spawn")
        self.pool = self._pool(workers)
        self.isolation: ProcessPoolExecutor | None = None
        self.suspects: deque[T] = deque()
        self.running: dict[Future, tuple[T, ProcessPoolExecutor]] = {}

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=self.context, initializer=_init_worker, initargs=(self.warm_up,)
        )

    def submit(self, task: T) -> None:
        try:
            future = self.pool.submit(self.fn, task)
        except BrokenProcessPool:  # a worker died and its futures are not seen yet
            self._replace(self.pool)
            future = self.pool.submit(self.fn, task)
        self.running[future] = (task, self.pool)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        broken.shutdown(wait=False)  # its futures all fail with BrokenProcessPool
        if broken is self.pool:
            self.pool = self._pool(self.slots)
        elif broken is self.isolation:
            self.isolation = None

    def _isolate_next(self) -> None:
        """Run the next suspect alone, once the isolation pool is idle."""
        if not self.suspects or any(pool is self.isolation for _, pool in self.running.values()):
            return
        self.isolation = self.isolation or self._pool(1)
        task = self.suspects.popleft()
        self.running[self.isolation.submit(self.fn, task)] = (task, self.isolation)

    def completed(self) -> Iterator[tuple[T, R | BaseException]]:
        while self.running:
            done, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in done:
                task, pool = self.running.pop(future)
                error = BrokenProcessPool() if future.cancelled() else future.exception()
                if not isinstance(error, BrokenProcessPool):
                    yield task, error if error is not None else future.result()
                    continue
                isolated = pool is self.isolation
                if pool is self.pool or isolated:
                    self._replace(pool)
                if isolated:
                    yield task, WorkerDied(WORKER_DIED)
                else:
                    self.suspects.append(task)
            self._isolate_next()

    def close(self) -> None:
        for pool in (self.pool, self.isolation):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def stream(engine: Engine[T, R], tasks: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
    """Outcomes as tasks finish, with at most two tasks per slot in flight."""
    pending = iter(tasks)
    for task in islice(pending, 2 * engine.slots):
        engine.submit(task)
    for task, outcome in engine.completed():
        yield task, outcome
        for following in islice(pending, 1):
            engine.submit(following)
