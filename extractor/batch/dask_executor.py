"""Batches on a Dask cluster: the same documents, limits, cache and tables as
`batch.run_batch`, with the documents spread over Dask workers.

Documents become tasks of a few contiguous input files each, the largest tasks
first.  A task reads its files the way the local pool does (`process_in_children`:
each file in a forked child with the timeout, RLIMIT_AS and page cap, so a hostile
file cannot take the Dask worker down), looks up and stores the cache, and writes
its rows as Parquet part files under OUTDIR/.parts/<run>/.  When every task is done,
the client concatenates the parts in input order through the same `TableSink` the
local batch uses: the tables are equal to the local executor's, and replaced
atomically only then.

A worker that dies takes its task with it: the task's files that reached the cache
are taken from it, each other file is tried once more in a task of its own, and a
file whose task dies again is `failed` with the reason.  The batch goes on.

Workers must see the inputs (a shared filesystem, or fsspec URLs), OUTDIR and the
cache folder at the same paths as the client; the packs travel with the tasks.
"""
from __future__ import annotations

import copy
import logging
import math
import multiprocessing as mp
import os
import pickle
import shutil
import tempfile
import time
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import (FILES_PER_WORKER, Cache, Limits, Summary, _count, _summary_from_output,
                    process_in_children)
from ..packs import Pack
from .pipeline import doc_id_of, failed_result
from ..settings import Settings
from ..tables import ALL_TABLES, to_arrow
from ..output.writer import ROW_GROUP_ROWS, TableSink, public

# Environment a task sets on its worker as the client has it: the alias file reaches a
# worker of a cluster started elsewhere.  (--no-ocr, the limits and the password travel
# in the task's Settings.)
SHIPPED_ENV = ("EXTRACTOR_DEPARTMENT_ALIASES",)
# Tests only: a folder where a file NAME.kill makes the worker reading NAME exit once
# (the marker is removed), NAME.killalways every time.
TEST_KILL_ENV = "EXTRACTOR_DASK_TEST_KILL"


def is_url(source: str | Path) -> bool:
    return "://" in str(source)


@dataclass(frozen=True)
class _Doc:
    index: int          # position in the input list
    source: str         # the path as found (or the URL): what failed rows are keyed by
    path: str           # what a worker opens: an absolute path, or the URL
    shown: str          # source_path in the tables
    size: int
    doc_id: str | None  # known from the cache's index, else the worker hashes the file


def find_remote_inputs(urls: list[str]) -> list[tuple[str, str]]:
    """(URL, URL) pairs like `inputs.find_inputs`: a URL of a folder is walked for
    *.pdf and *.txt, sorted."""
    import fsspec

    from .inputs import INPUT_SUFFIXES

    found = []
    for url in urls:
        fs, path = fsspec.core.url_to_fs(url)
        if fs.isdir(path):
            names = sorted(p for p in fs.find(path) if Path(p).suffix.lower() in INPUT_SUFFIXES)
            found += [(fs.unstrip_protocol(p), fs.unstrip_protocol(p)) for p in names]
        elif fs.exists(path):
            found.append((url, url))
        else:
            raise FileNotFoundError(url)
    return found


# --- on a worker ---------------------------------------------------------------

@contextmanager
def _children_allowed():
    """Dask runs its workers as daemonic processes, which multiprocessing forbids to
    have children.  Ours are killed or joined before the task returns, so lift it."""
    config = mp.current_process()._config
    was = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        config["daemon"] = was


def _local_copy(doc: _Doc, tmpdir: str, k: int) -> Path:
    if not is_url(doc.path):
        return Path(doc.path)
    import fsspec

    dest = Path(tmpdir) / f"{k}_{Path(doc.shown).name}"
    with fsspec.open(doc.path, "rb") as src, open(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return dest


def _test_kill(shown: str) -> None:
    folder = os.environ.get(TEST_KILL_ENV)
    if not folder:
        return
    name = Path(shown).name
    if (Path(folder) / f"{name}.killalways").exists():
        os._exit(70)
    try:
        (Path(folder) / f"{name}.kill").unlink()
    except FileNotFoundError:
        return
    os._exit(70)


def _write_parts(parts_dir: str, start: int, results: list[dict]) -> dict[str, str]:
    out = {}
    for table in ALL_TABLES:
        rows = [public(r) for res in results for r in res.get(table, [])]
        if not rows:
            continue
        path = Path(parts_dir) / f"{start:09d}.{table}.parquet"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        pq.write_table(to_arrow(table, rows), tmp)
        os.replace(tmp, path)  # a retried task replaces a part, never half-writes one
        out[table] = str(path)
    return out


@lru_cache(maxsize=4)
def _unpickled_packs(blob: bytes) -> list[Pack]:
    return pickle.loads(blob)


def run_task(docs: list[_Doc], packs_blob: bytes, parts_dir: str, cache: Cache | None, settings: Settings,
             env: dict[str, str | None]) -> dict:
    """One Dask task: read `docs` (contiguous in the input) and write their part files,
    with the batch's settings (limits, OCR, password).  Returns what the client needs
    besides the rows: the documents rows, which came from the cache, and the doc_ids of
    the files it hashed."""
    packs = _unpickled_packs(packs_blob)
    limits, password = settings.limits, settings.password
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    results: list[dict | None] = [None] * len(docs)
    cached = [False] * len(docs)
    stamps: list[tuple[tuple, str]] = []
    todo: list[tuple[int, Path, str, str]] = []
    cap = limits.max_file_size_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="extractor-dask-") as tmp:
        for k, d in enumerate(docs):
            # The same steps, in the same order and words, as run_batch's planning.
            try:
                if is_url(d.path) and d.size > cap:
                    local, size, doc_id = None, d.size, d.doc_id or ""
                else:
                    local = _local_copy(d, tmp, k)
                    st = local.stat()
                    size = st.st_size
                    doc_id = d.doc_id or doc_id_of(local)
                    if not is_url(d.path):
                        stamps.append(((str(local.resolve()), size, st.st_mtime_ns), doc_id))
            except OSError as exc:
                results[k] = failed_result(Path(d.source), d.shown, f"cannot read file: {exc.strerror or exc}")
                continue
            if size > cap:
                results[k] = failed_result(Path(d.source), d.shown, f"file too large: {size / 2**20:.0f} MiB > the "
                                           f"cap of {limits.max_file_size_mb} MiB (--max-file-size)",
                                           doc_id=doc_id or None)
                continue
            hit = cache.get(doc_id, password) if cache else None
            if hit is not None:
                hit["documents"][0]["source_path"] = d.shown
                results[k], cached[k] = hit, True
                continue
            todo.append((k, local, d.shown, doc_id))

        def jobs() -> Iterator[tuple[Path, str, str]]:
            for _, local, shown, doc_id in todo:
                _test_kill(shown)
                yield local, shown, doc_id

        with _children_allowed():
            for (k, _, _, doc_id), result in zip(todo, process_in_children(jobs(), packs, settings=settings)):
                if cache:
                    cache.put(doc_id, result, password)  # kept even if the worker dies later in the task
                results[k] = result
    return {"parts": _write_parts(parts_dir, docs[0].index, results),
            "documents": [r["documents"][0] for r in results], "cached": cached, "stamps": stamps}


# --- on the client ---------------------------------------------------------------

def _has_bokeh() -> bool:
    try:
        import bokeh  # noqa: F401
        return True
    except ImportError:
        return False


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None):
    """A Client of the cluster at `scheduler`, or of a LocalCluster of `workers`
    single-threaded worker processes started (and stopped) here."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


# For the LocalCluster of --workers.  No retry by the scheduler: the client retries a
# dead worker's files once, each in a task of its own, so one bad file kills at most
# two workers.  A worker holds only the task it runs (not one more in waiting), so a
# worker that dies takes no innocent task down with it.  The statistical profiler
# (sampling every 10 ms) costs CPU the readers can use.
LOCAL_CLUSTER_CONFIG = {"distributed.scheduler.allowed-failures": 0,
                        "distributed.scheduler.worker-saturation": 1.0,
                        "distributed.worker.profile.enabled": False}


def describe(client) -> str:
    """One line for the terminal: the scheduler, its workers and the dashboard link."""
    info = client.scheduler_info()  # lists only a few workers: count them with nthreads()
    nthreads = client.nthreads()
    link = client.dashboard_link if "dashboard" in info.get("services", {}) else None
    return (f"dask: {info.get('address')}, {len(nthreads)} worker(s), {sum(nthreads.values())} thread(s); "
            + (f"dashboard {link}" if link else "no dashboard")
            + ("" if _has_bokeh() else " (shown only where bokeh>=3.1 is installed)"))


def _plan_tasks(docs: list[_Doc], slots: int) -> list[list[_Doc]]:
    """Contiguous runs of input files, about four tasks per worker thread (so the
    largest-first order can balance them), at most FILES_PER_WORKER files each."""
    if not docs:
        return []
    per_task = max(1, min(FILES_PER_WORKER, math.ceil(len(docs) / (slots * 4))))
    byte_cap = max(1, sum(d.size for d in docs) // (slots * 4))
    tasks: list[list[_Doc]] = []
    current: list[_Doc] = []
    for d in docs:
        if current and (d.index != current[-1].index + 1 or len(current) >= per_task
                        or sum(c.size for c in current) >= byte_cap):
            tasks.append(current)
            current = []
        current.append(d)
    tasks.append(current)
    return tasks


def _died_reason(exc: BaseException) -> str:
    from distributed.scheduler import KilledWorker

    if isinstance(exc, KilledWorker):
        return "a Dask worker died while reading it, twice (the file may crash or exhaust the worker process)"
    return f"Dask task failed: {type(exc).__name__}: {exc}"


def run_dask_batch(files: list[tuple[Path | str, str]], packs: list[Pack], outdir: Path, client, *,
                   limits: Limits | None = None, cache: Cache | None = None, append: bool = False,
                   password: str | None = None, on_done: Callable[[dict], None] | None = None,
                   settings: Settings | None = None) -> Summary:
    """`batch.run_batch` on the Dask cluster of `client`; returns the summary.
    `settings` (limits, OCR, password) goes with every task; `limits` and `password`,
    when given, win over it."""
    from distributed import as_completed

    settings = (settings or Settings()).overridden(limits=limits, password=password)
    limits, password = settings.limits, settings.password
    outdir = Path(outdir)
    summary = Summary(files=len(files))
    t0 = time.perf_counter()
    known_ids = cache.load_ids() if cache else {}
    cap = limits.max_file_size_mb * 1024 * 1024
    docs: list[_Doc] = []
    ready: dict[int, tuple[str, object]] = {}  # first input index of a slot -> what it writes
    for i, (source, shown) in enumerate(files):
        size, doc_id = 0, None
        if is_url(source):
            path = str(source)
            try:
                import fsspec

                fs, fs_path = fsspec.core.url_to_fs(path)
                size = fs.size(fs_path) or 0
            except Exception:
                pass  # the worker reports it
        else:
            path = str(Path(source).resolve())
            try:
                st = Path(source).stat()
                size = st.st_size
                doc_id = known_ids.get((path, size, st.st_mtime_ns))
            except OSError:
                pass
        d = _Doc(i, str(source), path, shown, size, doc_id)
        if cache and doc_id and size <= cap and cache.has(doc_id, password):
            ready[i] = ("cache", d)  # read when the tables are written
        else:
            docs.append(d)

    if cache and len(ready) == len(files):
        run = [(ready[i][1].doc_id, ready[i][1].shown) for i in range(len(files))]
        if cache.unchanged_output(outdir, run):
            _summary_from_output(summary, outdir)
            summary.cached = len(files)
            summary.seconds = time.perf_counter() - t0
            return summary

    parts_root = outdir.resolve() / ".parts"
    shutil.rmtree(parts_root, ignore_errors=True)  # left by a run that was killed
    parts_dir = parts_root / uuid.uuid4().hex[:12]
    parts_dir.mkdir(parents=True)
    worker_cache = None
    if cache:
        worker_cache = copy.copy(cache)
        worker_cache.dir = cache.dir.resolve()  # workers may start elsewhere
    env = {name: os.environ.get(name) for name in SHIPPED_ENV}
    futures = {}
    try:
        if docs:
            # The packs go inside every task, not scattered once: scattered data dies
            # with the workers that hold it, and a task must survive any worker's death.
            packs_blob = pickle.dumps(packs, protocol=pickle.HIGHEST_PROTOCOL)
            slots = max(1, sum(client.nthreads().values()))

            def submit(task: list[_Doc], attempt: str = ""):
                future = client.submit(run_task, task, packs_blob, str(parts_dir), worker_cache, settings,
                                       env, key=f"extractor-{parts_dir.name}-{task[0].index}{attempt}")
                futures[future] = (task, attempt)
                return future

            # Largest first, and no more tasks in flight than worker threads: a worker
            # never holds a task in waiting, so one that dies takes down only the task it
            # was running (the scheduler would fail every task assigned to it).
            waiting = deque((t, "") for t in sorted(_plan_tasks(docs, slots), key=lambda t: -sum(d.size for d in t)))
            queue = as_completed()

            def fill() -> None:
                nonlocal slots
                if waiting and len(futures) >= slots:
                    slots = max(1, sum(client.nthreads().values()))  # the cluster may have grown
                while waiting and len(futures) < slots:
                    queue.add(submit(*waiting.popleft()))

            fill()
            for future in queue:
                task, attempt = futures.pop(future)
                try:
                    answer = future.result()
                except Exception as exc:
                    if attempt:  # the second time: the file fails, the batch goes on
                        d = task[0]
                        result = failed_result(Path(d.source), d.shown, _died_reason(exc), doc_id=_doc_id(d))
                        ready[d.index] = ("results", [result])
                        if on_done:
                            on_done(result["documents"][0])
                        fill()
                        continue
                    for d in reversed(task):  # what reached the cache is kept; the rest is tried once more, alone
                        d = replace(d, doc_id=_doc_id(d))
                        if cache and d.doc_id and cache.has(d.doc_id, password):
                            ready[d.index] = ("cache", d)
                        else:
                            waiting.appendleft(([d], "-retry"))
                    fill()
                    continue
                fill()
                ready[task[0].index] = ("parts", answer)
                for doc in answer["documents"]:
                    if on_done:
                        on_done(doc)
                for stamp, doc_id in answer["stamps"]:
                    known_ids[stamp] = doc_id
        written = _commit(ready, outdir, cache, append, password, summary, on_done)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        shutil.rmtree(parts_dir, ignore_errors=True)
        try:
            parts_root.rmdir()
        except OSError:
            pass
    if cache:
        cache.save_ids(known_ids)
        cache.save_output(outdir, [(r["doc_id"], r["source_path"]) for r in written] if not append else None)
    summary.seconds = time.perf_counter() - t0
    return summary


def _doc_id(d: _Doc) -> str | None:
    if d.doc_id or is_url(d.path):
        return d.doc_id
    try:
        return doc_id_of(Path(d.path))
    except OSError:
        return None


def _commit(ready: dict[int, tuple[str, object]], outdir: Path, cache: Cache | None, append: bool,
            password: str | None, summary: Summary, on_done) -> list[dict]:
    """Write every slot in input order into OUTDIR's tables (replaced only at the end)."""
    slots: list[tuple[list[dict], dict[str, pa.Table] | None, list[dict] | None]] = []
    for start in sorted(ready):
        kind, payload = ready[start]
        if kind == "parts":
            slots.append((payload["documents"], payload["parts"], None))
            summary.cached += sum(payload["cached"])
        elif kind == "results":
            slots.append(([r["documents"][0] for r in payload], None, payload))
        else:  # from the cache, read now like the local batch does
            d = payload
            result = cache.get(d.doc_id, password)
            if result is None:  # removed since the run started: a failure, not a crash
                result = failed_result(Path(d.source), d.shown, "cache entry vanished during the run; run again",
                                       doc_id=d.doc_id)
            else:
                summary.cached += 1
            result["documents"][0]["source_path"] = d.shown
            if on_done:
                on_done(result["documents"][0])
            slots.append(([result["documents"][0]], None, [result]))
    replace_ids = {doc["doc_id"] for documents, _, _ in slots for doc in documents}
    sink = TableSink(outdir, append=append, replace_ids=replace_ids)
    pending: dict[str, list[pa.Table]] = {t: [] for t in ALL_TABLES}

    def flush(table: str) -> None:
        if pending[table]:
            sink.add_arrow(table, pa.concat_tables(pending[table]))
            pending[table] = []

    written: list[dict] = []
    try:
        for documents, parts, results in slots:
            for table in ALL_TABLES:
                if parts is not None:
                    data = pq.read_table(parts[table]) if table in parts else None
                else:
                    rows = [public(r) for res in results for r in res.get(table, [])]
                    data = to_arrow(table, rows) if rows else None
                if data is not None:
                    pending[table].append(data)
                    if sum(t.num_rows for t in pending[table]) >= ROW_GROUP_ROWS:
                        flush(table)
            for doc in documents:
                _count(summary, {"documents": [doc]})
                written.append(doc)
        for table in ALL_TABLES:
            flush(table)
    except BaseException:
        sink.abort()
        raise
    sink.close()
    return written
