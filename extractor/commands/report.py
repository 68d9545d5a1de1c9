"""`extractor report OUTDIR -o report.html`: one self-contained HTML page.

In Chinese by default (`lang="en"` for English): section titles, headers, statuses,
check names and messages (rendered from the checks' fields by messages.py).  The
page is a Jinja2 template (templates/report.html.j2).  No network: the CSS is
inline, the charts are SVG drawn here, no script, no web font (the page names local
CJK fonts).  Per document a summary (department, year, kind, status, 合计 actual vs
adjusted budget with the execution rate, total score), its failing checks with the
value the arithmetic gives, the value printed and the page, and beside each failing
check of a PDF the printed evidence: a crop of the page with the figures outlined
(evidence.py; small JPEGs inline, `loading=lazy`, at most MAX_CROPS per document and
IMAGE_BUDGET bytes in all).
An old output folder without the newer columns (no boxes) gives a report without
crops.
"""
from __future__ import annotations

import datetime as _dt
import html
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import messages as msg
from ..output.outdir import read_rows
from ..tables import ALL_TABLES, ROW_TABLES, SCHEMAS

KIND_ORDER = {"dept_report": 0, "final_accounts": 1, "dept_scoring": 2, "project_selfeval": 3, "unknown": 9}
YEAR_COLORS = ["#2f6db5", "#e08a1e", "#3a9a5b", "#9b4dca", "#c8423b", "#4aa3a8", "#7a7a7a"]
MAX_CROPS = 4  # per document: crops are ~6–14 kB (base64) each
IMAGE_BUDGET = 40_000_000  # bytes of inline images in one report: 1,000 documents stay under ~50 MB


@dataclass
class Execution:
    """The document's 合计 line: actual spent against the (adjusted) budget."""

    actual: Decimal | None
    budget: Decimal | None
    basis: str  # which figure `budget` is: 调整后预算, 年初预算+调整, 全年预算 of N projects …
    printed_rate: float | None
    page: int | None

    @property
    def rate(self) -> float | None:
        if self.actual is None or not self.budget:
            return None
        return float(self.actual / self.budget)


def execution(budget_rows: list[dict], lang: str = "en") -> Execution | None:
    """The department's 合计 line (narrative or table, whichever has the most figures);
    without one, the 合计 lines of the document's projects added up."""
    dept = [r for r in budget_rows if r["fund_source"] == "合计" and r["project"] is None]
    if dept:
        def completeness(r):
            return (r["actual"] is not None, r["adjusted"] is not None, r["source"] == "table")
        r = max(dept, key=completeness)
        if r["adjusted"] is not None:
            budget, basis = r["adjusted"], msg.word("basis_adjusted", lang)
        elif r["initial"] is not None and r["adjustment"] is not None:
            budget, basis = r["initial"] + r["adjustment"], msg.word("basis_sum", lang)
        else:
            budget, basis = r["initial"], msg.word("basis_initial", lang)
        return Execution(r["actual"], budget, basis, r["exec_rate"], r["page"])
    projects = [r for r in budget_rows if r["fund_source"] == "合计" and r["project"] is not None]
    if projects and all(r["actual"] is not None and r["adjusted"] is not None for r in projects):
        return Execution(sum(r["actual"] for r in projects), sum(r["adjusted"] for r in projects),
                         msg.word("basis_projects", lang, n=len(projects)),
                         projects[0]["exec_rate"] if len(projects) == 1 else None, projects[0]["page"])
    return None


def _read(outdir: str | Path) -> dict[str, list[dict]]:
    """The folder's rows, with the columns an older version did not write as None."""
    rows = read_rows(outdir)
    for table in ALL_TABLES:
        names = SCHEMAS[table].names
        for r in rows.get(table, []):
            for n in names:
                r.setdefault(n, None)
    return rows


def build_report(outdir: str | Path, title: str | None = None, lang: str = "zh",
                 evidence: bool = True) -> str:
    import jinja2

    msg.check_lang(lang)
    rows = _read(outdir)
    docs = sorted(rows["documents"], key=lambda d: (d["department"] or "\uffff", d["year"] or 0,
                                                    KIND_ORDER.get(d["kind"], 5), d["source_path"]))
    by_doc = {t: _group(rows[t]) for t in (*ROW_TABLES, "checks")}
    summaries = []
    budget = [IMAGE_BUDGET]
    for i, d in enumerate(docs):
        checks = [_check_view(c, lang) for c in by_doc["checks"].get(d["doc_id"], [])]
        doc_rows = {t: by_doc[t].get(d["doc_id"], []) for t in ROW_TABLES}
        failing = [c for c in checks if c["status"] == "fail"]
        if evidence and failing and d["format"] == "pdf":
            _add_crops(d, failing, doc_rows, budget)
        score = _num(d["total_score"])
        if d.get("max_score") is not None and score:
            score += f" / {_num(d['max_score'])}"
        if d.get("grade"):
            score += f" ({d['grade']})"
        summaries.append({
            "doc": d, "anchor": f"doc{i + 1}", "file": Path(d["source_path"]).name,
            "exec": execution(doc_rows["budget"], lang), "checks": checks, "failing": failing,
            "warnings": [c for c in checks if c["status"] != "fail" and c["severity"] == "warning"],
            "missed": [r for r in doc_rows["indicators"] if r["achieved"] is False],
            "indicators": doc_rows["indicators"], "projects": doc_rows["projects"],
            "fails": len(failing), "passes": sum(c["status"] == "pass" for c in checks),
            "skipped": sum(c["status"] == "skipped" for c in checks), "score": score})
    w = (lambda key, **kw: msg.word(key, lang, **kw))
    charts = [
        {"title": w("exec_chart"), "caption": w("exec_caption"), "svg": _exec_chart(summaries, lang)},
        {"title": w("score_chart"), "caption": w("score_caption"), "svg": _score_chart(summaries, lang)},
        {"title": w("ind_chart"), "caption": w("ind_caption"), "svg": _indicator_chart(summaries, lang)},
    ]
    env = jinja2.Environment(loader=jinja2.PackageLoader("extractor.commands", "templates"),
                             autoescape=True, trim_blocks=False, undefined=jinja2.StrictUndefined)
    env.globals.update(w=w, value=lambda col, v: msg.value(col, v, lang), money=_money, pct=_pct, num=_num,
                       badge=lambda status: _badge(status, lang))
    return env.get_template("report.html.j2").render(
        lang=lang, title=title or w("report_title", n=len(docs)), outdir=str(outdir),
        today=_dt.date.today().isoformat(), docs=docs, summaries=summaries, charts=charts,
        failed_docs=sum(d["status"] == "failed" for d in docs),
        failing=sum(s["fails"] for s in summaries))


def write_report(outdir: str | Path, out: str | Path, title: str | None = None, lang: str = "zh") -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(outdir, title, lang), encoding="utf-8")
    return out


def _check_view(c: dict, lang: str) -> dict:
    """A check as the template shows it: its message in the chosen language."""
    text = c["message"] if lang == "en" else msg.check_message(c, lang, page=False)
    return {**c, "name": msg.check_name(c["check"], lang), "text": text, "crops": []}


def _add_crops(doc: dict, failing: list[dict], rows: dict[str, list[dict]], left: list[int]) -> None:
    """Crops of the page beside the first failing checks, MAX_CROPS at most, while the
    report's image budget (`left[0]` bytes) lasts, when the PDF is still where it was
    read from."""
    from .evidence import Renderer

    path = Path(doc["source_path"])
    if not path.is_file():
        return
    try:
        renderer = Renderer(path)
    except Exception:  # noqa: BLE001 -- moved, changed or encrypted since: no crops
        return
    try:
        budget = MAX_CROPS
        for c in failing:
            if budget <= 0 or left[0] <= 0:
                break
            try:
                c["crops"] = renderer.crops(c, rows)[:budget]
            except Exception:  # noqa: BLE001 -- a crop is an aid; the check stands without it
                c["crops"] = []
            budget -= len(c["crops"])
            left[0] -= sum(len(crop.uri) for crop in c["crops"])
    finally:
        renderer.close()


def _badge(status: str, lang: str) -> str:
    from markupsafe import Markup

    return Markup(f"<span class='badge {_e(status)}'>{_e(msg.value('status', status, lang))}</span>")


# ------------------------------------------------------------------------- charts

def _exec_chart(summaries: list[dict], lang: str) -> str:
    bars: dict[tuple, tuple[str, float]] = {}
    for s in sorted(summaries, key=lambda s: KIND_ORDER.get(s["doc"]["kind"], 5)):
        d, ex = s["doc"], s["exec"]
        if ex is None or ex.rate is None:
            continue
        key = (d["department"] or Path(d["source_path"]).name, d["year"])
        bars.setdefault(key, (f"{key[0]} {key[1] or ''}".strip(), ex.rate))
    items = sorted(bars.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    if not items:
        return _empty_chart(msg.word("no_exec", lang))
    years = sorted({k[1] for k, _ in items if k[1] is not None})
    color = {y: YEAR_COLORS[i % len(YEAR_COLORS)] for i, y in enumerate(years)}
    rows = [(label, [(rate, color.get(key[1], "#888"), _pct(rate))]) for key, (label, rate) in items]
    legend = [(str(y), color[y]) for y in years]
    return _hbar_chart(rows, scale_max=max(1.0, max(r for _, (_, r) in items)), ticks=[0, .25, .5, .75, 1.0],
                       tick_label=lambda v: f"{v:.0%}", legend=legend, marker=1.0)


def _score_chart(summaries: list[dict], lang: str) -> str:
    bins = [("<60", None, 60), ("60–70", 60, 70), ("70–80", 70, 80), ("80–90", 80, 90), ("90–95", 90, 95),
            ("95–100", 95, 100), ("100", 100, 100.0001), (">100", 100.0001, None)]

    def bin_of(v):
        for i, (_, lo, hi) in enumerate(bins):
            if (lo is None or v >= lo) and (hi is None or v < hi):
                return i
        return len(bins) - 1

    series = {"documents": [0] * len(bins), "projects": [0] * len(bins)}
    for s in summaries:
        if s["doc"]["total_score"] is not None:
            series["documents"][bin_of(s["doc"]["total_score"])] += 1
        for p in s["projects"]:
            if p["score"] is not None:
                series["projects"][bin_of(p["score"])] += 1
    if not any(sum(v) for v in series.values()):
        return _empty_chart(msg.word("no_scores", lang))
    colors = {"documents": "#2f6db5", "projects": "#e08a1e"}
    names = {"documents": msg.word("doc_scores", lang), "projects": msg.word("project_scores", lang)}
    w, h, left, bottom, top = 560, 260, 40, 40, 30
    top_count = max(max(v) for v in series.values())
    step = (w - left - 10) / len(bins)
    bar = step / 3
    out = [f"<svg class=chart width={w} height={h} viewBox='0 0 {w} {h}' role=img>"]
    for t in _int_ticks(top_count):
        y = h - bottom - (h - bottom - top) * t / top_count
        out.append(f"<line x1={left} x2={w - 10} y1={y:.1f} y2={y:.1f} class=grid />"
                   f"<text x={left - 6} y={y + 4:.1f} class=tick text-anchor=end>{t}</text>")
    for i, (label, _, _) in enumerate(bins):
        x0 = left + i * step + bar / 2
        for j, (name, counts) in enumerate(series.items()):
            n = counts[i]
            bh = (h - bottom - top) * n / top_count
            x = x0 + j * bar
            out.append(f"<rect x={x:.1f} y={h - bottom - bh:.1f} width={bar:.1f} height={bh:.1f} fill='{colors[name]}'>"
                       f"<title>{_e(names[name])} {label}: {n}</title></rect>")
            if n:
                out.append(f"<text x={x + bar / 2:.1f} y={h - bottom - bh - 4:.1f} class=val text-anchor=middle>{n}</text>")
        out.append(f"<text x={left + i * step + step / 2:.1f} y={h - bottom + 16} class=tick text-anchor=middle>{_e(label)}</text>")
    out.append(f"<line x1={left} x2={w - 10} y1={h - bottom} y2={h - bottom} class=axis />")
    out += _legend([(names[k], c) for k, c in colors.items()], left, 14)
    out.append("</svg>")
    return "".join(out)


def _indicator_chart(summaries: list[dict], lang: str) -> str:
    rows = []
    for s in summaries:
        inds = s["indicators"]
        if not inds:
            continue
        d = s["doc"]
        label = f"{d['department'] or Path(d['source_path']).name} {d['year'] or ''} ({d['format']})"
        yes = sum(i["achieved"] is True for i in inds)
        no = sum(i["achieved"] is False for i in inds)
        unknown = len(inds) - yes - no
        rows.append((label, [(yes, "#3a9a5b", ""), (no, "#c8423b", f"{no} {msg.word('missed_short', lang)}" if no else ""),
                             (unknown, "#bbbbbb", "")], msg.word("missed_of", lang, no=no, n=len(inds))))
    if not rows:
        return _empty_chart(msg.word("no_indicators", lang))
    top = max(sum(v for v, _, _ in segs) for _, segs, _ in rows)
    ticks = _int_ticks(top)
    return _hbar_chart([(label, segs) for label, segs, _ in rows], scale_max=top, ticks=ticks,
                       tick_label=str, legend=[(msg.word("achieved", lang), "#3a9a5b"), (msg.word("missed_short", lang), "#c8423b"),
                               (msg.word("undecided", lang), "#bbbbbb")],
                       stacked=True, notes=[note for _, _, note in rows])


def _hbar_chart(rows, scale_max, ticks, tick_label, legend, marker=None, stacked=False, notes=None) -> str:
    """Horizontal bars: rows of (label, [(value, colour, text), ...]), stacked or single."""
    label_w = min(max(_px(label) for label, _ in rows) + 14, 380)
    plot_w, row_h, top, note_w = 300, 26, 34, 120
    w = label_w + plot_w + note_w
    h = top + row_h * len(rows) + 26
    out = [f"<svg class=chart width={w} height={h} viewBox='0 0 {w} {h}' role=img>"]
    x0 = label_w
    for t in ticks:
        x = x0 + plot_w * t / scale_max
        out.append(f"<line x1={x:.1f} x2={x:.1f} y1={top - 4} y2={h - 22} class=grid />"
                   f"<text x={x:.1f} y={h - 8} class=tick text-anchor=middle>{_e(tick_label(t))}</text>")
    for i, (label, segs) in enumerate(rows):
        y = top + i * row_h
        out.append(f"<text x={x0 - 8} y={y + row_h / 2 + 4:.1f} class=label text-anchor=end>{_e(label)}</text>")
        x = x0
        for value, colour, text in segs:
            bw = plot_w * min(value, scale_max) / scale_max
            out.append(f"<rect x={x:.1f} y={y + 4} width={bw:.1f} height={row_h - 8} fill='{colour}'>"
                       f"<title>{_e(label)}: {_e(text or value)}</title></rect>")
            x = x + bw if stacked else x
        text = notes[i] if notes else segs[0][2]
        end = x if stacked else x0 + plot_w * min(segs[0][0], scale_max) / scale_max
        out.append(f"<text x={end + 6:.1f} y={y + row_h / 2 + 4:.1f} class=val>{_e(text)}</text>")
    if marker is not None:
        x = x0 + plot_w * marker / scale_max
        out.append(f"<line x1={x:.1f} x2={x:.1f} y1={top - 4} y2={h - 22} class=marker />")
    out += _legend(legend, x0, 14)
    out.append("</svg>")
    return "".join(out)


def _legend(items, x, y) -> list[str]:
    out = []
    for name, colour in items:
        out.append(f"<rect x={x} y={y - 9} width=10 height=10 fill='{colour}' />"
                   f"<text x={x + 14} y={y} class=tick>{_e(name)}</text>")
        x += 30 + _px(name, 11)
    return out


def _empty_chart(message: str) -> str:
    return f"<svg class=chart width=360 height=40 role=img><text x=8 y=24 class=tick>{_e(message)}</text></svg>"


def _int_ticks(top: int) -> list[int]:
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def _px(text: str, size: float = 12) -> float:
    """Estimated width in pixels: a wide (CJK) character is one em, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


# ------------------------------------------------------------------------ helpers

def _group(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["doc_id"], []).append(r)
    return out


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _money(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _num(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


