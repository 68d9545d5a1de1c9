"""Write a corpus: every generated document rendered to PDF, its text twins, and for each
file a truth JSON written from the generator's data. Pages come from the rendering: a
row's page is where its distinctive printed figures are found (PDFium text per page)."""
from __future__ import annotations

import json
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .build import build
from .model import Doc
from .twins import TOOLS, cut_page, page_texts, twin

TABLES = ("budget", "tasks", "projects", "indicators", "scores", "counts")


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def assign_pages(doc: Doc, pages: list[str]) -> None:
    """Set `page` on every truth row: the page holding most of its anchors, not before the
    page of the row before it in the same table when that page holds as many."""
    norm = [_norm(p) for p in pages]
    for table in TABLES:
        last = 1
        for row in doc.rows[table]:
            anchors = [_norm(a) for a in row.get("_anchors", []) if a]
            if not anchors:
                row["page"] = last
                continue
            hits = [sum(a in t for a in anchors) for t in norm]
            best = max(hits)
            cands = [i + 1 for i, h in enumerate(hits) if h == best]
            later = [p for p in cands if p >= last]
            row["page"] = (later or cands)[0]
            last = row["page"]


def render(doc: Doc, pdf: Path) -> Path:
    if doc.renderer == "reportlab":
        from .render_reportlab import render as rl
        return rl(doc, pdf)
    from .render_office import render_calc, render_writer
    return (render_calc if doc.renderer == "calc" else render_writer)(doc, pdf)


def _rows(doc: Doc, page_one: bool = False, drop_page: int | None = None) -> tuple[dict, list]:
    out, incomplete = {}, []
    for table in TABLES:
        rows = []
        for r in doc.rows[table]:
            if drop_page is not None and r["page"] == drop_page:
                if table not in incomplete:
                    incomplete.append(table)
                continue
            r = {k: v for k, v in r.items() if not k.startswith("_")}
            if page_one:
                r["page"] = 1
            rows.append(r)
        out[table] = rows
    return out, incomplete


def _truth(doc: Doc, file: str, tool: str, page_one=False, drop_page=None) -> dict:
    rows, incomplete = _rows(doc, page_one, drop_page)
    unscored = list(doc.unscored)
    if drop_page is not None:
        unscored = sorted(set(unscored) | {"total_score", "grade"})
    return dict(file=file, base=doc.name, family=doc.family, renderer=doc.renderer, tool=tool, seed=doc.seed,
                style={k: v for k, v in sorted(doc.style.items())}, documents=doc.documents, unscored=unscored,
                planted=[dict(checks=p.checks, subjects=p.subjects, what=p.what) for p in doc.planted],
                expect_status="partial" if drop_page is not None else "ok", incomplete=incomplete,
                cut_page=drop_page, rows=rows)


def _dump(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def write_doc(doc: Doc, out: Path, tools=TOOLS, cut: bool = False) -> list[str]:
    """Render one document and its twins into out/corpus, truths into out/truth. Returns the files."""
    corpus, truth = out / "corpus", out / "truth"
    corpus.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    pdf = render(doc, corpus / f"{doc.name}.pdf")
    pages = page_texts(pdf)
    assign_pages(doc, pages)
    files = [pdf.name]
    _dump(_truth(doc, pdf.name, "pdf"), truth / f"{pdf.name}.json")
    for tool in tools:
        text = twin(tool, pdf, doc)
        name = f"{doc.name}.{tool}.txt"
        (corpus / name).write_text(text, encoding="utf-8")
        _dump(_truth(doc, name, tool, page_one=(tool == "web")), truth / f"{name}.json")
        files.append(name)
    if cut and len(pages) >= 2 and not doc.planted:
        # a page cut out of one twin: its rows are missing, the document must come out `partial`
        used = sorted({r["page"] for t in TABLES for r in doc.rows[t] if r["page"] > 1})
        if used:
            page = used[len(used) // 2]
            tool = [t for t in tools if t != "web"][hash_index(doc.name) % (len(tools) - 1)] if len(tools) > 1 \
                else "pdftotext"
            text = cut_page(twin(tool, pdf, doc), page)
            name = f"{doc.name}.{tool}.cut{page}.txt"
            (corpus / name).write_text(text, encoding="utf-8")
            _dump(_truth(doc, name, tool, drop_page=page), truth / f"{name}.json")
            files.append(name)
    return files


def hash_index(name: str) -> int:
    return int(name[:4]) if name[:4].isdigit() else len(name)


def generate(n: int, seed: int, out: Path, *, jobs: int = 2, tools=TOOLS, indices=None, twins_per_doc=None,
             log=None) -> list[str]:
    """Documents 0..n-1 of the corpus of `seed` (or the given indices). With twins_per_doc, each
    document gets that many twins, the tools taken in turn (for a small slice covering all)."""
    out = Path(out)
    idx = list(indices) if indices is not None else list(range(n))

    def one(k: int) -> list[str]:
        i = idx[k]
        doc = build(i, seed)
        if twins_per_doc is None:
            ts = tools
        else:
            ts = tuple(tools[(k * twins_per_doc + j) % len(tools)] for j in range(twins_per_doc))
        files = write_doc(doc, out, ts, cut=(i % 8 == 6))
        if log:
            log(f"{doc.name}: {len(files)} files")
        return files

    with ThreadPoolExecutor(max(1, jobs)) as ex:
        results = list(ex.map(one, range(len(idx))))
    return [f for fs in results for f in fs]
