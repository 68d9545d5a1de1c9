"""Seeded data of a generated document, per family: the blocks to print and the truth rows.

Everything printed is drawn from `vocab` with one `random.Random(seed)`; the truth rows are
written from the same figures (never read back from a rendering). Clean documents add up
exactly: fund lines sum to their 合计, rates are actual/budget rounded half-up at the printed
precision, scores stay within their weights and add up to the totals. A planted document
alters one printed figure and records the check that must fail on it."""
from __future__ import annotations

import random
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from . import vocab as V
from .model import Cell, Doc, PageBreak, Para, Planted, Table

C2 = Decimal("0.01")
FAMILIES = ("dept_report", "dept_scoring", "project_selfeval", "final_accounts")
RENDERERS = {"dept_report": ("reportlab", "writer"), "dept_scoring": ("reportlab", "writer", "calc"),
             "project_selfeval": ("reportlab", "writer", "calc"), "final_accounts": ("reportlab", "writer")}


def _level_spans(inds: list[dict], i: int) -> tuple[bool, bool, int, int]:
    """Whether indicator i opens its 一级 and its 二级 group, and how many rows each spans
    (the rows of a group stand together)."""
    ind = inds[i]
    first1 = i == 0 or inds[i - 1]["level1"] != ind["level1"]
    first2 = first1 or inds[i - 1]["level2"] != ind["level2"]
    span1 = sum(1 for x in inds if x["level1"] == ind["level1"])
    span2 = 0
    if first2:
        for x in inds[i:]:
            if x["level1"] != ind["level1"] or x["level2"] != ind["level2"]:
                break
            span2 += 1
    return first1, first2, span1, span2


def nfkc(s: str | None) -> str | None:
    if s is None:
        return None
    return "".join(unicodedata.normalize("NFKC", s).split())


def pct(num: Decimal, den: Decimal) -> Decimal | None:
    """The printed percentage (2 decimals, half-up), None for a zero denominator."""
    if den == 0:
        return None
    return (num / den * 100).quantize(C2, ROUND_HALF_UP)


def frac(p: Decimal | None) -> float | None:
    return None if p is None else float(p / 100)


def fnum(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def sc(x: Decimal) -> str:
    """A score as printed: 98.8, 100, 9.79."""
    s = f"{x.normalize():f}"
    return s


class Ctx:
    """The document-wide choices: unit, number format, grade scale."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.unit = rng.choice(["万元", "万元", "万元", "元", "千元"])
        self.factor = V.UNITS[self.unit]
        self.sep = rng.random() < 0.5          # thousands separators
        self.scale = rng.choice(V.GRADE_SCALES)
        self.fullwidth_pct = rng.random() < 0.15

    # money is drawn in the printed unit, 2 decimals, and stored in 元
    def money(self, lo_wan: float, hi_wan: float) -> Decimal:
        lo, hi = lo_wan * 10000 / self.factor, hi_wan * 10000 / self.factor
        return Decimal(self.rng.randint(int(lo * 100), int(hi * 100))) / 100

    def m(self, v: Decimal | None) -> str:
        if v is None:
            return ""
        return f"{v:,.2f}" if self.sep else f"{v:.2f}"

    def mu(self, v: Decimal) -> str:
        """Money in a sentence, with its unit."""
        return self.m(v) + self.unit

    def yuan(self, v: Decimal | None) -> str | None:
        return None if v is None else str((v * self.factor).quantize(C2))

    def p(self, v: Decimal | None, dash="—") -> str:
        if v is None:
            return dash
        return f"{v:.2f}" + ("％" if self.fullwidth_pct else "%")

    def grade(self, score: Decimal) -> str:
        for g, floor in self.scale:
            if score >= floor:
                return g
        return self.scale[-1][0]

    def worse_grade(self, g: str) -> str:
        names = [x for x, _ in self.scale]
        i = names.index(g)
        return names[i + 1] if i + 1 < len(names) else names[i - 1]


# ---------------------------------------------------------------- shared pieces

def department(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.25:
        city, districts = rng.choice(V.MUNICIPALITIES)
        place = city + (rng.choice(districts) if rng.random() < 0.7 else "")
    else:
        prov, cities, districts = rng.choice(V.PROVINCES)
        place = (prov if rng.random() < 0.15 else "") + rng.choice(cities)
        if rng.random() < 0.5:
            place += rng.choice(districts)
    if rng.random() < 0.08:
        fmt, sector = rng.choice(V.PARTY_ORGS)
        return fmt.format(place=place), sector
    bureau, sector = rng.choice(V.BUREAUS)
    return place + bureau, sector


def project_names(rng: random.Random, sector: str, year: int, n: int) -> list[str]:
    base = list(V.PROJECTS[sector])
    others = [p for s, ps in V.PROJECTS.items() if s != sector for p in ps]
    rng.shuffle(base)
    while len(base) < n:
        base.append(rng.choice(others))
    out = []
    for b in base[:n]:
        name = b + rng.choice(V.PROJECT_SUFFIX)
        if rng.random() < 0.3:
            name = f"{year}年{name}" if rng.random() < 0.6 else f"{year}年度{name}"
        if name in out:
            name = name + "（二期）"
        out.append(name)
    return out


def split_weight(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """n weights, multiples of 0.5, adding up to total."""
    units = int(total * 2)
    cuts = sorted(rng.sample(range(1, units), n - 1)) if n > 1 else []
    parts = [b - a for a, b in zip([0] + cuts, cuts + [units])]
    return [Decimal(p) / 2 for p in parts]


def indicator(rng: random.Random, ctx: Ctx, level2: str, year: int, sector_word: str, fail_ok=True) -> dict:
    name, unit = rng.choice(V.IND_NAMES[level2])
    name = name.replace("{x}", sector_word)
    achieved = not (fail_ok and rng.random() < 0.12)
    if unit == "text":
        t = rng.choice(V.QUALITATIVE)[0]
        return dict(name=name, target_text=t, actual_text=t, target_op=None, target_value=None, target_unit=None,
                    actual_value=None, actual_unit=None, achieved=True)
    if unit == "year":
        return dict(name=name, target_text=f"{year}年", actual_text=f"{year}年", target_op="=", target_value=float(year),
                    target_unit="年", actual_value=float(year), actual_unit="年", achieved=True)
    if unit in ("%", "%le"):
        le = unit == "%le"
        unit = "%"
        if le:
            op, tv = "<=", Decimal(100)
            av = Decimal(rng.choice([92, 96, 98, 99, 100])) if achieved else Decimal(rng.choice([102, 105]))
        else:
            op = rng.choice([">=", ">=", ">=", "=", ">"])
            tv = Decimal(100) if op == "=" else Decimal(rng.choice([80, 85, 90, 95, 98]))
            if op == "=":
                av = tv if achieved else Decimal(rng.choice([96, 98]))
            else:
                av = (tv + rng.choice([1, 2, 3, 4, 0 if op == ">=" else 1])).min(Decimal(100)) if achieved \
                    else tv - rng.choice([2, 5, 8])
                if op == ">" and av <= tv:
                    av = tv + 1
    else:
        op = rng.choice([">=", ">=", "=", "=", "<="]) if unit in ("次", "个", "人", "场", "家", "条", "人次", "批次",
                                                             "册", "台", "平方米") else rng.choice(["=", "<="])
        if unit in ("万元", "亿元"):
            tv = Decimal(rng.randint(1000, 900000)) / 100
        elif unit == "天":
            op = rng.choice(["<=", "=", ">="])
            tv = Decimal(rng.choice([5, 7, 15, 30, 365]))
        elif unit == "年":
            tv = Decimal(rng.choice([1, 2, 3, 5]))
            op = rng.choice(["=", ">="])
        elif unit.startswith("元"):
            tv = Decimal(rng.choice([38, 60, 120, 200, 500, 1500]))
        else:
            tv = Decimal(rng.randint(1, 500))
        if op == ">=":
            av = tv + rng.randint(0, max(1, int(tv) // 5)) if achieved else (tv - max(1, int(tv) // 10))
        elif op == "<=":
            av = tv - (rng.randint(0, max(1, int(tv) // 5)) if tv > 1 else 0) if achieved else tv + 1
            if av <= 0:
                av = tv
        else:
            av = tv if achieved else tv - max(1, int(tv) // 10) if tv > 1 else tv + 1
            if not achieved and av == tv:
                av = tv + 1
    word = rng.choice(V.OP_WORDS[op])
    u = "％" if (unit == "%" and ctx.fullwidth_pct) else unit
    tvs, avs = sc(tv), sc(av)
    target_text = f"{word}{tvs}{u}"
    actual_text = f"{avs}{u}"
    ok = {">=": av >= tv, "<=": av <= tv, ">": av > tv, "<": av < tv, "=": av == tv}[op]
    return dict(name=name, target_text=target_text, actual_text=actual_text, target_op=op, target_value=float(tv),
                target_unit=unit, actual_value=float(av), actual_unit=unit, achieved=bool(ok))


def C(text, **kw) -> Cell:
    return Cell(str(text), **kw)


def R(text) -> Cell:
    return Cell(str(text), align="right")


def budget_row(project, fund_source, initial=None, adjustment=None, adjusted=None, actual=None, exec_rate=None,
               adjust_rate=None, source="table", anchors=()):
    return dict(project=project, fund_source=fund_source, initial=initial, adjustment=adjustment, adjusted=adjusted,
                actual=actual, exec_rate=exec_rate, adjust_rate=adjust_rate, source=source,
                _anchors=[a for a in anchors if a])


def project_row(name, budget=None, actual=None, exec_rate=None, score=None, max_score=None, grade=None,
                source="table", anchors=()):
    return dict(name=name, budget=budget, actual=actual, exec_rate=exec_rate, score=score, max_score=max_score,
                grade=grade, source=source, _anchors=[a for a in anchors if a])


def count_row(what, count, grade=None, amount=None, score=None, anchors=()):
    return dict(what=what, grade=grade, count=count, amount=amount, score=score, _anchors=[a for a in anchors if a])


# ---------------------------------------------------------------- project self-evaluation form

def project_form(rng: random.Random, ctx: Ctx, doc: Doc, name: str, dept: str, sector: str, plant: str | None,
                 style: dict) -> tuple[list, dict]:
    """One 项目支出绩效自评表: blocks, and the project's figures for summaries elsewhere."""
    year = doc.year
    unit_in_label = rng.random() < 0.6
    lbl = {k: rng.choice(getattr(V, k)) for k in ("INITIAL", "ADJUSTED", "ACTUAL", "WEIGHT", "SCORE", "RATE",
                                                  "TARGET", "ACTUAL_VALUE", "TOTAL_LINE", "TOTAL_SCORE", "DEVIATION")}
    # fund lines
    fiscal_ini = ctx.money(5, 3000)
    carry_adj = ctx.money(0, 50) if rng.random() < 0.5 else Decimal(0)
    other_ini = ctx.money(0, 100) if rng.random() < 0.4 else Decimal(0)
    fiscal_adj = fiscal_ini + (Decimal(rng.randint(-20, 20)) * fiscal_ini / 100).quantize(C2) if rng.random() < 0.5 \
        else fiscal_ini
    lines = []
    fiscal = rng.choice(["当年财政拨款", "当年财政拨款", "财政拨款", "本年财政拨款"])
    carry = rng.choice(["上年结转资金", "上年结转资金", "上年结余结转资金"])
    for label, ini, adj in ((fiscal, fiscal_ini, fiscal_adj), (carry, Decimal(0), carry_adj),
                            ("其他资金", other_ini, other_ini)):
        act = adj if rng.random() < 0.35 else (adj * Decimal(rng.randint(7000, 10000)) / 10000).quantize(C2)
        lines.append([label, ini, adj, act])
    tot = ["合计", sum(l[1] for l in lines), sum(l[2] for l in lines), sum(l[3] for l in lines)]
    rates = {l[0]: pct(l[3], l[2]) for l in lines + [tot]}
    budget_score = (Decimal(10) * min(tot[3] / tot[2], Decimal(1))).quantize(C2, ROUND_HALF_UP) if tot[2] else Decimal(0)

    # indicators
    weights = rng.choice(V.LEVEL1_WEIGHTS)
    inds = []
    sector_word = rng.choice(["服务", "活动", "培训", "检查", "项目", "宣传"])
    for level1, w1 in zip(V.LEVEL1, weights):
        l2s = V.LEVEL2[level1]
        chosen = [l2s[0]] if level1 == "满意度指标" else rng.sample(l2s, rng.randint(1, min(3, len(l2s))))
        per = []
        for l2 in chosen:
            for _ in range(rng.randint(1, 2) if level1 != "满意度指标" else 1):
                per.append((l2, indicator(rng, ctx, l2, year, sector_word)))
        seen = set()
        per = [x for x in per if not (x[1]["name"] in seen or seen.add(x[1]["name"]))]
        ws = split_weight(rng, Decimal(w1), len(per))
        for (l2, ind), w in zip(per, ws):
            s = w if ind["achieved"] else (w * Decimal(rng.choice([50, 80, 90])) / 100).quantize(C2)
            inds.append(dict(level1=level1, level2=l2, weight=w, score=s, w1=w1, **ind))
    total = budget_score + sum(i["score"] for i in inds)
    grade = ctx.grade(total)

    printed = {"total": total, "grade": grade, "rates": dict(rates), "tot": list(tot), "lines": [list(l) for l in lines]}
    planted = None
    if plant == "budget.exec_rate":
        k = rng.choice([l[0] for l in lines if rates[l[0]] is not None] + ["合计"])
        printed["rates"][k] = rates[k] + Decimal(rng.choice([-3, -1, 2, 5]))
        planted = Planted(["budget.exec_rate"], [k if k != "合计" else "合计", name], f"{name} {k} 执行率")
    elif plant == "budget.total":
        col = rng.choice([1, 2, 3])
        printed["tot"][col] = tot[col] + Decimal(rng.choice([1, 10, 100]))
        if col in (2, 3):  # keep the total's rate consistent with its printed figures
            printed["rates"]["合计"] = pct(printed["tot"][3], printed["tot"][2])
        planted = Planted(["budget.total"], [name, "合计"], f"{name} 合计 column {col}")
    elif plant == "score.weight":
        i = rng.randrange(len(inds))
        inds[i]["score"] = inds[i]["weight"] + Decimal(rng.choice([1, 2, 5]))
        total = budget_score + sum(x["score"] for x in inds)
        printed["total"], printed["grade"] = total, ctx.grade(total)
        planted = Planted(["score.weight"], [inds[i]["name"]], f"{inds[i]['name']} score above weight")
    elif plant == "score.total":
        printed["total"] = total + Decimal(rng.choice([-2, -1, 1, 3]))
        printed["grade"] = ctx.grade(printed["total"])
        planted = Planted(["score.total"], [], f"{name} 总分")
    elif plant == "project.grade":
        printed["grade"] = ctx.worse_grade(grade) if total >= 90 else ctx.scale[0][0]
        planted = Planted(["project.grade"], [name], f"{name} grade {printed['grade']} for {total}")
    if planted:
        doc.planted.append(planted)

    f = ctx.yuan
    unit_cell = f"项目资金（{ctx.unit}）" if unit_in_label else "项目资金"
    title = rng.choice(V.PROJECT_FORM_TITLE)
    blocks = [Para(title, "title"), Para(rng.choice([f"（{year}年度）", f"({year}年度)", f"{year}年度"]), "subtitle")]
    if not unit_in_label:
        blocks.append(Para(rng.choice(V.UNIT_LINES).format(u=ctx.unit), "unit", keep=True))
    impl = dept.replace("局", "").replace("委员会", "") + rng.choice(["中心", "服务中心", "事务中心"]) \
        if rng.random() < 0.6 else dept
    rows: list[list] = []
    rows.append([C("项目名称"), C(name, colspan=8)] + [None] * 7)
    rows.append([C("主管部门"), C(dept, colspan=4), None, None, None, C("实施单位"), C(impl, colspan=3), None, None])
    n_lines = 5
    head = [C(unit_cell, rowspan=n_lines), C("", colspan=2), None] + [C(x, align="center") for x in (
        lbl["INITIAL"], lbl["ADJUSTED"], lbl["ACTUAL"], lbl["WEIGHT"], lbl["RATE"], lbl["SCORE"])]
    rows.append(head)
    pt = printed["tot"]
    rows.append([None, C(lbl["TOTAL_LINE"], colspan=2), None, R(ctx.m(pt[1])), R(ctx.m(pt[2])), R(ctx.m(pt[3])),
                 R("10"), R(ctx.p(printed["rates"]["合计"])), R(sc(budget_score))])
    blank_zero = rng.random() < 0.4
    truth_budget = [budget_row(name, "合计", f(pt[1]), None, f(pt[2]), f(pt[3]), frac(printed["rates"]["合计"]),
                               anchors=[ctx.m(pt[2]), ctx.m(pt[3])])]
    for i, (label, ini, adj, act) in enumerate(printed["lines"]):
        shown = ("其中：" + label) if i == 0 else label
        zero = ini == 0 and adj == 0 and act == 0
        if zero and blank_zero:
            rows.append([None, C(shown, colspan=2), None, C(""), C(""), C(""), C("—"), C(""), C("—")])
            truth_budget.append(budget_row(name, label))
            continue
        r = printed["rates"][label]
        rows.append([None, C(shown, colspan=2), None, R(ctx.m(ini)), R(ctx.m(adj)), R(ctx.m(act)), C("—"),
                     R(ctx.p(r)), C("—")])
        truth_budget.append(budget_row(name, label, f(ini), None, f(adj), f(act), frac(r),
                                       anchors=[ctx.m(adj), ctx.m(act)]))
    goal = rng.choice(["保障项目按计划顺利实施，", "完成年度工作任务，"]) + rng.choice(V.FILLER)
    done = rng.choice(["项目按计划实施完成，资金使用规范。", "年度目标基本完成，", "各项指标均已完成。"]) + rng.choice(V.FILLER)
    rows.append([C("年度总体目标", rowspan=2), C("预期目标", colspan=3), None, None, C("实际完成情况", colspan=5),
                 None, None, None, None])
    rows.append([None, C(goal, colspan=3), None, None, C(done, colspan=5), None, None, None, None])
    n_ind = len(inds)
    rows.append([C("绩效指标", rowspan=n_ind + 1), C("一级指标"), C("二级指标"), C("三级指标"), C(lbl["TARGET"]),
                 C(lbl["ACTUAL_VALUE"]), C(lbl["WEIGHT"]), C(lbl["SCORE"]), C(lbl["DEVIATION"])])
    merge = style.get("merge", True)
    truth_ind = []
    for i, ind in enumerate(inds):
        first1, first2, span1, span2 = _level_spans(inds, i)
        l1txt = ind["level1"] + (f"（{ind['w1']}分）" if style.get("level1_weight") else "")
        if merge:
            c1 = C(l1txt, rowspan=span1) if first1 else None
            c2 = C(ind["level2"], rowspan=span2) if first2 else None
        else:
            c1 = C(l1txt if first1 else "")
            c2 = C(ind["level2"] if first2 else "")
        why = "" if ind["achieved"] else rng.choice(["受客观因素影响，未完全达到目标，下一步加强督导。", "部分工作进度滞后。"])
        rows.append([None, c1, c2, C(ind["name"]), C(ind["target_text"]), C(ind["actual_text"]), R(sc(ind["weight"])),
                     R(sc(ind["score"])), C(why)])
        truth_ind.append(dict(project=name, task=None, level1=ind["level1"], level2=ind["level2"], name=ind["name"],
                              content=None, target_text=nfkc(ind["target_text"]), actual_text=nfkc(ind["actual_text"]),
                              target_op=ind["target_op"], target_value=ind["target_value"],
                              target_unit=ind["target_unit"], actual_value=ind["actual_value"],
                              actual_unit=ind["actual_unit"], achieved=ind["achieved"], weight=float(ind["weight"]),
                              score=float(ind["score"]), _anchors=[ind["name"], ind["target_text"]]))
    rows.append([C(lbl["TOTAL_SCORE"], colspan=6, align="center"), None, None, None, None, None, R("100"),
                 R(sc(printed["total"])), C("")])
    grade_label = rng.choice(["自评等级", "绩效等级", "评价等级"])
    rows.append([C(grade_label, colspan=6, align="center"), None, None, None, None, None,
                 C(printed["grade"], colspan=3, align="center"), None, None])
    widths = [1.0, 1.2, 1.3, 1.9, 1.3, 1.3, 0.7, 0.8, 1.5] if not style.get("narrow_labels") else \
        [0.9, 0.9, 1.1, 2.0, 1.4, 1.4, 0.8, 0.8, 1.7]
    blocks.append(Table(rows, widths, header_rows=0, repeat_header=False, borders=style.get("borders", "grid"),
                        font=style.get("font", 8.5), kind="project_form"))
    doc.rows.setdefault("budget", []).extend(truth_budget)
    doc.rows.setdefault("indicators", []).extend(truth_ind)
    doc.rows.setdefault("projects", []).append(project_row(
        name, f(pt[2]), f(pt[3]), frac(printed["rates"]["合计"]), float(printed["total"]), 100.0, printed["grade"],
        # its form's page: the name with the form's own money and 总分 (a narrative or a list of
        # scores may print the name too)
        anchors=[name, ctx.m(pt[2]), ctx.m(pt[3]), sc(printed["total"]), "项目名称" + name]))
    info = dict(name=name, budget=pt[2], actual=pt[3], rate=printed["rates"]["合计"], score=printed["total"],
                grade=printed["grade"], initial=pt[1])
    return blocks, info


# ---------------------------------------------------------------- family (c)

def build_project_selfeval(rng, ctx, doc, plant, style):
    dept, sector = doc.department, doc.style["sector"]
    n = rng.choice([1, 1, 1, 2, 2, 3, 4, 6])
    names = project_names(rng, sector, doc.year, n)
    which = rng.randrange(n)
    infos = []
    for i, name in enumerate(names):
        blocks, info = project_form(rng, ctx, doc, name, dept, sector, plant if i == which else None, style)
        if i:
            doc.blocks.append(PageBreak())
        doc.blocks.extend(blocks)
        infos.append(info)
    if n == 1:
        doc.documents.update(total_score=float(infos[0]["score"]), grade=infos[0]["grade"])
    else:
        doc.documents.update(total_score=None, grade=None)
        doc.unscored += ["total_score", "grade"]


# ---------------------------------------------------------------- family (b)

def build_dept_scoring(rng, ctx, doc, plant, style):
    dept, year = doc.department, doc.year
    title = rng.choice(V.DEPT_FORM_TITLE)
    doc.blocks.append(Para(f"{year}年度{title}" if rng.random() < 0.5 else title, "title"))
    head_rows = [[C("年度"), C(str(year), colspan=4), None, None, None],
                 [C("单位名称"), C(dept, colspan=4), None, None, None],
                 [C("年度总目标"), C(rng.choice(V.FILLER) + rng.choice(V.FILLER), colspan=4), None, None, None],
                 [C("年度完成情况"), C(rng.choice(V.FILLER), colspan=4), None, None, None]]
    # budget header: 合计 and one partition of it
    parts = rng.choice([("基本支出", "项目支出"), ("财政拨款", "其他资金"), ("一般公共预算", "政府性基金", "其他资金")])
    lbl_i, lbl_a, lbl_x = rng.choice(V.INITIAL), rng.choice(V.ADJUSTED), rng.choice(V.ACTUAL)
    lines = []
    for p in parts:
        ini = ctx.money(20, 8000) if p != "其他资金" or rng.random() < 0.5 else Decimal(0)
        adj = ini + (ini * Decimal(rng.randint(-10, 25)) / 100).quantize(C2) if ini else ctx.money(0, 50)
        act = (adj * Decimal(rng.randint(8500, 10000)) / 10000).quantize(C2)
        lines.append([p, ini, adj, act])
    tot = ["合计", sum(l[1] for l in lines), sum(l[2] for l in lines), sum(l[3] for l in lines)]
    p_lines = [list(l) for l in lines]
    p_tot = list(tot)
    p_rates = {l[0]: pct(l[3], l[2]) for l in lines + [tot]}
    if plant == "budget.exec_rate":
        k = rng.choice(list(p_rates))
        if p_rates[k] is None:
            k = "合计"
        p_rates[k] += Decimal(rng.choice([-2, 3]))
        doc.planted.append(Planted(["budget.exec_rate"], [k], f"budget {k} rate"))
    elif plant == "budget.total":
        p_tot[3] += Decimal(rng.choice([1, 100]))
        p_rates["合计"] = pct(p_tot[3], p_tot[2])
        doc.planted.append(Planted(["budget.total"], ["合计"], "budget 合计 actual"))
    unit_cell = f"年度预算资金（{ctx.unit}）"
    brows = [[C(unit_cell), C(lbl_i), C(lbl_a), C(lbl_x), C(rng.choice(V.RATE))]]
    total_label = rng.choice(["合计", "年度资金总额", "金额合计"])
    f = ctx.yuan
    for label, ini, adj, act in [[total_label] + p_tot[1:]] + p_lines:
        key = "合计" if label == total_label else label
        brows.append([C(label), R(ctx.m(ini)), R(ctx.m(adj)), R(ctx.m(act)), R(ctx.p(p_rates[key]))])
        doc.rows.setdefault("budget", []).append(budget_row(None, key, f(ini), None, f(adj), f(act),
                                                            frac(p_rates[key]), anchors=[ctx.m(adj), ctx.m(act)]))
    doc.blocks.append(Table(head_rows + brows, [1.4, 1.2, 1.2, 1.2, 1.0], header_rows=0, repeat_header=False,
                            borders=style.get("borders", "grid"), font=style.get("font", 9), kind="scoring_head"))

    # scoring lines
    tmpl = rng.choice(V.SCORING_TEMPLATES)
    wl, sl = rng.choice(V.WEIGHT), rng.choice(V.SCORE)
    two_row = style.get("two_row_header", False)
    crit_label = rng.choice(["评分标准", "评分细则", "评分标准及说明"])
    basis_label = rng.choice(["评分依据", "评分依据、未达标原因、改进措施", "备注"])
    lines3 = []
    for l1, w1, groups in tmpl:
        for l2, items in groups:
            for l3, w in items:
                w = Decimal(w)
                s = w if rng.random() < 0.7 else (w * Decimal(rng.randint(8000, 9900)) / 10000).quantize(C2)
                lines3.append(dict(l1=l1, w1=w1, l2=l2, l3=l3, w=w, s=s))
    total = sum(x["s"] for x in lines3)
    p_total = total
    p_w1 = {l1: w1 for l1, w1, _ in tmpl}
    show_w1 = style.get("level1_weight", False)
    if plant == "score.weight":
        x = rng.choice(lines3)
        x["s"] = x["w"] + Decimal(rng.choice([1, 2]))
        p_total = sum(y["s"] for y in lines3)
        doc.planted.append(Planted(["score.weight"], [x["l3"]], f"{x['l3']} above weight"))
    elif plant == "score.total":
        if show_w1 and rng.random() < 0.5:
            l1 = rng.choice(list(p_w1))
            p_w1[l1] += 5
            doc.planted.append(Planted(["score.total"], [l1], f"level-1 weight {l1}"))
        else:
            p_total = total + Decimal(rng.choice([-1, 2]))
            doc.planted.append(Planted(["score.total"], [], "合计 score"))
    if two_row:
        header = [[C("指标", colspan=3, align="center"), None, None, C(wl, rowspan=2), C(sl, rowspan=2),
                   C(crit_label, rowspan=2), C(basis_label, rowspan=2)],
                  [C("一级指标"), C("二级指标"), C("三级指标"), None, None, None, None]]
    else:
        header = [[C("一级指标"), C("二级指标"), C("三级指标"), C(wl), C(sl), C(crit_label), C(basis_label)]]
    rows = list(header)
    merge = style.get("merge", True)
    for i, x in enumerate(lines3):
        first1 = i == 0 or lines3[i - 1]["l1"] != x["l1"]
        first2 = first1 or lines3[i - 1]["l2"] != x["l2"]
        span1 = sum(1 for y in lines3 if y["l1"] == x["l1"])
        span2 = sum(1 for y in lines3 if y["l1"] == x["l1"] and y["l2"] == x["l2"])
        l1txt = x["l1"] + (f"（{p_w1[x['l1']]}分）" if show_w1 else "")
        if merge:
            c1 = C(l1txt, rowspan=span1) if first1 else None
            c2 = C(x["l2"], rowspan=span2) if first2 else None
        else:
            c1, c2 = C(l1txt if first1 else ""), C(x["l2"] if first2 else "")
        crit = rng.choice(V.CRITERIA).format(w10=sc(x["w"] / 10), w2=sc(x["w"] / 2))
        rows.append([c1, c2, C(x["l3"]), R(sc(x["w"])), R(sc(x["s"])), C(crit), C(rng.choice(V.BASIS))])
        doc.rows.setdefault("scores", []).append(dict(level1=x["l1"], level2=x["l2"], level3=x["l3"],
                                                      weight=float(x["w"]), score=float(x["s"]),
                                                      _w1=p_w1[x["l1"]] if show_w1 else None,
                                                      _anchors=[x["l3"]]))
    rows.append([C(rng.choice(["合计", "总分", "合计"]), colspan=3, align="center"), None, None, R("100"),
                 R(sc(p_total)), C(""), C("")])
    grade = None
    if rng.random() < 0.5:
        grade = ctx.grade(p_total)
        rows.append([C("自评等级", colspan=3, align="center"), None, None, C(grade, colspan=4), None, None, None])
    doc.blocks.append(Table(rows, [1.1, 1.1, 1.8, 0.6, 0.7, 3.2, 1.6], header_rows=len(header),
                            repeat_header=style.get("repeat_header", True), borders=style.get("borders", "grid"),
                            font=style.get("font", 8.5), kind="scoring"))
    doc.documents.update(total_score=float(p_total), grade=grade)


# ---------------------------------------------------------------- family (a)

def build_dept_report(rng, ctx, doc, plant, style):
    dept, year, sector = doc.department, doc.year, doc.style["sector"]
    f = ctx.yuan
    doc.blocks += [Para(dept, "title"), Para(f"{year}年部门整体支出绩效自评报告", "title"),
                   Para("一、基本情况", "h1"), Para("（一）部门概况", "h2"),
                   Para(f"{dept}内设{rng.randint(3, 12)}个科室，行政编制{rng.randint(10, 80)}名。" + rng.choice(V.FILLER)),
                   Para("（二）年度总体工作和重点工作任务", "h2"), Para(rng.choice(V.FILLER) + rng.choice(V.FILLER)),
                   Para("（三）部门整体支出情况", "h2")]
    # fund lines of the appendix
    srcs = rng.sample(["一般公共预算", "政府性基金", "一般公共预算结转", "上级补助收入", "其他资金", "国有资本经营预算"],
                      rng.randint(2, 4))
    lines = []
    for s in srcs:
        ini = ctx.money(10, 8000) if rng.random() < 0.85 else Decimal(0)
        adj = (ini * Decimal(rng.randint(-30, 60)) / 100).quantize(C2) if ini else ctx.money(50, 3000)
        act = ((ini + adj) * Decimal(rng.randint(8000, 10000)) / 10000).quantize(C2)
        lines.append([s, ini, adj, ini + adj, act])
    tot = ["合计"] + [sum(l[k] for l in lines) for k in (1, 2, 3, 4)]
    show_adjd = rng.random() < 0.5
    show_adjr = rng.random() < 0.5
    rates = {l[0]: pct(l[4], l[3]) for l in lines + [tot]}
    arates = {l[0]: pct(l[2], l[1]) for l in lines + [tot]}
    p_tot, p_rates = list(tot), dict(rates)
    n_tot, n_rate = list(tot), rates["合计"]   # what the narrative sentence prints
    if plant == "budget.exec_rate":
        n_rate = rates["合计"] + Decimal(rng.choice([-2, 1, 3]))
        doc.planted.append(Planted(["budget.exec_rate", "budget.narrative"], ["合计"], "narrative 预算执行率"))
    elif plant == "budget.total":
        p_tot[1] += Decimal(rng.choice([1, 10]))
        p_rates["合计"] = pct(p_tot[4], p_tot[3])
        arates["合计"] = pct(p_tot[2], p_tot[1])
        n_tot = list(p_tot)
        doc.planted.append(Planted(["budget.total"], ["合计"], "appendix 合计 initial"))
    elif plant == "budget.narrative":
        n_tot[4] = tot[4] - Decimal(rng.choice([100, 1000])) / (1 if ctx.unit != "万元" else 100)
        n_rate = pct(n_tot[4], n_tot[3])
        doc.planted.append(Planted(["budget.narrative"], ["合计"], "narrative 实际支出 ≠ table"))
    tmpl = rng.choice(V.BUDGET_SENTENCES)
    doc.blocks.append(Para(tmpl.format(y=year, ini=ctx.mu(n_tot[1]), adj=ctx.mu(n_tot[2]), adjd=ctx.mu(n_tot[3]),
                                       act=ctx.mu(n_tot[4]), rate=ctx.p(n_rate))))
    doc.rows.setdefault("budget", []).append(budget_row(None, "合计", f(n_tot[1]), f(n_tot[2]), f(n_tot[3]),
                                                        f(n_tot[4]), frac(n_rate), None, "narrative",
                                                        anchors=[ctx.m(n_tot[3]), ctx.m(n_tot[4])]))
    # tasks and their indicators
    n_tasks = rng.randint(2, 5)
    tnames = rng.sample(V.TASK_NAMES, n_tasks)
    tasks = []
    sector_word = rng.choice(["服务", "活动", "培训", "检查"])
    for k, tn in enumerate(tnames, 1):
        inds = []
        names = set()
        for _ in range(rng.randint(2, 5)):
            l2 = rng.choice(["数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标"])
            ind = indicator(rng, ctx, l2, year, sector_word, fail_ok=False)
            if ind["name"] in names:
                continue
            names.add(ind["name"])
            ind["content"] = rng.choice(["反映", "考核"]) + ind["name"] + rng.choice(["情况", "完成情况", ""])
            inds.append(ind)
        tasks.append(dict(task=f"任务{k}", name=tn, budget=ctx.money(5, 3000), inds=inds,
                          content=tn + "。" + rng.choice(V.FILLER), completion=rng.choice(V.FILLER)))
    key_inds = list(dict.fromkeys(i["name"] for t in tasks for i in t["inds"]))[:rng.randint(3, 6)]
    doc.blocks += [Para("（四）部门整体绩效管理情况", "h2"),
                   Para(rng.choice(V.KEY_INDICATOR_SENTENCE).format(y=year, n=len(key_inds), names="、".join(key_inds))
                        + rng.choice(V.FILLER))]
    doc.rows.setdefault("counts", []).append(count_row("关键指标", len(key_inds), anchors=["关键指标"]))
    # projects
    n_proj = rng.randint(6, 20)
    n_key = rng.randint(2, min(6, n_proj))
    pnames = project_names(rng, sector, year, n_key)
    projs = []
    for nm in pnames:
        b = ctx.money(5, 3000)
        a = b if rng.random() < 0.4 else (b * Decimal(rng.randint(7000, 10000)) / 10000).quantize(C2)
        s = Decimal(rng.choice([100, 100, 98, 95.5, 92, 88, 85.5, 79])).quantize(C2).normalize()
        projs.append(dict(name=nm, b=b, a=a, r=pct(a, b), s=s, g=ctx.grade(s)))
    grades = {}
    for p in projs:
        grades[p["g"]] = grades.get(p["g"], 0) + 1
    rest = n_proj - n_key
    top = ctx.scale[0][0]
    grades[top] = grades.get(top, 0) + rest
    p_grades = dict(grades)
    if plant == "project.exec_rate":
        p = rng.choice(projs)
        p["r"] = p["r"] + Decimal(rng.choice([-4, -1, 2]))
        doc.planted.append(Planted(["project.exec_rate"], [p["name"]], f"{p['name']} rate"))
    elif plant == "project.count":
        g = rng.choice(list(p_grades))
        p_grades[g] += 1
        doc.planted.append(Planted(["project.count"], [], "grade counts ≠ total"))
    elif plant == "project.grade":
        p = max(projs, key=lambda x: x["s"])
        if p["s"] >= 90 and len(projs) > 1 and min(x["s"] for x in projs) < p["s"]:
            p["g"] = ctx.scale[2][0]
            doc.planted.append(Planted(["project.grade"], [p["name"]], f"{p['name']} grade too low"))
    doc.blocks += [Para("二、综合评价分析", "h1"), Para("（一）自评结论综述", "h2")]
    ordered = [(g, p_grades[g]) for g, _ in ctx.scale if p_grades.get(g)]
    gp = rng.choice(V.GRADE_PART)
    parts = "，".join(gp.format(k=k, g=g) for g, k in ordered)
    doc.blocks.append(Para(f"通过自评，{year}年部门整体支出设置的{len(key_inds)}个关键指标均能达到设定的预期目标值；"
                           + rng.choice(V.PROJECT_COUNT_SENTENCES).format(n=n_proj, parts=parts)))
    doc.rows["counts"].append(count_row("关键指标", len(key_inds), anchors=["关键指标"]))
    doc.rows["counts"].append(count_row("项目", n_proj, anchors=[f"{n_proj}个项目"]))
    for g, k in ordered:
        doc.rows["counts"].append(count_row("项目", k, grade=g, anchors=[f"{k}个"]))
    doc.blocks.append(Para("（二）各项工作任务绩效目标完成情况分析", "h2"))
    plant_task = plant == "indicator.count"
    tk_planted = rng.randrange(n_tasks) if plant_task else -1
    for k, t in enumerate(tasks, 1):
        n = len(t["inds"]) + (1 if k - 1 == tk_planted else 0)
        doc.blocks.append(Para(rng.choice(V.TASK_COUNT_SENTENCE).format(k=k, task=t["name"], n=n,
                                                                      res="均达到预期目标值")))
        doc.rows["counts"].append(count_row(f"任务{k}的绩效目标", n, anchors=[t["name"]]))
    if plant_task:
        doc.planted.append(Planted(["indicator.count"], [f"任务{tk_planted + 1}"], "task indicator count"))
    doc.blocks.append(Para("（三）各重点任务项目支出完成情况分析", "h2"))
    for i, p in enumerate(projs, 1):
        mx = rng.choice(["（满分100分）", "", "（满分100分）"])
        doc.blocks.append(Para(rng.choice(V.PROJECT_SENTENCES).format(
            n=i, name=p["name"], b=ctx.mu(p["b"]), a=ctx.mu(p["a"]), r=ctx.p(p["r"]), use=rng.choice(V.USES),
            s=sc(p["s"]), mx=mx, g=p["g"])))
        doc.rows.setdefault("projects", []).append(project_row(p["name"], f(p["b"]), f(p["a"]), frac(p["r"]),
                                                               float(p["s"]), 100.0 if mx else None, p["g"],
                                                               "narrative", anchors=[p["name"]]))
    doc.blocks += [Para("三、存在的问题及改进措施", "h1"), Para(rng.choice(V.FILLER) + rng.choice(V.FILLER))]
    # appendix
    doc.blocks.append(PageBreak())
    doc.blocks.append(Para("附件", "h2"))
    doc.blocks.append(Para(rng.choice(V.DEPT_FORM_TITLE) + f"（{year}年度）", "title"))
    doc.blocks.append(Para(rng.choice(V.UNIT_LINES).format(u=ctx.unit), "unit", keep=True))
    hdr = ["资金来源", rng.choice(["年初预算", "年初预算数"]), rng.choice(["调整预算", "预算调整数", "年中调整预算"])]
    if show_adjd:
        hdr.append(rng.choice(["调整后预算", "调整后预算数"]))
    hdr += [rng.choice(["实际支出", "决算数", "全年执行数"]), rng.choice(["执行率", "预算执行率"])]
    if show_adjr:
        hdr.append("预算调整率")
    frows = [[C(h, align="center") for h in hdr]]
    for l in [p_tot] + lines:
        key = l[0]
        r = [C(key), R(ctx.m(l[1])), R(ctx.m(l[2]))]
        if show_adjd:
            r.append(R(ctx.m(l[3])))
        r += [R(ctx.m(l[4])), R(ctx.p(p_rates[key]))]
        if show_adjr:
            r.append(R(ctx.p(arates[key])))
        frows.append(r)
        doc.rows["budget"].append(budget_row(None, key, f(l[1]), f(l[2]), f(l[3]) if show_adjd else None, f(l[4]),
                                             frac(p_rates[key]), frac(arates[key]) if show_adjr else None, "table",
                                             anchors=[ctx.m(l[1]), ctx.m(l[4])]))
    doc.blocks.append(Table(frows, [1.6] + [1.0] * (len(hdr) - 1), header_rows=1, repeat_header=True,
                            borders=style.get("borders", "grid"), font=style.get("font", 9), kind="funds"))
    # tasks × indicators
    money_label = f"任务涉及资金（{ctx.unit}）"
    trows = [[C("任务"), C(rng.choice(["任务内容", "年初预期目标"])), C(rng.choice(["完成情况", "目标完成情况"])),
              C(money_label), C(rng.choice(["关键指标", "指标名称"])), C("指标内容"), C(rng.choice(V.TARGET)),
              C(rng.choice(V.ACTUAL_VALUE))]]
    merge = style.get("merge", True)
    for t in tasks:
        n = len(t["inds"])
        for j, ind in enumerate(t["inds"]):
            if j == 0:
                lead = [C(t["task"], rowspan=n if merge else 1), C(t["content"], rowspan=n if merge else 1),
                        C(t["completion"], rowspan=n if merge else 1), R(ctx.m(t["budget"])) if not merge else
                        Cell(ctx.m(t["budget"]), rowspan=n, align="right")]
            else:
                lead = [None] * 4 if merge else [C("")] * 4
            trows.append(lead + [C(ind["name"]), C(ind["content"]), C(ind["target_text"]), C(ind["actual_text"])])
            doc.rows.setdefault("indicators", []).append(dict(
                project=None, task=t["task"], level1=None, level2=None, name=ind["name"], content=ind["content"],
                target_text=nfkc(ind["target_text"]), actual_text=nfkc(ind["actual_text"]),
                target_op=ind["target_op"], target_value=ind["target_value"], target_unit=ind["target_unit"],
                actual_value=ind["actual_value"], actual_unit=ind["actual_unit"], achieved=ind["achieved"],
                weight=None, score=None, _anchors=[ind["name"], ind["content"]]))
        doc.rows.setdefault("tasks", []).append(dict(task=t["task"], content=nfkc(t["content"]),
                                                     completion=nfkc(t["completion"]), budget=f(t["budget"]),
                                                     actual=None, exec_rate=None, weight=None, score=None,
                                                     _anchors=[t["content"][:12], ctx.m(t["budget"])]))
    if rng.random() < 0.5 or plant == "task.total":  # a 合计 line under the tasks
        t_sum = sum(t["budget"] for t in tasks)
        if plant == "task.total":
            t_sum += Decimal(rng.choice([1, 10, 100]))
            doc.planted.append(Planted(["task.total"], [], "tasks 合计 ≠ sum of the tasks"))
        trows.append([C(rng.choice(["合计", "金额合计"]), colspan=3), None, None, R(ctx.m(t_sum)), C(""), C(""), C(""),
                      C("")])
        doc.notes["task_total"] = str(t_sum * ctx.factor)
    doc.blocks.append(Table(trows, [0.6, 2.2, 2.2, 1.0, 1.3, 1.4, 0.9, 0.9], header_rows=1,
                            repeat_header=style.get("repeat_header", True), borders=style.get("borders", "grid"),
                            font=style.get("font", 8), kind="tasks"))
    doc.documents.update(total_score=None, grade=None)


# ---------------------------------------------------------------- 部门整体支出绩效自评表 inside a 决算

TASK_FUNCS = ["一般公共服务支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出", "社会保障和就业支出",
              "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出", "住房保障支出",
              "灾害防治及应急管理支出", "其他支出"]


def dept_form(rng, ctx, doc, plant, style):
    """Xi'an style: tasks (功能科目) with 全年预算数 / 全年执行数 split 总额 / 财政拨款 / 其他资金, 分值, 执行率,
    得分, a 金额合计 line worth 10; then 一级 / 二级 / 指标内容 indicators worth 90; 总分."""
    f = ctx.yuan
    n = rng.randint(3, 8)
    tasks = []
    tw = split_weight(rng, Decimal(10), n)
    for name, w in zip(rng.sample(TASK_FUNCS, n), tw):
        bf = ctx.money(10, 20000)
        bo = ctx.money(0, 3000) if rng.random() < 0.5 else Decimal(0)
        af = bf if rng.random() < 0.6 else (bf * Decimal(rng.randint(8000, 10000)) / 10000).quantize(C2)
        ao = bo if rng.random() < 0.5 else (bo * Decimal(rng.randint(5000, 10000)) / 10000).quantize(C2)
        tasks.append(dict(task=name, bf=bf, bo=bo, b=bf + bo, af=af, ao=ao, a=af + ao, w=w, s=w,
                          content="保障" + name.replace("支出", "") + rng.choice(["方面支出。", "工作正常开展。", "相关业务支出。"]),
                          completion=rng.choice(["任务完成", "基本任务完成", "部分任务完成"])))
    tot = {k: sum(t[k] for t in tasks) for k in ("bf", "bo", "b", "af", "ao", "a")}
    p_tot = dict(tot)
    if plant == "task.total":
        p_tot["b"] = tot["b"] + Decimal(rng.choice([1, 10]))
        doc.planted.append(Planted(["task.total", "budget.total"], [], "金额合计 全年预算数 总额"))
    rate = pct(p_tot["a"], p_tot["b"])
    money_score = (Decimal(10) * min(p_tot["a"] / p_tot["b"], Decimal(1))).quantize(C2, ROUND_HALF_UP)
    inds = []
    weights = rng.choice(V.LEVEL1_WEIGHTS)
    k = 0
    for level1, w1 in zip(V.LEVEL1, weights):
        l2s = V.LEVEL2[level1]
        chosen = [l2s[0]] if level1 == "满意度指标" else rng.sample(l2s, rng.randint(1, 2))
        per = []
        for l2 in chosen:
            for _ in range(rng.randint(1, 3)):
                ind = indicator(rng, ctx, l2, doc.year, rng.choice(["服务", "医疗", "监督"]))
                if all(ind["name"] != x["name"] for _, x in per):
                    per.append((l2, ind))
        for (l2, ind), w in zip(per, split_weight(rng, Decimal(w1), len(per))):
            s = w if ind["achieved"] else (w * Decimal(rng.choice([50, 80, 90])) / 100).quantize(C2)
            k += 1
            inds.append(dict(level1=level1, level2=l2, w=w, s=s, k=k, **ind))
    total = money_score + sum(i["s"] for i in inds)
    u = ctx.unit
    # 13 columns: 年度主要任务完成情况 | 任务名称 | 主要内容 | 完成情况 | 预算 ×3 | 执行 ×3 | 分值 | 执行率 | 得分
    rows = [[C("部门（单位）名称", colspan=3), None, None, C(doc.department, colspan=10)] + [None] * 9,
            [C("年度主要任务完成情况", rowspan=len(tasks) + 3), C("任务名称", rowspan=2), C("主要内容", rowspan=2),
             C("完成情况", rowspan=2), C(f"全年预算数（{u}）", colspan=3), None, None, C(f"全年执行数（{u}）", colspan=3),
             None, None, C("分值", rowspan=2), C("执行率", rowspan=2), C("得分", rowspan=2)],
            [None, None, None, None, C("总额"), C("财政拨款"), C("其他资金"), C("总额"), C("财政拨款"), C("其他资金"),
             None, None, None]]
    for t in tasks:
        r = pct(t["a"], t["b"])
        rows.append([None, C(t["task"]), C(t["content"]), C(t["completion"])]
                    + [R(ctx.m(t[x])) for x in ("b", "bf", "bo", "a", "af", "ao")]
                    + [R(sc(t["w"])), R(ctx.p(r)), R(sc(t["s"]))])
        doc.rows["tasks"].append(dict(task=t["task"], content=nfkc(t["content"]), completion=t["completion"],
                                      budget=f(t["b"]), actual=f(t["a"]), exec_rate=frac(r), weight=float(t["w"]),
                                      score=float(t["s"]), _anchors=[t["task"], ctx.m(t["b"])]))
    rows.append([None, C("金额合计", colspan=3), None, None] + [R(ctx.m(p_tot[x])) for x in ("b", "bf", "bo", "a", "af", "ao")]
                + [R("10"), R(ctx.p(rate)), R(sc(money_score))])
    doc.rows["budget"].append(budget_row(None, "合计", None, None, f(p_tot["b"]), f(p_tot["a"]), frac(rate),
                                         anchors=[ctx.m(p_tot["b"]), ctx.m(p_tot["a"])]))
    rows.append([C("年度总体目标完成情况", colspan=4), None, None, None,
                 C(rng.choice(V.FILLER) + rng.choice(V.FILLER), colspan=9)] + [None] * 8)
    numbered = rng.random() < 0.6
    rows.append([C("一级指标", colspan=2), None, C("二级指标"), C("指标内容", colspan=4), None, None, None,
                 C(rng.choice(V.TARGET), colspan=2), None, C(rng.choice(V.ACTUAL_VALUE), colspan=2), None,
                 C("分值"), C("得分")])
    for i, ind in enumerate(inds):
        first1, first2, span1, span2 = _level_spans(inds, i)
        label = (f"指标{ind['k']}：" if numbered else "") + ind["name"]
        rows.append([C(ind["level1"], colspan=2, rowspan=span1) if first1 else None, None,
                     C(ind["level2"], rowspan=span2) if first2 else None, C(label, colspan=4), None, None, None,
                     C(ind["target_text"], colspan=2), None, C(ind["actual_text"], colspan=2), None,
                     R(sc(ind["w"])), R(sc(ind["s"]))])
        doc.rows["indicators"].append(dict(
            project=None, task=None, level1=ind["level1"], level2=ind["level2"], name=ind["name"], content=None,
            target_text=nfkc(ind["target_text"]), actual_text=nfkc(ind["actual_text"]), target_op=ind["target_op"],
            target_value=ind["target_value"], target_unit=ind["target_unit"], actual_value=ind["actual_value"],
            actual_unit=ind["actual_unit"], achieved=ind["achieved"], weight=float(ind["w"]), score=float(ind["s"]),
            _anchors=[ind["name"], ind["target_text"]]))
    rows.append([C("总分", colspan=11), None, None, None, None, None, None, None, None, None, None,
                 R("100"), R(sc(total))])
    widths = [0.5, 1.0, 1.9, 0.9, 1.0, 1.0, 0.9, 1.0, 1.0, 0.9, 0.6, 0.8, 0.6]
    blocks = [Para(f"{doc.department}部门整体支出绩效自评表", "title"), Para(f"（{doc.year}年度）", "subtitle"),
              Table(rows, widths, header_rows=0, repeat_header=False, borders=style.get("borders", "grid"),
                    font=min(8.0, style.get("font", 8)), kind="dept_form")]
    return blocks, dict(budget=p_tot["b"], actual=p_tot["a"], rate=rate, score=total)


def fujian_table(rng, ctx, doc, style):
    """Fujian style 部门整体绩效自评表 money lines: 年初预算数, 全年预算数, 年度拨付金额, 实际支出, 支出实现率, 结余率
    (拨付 = 全年预算数 here, so the rate reads the same against either)."""
    f = ctx.yuan
    lines = []
    for label in ("基本支出", "项目支出"):
        ini = ctx.money(50, 5000)
        adj = ini + (ini * Decimal(rng.randint(-1000, 2000)) / 10000).quantize(C2)
        act = (adj * Decimal(rng.randint(8500, 10000)) / 10000).quantize(C2)
        lines.append([label, ini, adj, act])
    tot = ["合计"] + [sum(l[k] for l in lines) for k in (1, 2, 3)]
    rows = [[C(f"资金情况（{ctx.unit}）"), C("年初预算数"), C("全年预算数"), C("年度拨付金额"), C("实际支出"),
             C("支出实现率"), C("结余率")]]
    for l in [tot] + lines:
        r = pct(l[3], l[2])
        rows.append([C(l[0] if l[0] != "合计" else rng.choice(["合计", "年度资金总额"])), R(ctx.m(l[1])),
                     R(ctx.m(l[2])), R(ctx.m(l[2])), R(ctx.m(l[3])), R(ctx.p(r)), R(ctx.p(100 - r))])
        doc.rows["budget"].append(budget_row(None, l[0], f(l[1]), None, f(l[2]), f(l[3]), frac(r),
                                             anchors=[ctx.m(l[1]), ctx.m(l[3])]))
    blocks = [Para(rng.choice(V.DEPT_FORM_TITLE), "title"),
              Table(rows, [1.6, 1, 1, 1, 1, 0.9, 0.8], borders=style.get("borders", "grid"), kind="fujian")]
    return blocks, dict(budget=tot[2], actual=tot[3], rate=pct(tot[3], tot[2]))


# ---------------------------------------------------------------- family (d)

def build_final_accounts(rng, ctx, doc, plant, style):
    dept, year, sector = doc.department, doc.year, doc.style["sector"]
    f = ctx.yuan
    doc.blocks += [Para(dept, "title"), Para(f"{year}年度部门决算", "title"), PageBreak(),
                   Para("第一部分 部门概况", "h1")]
    for s in rng.sample(V.FA_SECTIONS, 3):
        doc.blocks += [Para(s, "h2"), Para(rng.choice(V.FILLER) + rng.choice(V.FILLER))]
    if rng.random() < 0.5:  # a table of the 决算 that is not self-evaluation
        rows = [[C("科目编码"), C("科目名称"), C("年初预算数"), C("决算数")]]
        for code, nm in (("201", "一般公共服务支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"),
                         ("221", "住房保障支出")):
            b = ctx.money(10, 900)
            rows.append([C(code), C(nm), R(ctx.m(b)), R(ctx.m(b))])
        doc.blocks += [Para(f"{year}年度一般公共预算财政拨款支出决算表", "h2"),
                       Para(rng.choice(V.UNIT_LINES).format(u=ctx.unit), "unit", keep=True),
                       Table(rows, [0.8, 2.5, 1.2, 1.2], borders=style.get("borders", "grid"), kind="decoy")]
    doc.blocks += [Para(rng.choice(["八、预算绩效情况说明", "九、预算绩效管理工作开展情况", "十、绩效自评工作开展情况"]), "h1")]
    # projects
    n = rng.randint(2, 8)
    names = project_names(rng, sector, year, n)
    n_forms = rng.choice([0, 1, 1, 2])
    forms, infos = [], []
    which_form_plant = plant if plant in ("budget.exec_rate", "score.weight") else None
    for i, nm in enumerate(names[:n_forms]):
        blocks, info = project_form(rng, ctx, doc, nm, dept, sector, which_form_plant if i == 0 else None, style)
        forms.append(blocks)
        infos.append(info)
    for nm in names[n_forms:]:
        b = ctx.money(5, 2000)
        a = b if rng.random() < 0.5 else (b * Decimal(rng.randint(7500, 10000)) / 10000).quantize(C2)
        s = Decimal(rng.choice([100, 99, 98.5, 96.53, 97.87, 93, 88])).quantize(C2).normalize()
        infos.append(dict(name=nm, budget=b, actual=a, rate=pct(a, b), score=s, grade=ctx.grade(s)))
    amount = sum(i["budget"] for i in infos)
    avg = (sum(i["score"] for i in infos) / n).quantize(C2, ROUND_HALF_UP)
    tmpl = rng.choice(V.FA_COUNT_SENTENCES)
    doc.blocks.append(Para(tmpl.format(y=year, n=n, amt=ctx.mu(amount), avg=sc(avg))))
    what = "绩效自评的项目"
    doc.rows.setdefault("counts", []).append(count_row(what, n, amount=f(amount),
                                                       score=float(avg) if "{avg}" in tmpl else None,
                                                       anchors=[ctx.m(amount)]))
    grades = {g: 0 for g, _ in ctx.scale}
    for i in infos:
        grades[i["grade"]] += 1
    if plant == "project.count":
        g = rng.choice(list(grades))
        grades[g] += 1
        doc.planted.append(Planted(["project.count"], [], "grade counts ≠ total"))
    if rng.random() < 0.7 or plant == "project.count":
        parts = "，".join(f"{g}的{k}个" for g, k in grades.items())
        doc.blocks.append(Para(rng.choice(V.FA_GRADE_SENTENCES).format(parts=parts)))
        for g, k in grades.items():
            doc.rows["counts"].append(count_row(what, k, grade=g, anchors=[f"{g}的{k}个"]))
    # the department sentence, and the department's own form when the 决算 prints one
    dform = rng.choice([None, None, "xian", "fujian"])
    if dform == "xian":
        dblocks, dinfo = dept_form(rng, ctx, doc, plant, style)
        dep_b, dep_a, dep_r, dep_s = dinfo["budget"], dinfo["actual"], dinfo["rate"], dinfo["score"]
    else:
        dep_s = Decimal(rng.choice([100, 99.5, 98, 96.2, 92])).quantize(C2).normalize()
        if dform == "fujian":
            dblocks, dinfo = fujian_table(rng, ctx, doc, style)
            dep_b, dep_a, dep_r = dinfo["budget"], dinfo["actual"], dinfo["rate"]
        else:
            dblocks = []
            dep_b = ctx.money(500, 90000)
            dep_a = (dep_b * Decimal(rng.randint(8000, 10000)) / 10000).quantize(C2)
            dep_r = pct(dep_a, dep_b)
    if plant == "budget.exec_rate" and not forms:
        dep_r = dep_r + Decimal(rng.choice([-3, 2]))
        doc.planted.append(Planted(["budget.exec_rate", "budget.narrative"], ["合计"], "department 完成预算的%"))
    doc.blocks.append(Para(rng.choice(V.FA_DEPT_SENTENCES).format(s=sc(dep_s), b=ctx.mu(dep_b), a=ctx.mu(dep_a),
                                                                  r=ctx.p(dep_r))))
    doc.rows.setdefault("budget", []).append(budget_row(None, "合计", None, None, f(dep_b), f(dep_a), frac(dep_r),
                                                        source="narrative", anchors=[ctx.m(dep_b), ctx.m(dep_a)]))
    doc.documents.update(total_score=float(dep_s), grade=None)
    # numbered project summaries
    narr = [dict(i) for i in infos]
    if plant == "project.exec_rate":
        x = rng.choice(narr)
        x["rate"] = x["rate"] + Decimal(rng.choice([-2, 4]))
        doc.planted.append(Planted(["project.exec_rate"], [x["name"]], f"{x['name']} 完成预算的%"))
    elif plant == "project.narrative" and forms:
        x = narr[0]
        x["actual"] = x["actual"] - Decimal(1)
        x["rate"] = pct(x["actual"], x["budget"])
        doc.planted.append(Planted(["project.narrative"], [x["name"]], f"{x['name']} summary ≠ its table"))
    tmpl = rng.choice(V.FA_PROJECT_SENTENCES)
    for k, x in enumerate(narr, 1):
        t = tmpl.replace("{name}项目", "{name}") if x["name"].endswith("项目") else tmpl  # no 项目项目
        doc.blocks.append(Para(t.format(n=k, name=x["name"], s=sc(x["score"]), b=ctx.mu(x["budget"]),
                                        a=ctx.mu(x["actual"]), r=ctx.p(x["rate"]), res=rng.choice(V.FA_RESULTS))))
        doc.rows.setdefault("projects", []).append(project_row(x["name"], f(x["budget"]), f(x["actual"]),
                                                               frac(x["rate"]), float(x["score"]), None, None,
                                                               "narrative", anchors=[x["name"], ctx.m(x["actual"])]))
    # the score list (Foshan style)
    if rng.random() < 0.6:
        rows = [[C("序号"), C("项目名称"), C(rng.choice(["自评分数", "自评得分"]))]]
        for k, x in enumerate(infos, 1):
            rows.append([C(str(k), align="center"), C(x["name"]), R(sc(x["score"]))])
            # the contract keeps one row per project and source: a project whose 自评表 is
            # printed too is one table row, on the page the list names it first
            form = next((r for r in doc.rows["projects"] if r["source"] == "table" and r["name"] == x["name"]), None)
            if form is not None:
                form["_anchors"] = [x["name"], sc(x["score"])]
                continue
            doc.rows["projects"].append(project_row(x["name"], score=float(x["score"]), source="table",
                                                    anchors=[x["name"], sc(x["score"])]))
        doc.blocks += [Para(rng.choice(["项目自评得分情况如下：", "各项目自评分数见下表："])),
                       Table(rows, [0.6, 4.0, 1.2], header_rows=1, repeat_header=True,
                             borders=style.get("borders", "grid"), kind="score_list")]
    if dblocks:
        doc.blocks.append(PageBreak())
        doc.blocks.extend(dblocks)
    for blocks in forms:
        doc.blocks.append(PageBreak())
        doc.blocks.extend(blocks)
    if plant in ("budget.exec_rate", "score.weight") and not doc.planted:
        pass  # nothing planted: the document stays clean


BUILDERS = {"dept_report": build_dept_report, "dept_scoring": build_dept_scoring,
            "project_selfeval": build_project_selfeval, "final_accounts": build_final_accounts}
PLANTS = {
    "dept_report": ["budget.exec_rate", "budget.total", "budget.narrative", "project.exec_rate", "project.count",
                    "project.grade", "indicator.count", "task.total"],
    "dept_scoring": ["score.weight", "score.total", "budget.exec_rate", "budget.total"],
    "project_selfeval": ["budget.exec_rate", "budget.total", "score.weight", "score.total", "project.grade"],
    "final_accounts": ["budget.exec_rate", "project.exec_rate", "project.count", "project.narrative",
                       "score.weight", "task.total"],
}


def build(index: int, seed: int, family: str | None = None, renderer: str | None = None,
          planted: bool | None = None) -> Doc:
    """The index-th document of the corpus of `seed` (family and renderer rotate with the index)."""
    rng = random.Random(f"{seed}:{index}")
    family = family or FAMILIES[index % 4]
    renderers = RENDERERS[family]
    renderer = renderer or renderers[(index // 4) % len(renderers)]
    year = rng.randint(2019, 2024)
    dept, sector = department(rng)
    style = dict(sector=sector,
                 borders=rng.choice(["grid", "grid", "grid", "none", "rules"]) if renderer == "reportlab" else
                 rng.choice(["grid", "grid", "none"]),
                 repeat_header=rng.random() < 0.6, merge=rng.random() < 0.75, two_row_header=rng.random() < 0.4,
                 level1_weight=rng.random() < 0.4, narrow_labels=rng.random() < 0.4,
                 landscape=family == "dept_scoring" and rng.random() < 0.7 or family == "project_selfeval"
                 and rng.random() < 0.3,
                 font=rng.choice([8, 8.5, 9, 10]), serif=rng.random() < 0.5,
                 footer=rng.choice([None, None, "第 {p} 页", "- {p} -", "{p}", "第{p}页 共{n}页"]))
    if renderer == "calc":
        style["borders"] = "grid" if rng.random() < 0.8 else "none"
    ctx = Ctx(rng)
    doc = Doc(name=f"{index:04d}_{family}_{renderer}", family=family, seed=seed, renderer=renderer, style=style,
              department=dept, year=year)
    doc.documents = dict(kind=family, department=dept, year=year, total_score=None, grade=None)
    doc.rows = {t: [] for t in ("budget", "tasks", "projects", "indicators", "scores", "counts")}
    if planted is None:  # a quarter of each family, the kinds of error in turn
        planted = (index // 4) % 4 == 3
    kinds = PLANTS[family]
    plant = kinds[(index // 16 + seed) % len(kinds)] if planted else None
    BUILDERS[family](rng, ctx, doc, plant, style)
    for table in ("budget", "tasks", "projects", "indicators", "scores", "counts"):
        doc.rows.setdefault(table, [])
    return doc
