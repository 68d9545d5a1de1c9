"""A generated multi-year panel with gold series, written as an extractor output folder.

    python tests/panel_gen.py OUTDIR [--seed N] [--departments 10] [--years 5]
    extractor link OUTDIR --accept-suggested
    python tests/panel_score.py OUTDIR          # pair precision / recall / F1, decoy rate

Departments of Chinese districts, each with projects and their indicators plus
department-level indicators, over consecutive years.  Names are built from parts
(qualifier, subject, action, fund word; modifier, object, measure) and drift year by
year the way reports reword them: a fund word swapped for its synonym (专项资金 /
补助资金 / 经费), a verb for its variant (建设 / 建成, 购置 / 采购), a qualifier added
(乡村振兴…, 全区…), a word dropped, two parts reordered, a year or list number put in
front.  Budgets drift ±30 % a year, a unit may change (万元 → 元 rescales the value,
个 → 家 does not), rows go missing for a year or several, projects start and end,
two departments are renamed, one department misses a whole year.  Decoys are
different things with similar names: a project or indicator whose modifier or action
differs (道路保洁 / 道路维修, 企业满意度 / 员工满意度), created beside the true one
or in the years after it stopped.

The generator knows nothing of the linker: drift is sampled from the parts' variants
with fixed probabilities, and the gold is the series id each row was generated from.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from extractor.normalize.departments import department_key
from extractor.normalize import clean_text
from extractor.tables import ALL_TABLES, to_arrow

DISTRICTS = ["广州市荔湾区", "深圳市福田区", "成都市武侯区", "杭州市西湖区", "武汉市江汉区", "南京市鼓楼区",
             "西安市雁塔区", "长沙市岳麓区", "郑州市金水区", "济南市历下区", "合肥市蜀山区", "昆明市五华区"]

# Department types: printed name (a renamed one as old -> new) and its project subjects.
# A subject is (object, action): 道路 + 保洁; a decoy pair shares the object and differs
# in the action (道路保洁 / 道路维修) or shares the action and differs in the object.
DEPARTMENTS = {
    "城管": (["城市管理和综合执法局"], [("道路", "保洁"), ("道路", "维修"), ("垃圾", "分类处理"), ("市容环境", "整治"),
                                  ("公厕", "改造"), ("河道", "清淤"), ("绿地", "养护")]),
    "卫健": (["卫生和计划生育委员会", "卫生健康委员会"], [("病媒生物", "防制"), ("食品安全", "抽检"), ("药品安全", "抽检"),
                                               ("家庭医生", "签约服务"), ("基层医疗设备", "购置"), ("妇幼保健", "服务")]),
    "政数": (["政务服务数据管理局", "政务服务和数据管理局"], [("政务服务中心", "运维"), ("电子政务外网", "建设"),
                                                 ("数据共享平台", "建设"), ("政务热线", "运营"), ("政务大厅设备", "购置")]),
    "农业": (["农业农村局"], [("高标准农田", "建设"), ("示范点", "建设"), ("农村人居环境", "整治"), ("动物疫病", "防控"),
                         ("农机", "购置补贴")]),
    "教育": (["教育局"], [("校舍", "维修"), ("校舍", "建设"), ("学生营养餐", "补助"), ("教师", "培训"), ("智慧校园", "建设"),
                       ("学前教育", "补助")]),
    "民政": (["民政局"], [("养老服务", "补贴"), ("社区居家养老", "服务"), ("困难群众", "救助"), ("社会组织", "培育"),
                       ("殡葬设施", "改造")]),
    "商务": (["商务局"], [("产业", "扶持"), ("招商引资", "推介"), ("区级商贸展会", "补助"), ("市级商贸展会", "补助"),
                       ("电子商务", "发展"), ("消费券", "发放")]),
    "文旅": (["文化广电旅游体育局"], [("公共图书馆", "免费开放"), ("文化惠民演出", "组织"), ("文物", "保护修缮"),
                               ("全民健身设施", "建设"), ("非遗", "传承保护")]),
    "市监": (["市场监督管理局"], [("食品安全", "监督抽检"), ("特种设备", "安全检查"), ("计量器具", "检定"),
                             ("消费者权益", "保护"), ("企业登记", "服务")]),
}

# Variants a word is reworded to from one year to the next (the first is the usual form).
WORD_VARIANTS = {
    "建设": ["建设", "建成", "新建"], "购置": ["购置", "采购", "新购"], "维修": ["维修", "维修维护"],
    "保洁": ["保洁", "清扫保洁"], "整治": ["整治", "综合整治"], "补助": ["补助", "补贴"],
    "数量": ["数量", "个数", "数"], "满意度": ["满意度", "满意率"], "及时率": ["及时率", "及时性"],
    "合格率": ["合格率", "验收合格率"], "运维": ["运维", "运行维护"], "培训": ["培训", "业务培训"],
    "覆盖率": ["覆盖率", "覆盖面"], "服务": ["服务", "服务工作"],
    "提升": ["提升", "提高"], "组织": ["组织", "开展"],
    # rewordings the linker's lexicon (patterns/link.yaml `variants`) does not know
    "改造": ["改造", "改建"], "发放": ["发放", "派发"], "防控": ["防控", "防治"], "程度": ["程度", "情况"],
}
# Actions a successor decoy project takes (道路保洁 stops, 道路维修 starts the year after).
SUCCESSOR_ACTIONS = ["维修", "改造", "建设", "检测", "培训", "宣传"]  # not 补助: 补助资金 is a fund word
FUND_WORDS = ["专项资金", "补助资金", "经费", "工作经费", "项目", "资金"]
PROJECT_QUALIFIERS = ["乡村振兴", "全区", "重点", "年度", "民生实事"]
INDICATOR_QUALIFIERS = ["全年", "年度", "全区", "项目"]
# Decoy modifiers: the same measure of a different subject (企业 / 员工 满意度).
DECOY_SUBJECTS = {"企业": "员工", "群众": "游客", "台式电脑": "笔记本电脑", "登记": "注销", "区级": "市级",
                  "新增": "减少", "城区": "农村", "学生": "教师"}

# Indicator templates: parts (a "{o}" part is the project's object, "{a}" its action),
# level1, level2, unit, typical target.
INDICATOR_TEMPLATES = [
    (["{o}", "{a}", "覆盖率"], "产出指标", "数量指标", "%", 95),
    (["{o}", "{a}", "完成", "数量"], "产出指标", "数量指标", "个", 30),
    (["受益", "群众", "人数"], "产出指标", "数量指标", "人", 2000),
    (["新增", "服务", "场次"], "产出指标", "数量指标", "场", 12),
    (["{o}", "验收", "合格率"], "产出指标", "质量指标", "%", 98),
    (["{o}", "{a}", "达标率"], "产出指标", "质量指标", "%", 90),
    (["资金", "拨付", "及时率"], "产出指标", "时效指标", "%", 100),
    (["{a}", "任务", "完成", "及时率"], "产出指标", "时效指标", "%", 100),
    (["{o}", "{a}", "成本", "控制数"], "产出指标", "成本指标", "万元", 80),
    (["{o}", "环境", "改善", "程度"], "效益指标", "社会效益指标", None, None),
    (["城区", "居民", "生活", "质量", "提升"], "效益指标", "社会效益指标", None, None),
    (["项目", "实施", "可持续", "影响"], "效益指标", "可持续影响指标", None, None),
    (["服务对象", "满意度"], "满意度指标", "服务对象满意度指标", "%", 90),
    (["企业", "满意度"], "满意度指标", "服务对象满意度指标", "%", 90),
    (["群众", "满意度"], "满意度指标", "服务对象满意度指标", "%", 92),
]
DEPT_INDICATOR_TEMPLATES = [
    (["部门", "预算", "执行率"], "产出指标", "时效指标", "%", 95),
    (["新购", "台式电脑", "数量"], "产出指标", "数量指标", "台", 6),
    (["固定资产", "维修", "次数"], "产出指标", "数量指标", "次", 3),
    (["聘请", "法律顾问", "人数"], "产出指标", "数量指标", "名", 2),
    (["办公", "条件", "改善", "程度"], "效益指标", "社会效益指标", None, None),
    (["企业", "登记", "办理", "数量"], "产出指标", "数量指标", "家", 300),
    (["员工", "满意度"], "满意度指标", "服务对象满意度指标", "%", 85),
    (["三公", "经费", "控制率"], "产出指标", "成本指标", "%", 100),
]
UNIT_CHANGES = {"万元": ("元", 10000.0), "个": ("家", 1.0), "人": ("人次", 1.0)}


@dataclass
class Thing:
    """One gold series: a project or an indicator, its parts and how they drift."""
    gold: str
    parts: list[str]
    years: list[int]
    level1: str | None = None
    level2: str | None = None
    unit: str | None = None
    value: float | None = None
    task: str | None = None
    children: list["Thing"] = field(default_factory=list)
    budget: float | None = None


def _variant(rng: random.Random, part: str) -> str:
    for word, forms in WORD_VARIANTS.items():
        if word in part:
            return part.replace(word, rng.choice(forms))
    return part


def _drift(rng: random.Random, parts: list[str], qualifiers: list[str], rate: float) -> list[str]:
    """One year's rewording of a name, applied to last year's parts (so drift accumulates)."""
    parts = list(parts)
    if rng.random() < rate:
        op = rng.choice(["variant", "variant", "qualifier", "drop", "reorder", "fund"])
        if op == "variant":
            i = rng.randrange(len(parts))
            parts[i] = _variant(rng, parts[i])
        elif op == "qualifier" and not any(p in qualifiers for p in parts):
            parts.insert(0, rng.choice(qualifiers))
        elif op == "drop" and len(parts) > 3:
            # never the last two (the head), nor the word a decoy differs in (企业 of
            # 企业登记办理数量 beside 员工登记办理数量: no reader could tell them apart)
            i = rng.randrange(len(parts) - 2)
            if not any(w in parts[i] for pair in DECOY_SUBJECTS.items() for w in pair):
                del parts[i]
        elif op == "reorder" and len(parts) > 2:
            i = rng.randrange(len(parts) - 2)
            parts[i], parts[i + 1] = parts[i + 1], parts[i]
        elif op == "fund" and parts[-1] in FUND_WORDS:
            parts[-1] = rng.choice(FUND_WORDS)
    return parts


def _years(rng: random.Random, years: list[int], p_late=0.2, p_early=0.15, p_missing=0.08) -> list[int]:
    first, last = years[0], years[-1]
    if rng.random() < p_late and len(years) > 2:
        first = rng.choice(years[1:-1])
    if rng.random() < p_early:
        last = rng.choice([y for y in years if y > first] or [first])
    out = [y for y in years if first <= y <= last]
    if len(out) < 2:
        return out
    keep = [y for y in out if y in (out[0], out[-1]) or rng.random() >= p_missing]
    if len(keep) >= 5 and rng.random() < 0.15:  # a long gap: a row not read for two years
        i = rng.randrange(1, len(keep) - 2)
        del keep[i:i + 2]
    return keep


def _fill(template: str, obj: str, act: str) -> str:
    return template.replace("{o}", obj).replace("{a}", act)


def _decoy_parts(parts: list[str], rng: random.Random) -> list[str] | None:
    for i, p in enumerate(parts):
        for a, b in DECOY_SUBJECTS.items():
            if a in p:
                out = list(parts)
                out[i] = p.replace(a, b)
                return out
    return None


def generate(seed: int, n_departments: int = 10, n_years: int = 5, first_year: int = 2019):
    """The panel as a list of departments: (id, printed name per year, projects, department
    indicators), and the pairs of gold series that are decoys of each other."""
    rng = random.Random(seed)
    years = list(range(first_year, first_year + n_years))
    kinds = list(DEPARTMENTS)
    districts = rng.sample(DISTRICTS, len(DISTRICTS))
    departments, decoys = [], set()
    renamed = [k for k in kinds if len(DEPARTMENTS[k][0]) > 1]
    split = rng.choice(years[1:-1])
    for d in range(n_departments):
        kind = renamed[d] if d < len(renamed) else kinds[rng.randrange(len(kinds))]
        dist = districts[d % len(districts)]
        dept_years = list(years)
        if d == len(renamed):  # one department misses a whole year (its report was not read)
            dept_years.remove(rng.choice(years[1:-1]))
        # A decoy for the renamed-department suggestion: in one district a department
        # stops reporting and an unrelated one starts the year after (the same generic
        # indicators, 部门预算执行率 / 服务对象满意度, but other projects).
        if d == n_departments - 2:
            dept_years = [y for y in years if y <= split]
        if d == n_departments - 1:
            dist = districts[(d - 1) % len(districts)]
            kind = next(k for k in kinds[rng.randrange(len(kinds)):] + kinds if k != departments[-1][4]
                        and len(DEPARTMENTS[k][0]) == 1)
            dept_years = [y for y in years if y > split]
        names_by_kind, subjects = DEPARTMENTS[kind]
        # The first departments are the renamed ones; others of their kind already
        # have the new name.
        rename_at = rng.choice(years[1:-1]) if len(names_by_kind) > 1 and d < len(renamed) else None
        if len(names_by_kind) > 1 and rename_at is None:
            names_by_kind = names_by_kind[-1:]
        printed = {}
        for y in dept_years:
            base = names_by_kind[-1] if rename_at and y >= rename_at else names_by_kind[0]
            printed[y] = dist + base + ("（部门）" if rng.random() < 0.15 else "")
        did = f"d{d}"
        projects = []
        chosen = rng.sample(subjects, k=min(len(subjects), rng.randint(4, 6)))
        for p, (obj, act) in enumerate(chosen):
            fund = rng.choice([f for f in FUND_WORDS if f[:2] not in act])  # not 补助补助资金
            proj = Thing(f"{did}/p{p}", [obj, act, fund], _years(rng, dept_years, p_missing=0.05),
                         budget=rng.choice([30, 80, 150, 400, 1200, 3000]) * 10000 * rng.uniform(0.8, 1.2))
            templates = rng.sample(INDICATOR_TEMPLATES, k=rng.randint(4, 7))
            for i, (parts, l1, l2, unit, value) in enumerate(templates):
                parts = [_fill(t, obj, act) for t in parts]
                proj.children.append(Thing(f"{proj.gold}/i{i}", parts, _years(rng, proj.years), l1, l2, unit,
                                           value * rng.uniform(0.7, 1.3) if value else None))
            projects.append(proj)
            # A successor decoy: the same object, another action, from the year after
            # the project stopped, with indicators from the same templates
            # (道路保洁经费 2019-2020, 道路维修经费 2021-2023).
            after = [y for y in dept_years if y > proj.years[-1]]
            if after and rng.random() < 0.5:
                act2 = rng.choice([a for a in SUCCESSOR_ACTIONS if a not in act])
                twin = Thing(f"{proj.gold}s", [obj, act2, rng.choice(FUND_WORDS)], after,
                             budget=proj.budget * rng.uniform(0.5, 2))
                for i, (parts, l1, l2, unit, value) in enumerate(templates):
                    parts = [_fill(t, obj, act2) for t in parts]
                    twin.children.append(Thing(f"{twin.gold}/i{i}", parts, _years(rng, after), l1, l2, unit,
                                               value * rng.uniform(0.7, 1.3) if value else None))
                    decoys.add(frozenset((f"{proj.gold}/i{i}", f"{twin.gold}/i{i}")))
                decoys.add(frozenset((proj.gold, twin.gold)))
                projects.append(twin)
        # Decoy projects beside each other: subjects of the pool that share a word
        # (道路保洁 / 道路维修, 区级 / 市级 展会), see the pairs below.
        dept_inds = []
        for i, (parts, l1, l2, unit, value) in enumerate(rng.sample(DEPT_INDICATOR_TEMPLATES, k=rng.randint(3, 6))):
            dept_inds.append(Thing(f"{did}/t{i}", list(parts), _years(rng, dept_years), l1, l2, unit,
                                   value * rng.uniform(0.7, 1.3) if value else None, task=f"任务{1 + i % 3}"))
        # Indicator decoys: a look-alike of an indicator, in the same project, in years of
        # its own (beside the original, or after it stopped).
        for group, prefix in [(p.children, p.gold) for p in projects] + [(dept_inds, f"{did}/t")]:
            for thing in list(group):
                twin = _decoy_parts(thing.parts, rng)
                if twin is None or rng.random() < 0.5:
                    continue
                after = [y for y in dept_years if y > thing.years[-1]]
                ys = after if after and rng.random() < 0.5 else _years(rng, dept_years)
                decoy = Thing(f"{thing.gold}x", twin, ys, thing.level1, thing.level2, thing.unit, thing.value,
                              task=thing.task)
                group.append(decoy)
                decoys.add(frozenset((thing.gold, decoy.gold)))
        for a in projects:
            for b in projects:
                if a.gold < b.gold and (a.parts[0] == b.parts[0] or a.parts[1] == b.parts[1]):
                    decoys.add(frozenset((a.gold, b.gold)))
        departments.append((did, printed, projects, dept_inds, kind))
    return departments, decoys, rng


def _doc_id(seed: int, dept: str, year: int) -> str:
    return hashlib.sha256(f"panel/{seed}/{dept}/{year}".encode()).hexdigest()


def _money(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(f"{x:.2f}")


def build(outdir: str | Path, seed: int = 1, n_departments: int = 10, n_years: int = 5, drift: float = 1.0) -> dict:
    """Write the panel as OUTDIR's documents / projects / indicators (contract schemas,
    the other tables empty) and OUTDIR/gold.json; return the gold:
    {"rows": {row key: gold series}, "decoys": [[gold a, gold b], ...]}, a row key being
    "doc_id|table|project|task|name" as in series_members.  `drift` scales the yearly
    probability that a name is reworded (projects 0.5, indicators 0.35)."""
    departments, decoys, rng = generate(seed, n_departments, n_years)
    rows = {t: [] for t in ALL_TABLES}
    gold: dict[str, str] = {}

    def names(thing: Thing, qualifiers, rate):
        """The name each year, drifting from the year before; noise of one year only
        (a year or list number in front) does not carry over."""
        out, parts = {}, thing.parts
        for y in thing.years:
            parts = _drift(rng, parts, qualifiers, rate) if out else parts
            name = "".join(parts)
            r = rng.random()
            if r < 0.08:
                name = f"{y}年{name}"
            elif r < 0.12 and thing.level1:
                name = f"{rng.randint(1, 9)}.{name}"
            out[y] = clean_text(name)
        return out

    for did, printed, projects, dept_inds, _ in departments:
        for year, department in printed.items():
            doc = _doc_id(seed, did, year)
            rows["documents"].append({
                "doc_id": doc, "source_path": f"panel/{did}/{year}.pdf", "format": "pdf", "kind": "dept_report",
                "department": clean_text(department), "year": year, "pages": 5, "status": "ok",
                "department_key": department_key(clean_text(department))})
        indicator_names = []
        for proj in projects:
            pnames = names(proj, PROJECT_QUALIFIERS, min(1.0, 0.5 * drift))
            budget = proj.budget
            for y in proj.years:
                if y not in printed:
                    continue
                budget *= rng.uniform(0.7, 1.3)
                actual = budget * rng.uniform(0.7, 1.0)
                if rng.random() >= 0.05:  # sometimes only its indicators were read
                    key = f"{_doc_id(seed, did, y)}|projects|||{pnames[y]}"
                    if key not in gold:
                        gold[key] = proj.gold
                        rows["projects"].append({
                            "doc_id": _doc_id(seed, did, y), "page": 2, "name": pnames[y], "budget": _money(budget),
                            "actual": _money(actual), "exec_rate": round(actual / budget, 4),
                            "score": round(rng.uniform(80, 100), 1), "max_score": 100.0, "source": "table"})
            for ind in proj.children:
                indicator_names.append((ind, {y: pnames[y] for y in ind.years if y in pnames}))
        for ind in dept_inds:
            indicator_names.append((ind, None))
        for ind, project_of in indicator_names:
            inames = names(ind, INDICATOR_QUALIFIERS, min(1.0, 0.35 * drift))
            unit, value = ind.unit, ind.value
            for y in ind.years:
                if y not in printed or (project_of is not None and y not in project_of):
                    continue
                if unit in UNIT_CHANGES and rng.random() < 0.1:  # from this year on
                    unit, scale = UNIT_CHANGES[unit]
                    value = value * scale if value is not None else None
                if value is not None and unit == "%":  # a rate stays near its level, at most 100
                    value = min(100.0, ind.value * rng.uniform(0.9, 1.1))
                elif value is not None:
                    value *= rng.uniform(0.7, 1.3)
                project = project_of[y] if project_of else None
                r = rng.random()
                level2 = None if r < 0.05 else ind.level2.removesuffix("指标") if r < 0.12 else ind.level2
                if ind.task and rng.random() < 0.08:   # the tasks were renumbered that year
                    ind.task = f"任务{int(ind.task[2:]) % 4 + 1}"
                key = f"{_doc_id(seed, did, y)}|indicators|{project or ''}|{ind.task or ''}|{inames[y]}"
                if key in gold:
                    continue  # two indicators that drifted to one name: the second was not read
                gold[key] = ind.gold
                v = None if value is None else round(value, 2 if unit in ("%", "万元") else 0)
                actual = None if v is None else round(v * rng.uniform(0.9, 1.15), 2)
                u = unit or ""
                rows["indicators"].append({
                    "doc_id": _doc_id(seed, did, y), "page": 3 if project else 2, "project": project,
                    "task": ind.task, "level1": ind.level1, "level2": level2, "name": inames[y],
                    "target_text": f"≥{v:g}{u}" if v is not None else "有所提升",
                    "actual_text": f"{actual:g}{u}" if actual is not None else "明显提升",
                    "target_op": ">=" if v is not None else None, "target_value": v,
                    "target_unit": unit if v is not None else None, "actual_value": actual,
                    "actual_unit": unit if v is not None else None,
                    "achieved": True, "weight": 5.0, "score": 5.0})
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for table in ALL_TABLES:
        pq.write_table(to_arrow(table, rows[table]), out / f"{table}.parquet")
    # The renamed departments (old key -> new key) and the district where one department
    # stopped and another began (not a rename).
    renamed = {}
    for _, printed, *_ in departments:
        keys = list(dict.fromkeys(department_key(clean_text(n)) for n in printed.values()))
        if len(keys) == 2:
            renamed[keys[0]] = keys[1]
    result = {"rows": gold, "decoys": sorted(sorted(p) for p in decoys), "renamed": renamed,
              "not_renamed": [department_key(clean_text(next(iter(d[1].values())))) for d in departments[-2:]]}
    (out / "gold.json").write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    return result


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--departments", type=int, default=10)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--drift", type=float, default=1.0, help="scale the rewording rates")
    a = ap.parse_args()
    g = build(a.outdir, a.seed, a.departments, a.years, a.drift)
    print(f"{len(g['rows'])} rows, {len(set(g['rows'].values()))} gold series, {len(g['decoys'])} decoy pairs "
          f"-> {a.outdir}", file=sys.stderr)
