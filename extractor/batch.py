"""Batches: every file in its own worker process, with limits, a cache and ordered,
streamed output.

Each file is processed in a forked child: a wall-clock timeout, an address-space
cap (RLIMIT_AS) and a page cap bound what one hostile file can take; a child that
dies or is killed marks its file `failed` with the reason and the batch goes on.
Results are written in input order, so the tables are the same whatever `jobs` is.
"""
from __future__ import annotations

import csv
import hashlib
import multiprocessing as mp
import os
import pickle
import resource
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

from . import __version__
from .packs import Pack
from .pipeline import doc_id_of, failed_result, process_file
from .writer import TableSink


@dataclass
class Limits:
    timeout: float = 600.0          # seconds of wall clock per file
    max_memory_mb: int = 2048       # address space a worker may add to what it inherits
    max_pages: int = 3000
    max_file_size_mb: int = 500


@dataclass
class Summary:
    files: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    pages: int = 0
    cached: int = 0
    seconds: float = 0.0
    failures: list[dict] = field(default_factory=list)

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (f"{self.files} file(s): {self.ok} ok, {self.partial} partial, {self.failed} failed; "
                f"{self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s); {self.cached} from cache")


def pack_fingerprints(packs: list[Pack]) -> tuple[str, dict[str, str]]:
    """A hash of how packs pick documents, and one per pack of what it extracts.

    Changing one pack's sections invalidates only the documents that pack read;
    changing any keyword or priority may move documents between packs, so it
    invalidates all."""
    def digest(obj) -> str:
        return hashlib.sha256(repr(obj).encode()).hexdigest()[:16]

    matching = digest(sorted((p.name, p.keywords, p.any_keywords, p.exclude_keywords, p.priority) for p in packs))
    per_pack = {p.name: digest((p.version, p.money_unit, p.fields, p.sections, p.checks)) for p in packs}
    return matching, per_pack


class Cache:
    """Per-document results under DIR/<doc_id>.pickle, valid for this tool version,
    the same pack matching rules and the same version of the pack that read it.

    The files are pickles: keep the cache folder as private as the output folder."""

    def __init__(self, directory: Path, packs: list[Pack]):
        from .departments import default_aliases

        self.dir = Path(directory)
        self.matching, self.per_pack = pack_fingerprints(packs)
        # department_key comes from the alias file: a changed file invalidates all.
        self.matching += hashlib.sha256(repr(sorted(default_aliases().items())).encode()).hexdigest()[:8]

    def load_ids(self) -> dict[tuple, str]:
        """doc_ids of files seen before, by (path, size, mtime): an unchanged file is
        not read again just to hash it (as git's index does)."""
        try:
            with open(self.dir / "doc_ids.index", "rb") as fh:
                ids = pickle.load(fh)
            return ids if isinstance(ids, dict) else {}
        except (OSError, pickle.PickleError, EOFError):
            return {}

    def save_ids(self, ids: dict[tuple, str]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f"doc_ids.index.tmp{os.getpid()}"
        with open(tmp, "wb") as fh:
            pickle.dump(ids, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.dir / "doc_ids.index")

    def _path(self, doc_id: str, password: str | None) -> Path:
        salt = "" if not password else hashlib.sha256(password.encode()).hexdigest()[:8]
        return self.dir / doc_id[:2] / f"{doc_id}{salt}.pickle"

    def has(self, doc_id: str, password: str | None = None) -> bool:
        """Whether a valid entry exists; reads only the entry's small header."""
        try:
            with open(self._path(doc_id, password), "rb") as fh:
                return self._valid(pickle.load(fh))
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            return False

    def get(self, doc_id: str, password: str | None = None) -> dict | None:
        try:
            with open(self._path(doc_id, password), "rb") as fh:
                if not self._valid(pickle.load(fh)):
                    return None
                return pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def _valid(self, header: dict) -> bool:
        pack = header.get("pack")
        return (header.get("tool") == __version__ and header.get("matching") == self.matching
                and (pack is None or header.get("pack_fp") == self.per_pack.get(pack)))

    def put(self, doc_id: str, result: dict, password: str | None = None) -> None:
        doc = result["documents"][0]
        if doc["status"] == "failed" and "timed out" in (doc.get("error") or ""):
            return  # a timeout may pass with a longer --timeout: never cache it
        path = self._path(doc_id, password)
        path.parent.mkdir(parents=True, exist_ok=True)
        pack = doc.get("pack")
        header = {"tool": __version__, "matching": self.matching, "pack": pack,
                  "pack_fp": self.per_pack.get(pack)}
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:  # the header, then the rows: has() reads the header only
            pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)


def _address_space() -> int:
    """Bytes of address space this process maps now (VmSize)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _preload() -> None:
    """Import what the readers import lazily, before forking: a worker under its
    memory cap should not have to map new shared libraries."""
    import charset_normalizer  # noqa: F401  (pdfminer decodes some strings with it)
    import pdfminer.psparser  # noqa: F401


def _worker(conn, path: Path, shown: str, packs: list[Pack], password: str | None, limits: Limits) -> None:
    import faulthandler

    faulthandler.disable()  # a worker that native code aborts is reported by the parent, not dumped
    # The cap counts what the worker may add to what it inherited from the parent.
    cap = _address_space() + limits.max_memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass
    result = process_file(path, packs, source_path=shown, password=password, max_pages=limits.max_pages)
    conn.send(result)
    conn.close()


@dataclass
class _Job:
    index: int
    path: Path
    shown: str
    doc_id: str
    process: mp.Process | None = None
    conn: object = None
    started: float = 0.0


def run_batch(files: list[tuple[Path, str]], packs: list[Pack], outdir: Path, *, jobs: int = 1,
              limits: Limits | None = None, cache: Cache | None = None, append: bool = False,
              password: str | None = None, on_done: Callable[[dict], None] | None = None) -> Summary:
    """Process `files` ((path, name as given) pairs) into OUTDIR; returns the summary."""
    limits = limits or Limits()
    summary = Summary(files=len(files))
    t0 = time.perf_counter()
    queue: list[_Job] = []
    ready: dict[int, dict] = {}
    known_ids = cache.load_ids() if cache else {}
    from_cache: dict[int, tuple[str, str]] = {}
    for i, (path, shown) in enumerate(files):
        try:
            st = path.stat()
            size = st.st_size
            stamp = (str(path.resolve()), size, st.st_mtime_ns)
            doc_id = known_ids.get(stamp) or doc_id_of(path)
            known_ids[stamp] = doc_id
        except OSError as exc:
            ready[i] = failed_result(path, shown, f"cannot read file: {exc.strerror or exc}")
            continue
        if size > limits.max_file_size_mb * 1024 * 1024:
            ready[i] = failed_result(path, shown, f"file too large: {size / 2**20:.0f} MiB > the cap of "
                                     f"{limits.max_file_size_mb} MiB (--max-file-size)", doc_id=doc_id)
            continue
        if cache and cache.has(doc_id, password):
            from_cache[i] = (doc_id, shown)  # read when its turn to be written comes
            continue
        queue.append(_Job(i, path, shown, doc_id))

    _preload()
    sink = TableSink(outdir, append=append,
                     replace_ids={j.doc_id for j in queue} | {r["documents"][0]["doc_id"] for r in ready.values()}
                     | {doc_id for doc_id, _ in from_cache.values()})
    ctx = mp.get_context("fork")
    running: list[_Job] = []
    next_out = 0
    try:
        while queue or running or next_out < len(files):
            while queue and len(running) < max(1, jobs):
                job = queue.pop(0)
                parent, child = ctx.Pipe(duplex=False)
                job.process = ctx.Process(target=_worker, args=(child, job.path, job.shown, packs, password, limits),
                                          daemon=True)
                job.process.start()
                child.close()
                job.conn, job.started = parent, time.monotonic()
                running.append(job)
            if running:
                deadline = min(j.started + limits.timeout for j in running)
                wait([j.conn for j in running], timeout=max(0.0, min(1.0, deadline - time.monotonic())))
            for job in list(running):
                result = _collect(job, limits)
                if result is None:
                    continue
                running.remove(job)
                if cache:
                    cache.put(job.doc_id, result, password)
                ready[job.index] = result
            while next_out in ready or next_out in from_cache:  # write in input order
                if next_out in from_cache:
                    doc_id, shown = from_cache.pop(next_out)
                    result = cache.get(doc_id, password)
                    if result is None:  # removed since: process it after all
                        queue.insert(0, _Job(next_out, files[next_out][0], shown, doc_id))
                        break
                    result["documents"][0]["source_path"] = shown
                    summary.cached += 1
                else:
                    result = ready.pop(next_out)
                sink.add(result)
                _count(summary, result)
                if on_done:
                    on_done(result["documents"][0])
                next_out += 1
    except BaseException:
        for job in running:
            job.process.kill()
        sink.abort()
        raise
    sink.close()
    if cache:
        cache.save_ids(known_ids)
    summary.seconds = time.perf_counter() - t0
    return summary


def _collect(job: _Job, limits: Limits) -> dict | None:
    """The job's result if it is done (or had to be stopped), else None."""
    if job.conn.poll():
        try:
            result = job.conn.recv()
            job.process.join(5)
            return result
        except (EOFError, OSError):
            pass  # the worker died before it could answer
        except Exception as exc:  # an answer that cannot be unpickled
            job.process.kill()
            return failed_result(job.path, job.shown, f"worker answer unreadable: {exc}", doc_id=job.doc_id)
    elif job.process.is_alive():
        if time.monotonic() - job.started <= limits.timeout:
            return None
        job.process.kill()
        job.process.join()
        return failed_result(job.path, job.shown, f"timed out after {limits.timeout:g} s (--timeout)",
                             doc_id=job.doc_id)
    job.process.join()
    code = job.process.exitcode
    if code is not None and code < 0:
        reason = f"worker killed by signal {-code}"
        if -code in (6, 9, 11):  # abort / kill / segfault: how native code fails when memory runs out
            reason += f" (memory limit of {limits.max_memory_mb} MiB reached? see --max-memory)"
    else:
        reason = f"worker exited with code {code} (memory limit of {limits.max_memory_mb} MiB?)"
    return failed_result(job.path, job.shown, reason, doc_id=job.doc_id)


def _count(summary: Summary, result: dict) -> None:
    doc = result["documents"][0]
    summary.pages += doc.get("pages") or 0
    setattr(summary, doc["status"], getattr(summary, doc["status"]) + 1)
    if doc["status"] == "failed":
        summary.failures.append({"source_path": doc["source_path"], "doc_id": doc["doc_id"], "error": doc["error"]})


def write_errors(path: str | Path, failures: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["source_path", "doc_id", "error"])
        writer.writeheader()
        writer.writerows(failures)
