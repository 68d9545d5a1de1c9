"""`extractor report OUTDIR -o report.html`: one self-contained HTML page.

No network: the CSS is inline, the charts are SVG drawn here, no script, no web
font (the page names local CJK fonts and falls back to sans-serif).  Per document a
summary (department, year, kind, status, 合计 actual vs adjusted budget with the
execution rate, total score), its failing checks with the value the arithmetic
gives, the value printed and the page, and the indicators it missed.
"""
from __future__ import annotations

import datetime as _dt
import html
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .outdir import read_rows

KIND_ORDER = {"dept_report": 0, "final_accounts": 1, "dept_scoring": 2, "project_selfeval": 3, "unknown": 9}
YEAR_COLORS = ["#2f6db5", "#e08a1e", "#3a9a5b", "#9b4dca", "#c8423b", "#4aa3a8", "#7a7a7a"]


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


def execution(budget_rows: list[dict]) -> Execution | None:
    """The department's 合计 line (narrative or table, whichever has the most figures);
    without one, the 合计 lines of the document's projects added up."""
    dept = [r for r in budget_rows if r["fund_source"] == "合计" and r["project"] is None]
    if dept:
        def completeness(r):
            return (r["actual"] is not None, r["adjusted"] is not None, r["source"] == "table")
        r = max(dept, key=completeness)
        if r["adjusted"] is not None:
            budget, basis = r["adjusted"], "调整后预算"
        elif r["initial"] is not None and r["adjustment"] is not None:
            budget, basis = r["initial"] + r["adjustment"], "年初预算 + 调整"
        else:
            budget, basis = r["initial"], "年初预算"
        return Execution(r["actual"], budget, basis, r["exec_rate"], r["page"])
    projects = [r for r in budget_rows if r["fund_source"] == "合计" and r["project"] is not None]
    if projects and all(r["actual"] is not None and r["adjusted"] is not None for r in projects):
        return Execution(sum(r["actual"] for r in projects), sum(r["adjusted"] for r in projects),
                         f"全年预算 of {len(projects)} project(s)",
                         projects[0]["exec_rate"] if len(projects) == 1 else None, projects[0]["page"])
    return None


def build_report(outdir: str | Path, title: str | None = None) -> str:
    rows = read_rows(outdir)
    docs = sorted(rows["documents"], key=lambda d: (d["department"] or "\uffff", d["year"] or 0,
                                                    KIND_ORDER.get(d["kind"], 5), d["source_path"]))
    by_doc = {t: _group(rows[t]) for t in ("budget", "checks", "indicators", "projects")}
    summaries = []
    for i, d in enumerate(docs):
        summaries.append({"doc": d, "anchor": f"doc{i + 1}", "exec": execution(by_doc["budget"].get(d["doc_id"], [])),
                          "checks": by_doc["checks"].get(d["doc_id"], []),
                          "indicators": by_doc["indicators"].get(d["doc_id"], []),
                          "projects": by_doc["projects"].get(d["doc_id"], [])})
    title = title or f"Self-evaluation reports: {len(docs)} document(s)"
    failing = sum(1 for s in summaries for c in s["checks"] if c["status"] == "fail")
    parts = [_HEAD.format(title=_e(title)),
             f"<h1>{_e(title)}</h1>",
             f"<p class=meta>From <code>{_e(str(outdir))}</code>, {_dt.date.today().isoformat()}. "
             f"{len(docs)} document(s), {sum(d['status'] == 'failed' for d in docs)} failed, "
             f"<span class='{'bad' if failing else 'good'}'>{failing} failing check(s)</span>.</p>",
             _overview(summaries),
             "<h2>Charts</h2><div class=charts>",
             _figure("Budget execution rate by department and year", _exec_chart(summaries),
                     "合计 actual / adjusted budget; one bar per department and year (the first report "
                     "that states the 合计 line)."),
             _figure("Score distribution", _score_chart(summaries),
                     "Documents' total scores and projects' self-evaluation scores, as printed."),
             _figure("Indicators missed (achieved = false)", _indicator_chart(summaries),
                     "Per document: indicators achieved, missed and undecided."),
             "</div>", "<h2>Documents</h2>"]
    parts += [_document(s) for s in summaries]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(outdir: str | Path, out: str | Path, title: str | None = None) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(outdir, title), encoding="utf-8")
    return out


# ----------------------------------------------------------------------- sections

def _overview(summaries: list[dict]) -> str:
    head = ("<table class=overview><thead><tr><th>department</th><th>year</th><th>kind</th><th>status</th>"
            "<th class=num>actual (元)</th><th class=num>budget (元)</th><th class=num>rate</th>"
            "<th class=num>score</th><th class=num>failing checks</th><th>file</th></tr></thead><tbody>")
    body = []
    for s in summaries:
        d, ex = s["doc"], s["exec"]
        fails = sum(c["status"] == "fail" for c in s["checks"])
        body.append(
            f"<tr><td class=dept><a href='#{s['anchor']}'>{_e(d['department'] or '—')}</a></td><td>{_e(d['year'])}</td>"
            f"<td>{_e(d['kind'])}</td><td>{_status(d['status'])}</td>"
            f"<td class=num>{_money(ex.actual if ex else None)}</td><td class=num>{_money(ex.budget if ex else None)}</td>"
            f"<td class=num>{_pct(ex.rate if ex else None)}</td><td class=num>{_e(_num(d['total_score']))}</td>"
            f"<td class='num {'bad' if fails else ''}'>{fails}</td><td class=file>{_e(Path(d['source_path']).name)}</td></tr>")
    return head + "".join(body) + "</tbody></table>"


def _document(s: dict) -> str:
    d, ex = s["doc"], s["exec"]
    name = d["department"] or Path(d["source_path"]).name
    out = [f"<section class=doc id={s['anchor']}><h3>{_e(name)} <span class=year>{_e(d['year'] or '')}</span> "
           f"{_status(d['status'])}</h3>",
           "<dl class=facts>",
           _fact("file", f"<code>{_e(d['source_path'])}</code> ({_e(d['format'])}"
                         + (f", {_e(d['pages'])} page(s))" if d["pages"] is not None else ")")),
           _fact("kind", f"{_e(d['kind'])}" + (f" — pack {_e(d['pack'])} v{_e(d['pack_version'])}" if d.get("pack") else "")),
           _fact("department", _e(d["department"] or "—")),
           _fact("year", _e(d["year"] or "—"))]
    if d.get("error"):
        out.append(_fact("error", f"<span class=bad>{_e(d['error'])}</span>"))
    if ex:
        printed = f"; printed {_pct(ex.printed_rate)}" if ex.printed_rate is not None else ""
        actual = f"<b>{_money(ex.actual)} 元</b>" if ex.actual is not None else "not stated"
        budget = f"{_money(ex.budget)} 元" if ex.budget is not None else "not stated"
        out.append(_fact("budget executed",
                         f"合计 actual {actual}, budget {budget} ({_e(ex.basis)}): "
                         f"rate <b>{_pct(ex.rate)}</b>{printed} <span class=page>p.{_e(ex.page)}</span>"))
    else:
        out.append(_fact("budget executed", "no 合计 line"))
    score = _num(d["total_score"])
    if d.get("max_score") is not None and score:
        score += f" / {_num(d['max_score'])}"
    if d.get("grade"):
        score += f" ({d['grade']})"
    out.append(_fact("total score", _e(score or "—")))
    checks = s["checks"]
    out.append(_fact("checks", f"{sum(c['status'] == 'pass' for c in checks)} pass, "
                               f"{sum(c['status'] == 'fail' for c in checks)} fail, "
                               f"{sum(c['status'] == 'skipped' for c in checks)} skipped"))
    out.append("</dl>")
    failing = [c for c in checks if c["status"] == "fail"]
    if failing:
        out.append("<h4 class=bad>Failing checks</h4>" + _check_table(failing, "fail"))
    warnings = [c for c in checks if c["status"] != "fail" and c["severity"] == "warning"]
    if warnings:
        out.append(f"<details><summary>{len(warnings)} warning(s)</summary>{_check_table(warnings, 'warn')}</details>")
    missed = [i for i in s["indicators"] if i["achieved"] is False]
    if missed:
        out.append("<h4>Indicators missed</h4><table class=small><thead><tr><th>page</th><th>project / task</th>"
                   "<th>indicator</th><th>target</th><th>actual</th></tr></thead><tbody>"
                   + "".join(f"<tr><td>{_e(i['page'])}</td><td>{_e(i['project'] or i['task'] or '')}</td>"
                             f"<td>{_e(i['name'])}</td><td>{_e(i['target_text'])}</td>"
                             f"<td class=bad>{_e(i['actual_text'])}</td></tr>" for i in missed)
                   + "</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _check_table(checks: list[dict], css: str) -> str:
    rows = "".join(
        f"<tr class={css}><td>{_e(c['page'])}</td><td><code>{_e(c['check'])}</code></td><td>{_e(c['subject'])}</td>"
        f"<td class=num>expected <b>{_e(c['expected'] or '—')}</b></td>"
        f"<td class=num>printed <b>{_e(c['reported'] or '—')}</b></td><td>{_e(c['message'])}</td></tr>"
        for c in checks)
    return ("<table class=checks><thead><tr><th>page</th><th>check</th><th>subject</th><th>expected</th>"
            f"<th>printed</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>")


def _fact(key: str, value: str) -> str:
    return f"<dt>{_e(key)}</dt><dd>{value}</dd>"


def _figure(title: str, svg: str, caption: str) -> str:
    return f"<figure><figcaption><b>{_e(title)}</b><br><small>{_e(caption)}</small></figcaption>{svg}</figure>"


# ------------------------------------------------------------------------- charts

def _exec_chart(summaries: list[dict]) -> str:
    bars: dict[tuple, tuple[str, float]] = {}
    for s in sorted(summaries, key=lambda s: KIND_ORDER.get(s["doc"]["kind"], 5)):
        d, ex = s["doc"], s["exec"]
        if ex is None or ex.rate is None:
            continue
        key = (d["department"] or Path(d["source_path"]).name, d["year"])
        bars.setdefault(key, (f"{key[0]} {key[1] or ''}".strip(), ex.rate))
    items = sorted(bars.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    if not items:
        return _empty_chart("no document states a 合计 line with actual and budget")
    years = sorted({k[1] for k, _ in items if k[1] is not None})
    color = {y: YEAR_COLORS[i % len(YEAR_COLORS)] for i, y in enumerate(years)}
    rows = [(label, [(rate, color.get(key[1], "#888"), _pct(rate))]) for key, (label, rate) in items]
    legend = [(str(y), color[y]) for y in years]
    return _hbar_chart(rows, scale_max=max(1.0, max(r for _, (_, r) in items)), ticks=[0, .25, .5, .75, 1.0],
                       tick_label=lambda v: f"{v:.0%}", legend=legend, marker=1.0)


def _score_chart(summaries: list[dict]) -> str:
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
        return _empty_chart("no scores stated")
    colors = {"documents": "#2f6db5", "projects": "#e08a1e"}
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
                       f"<title>{_e(name)} {label}: {n}</title></rect>")
            if n:
                out.append(f"<text x={x + bar / 2:.1f} y={h - bottom - bh - 4:.1f} class=val text-anchor=middle>{n}</text>")
        out.append(f"<text x={left + i * step + step / 2:.1f} y={h - bottom + 16} class=tick text-anchor=middle>{_e(label)}</text>")
    out.append(f"<line x1={left} x2={w - 10} y1={h - bottom} y2={h - bottom} class=axis />")
    out += _legend([(k, c) for k, c in colors.items()], left, 14)
    out.append("</svg>")
    return "".join(out)


def _indicator_chart(summaries: list[dict]) -> str:
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
        rows.append((label, [(yes, "#3a9a5b", ""), (no, "#c8423b", f"{no} missed" if no else ""),
                             (unknown, "#bbbbbb", "")], f"{no} missed of {len(inds)}"))
    if not rows:
        return _empty_chart("no indicators extracted")
    top = max(sum(v for v, _, _ in segs) for _, segs, _ in rows)
    ticks = _int_ticks(top)
    return _hbar_chart([(label, segs) for label, segs, _ in rows], scale_max=top, ticks=ticks,
                       tick_label=str, legend=[("achieved", "#3a9a5b"), ("missed", "#c8423b"), ("undecided", "#bbbbbb")],
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


def _status(status: str) -> str:
    return f"<span class='badge {_e(status)}'>{_e(status)}</span>"


_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 24px 32px; color: #222; font-size: 14px; line-height: 1.45; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ccc; }}
h3 {{ font-size: 16px; margin: 0 0 8px; }} h4 {{ margin: 12px 0 4px; }}
.meta {{ color: #555; }} code {{ font-size: 12px; }}
table {{ border-collapse: collapse; margin: 6px 0; }}
th, td {{ border: 1px solid #ddd; padding: 3px 8px; vertical-align: top; }}
th {{ background: #f3f3f3; text-align: left; }}
td.num, th.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
td.file {{ font-size: 12px; color: #555; }} td.dept {{ white-space: nowrap; }}
table.small td {{ font-size: 13px; }}
.bad {{ color: #b3261e; font-weight: bold; }} .good {{ color: #2e7d32; }}
tr.fail td {{ background: #fdecea; }} tr.warn td {{ background: #fff6e0; }}
.badge {{ display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; color: #fff; background: #777; }}
.badge.ok {{ background: #2e7d32; }} .badge.partial {{ background: #e08a1e; }} .badge.failed {{ background: #b3261e; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 24px; }}
figure {{ margin: 0; padding: 8px; border: 1px solid #e3e3e3; border-radius: 6px; }}
figcaption {{ margin-bottom: 6px; }} figcaption small {{ color: #666; }}
svg.chart text {{ font-size: 12px; fill: #333; }} svg.chart .tick {{ fill: #666; font-size: 11px; }}
svg.chart .val {{ font-size: 11px; }} svg.chart .grid {{ stroke: #eee; }} svg.chart .axis {{ stroke: #999; }}
svg.chart .marker {{ stroke: #b3261e; stroke-dasharray: 4 3; }}
section.doc {{ border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }}
section.doc .year {{ color: #666; font-weight: normal; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }}
dl.facts dt {{ color: #666; }} dl.facts dd {{ margin: 0; }}
.page {{ color: #888; font-size: 12px; }}
details {{ margin-top: 8px; }}
</style></head><body>"""
