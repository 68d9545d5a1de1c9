"""Batches: every file in its own worker process, with limits, a cache and ordered,
streamed output.

Files are processed by forked worker processes (a few dozen files each): a
wall-clock timeout per file, an address-space cap (RLIMIT_AS) and a page cap bound
what one hostile file can take; a worker that dies or is killed marks its file
`failed` with the reason, a fresh worker takes its place and the batch goes on.
Results are written in input order, so the tables are the same whatever `jobs` is.
"""
from __future__ import annotations

import csv
import hashlib
import logging
import multiprocessing as mp
import os
import pickle
import time
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import __version__
from .inputs import input_problem
from ..packs import Pack
from .pipeline import doc_id_of, failed_result, process_file
from ..readers.processes import cap_memory
from ..settings import Limits, Settings  # noqa: F401  (batch.Limits: the limits of a batch)
from ..tables import ALL_TABLES
from ..output.writer import TableSink

log = logging.getLogger(__name__)


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


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the code and the vocabularies that turn a file into rows: a new build of
    the tool (the same version number, a changed recognizer or synonym list) reads every
    document again rather than serve the rows the old one read."""
    from ..packs import vocab

    digest = hashlib.sha256(vocab.digest().encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


class Cache:
    """Per-document results under DIR/<doc_id>.pickle, valid for this build of the tool
    (its code and vocabularies), the same pack matching rules and the same version of
    the pack that read it.

    The files are pickles: keep the cache folder as private as the output folder."""

    def __init__(self, directory: Path, packs: list[Pack], ocr: bool = True):
        from ..normalize.departments import default_aliases

        self.dir = Path(directory)
        self.matching, self.per_pack = pack_fingerprints(packs)
        from ..readers import ocr as ocr_reader

        # department_key comes from the alias file, scanned pages from OCR, the columns
        # from the contract version: changing any invalidates all.
        from ..tables import CONTRACT_VERSION

        ocr_on = ocr and ocr_reader.installed()
        self.matching += hashlib.sha256(repr((sorted(default_aliases().items()), ocr_on,
                                              CONTRACT_VERSION)).encode()).hexdigest()[:8]
        self.matching += engine_fingerprint()

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

    def _output_state(self, outdir: Path) -> dict:
        out = {}
        for table in ALL_TABLES:
            try:
                st = (Path(outdir) / f"{table}.parquet").stat()
                out[table] = (st.st_size, st.st_mtime_ns)
            except OSError:
                out[table] = None
        return out

    def save_output(self, outdir: Path, run: list[tuple[str, str]] | None) -> None:
        """Remember what OUTDIR now holds (None: unknown, e.g. after --append)."""
        path = self.dir / "last_output.index"
        if run is None:
            path.unlink(missing_ok=True)
            return
        entry = {"tool": __version__, "matching": self.matching, "outdir": str(Path(outdir).resolve()),
                 "run": run, "tables": self._output_state(outdir)}
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def unchanged_output(self, outdir: Path, run: list[tuple[str, str]]) -> bool:
        """Whether OUTDIR's tables are still exactly what the last run wrote for `run`."""
        try:
            with open(self.dir / "last_output.index", "rb") as fh:
                entry = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError):
            return False
        return (entry.get("tool") == __version__ and entry.get("matching") == self.matching
                and entry.get("outdir") == str(Path(outdir).resolve()) and entry.get("run") == run
                and None not in entry.get("tables", {}).values()
                and entry.get("tables") == self._output_state(outdir))

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
        if doc["status"] == "failed" and ("timed out" in (doc.get("error") or "")
                                          or (doc.get("error") or "").startswith("decompression bomb")):
            return  # may pass with a longer --timeout or larger --max-stream: never cache it
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


# A one-page PDF ("warm up"): read once by the parent before it forks workers.
_WARM_UP_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
                b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
                b"4 0 obj<</Length 40>>stream\nBT /F1 12 Tf 20 50 Td (warm up) Tj ET\nendstream endobj\n"
                b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
                b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _preload(packs: list[Pack]) -> None:
    """Do once in the parent what every worker would otherwise do on its first file:
    import the readers' lazily imported modules (a worker under its memory cap should
    not have to map new shared libraries either) and compile the packs' regexes.
    Forked workers inherit all of it."""
    import tempfile

    import charset_normalizer  # noqa: F401  (pdfminer decodes some strings with it)
    import pdfplumber

    from ..packs import pack_regexes
    from ..readers import pdf as _pdf_reader, pdfium_page as _pdfium_page, text as _text_reader  # noqa: F401
    from ..packs.regex import compile_pattern

    for pack in packs:
        for regex in pack_regexes(pack):
            compile_pattern(regex)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(_WARM_UP_PDF)
        fh.flush()
        try:
            process_file(fh.name, packs)
            with pdfplumber.open(fh.name) as pdf:
                pdf.pages[0].find_tables()
                pdf.pages[0].extract_text_lines()
        except Exception:
            pass  # warming up is an optimisation only


# A worker reads this many files, then makes way for a fresh one: what one document
# leaves behind (fragmented memory) does not pile up, and the warm-up is amortised.
FILES_PER_WORKER = 25


def _worker(conn, packs: list[Pack], settings: Settings) -> None:
    """Read (path, name) tasks from the parent until it sends None."""
    import faulthandler

    faulthandler.disable()  # a worker that native code aborts is reported by the parent, not dumped
    # The cap counts what the worker may add to what it inherited from the parent.
    limits = settings.limits
    cap_memory(limits.max_memory_mb)
    while True:
        task = conn.recv()
        if task is None:
            break
        path, shown = task
        conn.send(process_file(path, packs, source_path=shown, max_pages=limits.max_pages, settings=settings))
    conn.close()


@dataclass
class _Job:
    index: int
    path: Path
    shown: str
    doc_id: str


@dataclass
class _Worker:
    process: mp.Process
    conn: object
    job: _Job | None = None
    started: float = 0.0
    done: int = 0

    def give(self, job: _Job) -> None:
        self.conn.send((job.path, job.shown))
        self.job, self.started = job, time.monotonic()

    def retire(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


def run_batch(files: list[tuple[Path, str]], packs: list[Pack], outdir: Path, *, jobs: int = 1,
              limits: Limits | None = None, cache: Cache | None = None, append: bool = False,
              password: str | None = None, on_done: Callable[[dict], None] | None = None,
              settings: Settings | None = None) -> Summary:
    """Process `files` ((path, name as given) pairs) into OUTDIR; returns the summary.

    `settings` carries the limits, the OCR switch and the password to every worker;
    `limits` and `password`, when given, win over it."""
    settings = (settings or Settings()).overridden(limits=limits, password=password)
    limits, password = settings.limits, settings.password
    log.info("batch of %d file(s) -> %s, %d job(s); %s", len(files), outdir, jobs, settings)
    summary = Summary(files=len(files))
    t0 = time.perf_counter()
    queue: list[_Job] = []
    ready: dict[int, dict] = {}
    known_ids = cache.load_ids() if cache else {}
    from_cache: dict[int, tuple[str, str]] = {}
    for i, (path, shown) in enumerate(files):
        problem = input_problem(path)  # a broken link, a loop, a FIFO: a row saying so, never opened
        if problem:
            ready[i] = failed_result(path, shown, problem)
            continue
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

    # Larger documents first: a long one started last would run alone at the end.
    # (Rows are still written in input order; results that wait their turn are
    # kept in the cache, not in memory, when there is one.)
    queue.sort(key=lambda j: -_size(j.path))
    run = [(from_cache[i][0], from_cache[i][1]) for i in sorted(from_cache)]
    if cache and len(run) == len(files) and cache.unchanged_output(outdir, run):
        # Every file is cached and OUTDIR holds exactly their rows: nothing to write.
        _summary_from_output(summary, outdir)
        summary.cached = len(files)
        summary.seconds = time.perf_counter() - t0
        return summary
    if queue:
        _preload(packs)
    from ..readers import ocr as ocr_reader, ocr_service, pdf as pdf_reader

    # A long document's pages are read by up to `jobs` processes (forked by its
    # worker): one document can use every core.
    page_workers, pdf_reader.PAGE_WORKERS = pdf_reader.PAGE_WORKERS, max(1, jobs)
    ocr_in_children, pdf_reader.OCR_IN_CHILDREN = pdf_reader.OCR_IN_CHILDREN, True
    sink = TableSink(outdir, append=append, packs=packs,
                     replace_ids={j.doc_id for j in queue} | {r["documents"][0]["doc_id"] for r in ready.values()}
                     | {doc_id for doc_id, _ in from_cache.values()})
    ctx = mp.get_context("fork")
    workers: list[_Worker] = []
    written: list[dict] = []
    next_out = 0
    # Scanned pages go to OCR processes that live as long as the batch (the model is
    # loaded once per process, on the first scanned page; forked before the workers,
    # who inherit its address).
    service = (ocr_service.OcrService(max(1, jobs), limits.max_memory_mb)
               if queue and settings.ocr and ocr_reader.installed() else None)
    import tempfile

    spill = Path(tempfile.mkdtemp(prefix="extractor-spill-"))
    try:
        if service:
            service.__enter__()
        while queue or any(w.job for w in workers) or next_out < len(files):
            if service:
                service.keep_alive()
            for w in [w for w in workers if w.job is None and (not queue or w.done >= FILES_PER_WORKER)]:
                w.retire()
                workers.remove(w)
            while queue and len(workers) < max(1, jobs):
                parent, child = ctx.Pipe()
                process = ctx.Process(target=_worker, args=(child, packs, settings), daemon=True)
                process.start()
                child.close()
                workers.append(_Worker(process, parent))
            for w in workers:
                if w.job is None and queue:
                    w.give(queue.pop(0))
            busy = [w for w in workers if w.job]
            if busy:
                deadline = min(w.started + limits.timeout for w in busy)
                wait([w.conn for w in busy], timeout=max(0.0, min(1.0, deadline - time.monotonic())))
            for w in busy:
                result = _collect(w, limits)
                if result is None:
                    continue
                job, w.job = w.job, None
                if not w.process.is_alive() or w.conn.closed:
                    workers.remove(w)
                if cache:
                    cache.put(job.doc_id, result, password)
                if cache and job.index != next_out and cache.has(job.doc_id, password):
                    ready[job.index] = _Spilled(job.doc_id)  # read back when its turn comes
                elif job.index != next_out:
                    # no cache: a result that waits its turn waits on disk, not in the parent
                    # (larger documents go first, so most results wait: memory would grow
                    # with the batch)
                    ready[job.index] = _spill(spill, job.index, result)
                else:
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
                    if isinstance(result, Path):
                        with open(result, "rb") as fh:
                            result = pickle.load(fh)
                        os.unlink(fh.name)
                    elif isinstance(result, _Spilled):
                        result = cache.get(result.doc_id, password) or failed_result(
                            files[next_out][0], files[next_out][1], "cached result vanished during the batch",
                            doc_id=result.doc_id)
                sink.add(result)
                _log_document(result["documents"][0])
                written.append(result["documents"][0])
                _count(summary, result)
                if on_done:
                    on_done(result["documents"][0])
                next_out += 1
        for w in workers:
            w.retire()
    except BaseException:
        for w in workers:
            w.process.kill()
        sink.abort()
        raise
    finally:
        pdf_reader.PAGE_WORKERS, pdf_reader.OCR_IN_CHILDREN = page_workers, ocr_in_children
        if service:
            service.__exit__(None, None, None)
        import shutil

        shutil.rmtree(spill, ignore_errors=True)
    sink.close()
    if cache:
        cache.save_ids(known_ids)
        cache.save_output(outdir, [(r["doc_id"], r["source_path"]) for r in written] if not append else None)
    summary.seconds = time.perf_counter() - t0
    log.info("%s -> %s", summary.line(), outdir)
    return summary


def _log_document(doc: dict) -> None:
    """Every file's outcome, at INFO: the command prints a line per file itself, so
    stderr at the default WARNING does not say it twice; the batch's log file has it."""
    log.info("%-8s %s %s%s", doc["status"], doc.get("kind"), doc["source_path"],
             f" ({doc['error']})" if doc.get("error") else "")


@dataclass
class _Spilled:
    doc_id: str


def _spill(folder: Path, index: int, result: dict) -> Path:
    path = folder / f"{index}.pickle"
    with open(path, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _collect(w: _Worker, limits: Limits) -> dict | None:
    """The worker's result for its job if it is done (or had to be stopped), else None.
    A worker that died or was stopped is left dead (its connection closed)."""
    job = w.job
    if w.conn.poll():
        try:
            result = w.conn.recv()
            w.done += 1
            return result
        except (EOFError, OSError):
            pass  # the worker died before it could answer
        except Exception as exc:  # an answer that cannot be unpickled
            w.process.kill()
            w.conn.close()
            return failed_result(job.path, job.shown, f"worker answer unreadable: {exc}", doc_id=job.doc_id)
    elif w.process.is_alive():
        if time.monotonic() - w.started <= limits.timeout:
            return None
        w.process.kill()
        w.process.join()
        w.conn.close()
        return failed_result(job.path, job.shown, f"timed out after {limits.timeout:g} s (--timeout)",
                             doc_id=job.doc_id)
    w.process.join()
    w.conn.close()
    code = w.process.exitcode
    if code is not None and code < 0:
        reason = f"worker killed by signal {-code}"
        if -code in (6, 9, 11):  # abort / kill / segfault: how native code fails when memory runs out
            reason += f" (memory limit of {limits.max_memory_mb} MiB reached? see --max-memory)"
    else:
        reason = f"worker exited with code {code} (memory limit of {limits.max_memory_mb} MiB?)"
    return failed_result(job.path, job.shown, reason, doc_id=job.doc_id)


_preloaded = False


def _child(parent_end, conn, packs: list[Pack], settings: Settings) -> None:
    # The fork copied the parent's end of the pipe too: closed, the child sees EOF (and
    # exits) when its parent dies, instead of waiting forever for its next task.
    parent_end.close()
    _worker(conn, packs, settings)


def process_in_children(jobs: Iterable[tuple[Path, str, str]], packs: list[Pack], *, password: str | None = None,
                        limits: Limits | None = None, settings: Settings | None = None) -> Iterator[dict]:
    """The result of each (path, name as given, doc_id) job, in order, each read by a
    forked worker with the limits of `run_batch` (timeout, RLIMIT_AS, pages): the
    per-document code path of the local pool for callers that schedule documents
    themselves (the Dask executor).  A worker that dies or times out gives its file a
    `failed` result and a fresh worker takes the next one.  Jobs are pulled lazily."""
    global _preloaded
    settings = (settings or Settings()).overridden(limits=limits, password=password)
    limits = settings.limits
    if not _preloaded:  # once per process: a long-lived caller forks many workers
        _preload(packs)
        _preloaded = True
    ctx = mp.get_context("fork")
    w: _Worker | None = None
    try:
        for i, (path, shown, doc_id) in enumerate(jobs):
            if w is not None and w.done >= FILES_PER_WORKER:
                w.retire()
                w = None
            if w is None:
                parent, child = ctx.Pipe()
                process = ctx.Process(target=_child, args=(parent, child, packs, settings), daemon=True)
                process.start()
                child.close()
                w = _Worker(process, parent)
            w.give(_Job(i, Path(path), shown, doc_id))
            while (result := _collect(w, limits)) is None:
                wait([w.conn], timeout=max(0.0, min(1.0, w.started + limits.timeout - time.monotonic())))
            w.job = None
            if not w.process.is_alive() or w.conn.closed:
                w = None
            yield result
    finally:
        if w is not None:
            if w.job is None:
                w.retire()
            else:
                w.process.kill()


def _summary_from_output(summary: Summary, outdir: Path) -> None:
    import pyarrow.parquet as pq

    # ParquetFile, not read_table: that one imports pyarrow.dataset and pandas (0.3 s).
    columns = ["doc_id", "source_path", "status", "pages", "error"]
    for doc in pq.ParquetFile(Path(outdir) / "documents.parquet").read(columns=columns).to_pylist():
        _count(summary, {"documents": [doc]})


def _count(summary: Summary, result: dict) -> None:
    doc = result["documents"][0]
    summary.pages += doc.get("pages") or 0
    setattr(summary, doc["status"], getattr(summary, doc["status"]) + 1)
    if doc["status"] == "failed":
        summary.failures.append({"source_path": doc["source_path"], "doc_id": doc["doc_id"], "error": doc["error"]})


def write_errors(path: str | Path, failures: list[dict]) -> None:
    # backslashreplace: a file name that is not UTF-8 is written as \xNN, not refused
    with open(path, "w", newline="", encoding="utf-8", errors="backslashreplace") as fh:
        writer = csv.DictWriter(fh, fieldnames=["source_path", "doc_id", "error"])
        writer.writeheader()
        writer.writerows(failures)
