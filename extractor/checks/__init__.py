"""The contract's consistency checks over one document's rows.

Every check yields rows with the page of the figure it read, what the arithmetic
gives (`expected`) and what the document prints (`reported`).  Money is compared
exactly (Decimal); a printed rate passes when it equals the computed ratio rounded
half-up or truncated to the printed precision; a zero denominator is `skipped`
(with a warning when a rate is printed for it anyway).
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from .. import normalize as nz
from ..packs import vocab

MONEY_COLUMNS = ("initial", "adjustment", "adjusted", "actual")
GRADE_ORDER = vocab.grade_rank()  # 优/优秀/A … 差/不合格/D (patterns/vocab/scales.yaml)


def _check(name, subject, status, page, expected=None, reported=None, message="", severity=None):
    if severity is None and status == "fail":
        severity = "error"
    return {"check": name, "subject": subject or "document", "status": status, "severity": severity,
            "expected": None if expected is None else str(expected),
            "reported": None if reported is None else str(reported), "message": message, "page": page}


def _wan(value: Decimal | None) -> str:
    """Money in a message, in the 万元 the reports print."""
    return "?" if value is None else f"{(value / 10000).normalize():f}万元"


def rate_check(name: str, subject: str, page: int, numerator: Decimal | None,
               denominator: Decimal | None, printed_rate: float | None, printed_text: str | None,
               what: str) -> dict | None:
    """Printed rate vs numerator / denominator at the printed precision."""
    if printed_rate is None:
        return None
    reported = nz.clean_text(printed_text) or f"{printed_rate:.2%}"
    if numerator is None or denominator is None:
        return _check(name, subject, "skipped", page, None, reported,
                      f"{subject}: {what} printed as {reported}, but a figure it needs is missing")
    if denominator == 0:
        return _check(name, subject, "skipped", page, None, reported,
                      f"{subject}: {what} is undefined (denominator 0) but printed as {reported}",
                      severity="warning")
    digits = nz.percent_digits(printed_text)
    digits = 2 if digits is None else digits
    ratio = numerator / denominator * 100
    printed = Decimal(str(nz.parse_decimal(reported.rstrip("%")) if reported.endswith("%") else
                          Decimal(repr(printed_rate)) * 100))
    rounded, truncated = nz.round_half_up(ratio, digits), nz.truncate(ratio, digits)
    expected = f"{rounded}%"
    if printed in (rounded, truncated):
        return _check(name, subject, "pass", page, expected, reported,
                      f"{subject}: {what} {reported} = {_wan(numerator)} / {_wan(denominator)}")
    return _check(name, subject, "fail", page, expected, reported,
                  f"{subject}: {what} printed {reported}, but {_wan(numerator)} / {_wan(denominator)} = {expected}")


ROUNDING_NOTE = " (within the rounding of the printed addends: a warning, not an error)"


def within_rounding(total: Decimal, printed: Decimal, members: list[dict], col: str) -> bool:
    """A sum of rounded figures may miss its printed total by up to half a unit of the
    printed precision per addend (17 figures to 0.01 万元: up to 0.085 万元)."""
    quanta = [(m.get("_quanta") or {}).get(col) for m in members]
    if not quanta or any(q is None for q in quanta):
        return False
    return abs(total - printed) <= sum(quanta) / 2


# Checks that add up a table's rows: with rows of that table missing, a mismatch
# says nothing about the document.
SUM_CHECKS = {"budget.total": ("budget",), "task.total": ("tasks",), "score.total": ("scores", "indicators"),
              "project.count": ("projects",), "indicator.count": ("indicators",)}


def skip_incomplete(checks: list[dict], incomplete: set[str]) -> list[dict]:
    """A sum check over a table whose rows were not all read is `skipped`, never
    `fail`: the tool's own miss must not become the document's error."""
    for c in checks:
        tables = c.get("_inputs") or SUM_CHECKS.get(c["check"], ())
        missing = [t for t in tables if t in incomplete]
        if c["status"] == "fail" and missing:
            c.update(status="skipped", severity="warning",
                     message=f"{c['message']} — not checked: rows of {', '.join(missing)} were not all read "
                             f"(see documents.error)")
    return checks


# The tables each check reads its figures from.
CHECK_TABLES = {"budget": ("budget",), "project": ("projects",), "score": ("scores", "indicators", "tasks"),
                "task": ("tasks",), "indicator": ("indicators",)}


ONE_ROW_CHECKS = {"budget.exec_rate", "budget.adjust_rate", "budget.adjusted_sum", "project.exec_rate",
                  "project.grade", "score.weight"}


def _subject_of(row: dict) -> str | None:
    return _label(row) or row.get("name") or row.get("level3") or row.get("task")


def doubt_text_read(checks: list[dict], rows: dict[str, list[dict]]) -> list[dict]:
    """A mismatch among figures read from extracted text (where a wrapped or shifted
    cell can put a figure in the wrong column) is doubtful: a warning, not an error."""
    from_text = {t for t, rs in rows.items() if any(r.get("_from_lines") for r in rs)}
    for c in checks:
        tables = CHECK_TABLES.get(c["check"].split(".")[0], ())
        if not (c["status"] == "fail" and c["severity"] == "error" and from_text & set(tables)):
            continue
        if c["check"] in ONE_ROW_CHECKS:  # only the row checked decides
            own = [r for t in tables for r in rows.get(t, []) if r.get("page") == c["page"]
                   and _subject_of(r) == c["subject"]]
            printed = [r for r in own if c["reported"] in {nz.clean_text(v) for k, v in r.items()
                                                            if k.startswith("_printed_")}]
            own = printed or own
            if own and not any(r.get("_from_lines") for r in own):
                continue
        c.update(severity="warning",
                 message=f"{c['message']} (figures read from extracted text: doubtful, not proven)")
    return checks


def _label(row: dict) -> str:
    parts = [row.get("project"), row.get("fund_source")]
    return " / ".join(p for p in parts if p)


def budget_checks(rows: list[dict], options: dict) -> list[dict]:
    out = []
    for r in rows:
        subject, page = _label(r), r["page"]
        ini, adj, adjd, act = (r.get(c) for c in MONEY_COLUMNS)
        if ini is not None and adj is not None and adjd is not None:
            ok = ini + adj == adjd
            out.append(_check("budget.adjusted_sum", subject, "pass" if ok else "fail", page,
                              _wan(ini + adj), _wan(adjd),
                              f"{subject}: 年初预算 {_wan(ini)} + 调整 {_wan(adj)} "
                              f"{'=' if ok else '≠'} 调整后预算 {_wan(adjd)}"))
        denominator = adjd if adjd is not None else (ini + adj if ini is not None and adj is not None else None)
        c = rate_check("budget.exec_rate", subject, page, act, denominator, r.get("exec_rate"),
                       r.get("_printed_exec_rate"), "执行率")
        if c:
            out.append(c)
        c = rate_check("budget.adjust_rate", subject, page, adj, ini, r.get("adjust_rate"),
                       r.get("_printed_adjust_rate"), "调整率")
        if c:
            out.append(c)
    out += _budget_totals(rows, options)
    out += _budget_narrative(rows)
    return out


def _budget_totals(rows: list[dict], options: dict) -> list[dict]:
    """Fund lines add up to their 合计 line, per project and source (and per group
    of lines when a pack says which groups partition the total)."""
    out = []
    groups_ok = options.get("total_groups")
    by_key = defaultdict(list)
    for r in rows:
        by_key[(r.get("project"), r.get("source"))].append(r)
    for (project, source), lines in by_key.items():
        totals = [r for r in lines if r.get("fund_source") == "合计"]
        if len(totals) != 1:
            continue
        total = totals[0]
        parts = defaultdict(list)
        for r in lines:
            if r is not total and any(r.get(c) is not None for c in MONEY_COLUMNS):  # an empty line adds nothing
                parts[r.get("fund_group")].append(r)
        for group, members in parts.items():
            if groups_ok is not None and group not in groups_ok:
                continue
            if groups_ok is None and group is not None:
                continue
            for col in MONEY_COLUMNS:
                if total.get(col) is None or any(m.get(col) is None for m in members):
                    continue
                s = sum((m[col] for m in members), Decimal(0))
                ok = s == total[col]
                subject = " / ".join(x for x in (project, group, "合计") if x)
                names = "+".join(m.get("fund_source") or "(a line without its label)" for m in members)
                rounding = not ok and within_rounding(s, total[col], members, col)
                out.append(_check("budget.total", subject, "pass" if ok else "fail", total["page"],
                                  _wan(s), _wan(total[col]),
                                  f"{subject} {col}: {names} = {_wan(s)}"
                                  f"{'' if ok else ', but the 合计 line prints ' + _wan(total[col])}"
                                  + (ROUNDING_NOTE if rounding else ""),
                                  severity="warning" if rounding else None))
    return out


def _budget_narrative(rows: list[dict]) -> list[dict]:
    out = []
    table = {(r.get("project"), r.get("fund_source")): r for r in rows if r.get("source") == "table"}
    for r in rows:
        if r.get("source") != "narrative":
            continue
        t = table.get((r.get("project"), r.get("fund_source")))
        if t is None:
            continue
        subject = _label(r)
        for col in (*MONEY_COLUMNS, "exec_rate"):
            a, b = r.get(col), t.get(col)
            if a is None or b is None:
                continue
            ok = a == b
            show = (lambda v: f"{v:.2%}") if col == "exec_rate" else _wan
            out.append(_check("budget.narrative", subject, "pass" if ok else "fail", r["page"],
                              show(b), show(a),
                              f"{subject} {col}: the narrative states {show(a)}, the table (p.{t['page']}) "
                              f"{'also' if ok else 'prints'} {show(b)}"))
    return out


def _name_key(name: str | None) -> str:
    """Project names as compared across table and narrative: without year, numbering,
    brackets and generic suffixes, so 2022年X项目 matches X."""
    s = nz.clean_text(name) or ""
    s = re.sub(r"^\d+[.、]|\d{4}年度?|[()（）《》“”\"' ]", "", s)
    # suffixes one after another (普法宣传经费项目 and 普法宣传经费 are one project)
    while True:
        bare = re.sub(r"(项目资金|专项资金|项目经费|资金|经费|项目)$", "", s)
        if bare == s or not bare:
            return s
        s = bare


def project_checks(projects: list[dict], counts: list[dict], options: dict) -> list[dict]:
    out = []
    for p in projects:
        c = rate_check("project.exec_rate", p.get("name"), p["page"], p.get("actual"), p.get("budget"),
                       p.get("exec_rate"), p.get("_printed_exec_rate"), "执行率")
        if c:
            out.append(c)
        for col, first, later, page in p.get("_conflicts", []):
            out.append(_check("project.narrative", p.get("name"), "fail", page, first, later,
                              f"{p.get('name')}: {col} stated as {first} on p.{p['page']} and {later} on p.{page}"))
    out += _project_narrative(projects)
    out += _project_grades(projects, options)
    out += _project_counts(projects, counts, options)
    return out


def _project_narrative(projects: list[dict]) -> list[dict]:
    out = []
    tables = [p for p in projects if p.get("source") == "table"]
    for n in (p for p in projects if p.get("source") == "narrative"):
        key = _name_key(n.get("name"))
        match = next((t for t in tables if _name_key(t.get("name")) == key), None)
        if match is None and len(key) >= 4:
            match = next((t for t in tables if key in _name_key(t.get("name"))
                          or _name_key(t.get("name")) in key), None)
        if match is None:
            continue
        for col in ("budget", "actual", "score"):
            a, b = n.get(col), match.get(col)
            if a is None or b is None:
                continue
            ok = a == b
            out.append(_check("project.narrative", n["name"], "pass" if ok else "fail", n["page"], b, a,
                              f"narrative '{n['name']}' (p.{n['page']}) matched table '{match['name']}' "
                              f"(p.{match['page']}): {col} {a} {'=' if ok else '≠'} {b}"))
    return out


def _project_grades(projects: list[dict], options: dict) -> list[dict]:
    """With a scale from the pack, grade = band of the score; without one, grades
    must at least be ordered like the scores (no 良 scoring above an 优)."""
    out = []
    graded = [p for p in projects if p.get("grade") in GRADE_ORDER and p.get("score") is not None]
    scale = options.get("grade_scale")  # e.g. {优: 90, 良: 80, 中: 60, 差: 0}
    printed = {p["grade"] for p in graded}
    if scale and not printed <= set(scale):  # 优秀/良好/合格 or A–D: the region's own scale
        scale = vocab.scale_for(printed)
    out_of_order = {} if scale else _grades_out_of_order(graded)
    for k, p in enumerate(graded):
        if scale:
            band = next((g for g, floor in sorted(scale.items(), key=lambda kv: -kv[1]) if p["score"] >= floor), None)
            ok = band == p["grade"]
            out.append(_check("project.grade", p["name"], "pass" if ok else "fail", p["page"], band, p["grade"],
                              f"{p['name']}: score {p['score']:g} is {band} on the scale, printed {p['grade']}"))
            continue
        against = out_of_order.get(k)
        ok = against is None
        out.append(_check("project.grade", p["name"], "pass" if ok else "fail", p["page"], None, p["grade"],
                          f"{p['name']}: {p['grade']} at {p['score']:g}"
                          + ("" if ok else f", but {against['name']} scores {against['score']:g} "
                             f"with the {'lower' if GRADE_ORDER[against['grade']] < GRADE_ORDER[p['grade']] else 'higher'}"
                             f" grade {against['grade']}"),
                          severity=None if ok else "warning"))
    return out


def _grades_out_of_order(graded: list[dict]) -> dict[int, dict]:
    """Without a scale, which projects' grades break the order of the scores: those
    left out of some largest set of projects whose grades rise with their scores (one
    良 scoring above five 优 is the one out of line; of two that contradict each other
    alone, either may be wrong, so both are).  Each one's place in `graded` maps to a
    project it contradicts."""
    order = sorted(range(len(graded)), key=lambda k: (graded[k]["score"], GRADE_ORDER[graded[k]["grade"]]))
    ranks = [GRADE_ORDER[graded[k]["grade"]] for k in order]
    n = len(order)
    # longest chains of grades not falling, ending at / starting from each project
    ending = [1] * n
    for i in range(n):
        for j in range(i):
            if ranks[j] <= ranks[i]:
                ending[i] = max(ending[i], ending[j] + 1)
    starting = [1] * n
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if ranks[i] <= ranks[j]:
                starting[i] = max(starting[i], starting[j] + 1)
    longest = max(ending, default=0)
    on_some = [ending[i] + starting[i] - 1 == longest for i in range(n)]
    # a project on every longest chain is the only one of its place in them
    places: dict[int, int] = defaultdict(int)
    for i in range(n):
        if on_some[i]:
            places[ending[i]] += 1
    out = {}
    for i, k in enumerate(order):
        if on_some[i] and places[ending[i]] == 1:
            continue
        p, rank = graded[k], ranks[i]
        against = [q for q in graded if (GRADE_ORDER[q["grade"]] < rank and q["score"] > p["score"])
                   or (GRADE_ORDER[q["grade"]] > rank and q["score"] < p["score"])]
        if against:
            out[k] = against[0]
    return out


def _project_counts(projects: list[dict], counts: list[dict], options: dict) -> list[dict]:
    out = []
    whats = set(options.get("project_count_what", ["项目"]))
    stated = [c for c in counts if c.get("what") in whats]
    totals = [c for c in stated if c.get("grade") is None]
    by_grade = [c for c in stated if c.get("grade") is not None]
    listed = {(_name_key(p.get("name"))) for p in projects}
    for total in totals:
        n = total["count"]
        if by_grade:
            s = sum(c["count"] for c in by_grade)
            ok = s == n
            parts = "+".join(f"{c['count']}{c['grade']}" for c in by_grade)
            by_grades = _check("project.count", total["what"], "pass" if ok else "fail", total["page"], s, n,
                               f"{parts} = {s} projects by grade; the document states {n}")
            by_grades["_inputs"] = ("counts",)  # the document's own counts: no row of ours is added up
            out.append(by_grades)
        if listed:
            ok = len(listed) <= n
            out.append(_check("project.count", total["what"], "pass" if ok else "fail", total["page"],
                              len(listed), n,
                              f"{len(listed)} projects listed with figures, {n} stated"
                              + ("" if ok else ": more are listed than stated")))
    return out


def indicator_checks(indicators: list[dict], counts: list[dict]) -> list[dict]:
    out = []
    by_task = defaultdict(int)
    for ind in indicators:
        by_task[ind.get("task")] += 1
    first_by_what = {}
    for c in counts:
        what, n = c.get("what") or "", c["count"]
        group = vocab.counted_group(what)
        if group and not indicators:
            out.append(_check("indicator.count", what, "skipped", c["page"], None, n,
                              f"{what}: {n} stated, but no indicator rows were read to compare"))
        elif group and any(ind.get("_task_from_counts") for ind in indicators):
            out.append(_check("indicator.count", what, "skipped", c["page"], by_task.get(group, 0), n,
                              f"{what}: {n} stated; the indicators were placed under their tasks by "
                              f"these counts, so they prove nothing"))
        elif group:
            rows = by_task.get(group, 0)
            ok = rows == n
            out.append(_check("indicator.count", what, "pass" if ok else "fail", c["page"], rows, n,
                              f"{what}: {n} stated, {rows} indicator rows read for {group}"))
        elif c.get("listed") is not None and "指标" in what:
            ok = c["listed"] == n
            out.append(_check("indicator.count", what, "pass" if ok else "fail", c["page"], c["listed"], n,
                              f"{what}: {n} stated, {c['listed']} named after it"))
        elif "指标" in what and what in first_by_what:
            first = first_by_what[what]
            ok = first["count"] == n
            out.append(_check("indicator.count", what, "pass" if ok else "fail", c["page"], first["count"], n,
                              f"{what}: {n} stated here, {first['count']} on p.{first['page']}"))
        if "指标" in what:
            first_by_what.setdefault(what, c)
    return out


def score_checks(scores: list[dict], indicators: list[dict], tasks: list[dict], doc: dict,
                 totals: dict) -> list[dict]:
    out = []
    for table, rows, label in (("scores", scores, "level3"), ("indicators", indicators, "name"),
                               ("tasks", tasks, "task")):
        for r in rows:
            w, s = r.get("weight"), r.get("score")
            if w is None or s is None:
                continue
            ok = 0 <= s <= w + 1e-9
            out.append(_check("score.weight", r.get(label), "pass" if ok else "fail", r["page"],
                              f"0..{w:g}", f"{s:g}", f"{r.get(label)}: score {s:g} of {w:g}"))
    if scores:
        stated = totals.get("scores", {})
        page = stated.get("page", scores[-1]["page"])
        for col, doc_field, what in (("weight", "max_score", "分值"), ("score", "total_score", "得分")):
            target = doc.get(doc_field)
            values = [r.get(col) for r in scores]
            if target is None:
                continue
            missing = [r.get("level3") for r in scores if r.get(col) is None]
            if missing:  # e.g. a figure OCR could not read: say so rather than pass silently
                out.append(_check("score.total", f"合计 {what}", "skipped", page, None, f"{target:g}",
                                  f"{len(missing)} line(s) have no {what} ({', '.join(map(str, missing[:3]))}"
                                  f"{', …' if len(missing) > 3 else ''}): the total cannot be checked",
                                  severity="warning"))
                continue
            s = float(sum(Decimal(repr(v)) for v in values))
            ok = abs(s - target) < 0.005
            out.append(_check("score.total", f"合计 {what}", "pass" if ok else "fail", page, f"{s:g}", f"{target:g}",
                              f"the {len(values)} lines' {what} add up to {s:g}; 合计 prints {target:g}"))
    by_level1 = defaultdict(list)
    for ind in indicators + scores:  # a level printed with its weight: 产出指标（50分）, 部门决策（15分）
        if ind.get("level1_weight") is not None:
            by_level1[(ind.get("project"), ind.get("level1"), ind["level1_weight"])].append(ind)
    for (project, level1, weight), rows in by_level1.items():
        if any(r.get("weight") is None for r in rows):
            continue
        s = float(sum(Decimal(repr(r["weight"])) for r in rows))
        ok = abs(s - weight) < 0.005
        subject = " / ".join(x for x in (project, level1) if x)
        out.append(_check("score.total", subject, "pass" if ok else "fail", rows[0]["page"], f"{s:g}", f"{weight:g}",
                          f"{subject}: the weights of its lines add up to {s:g}, the level is printed as {weight:g}分"))
    return out


def _sum(values) -> float:
    return float(sum(Decimal(repr(v)) for v in values))


def form_total_checks(projects: list[dict], budget: list[dict], indicators: list[dict],
                      tasks: list[dict], totals: dict) -> list[dict]:
    """总分 = the budget-execution score (年度资金总额 得分, or the tasks' 金额合计 for a
    department) + the indicators' scores; likewise for 分值."""
    out = []
    forms = [(p.get("name"), p.get("max_score"), p.get("score"), p["page"]) for p in projects
             if p.get("source") == "table" and p.get("score") is not None]
    stated = totals.get("indicators")
    if stated and stated.get("score") is not None:
        forms.append((None, stated.get("weight"), stated.get("score"), stated["page"]))
    for project, max_score, score, page in forms:
        inds = [i for i in indicators if i.get("project") == project]
        if project is None:
            money = totals.get("tasks") or {}
        else:
            money = next((b for b in budget if b.get("project") == project and b.get("fund_source") == "合计"
                          and b.get("source") == "table"), {})
        if not inds:
            continue
        lines_whole = False  # the 分值 of the lines read make the form's full marks: no line was lost
        for col, target, what in (("weight", max_score, "分值"), ("score", score, "得分")):
            values = [i.get(col) for i in inds] + ([money[col]] if money.get(col) is not None else [])
            if target is None or any(v is None for v in values):
                continue
            s = _sum(values)
            ok = abs(s - target) < 0.005
            lines_whole = lines_whole or (col == "weight" and ok)
            subject = project or "部门整体支出"
            if not ok and s < target and any(i.get("_from_lines") for i in inds) and not lines_whole:
                # Read from text, a wrapped indicator line may have been missed: a shortfall
                # is doubtful, not proven — unless the same lines' 分值 make the full marks.
                out.append(_check("score.total", f"{subject} 总分{what}", "skipped", page, f"{s:g}",
                                  f"{target:g}", f"{subject}: the {len(inds)} indicator lines read from text add "
                                  f"up to {s:g} of the printed {target:g}; some lines may not have been read",
                                  severity="warning"))
                continue
            check = _check("score.total", f"{subject} 总分{what}", "pass" if ok else "fail", page,
                           f"{s:g}", f"{target:g}",
                           f"{subject}: budget-execution {what} {money.get(col, 0) or 0:g} + "
                           f"{len(inds)} indicators = {s:g}; 总分 prints {target:g}")
            # the budget-execution line is a fund line (or the tasks' 合计): its table counts too
            check["_inputs"] = ("scores", "indicators", "tasks" if project is None else "budget")
            out.append(check)
    return out


def task_checks(tasks: list[dict], totals: dict) -> list[dict]:
    out = []
    stated = totals.get("tasks")
    if not tasks or not stated:
        return out
    for col in ("budget", "budget_fiscal", "budget_other", "actual", "actual_fiscal", "actual_other"):
        if stated.get(col) is None or any(t.get(col) is None for t in tasks):
            continue
        s = sum((t[col] for t in tasks), Decimal(0))
        ok = s == stated[col]
        rounding = not ok and within_rounding(s, stated[col], tasks, col)
        out.append(_check("task.total", f"金额合计 {col}", "pass" if ok else "fail", stated["page"], _wan(s),
                          _wan(stated[col]), f"{len(tasks)} tasks' {col} add up to {_wan(s)}; "
                          f"the total line prints {_wan(stated[col])}" + (ROUNDING_NOTE if rounding else ""),
                          severity="warning" if rounding else None))
    return out


def run_checks(rows: dict[str, list[dict]], doc: dict, totals: dict, options: dict,
               incomplete: set[str] = frozenset()) -> list[dict]:
    out = budget_checks(rows["budget"], options)
    out += project_checks(rows["projects"], rows["counts"], options)
    out += indicator_checks(rows["indicators"], rows["counts"])
    out += score_checks(rows["scores"], rows["indicators"], rows["tasks"], doc, totals)
    out += task_checks(rows["tasks"], totals)
    out += form_total_checks(rows["projects"], rows["budget"], rows["indicators"], rows["tasks"], totals)
    out += unit_checks(rows)
    return doubt_text_read(skip_incomplete(out, set(incomplete)), rows)


def unit_checks(rows: dict[str, list[dict]]) -> list[dict]:
    """Amounts printed without any unit (none in the table, its header or the lines
    above it) were read in the pack's default unit: not guessed silently, but said."""
    out = []
    for table, table_rows in rows.items():
        assumed = [r for r in table_rows if r.get("_unit_assumed")]
        if assumed:
            unit, pages = assumed[0]["_unit_assumed"], sorted({r["page"] for r in assumed})
            out.append(_check("money.unit", table, "skipped", pages[0], None, None,
                              f"{table}: {len(assumed)} row(s) (p.{', '.join(map(str, pages))}) print amounts with no "
                              f"unit stated; they were read as {unit}, the pack's default", severity="warning"))
    return out
