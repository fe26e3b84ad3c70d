"""Progress of a batch run: a rich bar on a terminal, a line now and then elsewhere
(logs, CI, ``nohup``). Both measure work in bytes of input, so the ETA weighs a book
more than a leaflet, and show characters per second of decoded text."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
)

from .batch import Done, Task


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@dataclass(slots=True)
class _Counts:
    documents: int = 0
    total: int = 0
    size: int = 0
    total_size: int = 0
    chars: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, task: Task, done: Done | None) -> None:
        self.documents += 1
        self.size += task.size
        self.chars += done.chars if done else 0
        self.failed += done is None or done.status != "ok"

    def rate(self) -> float:
        return self.chars / max(time.perf_counter() - self.started, 1e-9)


def _opening(documents: int, size: int, reused: int) -> str:
    todo = documents - reused
    return f"letopis: {documents} documents: {reused} already done, {todo} to process ({_megabytes(size)})"


class BarProgress:
    """A live bar with documents, characters/second and ETA, for a terminal."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.counts = _Counts()
        self.bar = Progress(
            TextColumn("[bold]letopis"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[docs]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=True,
        )
        self.task = self.bar.add_task("run", total=1, docs="", rate="")

    def start(self, documents: int, reused: int, size: int) -> None:
        self.console.print(_opening(documents, size, reused))
        self.counts = _Counts(total=documents - reused, total_size=size)
        self.bar.update(self.task, total=max(size, 1), docs=self._docs(), rate="")
        self.bar.start()

    def _docs(self) -> str:
        return f"{self.counts.documents}/{self.counts.total} documents"

    def advance(self, task: Task, done: Done | None) -> None:
        self.counts.add(task, done)
        rate = f"{self.counts.rate():,.0f} chars/s"
        self.bar.update(self.task, advance=task.size, docs=self._docs(), rate=rate)

    def finish(self) -> None:
        self.bar.stop()


class LineProgress:
    """A plain line every ``every`` seconds and at the end, for logs and pipes."""

    def __init__(self, console: Console, every: float = 10.0) -> None:
        self.console = console
        self.every = every
        self.counts = _Counts()
        self.last = 0.0
        self.reported = 0  # documents done at the last line

    def start(self, documents: int, reused: int, size: int) -> None:
        self.console.print(_opening(documents, size, reused), highlight=False, soft_wrap=True)
        self.counts = _Counts(total=documents - reused, total_size=size)
        self.last = time.perf_counter()

    def advance(self, task: Task, done: Done | None) -> None:
        self.counts.add(task, done)
        if time.perf_counter() - self.last >= self.every:
            self._line()

    def _line(self) -> None:
        c = self.counts
        self.last, self.reported = time.perf_counter(), c.documents
        elapsed = self.last - c.started
        eta = elapsed * (c.total_size - c.size) / c.size if c.size else 0.0
        share = c.size / c.total_size if c.total_size else 1.0
        self.console.print(
            f"letopis: {c.documents}/{c.total} documents ({share:.0%} of {_megabytes(c.total_size)}), "
            f"{c.failed} not ok, {c.rate():,.0f} chars/s, elapsed {_clock(elapsed)}, ETA {_clock(eta)}",
            highlight=False, soft_wrap=True,
        )

    def finish(self) -> None:
        if self.counts.documents != self.reported:
            self._line()


def for_console(console: Console) -> BarProgress | LineProgress:
    """The bar on an interactive terminal, lines otherwise."""
    return BarProgress(console) if console.is_terminal else LineProgress(console)
