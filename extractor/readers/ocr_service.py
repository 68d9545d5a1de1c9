"""OCR processes that live as long as a batch (issue 11).

Without them each scanned document forks page readers that load the OCR model
(1.5 s, +560 MiB) and drop it when the document is done.  With them the model is
loaded once per OCR process, on its first page, and documents with a text layer
never touch it: their workers stay small.

The batch starts the service after its warm-up and before it forks its workers, who
inherit its address.  A scanned page is one request on a connection of its own, so
one document's pages spread over every OCR process and two documents share them;
each process runs the OCR library on cores // processes threads.  A reader that
finds no service, or loses its page (the OCR process died: memory cap, a crash),
reads what is missing itself; the batch replaces OCR processes that died.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from multiprocessing.connection import Client, Connection, wait
from pathlib import Path

from .processes import cap_memory, die_with_parent

log = logging.getLogger(__name__)

# (address, processes) of the batch's service, inherited by forked workers; None: none.
_RUNNING: tuple[str, int] | None = None


class OcrService:
    """`processes` forked OCR servers sharing one listening Unix socket in a private
    folder.  Use as a context manager; `keep_alive()` replaces servers that died."""

    def __init__(self, processes: int, max_memory_mb: int | None = None):
        self.processes = max(1, processes)
        self.threads = max(1, (os.cpu_count() or 1) // self.processes)
        self.max_memory_mb = max_memory_mb
        self._folder = tempfile.mkdtemp(prefix="extractor-ocr-")  # mode 0700: this user only
        self.address = os.path.join(self._folder, "ocr.sock")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.bind(self.address)
        self._socket.listen(64)
        self._pids: list[int] = []
        self.replaced = 0

    def __enter__(self) -> OcrService:
        global _RUNNING
        for _ in range(self.processes):
            self._pids.append(self._fork())
        _RUNNING = (self.address, self.processes)
        return self

    def __exit__(self, *exc) -> None:
        global _RUNNING
        _RUNNING = None
        for pid in self._pids:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
        self._socket.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def keep_alive(self) -> None:
        """Fork a new server for each one that exited (its pages were read again by
        the workers that asked for them)."""
        for k, pid in enumerate(self._pids):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                log.warning("an OCR process exited; starting another")
                self._pids[k] = self._fork()
                self.replaced += 1

    @property
    def pids(self) -> list[int]:
        return list(self._pids)

    def _fork(self) -> int:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _serve(self._socket, self.threads, self.max_memory_mb)
            except BaseException:
                code = 1
            os._exit(code)
        return pid


def _serve(listener: socket.socket, threads: int, max_memory_mb: int | None) -> None:
    """Answer one page per connection until killed."""
    from . import ocr

    die_with_parent()
    if max_memory_mb:  # as for the batch's workers: what it may add to what it inherited
        cap_memory(max_memory_mb)
    ocr.THREADS = threads
    opened: tuple[tuple[str, str | None], object] | None = None
    while True:
        client, _ = listener.accept()
        conn = Connection(client.detach())
        try:
            path, password, number = conn.recv()
            import pypdfium2 as pdfium

            if opened is None or opened[0] != (path, password):
                if opened is not None:
                    opened[1].close()
                opened = ((path, password), pdfium.PdfDocument(path, password=password or None))
            pdf = opened[1]
            try:
                answer = ("ok", None if ocr.is_blank(pdf, number) else ocr.read_scanned_page(pdf, number))
            except Exception as exc:  # the reader reads it again itself and sees the error there
                answer = ("error", f"{type(exc).__name__}: {exc}")
            conn.send(answer)
        except (EOFError, OSError):
            pass  # the worker went away (timeout): next request
        finally:
            conn.close()


def running() -> bool:
    return _RUNNING is not None


def read_pages(path: Path | str, password: str | None, numbers: list[int]) -> dict:
    """{page number: (Page, segments) or None for a blank page} of the pages the
    service read; pages it could not read are left out (the caller reads them)."""
    if _RUNNING is None:
        return {}
    address, processes = _RUNNING
    todo, in_flight, done = list(numbers), {}, {}
    while todo or in_flight:
        while todo and len(in_flight) < processes:
            number = todo.pop(0)
            try:
                conn = Client(address, family="AF_UNIX")
                conn.send((str(path), password, number))
            except OSError:
                log.warning("OCR service not reachable: %d page(s) read here", len(todo) + 1)
                todo = []
                break
            in_flight[conn] = number
        for conn in wait(list(in_flight)):
            number = in_flight.pop(conn)
            try:
                status, value = conn.recv()
            except (EOFError, OSError):
                status, value = "lost", None
            conn.close()
            if status == "ok":
                done[number] = value
    return done
