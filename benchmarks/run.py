"""letopis batch benchmarks (not tests): throughput against bare Natasha, scaling from
one worker to two, peak memory per worker on one large file, cold start.

    python benchmarks/run.py                    # everything (the 50 MB file takes a while)
    python benchmarks/run.py --memory-mb 5      # a smaller large file
    python benchmarks/run.py --only throughput --only cold

Prints a table and writes it, with the machine's state, to benchmarks/results/.
Texts: corpus/*.txt, plus the factRuEval-2016 devset texts when ../shared is present
(read in place, written only to a temporary folder).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import batch, nlp  # noqa: E402
from pipeline.batch import Done, Settings, Task  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SHARED = Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))
GOALS = {"throughput_ratio": 0.6, "speedup_2_workers": 1.8, "peak_rss_worker_mb": 500, "cold_start_s": 2.0}


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    goal: str = ""
    note: str = ""


def texts() -> dict[str, str]:
    """The benchmark texts by name."""
    found = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))}
    devset = SHARED / "datasets" / "factrueval2016" / "devset"
    for path in sorted(devset.glob("*.txt")):
        found[f"factrueval/{path.name}"] = path.read_text(encoding="utf-8")
    return found


def write_corpus(named: dict[str, str], folder: Path) -> list[Path]:
    paths = []
    for name, text in named.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _timed(fn, items) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn`` over ``items``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        fn(item)
    return time.perf_counter() - wall, time.process_time() - cpu


def throughput(named: dict[str, str], folder: Path, rounds: int) -> list[Figure]:
    """The full per-document work of a run (read, decode, normalize, Natasha, components,
    records, encoding for the store) against bare Natasha on the same texts, in this
    process, interleaved; the best of ``rounds`` of each."""
    from natasha import Doc, Segmenter
    from threadpoolctl import threadpool_limits

    models, segmenter = nlp.natasha_models(), Segmenter()
    settings = Settings()
    batch.warm_up(settings)
    tasks = [Task(batch.Item(p, p.name), "", "", p.stat().st_size) for p in write_corpus(named, folder)]
    chars = sum(len(t) for t in named.values())

    def bare(text: str) -> None:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(models.morph)
        doc.parse_syntax(models.syntax)
        doc.tag_ner(models.ner)

    def bare_one_thread(text: str) -> None:
        with threadpool_limits(1, user_api="blas"):
            bare(text)

    for text, task in zip(list(named.values())[:3], tasks):  # warm every kind of cache alike
        bare(text), bare_one_thread(text), batch.work(task, settings)
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "bare1": [], "letopis": []}
    for _ in range(rounds):
        runs["bare"].append(_timed(bare, named.values()))
        runs["bare1"].append(_timed(bare_one_thread, named.values()))
        runs["letopis"].append(_timed(lambda t: batch.work(t, settings), tasks))
    best = {name: min(r[0] for r in values) for name, values in runs.items()}
    cpu = {name: min(r[1] for r in values) for name, values in runs.items()}
    return [
        Figure("bare Natasha, default BLAS threads", chars / best["bare"], "chars/s"),
        Figure("bare Natasha, one BLAS thread", chars / best["bare1"], "chars/s"),
        Figure("letopis full pipeline", chars / best["letopis"], "chars/s",
               note=f"{len(tasks)} texts, {chars:,} chars, best of {rounds}"),
        Figure("throughput ratio (letopis / bare Natasha, one thread)", best["bare1"] / best["letopis"], "×",
               f"≥ {GOALS['throughput_ratio']}", note=f"CPU-time ratio {cpu['bare1'] / cpu['letopis']:.2f}"),
        Figure("throughput ratio (letopis / bare Natasha, default)", best["bare"] / best["letopis"], "×"),
    ]


def _cpu_seconds() -> float:
    """CPU time of this process and its workers so far (multiprocessing helpers aside)."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for proc in me.children(recursive=True):
        try:
            if _role(proc, me) == "worker":
                total += sum(proc.cpu_times()[:2])
        except psutil.Error:
            continue
    return total


class _Recorder:
    """A ``batch.Progress`` that remembers when each document finished, and the CPU
    time spent between the first and the last."""

    def __init__(self) -> None:
        self.done: list[tuple[float, int]] = []
        self.cpu: list[float] = []

    def start(self, documents: int, reused: int, size: int) -> None:
        self.total = documents - reused

    def advance(self, task: Task, done: Done | None) -> None:
        self.done.append((time.perf_counter(), done.chars if done else 0))
        if len(self.done) in (1, self.total):  # workers are still alive at the last one
            self.cpu.append(_cpu_seconds())

    def cpu_rate(self) -> float:
        """Characters per CPU second, first to last finished document."""
        return sum(c for _, c in self.done[1:]) / (self.cpu[-1] - self.cpu[0])

    def finish(self) -> None:
        pass

    def rate(self) -> float:
        """Characters per second between the first and the last finished document
        (start-up, the same for any corpus size, left out)."""
        if len(self.done) < 3:
            raise SystemExit("scaling needs more texts: point LETOPIS_SHARED at ../shared")
        (first, _), (last, _) = self.done[0], self.done[-1]
        return sum(c for _, c in self.done[1:]) / (last - first)


def scaling(named: dict[str, str], folder: Path) -> list[Figure]:
    """The same corpus with one worker and with two, each into a fresh output folder."""
    inputs = write_corpus(named, folder / "corpus")
    rates, walls, cpu = {}, {}, {}
    for workers in (1, 2):
        recorder = _Recorder()
        started = time.perf_counter()
        batch.run(inputs, folder / f"out{workers}", workers=workers, progress=recorder)
        walls[workers], rates[workers], cpu[workers] = (
            time.perf_counter() - started, recorder.rate(), recorder.cpu_rate())
    return [
        Figure("1 worker", rates[1], "chars/s",
               note=f"run {walls[1]:.1f} s end to end; {cpu[1]:,.0f} chars per CPU second"),
        Figure("2 workers", rates[2], "chars/s",
               note=f"run {walls[2]:.1f} s end to end; {cpu[2]:,.0f} chars per CPU second"),
        Figure("speed-up, 2 workers vs 1", rates[2] / rates[1], "×", f"≥ {GOALS['speedup_2_workers']}",
               note=f"{os.cpu_count()} cores; CPU cost per char with 2 workers ×{cpu[1] / cpu[2]:.2f} of 1"),
    ]


def _large_file(named: dict[str, str], megabytes: float, path: Path) -> Path:
    unit = "\n\n".join(named.values()).encode("utf-8") + b"\n\n"
    size = int(megabytes * 2**20)
    with path.open("wb") as out:
        for _ in range(size // len(unit)):
            out.write(unit)
        rest = unit[: size % len(unit)]
        out.write(rest[: rest.rfind(b"\n") + 1])
    return path


@dataclass
class _Peak:
    role: str
    rss: float = 0.0  # MB
    uss: float = 0.0  # MB: memory only this process holds (not shared with the forkserver)


def _tree_memory(root: psutil.Process, peaks: dict[int, _Peak], stop: threading.Event) -> None:
    """Poll the memory of ``root`` and its descendants, keeping each process's peaks."""
    while not stop.is_set():
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for proc in processes:
            try:
                info = proc.memory_full_info()
                peak = peaks.setdefault(proc.pid, _Peak(_role(proc, root)))
            except psutil.Error:
                continue
            peak.rss, peak.uss = max(peak.rss, info.rss / 2**20), max(peak.uss, info.uss / 2**20)
        time.sleep(0.1)


def _role(proc: psutil.Process, root: psutil.Process) -> str:
    """main, a multiprocessing helper (forkserver, resource tracker), or a worker."""
    if proc.pid == root.pid:
        return "main"
    command = " ".join(proc.cmdline())
    helper = "resource_tracker" in command or ("forkserver" in command and proc.ppid() == root.pid)
    return "helper" if helper else "worker"


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", *args]


def memory(named: dict[str, str], folder: Path, megabytes: float) -> list[Figure]:
    """``letopis run`` with two workers on one large file; peak RSS of each process."""
    big = _large_file(named, megabytes, folder / "large.txt")
    peaks: dict[int, _Peak] = {}
    stop = threading.Event()
    started = time.perf_counter()
    run = subprocess.Popen(_cli([str(big), "-o", str(folder / "out"), "-w", "2"]), cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    poller = threading.Thread(target=_tree_memory, args=(psutil.Process(run.pid), peaks, stop))
    poller.start()
    _, errors = run.communicate()
    stop.set()
    poller.join()
    if run.returncode:
        raise RuntimeError(errors)
    worker = max((p for p in peaks.values() if p.role == "worker"), key=lambda p: p.rss)
    main = next(p for p in peaks.values() if p.role == "main")
    seconds = time.perf_counter() - started
    return [
        Figure(f"peak RSS per worker, one {megabytes:g} MB file", worker.rss, "MB",
               f"≤ {GOALS['peak_rss_worker_mb']}", note=f"{seconds:.0f} s"),
        Figure("  of which unique to the worker (USS)", worker.uss, "MB",
               note="the rest is shared with the forkserver: models, libraries"),
        Figure("peak RSS of the main process (tables)", main.rss, "MB"),
    ]


def cold_start(named: dict[str, str], folder: Path, repeats: int) -> list[Figure]:
    """From ``letopis run`` starting to the first document's result on disk."""
    first = folder / "first.txt"
    first.write_text(next(iter(named.values()))[:2000], encoding="utf-8")
    figures = []
    for workers in (1, 2):
        times = []
        for k in range(repeats):
            out = folder / f"cold{workers}-{k}"
            docs = out / batch.STATE_DIR / "docs"
            started = time.perf_counter()
            run = subprocess.Popen(_cli([str(first), "-o", str(out), "-w", str(workers)]), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not (docs.is_dir() and any(docs.iterdir())) and run.poll() is None:
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            run.wait()
        figures.append(Figure(f"cold start to first document, {workers} worker(s)", statistics.median(times),
                              "s", f"≤ {GOALS['cold_start_s']}", note=f"median of {repeats}"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=["throughput", "scaling", "memory", "cold"])
    parser.add_argument("--memory-mb", type=float, default=50.0, help="size of the large file (default 50)")
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds (best is kept)")
    parser.add_argument("--repeats", type=int, default=3, help="cold starts per worker count")
    args = parser.parse_args()
    parts = args.only or ["throughput", "scaling", "cold", "memory"]
    named = texts()
    load = os.getloadavg()
    print(f"{len(named)} texts, {sum(map(len, named.values())):,} chars; load average {load[0]:.1f}", flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="letopis-bench-") as tmp:
        folder = Path(tmp)
        for part in parts:
            (folder / part).mkdir()
            if part == "throughput":
                found = throughput(named, folder / part, args.rounds)
            elif part == "scaling":
                found = scaling(named, folder / part)
            elif part == "memory":
                found = memory(named, folder / part, args.memory_mb)
            else:
                found = cold_start(named, folder / part, args.repeats)
            for f in found:
                value = f"{f.value:,.2f}" if f.value < 100 else f"{f.value:,.0f}"
                print(f"{f.name:<56} {value:>10} {f.unit:<8} {f.goal:<8} {f.note}", flush=True)
            figures += found
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_before": load, "load_after": os.getloadavg()},
        "pipeline_version": batch.pipeline_version(Settings()),
        "texts": len(named),
        "figures": [asdict(f) for f in figures],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
