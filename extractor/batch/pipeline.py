"""One document: read -> recognise -> checks -> rows of the contract's tables.

No I/O besides reading the input; errors become values in documents.error, so one
bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from .. import __version__
from ..checks import run_checks
from ..normalize.departments import department_key
from .inputs import input_problem
from ..model import Document
from ..packs import Pack, select_pack
from ..readers import ReadError, read_document
from ..recognize import Recognition, recognise
from ..settings import DEFAULT, Settings
from ..tables import ROW_TABLES

log = logging.getLogger(__name__)


def doc_id_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _format_of(path: Path) -> str:
    try:
        if not path.is_file():  # never open a FIFO (it would block) or a broken link
            raise OSError
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        head = b""
    return "pdf" if b"%PDF-" in head or path.suffix.lower() == ".pdf" else "text"


def failed_result(path: Path, source_path: str, error: str, *, doc_id: str | None = None) -> dict[str, list[dict]]:
    """The rows of a file that could not be processed: one documents row saying why."""
    out: dict[str, list[dict]] = {t: [] for t in ["documents", *ROW_TABLES, "checks"]}
    out["documents"].append({
        "doc_id": doc_id or hashlib.sha256(os.fsencode(path)).hexdigest(), "source_path": source_path,
        "format": _format_of(path), "kind": "unknown", "status": "failed", "error": error,
        "tool_version": __version__})
    return out


def grid_page_selector(packs: list[Pack]):
    """Which pages need table grids: those whose text holds the headers of a grid
    section of the pack that the document's text selects.  The reader reads only
    those with pdfplumber (and the pages their tables continue onto)."""
    import unicodedata

    def select(page_texts: list[str]) -> set[int]:
        squeezed = ["".join(unicodedata.normalize("NFKC", t).split()) for t in page_texts]
        pack = select_pack(packs, "".join(squeezed))
        if pack is None:
            return set()
        groups = pack.grid_page_patterns()
        return {n for n, text in enumerate(squeezed, start=1)
                if any(all(p.search(text) for p in group) for group in groups)}

    return select


def process_file(path: str | Path, packs: list[Pack], *, source_path: str | None = None,
                 password: str | None = None, max_pages: int | None = None,
                 all_grids: bool = False, settings: Settings | None = None) -> dict[str, list[dict]]:
    """All rows one input file contributes, keyed by table name.  `settings` (limits,
    OCR, password) is passed down to the reader; `password`/`max_pages` win over it."""
    settings = settings or DEFAULT
    path = Path(path)
    out: dict[str, list[dict]] = {t: [] for t in ["documents", *ROW_TABLES, "checks"]}
    document = {"tool_version": __version__, "source_path": source_path or str(path), "format": _format_of(path),
                "kind": "unknown",
                "status": "failed"}
    problem = input_problem(path)  # a broken link, a loop, a FIFO (opening it would block)
    try:
        if problem:
            raise OSError(problem)
        document["doc_id"] = doc_id_of(path)
    except OSError as exc:
        document["doc_id"] = hashlib.sha256(os.fsencode(path)).hexdigest()
        document["error"] = problem or f"cannot read file: {exc.strerror or exc}"
        out["documents"].append(document)
        return out
    try:
        doc = read_document(path, password=password, max_pages=max_pages, settings=settings,
                            grid_pages=None if all_grids else grid_page_selector(packs))
        document["pages"] = doc.page_count
        if doc.pages and not any(p.has_text for p in doc.pages):
            from ..readers import ocr

            hint = ("" if settings.ocr and ocr.installed() else "; OCR is switched off (--no-ocr)" if ocr.installed()
                    else "; install the OCR extra (pip install 'extractor[ocr]') to read scans")
            raise ReadError(f"no text layer (scanned?): no page has extractable text{hint}")
        recognition = recognise(doc, packs)
        if doc.format == "pdf":
            _provenance(path, doc, recognition, document, password)
        return assemble(document, doc, recognition)
    except ReadError as exc:
        document["error"] = str(exc)
        out["documents"].append(document)
        return out
    except MemoryError:
        document["error"] = "memory limit exceeded while reading (--max-memory)"
        out["documents"].append(document)
        return out
    except RecursionError:
        document["error"] = "document structure nested too deeply to parse"
        out["documents"].append(document)
        return out
    except Exception as exc:  # a reader or parser bug must not take the batch down
        log.debug("internal error on %s", document["source_path"], exc_info=True)  # the traceback: log file only
        document["error"] = f"internal error: {type(exc).__name__}: {exc}"
        document["status"] = "failed"
        out["documents"].append(document)
        return out


def _provenance(path: Path, doc: Document, rec: Recognition, document: dict, password: str | None) -> None:
    """Where each row's figures are printed (bbox, printed text), and the OCR'd pages.
    A failure here costs the boxes, never the rows."""
    from ..output.provenance import annotate

    try:
        known = all(p.text_layer is not None for p in doc.pages)
        document["ocr_pages"] = annotate(path, rec.rows, password=password,
                                         page_texts=["\n".join(ln.text for ln in p.lines) for p in doc.pages],
                                         scanned={p.number for p in doc.pages if not p.text_layer} if known else None)
    except Exception:  # noqa: BLE001 -- positions are an addition; the rows stand without them
        pass


def assemble(document: dict, doc: Document, rec: Recognition) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {t: [] for t in ["documents", *ROW_TABLES, "checks"]}
    pack = rec.pack
    document.update(tool_version=__version__,
                    kind=rec.kind, department=rec.department, department_key=department_key(rec.department),
                    year=rec.year,
                    total_score=rec.total_score, max_score=rec.max_score, grade=rec.grade,
                    pack=pack.name if pack else None, pack_version=pack.version if pack else None,
                    status="partial" if rec.error else "ok", error=rec.error,
                    # coverage: what the pack's sections expected and read, when the recogniser says
                    rows_expected=getattr(rec, "rows_expected", None), rows_read=getattr(rec, "rows_read", None))
    doc_id = document["doc_id"]
    for table in ROW_TABLES:
        for row in rec.rows[table]:
            row["doc_id"] = doc_id
            out[table].append(row)
    try:
        checks = run_checks(rec.rows, document, rec.totals, pack.checks if pack else {}, rec.incomplete)
    except Exception as exc:  # a check's bug costs the checks, never the rows read
        log.debug("checks failed on %s", document["source_path"], exc_info=True)
        checks = []
        document["status"] = "partial"
        document["error"] = "; ".join(x for x in (document.get("error"),
                                                  f"checks not run: internal error: {type(exc).__name__}: {exc}") if x)
    for c in checks:
        c["doc_id"] = doc_id
    out["checks"] = checks
    out["documents"].append(document)
    return out
