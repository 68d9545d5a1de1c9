"""Write a corpus: every generated document rendered to PDF, its text twins, and for each
file a truth JSON written from the generator's data. Pages come from the rendering: a
row's page is where its distinctive printed figures are found (PDFium text per page)."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from .build import build
from .model import Doc
from .twins import TOOLS, cut_page, page_texts, twin

TABLES = ("budget", "tasks", "projects", "indicators", "scores", "counts")


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def assign_pages(doc: Doc, pages: list[str]) -> None:
    """Set `page` on every truth row: the page holding most of its anchors, not before the
    page of the row before it in the same table and from the same source (a narrative's
    合计 follows the table's rows in the truth, not on the page) when that page holds as
    many, nor before its project's form (成本控制率 不高于100% printed in two forms is the
    later form's)."""
    norm = [_norm(p) for p in pages]
    form_page: dict[str, int] = {}
    for table in ("projects",) + tuple(t for t in TABLES if t != "projects"):
        lasts: dict = {}
        for row in doc.rows[table]:
            last = lasts.get(row.get("source"), 1)
            anchors = [_norm(a) for a in row.get("_anchors", []) if a]
            if not anchors:
                row["page"] = last
                continue
            hits = [sum(a in t for a in anchors) for t in norm]
            best = max(hits)
            cands = [i + 1 for i, h in enumerate(hits) if h == best]
            floor = max(last, form_page.get(row.get("project") or "", 1))
            later = [p for p in cands if p >= floor] or [p for p in cands if p >= last]
            row["page"] = (later or cands)[0]
            lasts[row.get("source")] = row["page"]
            if table == "projects" and row.get("source") == "table":
                form_page.setdefault(row["name"], row["page"])


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


def _one(args) -> tuple[str, list[str]]:
    i, seed, out, ts = args
    doc = build(i, seed)
    done = Path(out) / "done" / f"{doc.name}.{'-'.join(ts)}.json"  # a run that was stopped resumes here
    if done.exists():
        return doc.name, json.loads(done.read_text(encoding="utf-8"))
    files = write_doc(doc, Path(out), ts, cut=(i % 8 == 6))
    done.parent.mkdir(parents=True, exist_ok=True)
    done.write_text(json.dumps(files), encoding="utf-8")
    return doc.name, files


def generate(n: int, seed: int, out: Path, *, jobs: int = 2, tools=TOOLS, indices=None, twins_per_doc=None,
             log=None) -> list[str]:
    """Documents 0..n-1 of the corpus of `seed` (or the given indices), `jobs` worker processes.
    With twins_per_doc, each document gets that many twins, the tools taken in turn (for a
    small slice covering all); every eighth clean document also gets a twin with a page cut out."""
    from concurrent.futures import ProcessPoolExecutor
    out = Path(out)
    idx = list(indices) if indices is not None else list(range(n))
    work = []
    for k, i in enumerate(idx):
        ts = tools if twins_per_doc is None else \
            tuple(tools[(k * twins_per_doc + j) % len(tools)] for j in range(twins_per_doc))
        work.append((i, seed, str(out), ts))
    results = []
    if jobs <= 1:
        it = map(_one, work)
        for name, files in it:
            results.append(files)
            if log:
                log(f"{name}: {len(files)} files")
    else:
        with ProcessPoolExecutor(jobs) as ex:
            for name, files in ex.map(_one, work):
                results.append(files)
                if log:
                    log(f"{name}: {len(files)} files")
    return [f for fs in results for f in fs]


# ---------------------------------------------------------------- the truth's own arithmetic

def _d(v):
    from decimal import Decimal
    return None if v is None else Decimal(v)


def _rate_ok(printed, num, den) -> bool:
    from .build import frac, pct
    if printed is None or num is None or den is None:
        return True
    return den != 0 and frac(pct(num, den)) == printed


def consistency(doc: Doc) -> list[str]:
    """What does not add up in a document's truth rows, as the contract checks would see it.
    Empty for a clean document; a planted one must show its error here."""
    from collections import defaultdict
    from decimal import Decimal
    errs = []
    R = doc.rows
    groups = defaultdict(list)
    for r in R["budget"]:
        groups[(r["project"], r["source"])].append(r)
        ini, adj, adjd, act = (_d(r[k]) for k in ("initial", "adjustment", "adjusted", "actual"))
        if ini is not None and adj is not None and adjd is not None and ini + adj != adjd:
            errs.append(f"budget.adjusted_sum {r['fund_source']}")
        den = adjd if adjd is not None else (ini + adj if ini is not None and adj is not None else None)
        if not _rate_ok(r["exec_rate"], act, den):
            errs.append(f"budget.exec_rate {r['project']} {r['fund_source']}")
        if not _rate_ok(r["adjust_rate"], adj, ini):
            errs.append(f"budget.adjust_rate {r['fund_source']}")
    for (project, source), lines in groups.items():
        tot = [r for r in lines if r["fund_source"] == "合计"]
        parts = [r for r in lines if r["fund_source"] != "合计"]
        if len(tot) == 1 and parts:
            for k in ("initial", "adjustment", "adjusted", "actual"):
                if tot[0][k] is None:
                    continue
                s = sum((_d(r[k]) or Decimal(0)) for r in parts)
                if s != _d(tot[0][k]):
                    errs.append(f"budget.total {project} {k}")
    narr = [r for r in R["budget"] if r["source"] == "narrative" and r["project"] is None]
    table = [r for r in R["budget"] if r["source"] == "table" and r["project"] is None and r["fund_source"] == "合计"]
    for n in narr:
        for t in table:
            for k in ("initial", "adjustment", "adjusted", "actual", "exec_rate"):
                if n[k] is not None and t[k] is not None and n[k] != t[k]:
                    errs.append(f"budget.narrative {k}")
    if "task_total" in doc.notes and sum(_d(t["budget"]) for t in R["tasks"]) != Decimal(doc.notes["task_total"]):
        errs.append("task.total 合计")
    money_tasks = [t for t in R["tasks"] if t["actual"] is not None]
    if money_tasks:
        for k, col in (("budget", "adjusted"), ("actual", "actual")):
            s = sum(_d(t[k]) for t in money_tasks)
            if any(_d(t[col]) != s for t in table):
                errs.append(f"task.total {k}")
        for t in money_tasks:
            if not _rate_ok(t["exec_rate"], _d(t["actual"]), _d(t["budget"])):
                errs.append(f"task.exec_rate {t['task']}")
    for p in R["projects"]:
        if not _rate_ok(p["exec_rate"], _d(p["actual"]), _d(p["budget"])):
            errs.append(f"project.exec_rate {p['name']}")
        if p["score"] is not None and p["grade"] is not None:
            from . import vocab as V
            scale = next(s for s in V.GRADE_SCALES if p["grade"] in dict(s))
            band = next(g for g, floor in scale if p["score"] >= floor)
            if band != p["grade"]:
                errs.append(f"project.grade {p['name']}")
    by_name = defaultdict(list)
    for p in R["projects"]:
        by_name[p["name"]].append(p)
    for name, ps in by_name.items():
        for k in ("budget", "actual", "exec_rate", "score"):
            vals = {p[k] for p in ps if p[k] is not None}
            if len(vals) > 1:
                errs.append(f"project.narrative {name} {k}")
    counts = defaultdict(dict)
    for c in R["counts"]:
        counts[c["what"]].setdefault(c["grade"], c["count"])
    for what, by in counts.items():
        graded = {g: n for g, n in by.items() if g is not None}
        if graded and None in by and sum(graded.values()) != by[None]:
            errs.append(f"project.count {what}")
    per_task = defaultdict(int)
    for i in R["indicators"]:
        per_task[i["task"]] += 1
    for what, by in counts.items():
        if what.endswith("的绩效目标") and by.get(None) != per_task.get(what[:-len("的绩效目标")], 0):
            errs.append(f"indicator.count {what}")
    for table, label in (("scores", "level3"), ("indicators", "name")):
        for r in R[table]:
            if r["weight"] is not None and r["score"] is not None and not 0 <= r["score"] <= r["weight"]:
                errs.append(f"score.weight {r[label]}")
    if R["scores"]:
        w = sum(Decimal(repr(r["weight"])) for r in R["scores"])
        s = sum(Decimal(repr(r["score"])) for r in R["scores"])
        if w != 100 or (doc.documents.get("total_score") is not None
                        and s != Decimal(repr(doc.documents["total_score"]))):
            errs.append("score.total 合计")
        by_l1 = defaultdict(list)
        for r in R["scores"]:
            if r.get("_w1") is not None:
                by_l1[(r["level1"], r["_w1"])].append(Decimal(repr(r["weight"])))
        for (l1, w1), ws in by_l1.items():
            if sum(ws) != w1:
                errs.append(f"score.total {l1}")
    # a project form: 总分 = 10 × min(rate, 1) + the indicators' scores; weights 10 + 90
    from .build import C2
    from decimal import ROUND_HALF_UP
    for p in R["projects"]:
        inds = [i for i in R["indicators"] if i["project"] == p["name"]]
        if p["source"] != "table" or not inds or p["budget"] is None:
            continue
        b, a = _d(p["budget"]), _d(p["actual"])
        bs = (Decimal(10) * min(a / b, Decimal(1))).quantize(C2, ROUND_HALF_UP) if b else Decimal(0)
        if sum(Decimal(repr(i["weight"])) for i in inds) != 90:
            errs.append(f"score.total {p['name']} weights")
        if bs + sum(Decimal(repr(i["score"])) for i in inds) != Decimal(repr(p["score"])):
            errs.append(f"score.total {p['name']}")
    return errs
