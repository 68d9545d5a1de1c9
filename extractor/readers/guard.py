"""Checks on a PDF's raw bytes before any parser sees it.

PDFium and pdfminer cannot bound how far a stream inflates, so a 2 MB file can
inflate to gigabytes inside them, and a page tree 10,000 levels deep or a stream
whose /Length is absurd ends deep in pdfminer with no useful message.  This module
scans the file once (memory-mapped, about 1 GB/s) and:

- inflates every /FlateDecode stream with a bounded zlib decompressobj (output
  counted and thrown away, never held), failing fast with "decompression bomb:
  stream N inflates past M MiB" past the per-stream or per-document limit (the
  worker's RLIMIT_AS cap stays as the second line);
- measures the depth of the page tree (/Kids) and refuses one nested too deeply
  or looping back on itself;
- notes /Length values that cannot be right, so that when the parser then fails,
  the error names that cause (`explain`).

It reads what is visible in the raw bytes: objects packed in compressed object
streams are not parsed (the streams themselves are still bounded).
"""
from __future__ import annotations

import mmap
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAX_TREE_DEPTH = 64    # real page trees are 2-6 deep
_CHUNK = 1 << 20

_STREAM = re.compile(rb"(?<![a-zA-Z])stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(-?\d+)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")


class GuardError(Exception):
    """The file is refused before parsing; the message says why (for documents.error)."""


@dataclass
class Findings:
    """What the scan noticed that does not stop it, to explain a later parser failure."""
    problems: list[str] = field(default_factory=list)
    inflated: int = 0  # bytes the Flate streams other than images inflate to


def check_pdf(path: str | Path, *, max_stream_mb: int = 256, max_inflated_mb: int = 1024) -> Findings:
    """Scan `path`; raise GuardError for a bomb or a page tree too deep, else return findings."""
    findings = Findings()
    with open(path, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file: the reader says so
            return findings
    with mm:
        _scan_streams(mm, findings, max_stream_mb * 2**20, max_inflated_mb * 2**20)
        _check_page_tree(mm)
    return findings


def explain(findings: Findings, exc: Exception) -> str | None:
    """A reader error with the cause the scan found, if it found one."""
    if not findings.problems:
        return None
    return f"broken PDF: {'; '.join(findings.problems[:3])} ({type(exc).__name__}: {exc})"[:500]


def _object_before(mm, pos: int) -> tuple[str, bytes]:
    """The number of the object whose dictionary ends at `pos`, and that dictionary."""
    start = max(0, pos - 4096)
    head = mm[start:pos]
    last = None
    for last in _OBJ.finditer(head):
        pass
    if last is None:
        return "?", head
    return last.group(1).decode(), head[last.end():]


def _scan_streams(mm, findings: Findings, stream_limit: int, doc_limit: int) -> None:
    size = len(mm)
    pos = 0
    while True:
        m = _STREAM.search(mm, pos)
        if m is None:
            return
        data_start = m.end()
        end = mm.find(b"endstream", data_start)
        data_end = end if end >= 0 else size
        pos = data_end + 9 if end >= 0 else size
        number, header = _object_before(mm, m.start())
        length = _LENGTH.search(header)
        if length is not None:
            n = int(length.group(1))
            if n < 0 or n > size:
                findings.problems.append(f"stream {number} has /Length {n} (the file has {size} bytes)")
        layers = _flate_layers(header)
        if not layers:
            continue
        # Images count against the per-stream limit only: the parsers never inflate
        # them (PDFium renders one page's at a time, for OCR), and a scan of 300 pages
        # of Flate images may rightly inflate to gigabytes.
        image = _IMAGE.search(header) is not None
        budget = stream_limit if image else min(stream_limit, doc_limit - findings.inflated)
        inflated = _inflated_size(memoryview(mm)[data_start:data_end], layers, budget)
        if inflated > stream_limit:
            raise GuardError(f"decompression bomb: stream {number} inflates past {stream_limit // 2**20} MiB "
                             "(refused before parsing)")
        if image:
            continue
        findings.inflated += inflated
        if findings.inflated > doc_limit:
            raise GuardError(f"decompression bomb: the streams inflate past {doc_limit // 2**20} MiB in total "
                             f"(at stream {number}; refused before parsing)")


def _flate_layers(header: bytes) -> int:
    """How many /FlateDecode filters are applied first (a stream may be deflated twice)."""
    m = _FILTER.search(header)
    if m is None:
        return 0
    names = re.findall(rb"/([A-Za-z0-9]+)", m.group(1))
    layers = 0
    for name in names:
        if name not in (b"FlateDecode", b"Fl"):
            break
        layers += 1
    return layers


def _inflated_size(data: memoryview, layers: int, limit: int) -> int:
    """Bytes `data` inflates to through `layers` zlib layers, counting stops just past
    `limit`.  Corrupt data counts what inflated before the damage (the parser will
    report the damage)."""
    pieces = _inflate(_chunks(data), zlib.decompressobj())
    for _ in range(layers - 1):
        pieces = _inflate(pieces, zlib.decompressobj())
    total = 0
    try:
        for piece in pieces:
            total += len(piece)
            if total > limit:
                break
    except zlib.error:
        pass
    return total


def _chunks(data: memoryview):
    for i in range(0, len(data), _CHUNK):
        yield data[i:i + _CHUNK]


def _inflate(chunks, d):
    """Output of decompressobj `d` over `chunks`, in pieces of at most 1 MiB."""
    for chunk in chunks:
        buf = chunk
        while True:
            out = d.decompress(buf, _CHUNK)
            buf = d.unconsumed_tail
            if out:
                yield out
            if d.eof:
                return
            if not buf and not out:
                break


def _check_page_tree(mm) -> None:
    """Refuse a page tree deeper than MAX_TREE_DEPTH, or one that loops."""
    kids: dict[int, list[int]] = {}
    for m in _KIDS.finditer(mm):
        number, _ = _object_before(mm, m.start())
        if number != "?":
            kids[int(number)] = [int(r) for r in _REF.findall(m.group(1))]  # a later revision wins
    if not kids:
        return
    depth: dict[int, int] = {}
    for root in kids:
        if root in depth:
            continue
        # Iterative depth-first walk: a 10,000-deep tree must not hit Python's recursion limit.
        stack: list[tuple[int, int]] = [(root, 0)]
        on_path: set[int] = set()
        while stack:
            node, i = stack.pop()
            children = kids.get(node, [])
            if i == 0:
                on_path.add(node)
            if i < len(children):
                stack.append((node, i + 1))
                child = children[i]
                if child in on_path:
                    raise GuardError(f"page tree loops: object {child} is its own ancestor (refused before parsing)")
                if child in kids and child not in depth:
                    stack.append((child, 0))
                    if len(stack) > MAX_TREE_DEPTH + 1:
                        raise GuardError(f"page tree nested more than {MAX_TREE_DEPTH} levels deep "
                                         "(refused before parsing)")
                continue
            on_path.discard(node)
            depth[node] = 1 + max((depth.get(c, 0) for c in children), default=0)
            if depth[node] > MAX_TREE_DEPTH:
                raise GuardError(f"page tree nested more than {MAX_TREE_DEPTH} levels deep (refused before parsing)")
