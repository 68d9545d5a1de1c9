"""Issue 6 fixture: hand-made multi-year output folders with gold series.

Four departments over three to five years, written directly as extractor output
(documents, indicators, projects with the contract schemas; the other tables empty).
Every row belongs to a hand-labelled gold series; names drift the way they do in real
reports (印制招商宣传册数量 -> 招商宣传册数量, 2021年病媒生物防制 -> 2022年病媒生物防制,
企业满意度 <-> 服务企业满意度, 满意率 -> 满意度, list numbering and years in names),
and decoys sit next to them (员工满意度 beside 企业满意度, 新购笔记本电脑数 after
新购台式电脑数, 补助企业金额 beside 补助企业数量, the same indicator names in two
projects, 行政单位… beside 事业单位…).  The gold was written from what the names
mean, before running the linker; the hard cases that a token matcher cannot get
(a renamed verb 签约 -> 引资) are kept in and count as misses.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pyarrow.parquet as pq

from extractor.normalize import clean_text
from extractor.tables import ALL_TABLES, to_arrow


@dataclass
class Gold:
    """One gold series: its name in each year it appears (None: absent that year)."""
    gold: str
    names: dict[int, str]
    task: str | None = None
    level1: str | None = None
    level2: str | None = None
    unit: str | None = None
    project: str | None = None      # gold id of the project series an indicator belongs to


@dataclass
class Dept:
    names: dict[int, str]           # department name as printed, per year
    indicators: list[Gold] = field(default_factory=list)
    projects: list[Gold] = field(default_factory=list)
    copies: tuple[int, ...] = ()    # years that also come as a text copy of the same report


Q, S, T, C = "数量指标", "质量指标", "时效指标", "成本指标"
OUT, EFF, SAT = "产出指标", "效益指标", "满意度指标"

# 1. A district bureau renamed in 2021 (the shipped alias file maps the old name), with
#    department indicators under tasks, as in the 荔湾 reports.
LIWAN = Dept(
    names={2019: "广州市荔湾区商务局", 2020: "广州市荔湾区 商务局", 2021: "广州市荔湾区商务和投资促进局",
           2022: "广州市荔湾区商务和投资促进局", 2023: "广州市荔湾区商务和投资促进局（部门）"},
    copies=(2021,),
    indicators=[
        Gold("brochure", {2019: "印制招商宣传册数量", 2020: "印制招商宣传册数量", 2021: "招商宣传册数量",
                          2022: "招商宣传册数量", 2023: "招商宣传册印制数量"}, task="任务3", unit="册"),
        Gold("ent-sat-1", {2019: "企业满意度", 2020: "企业满意度", 2021: "服务企业满意度", 2022: "服务企业满意度",
                           2023: "企业满意度"}, task="任务1", unit="%"),
        Gold("staff-sat", {y: "员工满意度" for y in range(2019, 2024)}, task="任务2", unit="%"),
        Gold("ent-sat-3", {2019: "企业满意度", 2020: "企业满意度", 2021: "企业满意度", 2022: "企业满意度",
                           2023: "企业满意度"}, task="任务3", unit="%"),
        Gold("builder-sat", {2019: "施工企业满意度", 2020: "施工企业满意度"}, task="任务5", unit="%"),
        Gold("merchant-sat", {2021: "补助商户满意度", 2022: "补助商户满意度", 2023: "补助商户满意度"},
             task="任务5", unit="%"),
        Gold("trips", {2019: "外出招商次数", 2020: "外出招商次数", 2021: "区领导带队外出招商次数",
                       2022: "区领导带队外出招商次数", 2023: "区领导带队外出招商次数"}, task="任务3", unit="次"),
        Gold("visits", {2019: "企业调研考察数量", 2020: "企业调研考察数量", 2021: "企业调研考察数量",
                        2022: "企业调研考察数", 2023: "企业调研考察数量"}, task="任务3", unit="家"),
        Gold("rewarded", {2019: "奖励、扶持企业家数", 2020: "奖励、扶持企业家数", 2021: "奖励、扶持企业家数",
                          2022: "奖励扶持企业数量", 2023: "奖励扶持企业数量"}, task="任务1", unit="家"),
        # A verb replaced by another: the same target to a reader, a decoy to tokens.
        Gold("signing", {2019: "招商签约目标任务完成率", 2020: "招商签约目标任务完成率",
                         2021: "招商签约目标任务完成率", 2022: "招商签约目标任务完成率",
                         2023: "招商引资目标任务完成率"}, task="任务3", unit="%"),
        Gold("desktops", {2019: "新购台式电脑数", 2020: "新购台式电脑数", 2021: "新购台式电脑数"},
             task="任务2", unit="台"),
        Gold("laptops", {2022: "新购笔记本电脑数", 2023: "新购笔记本电脑数"}, task="任务2", unit="台"),
        Gold("repairs", {2019: "固定资产维修维护次数", 2020: "固定资产维修维护次数", 2021: "固定资产维修维护次数",
                         2022: "固定资产维修维护次数", 2023: "固定资产维护次数"}, task="任务2", unit="次"),
        # Missing in 2020 (the indicator was not set that year): the series continues.
        Gold("grade-a", {2019: "获评超甲级写字楼", 2021: "获评超甲级写字楼", 2022: "获评超甲级写字楼"},
             task="任务4", unit="个"),
        Gold("outsourcing", {y: "服务外包全口径执行额" for y in range(2019, 2024)}, task="任务4", unit="亿美元"),
        Gold("subsidised", {y: "补助企业数量" for y in range(2019, 2024)}, task="任务4", unit="家"),
        Gold("subsidy-sum", {2021: "补助企业金额", 2022: "补助企业金额", 2023: "补助企业金额"},
             task="任务4", unit="万元"),
        # Decoys that take over where the other one stops: only the head guard parts them.
        Gold("registered", {2019: "系统登记企业数量", 2020: "系统登记企业数量", 2021: "系统登记企业数量"},
             task="任务4", unit="家"),
        Gold("deregistered", {2022: "系统注销企业数量", 2023: "系统注销企业数量"}, task="任务4", unit="家"),
        Gold("numbered", {2019: "指标1：签订合同数", 2020: "1.签订合同数", 2021: "签订合同数", 2022: "签订合同数",
                          2023: "（1）签订合同数"}, task="任务5", unit="份"),
    ],
    projects=[
        Gold("p-industry", {2019: "2019年产业扶持资金项目", 2020: "2020年产业扶持资金项目",
                            2021: "产业扶持资金项目", 2022: "产业扶持资金项目", 2023: "2023年度产业扶持资金项目"}),
        Gold("p-investment", {2019: "招商引资经费", 2020: "招商引资经费", 2021: "招商引资经费",
                              2022: "招商引资工作经费", 2023: "招商引资工作经费"}),
        Gold("p-epi-subsidy", {2020: "疫情防控补助经费", 2021: "疫情防控补助经费"}),
        Gold("p-epi-special", {2020: "疫情防控专项经费", 2021: "疫情防控专项经费", 2022: "疫情防控专项经费"}),
        Gold("p-customs", {y: "海关工作经费" for y in range(2019, 2024)}),
        Gold("p-district-fair", {2019: "2019年区级商贸展会补助资金", 2020: "2020年区级商贸展会补助资金"}),
        Gold("p-city-fair", {2021: "2021年市级商贸展会补助资金", 2022: "2022年市级商贸展会补助资金"}),
    ],
)

# 2. A city commission (委员会 / 委 / （汇总）) with project tables: the same indicator
#    names in every project, two projects that differ in one word.
XIAN = Dept(
    names={2020: "西安市卫生健康委员会", 2021: "西安市卫生健康委", 2022: "西安市卫生健康委员会（汇总）"},
    projects=[
        Gold("p-vector", {2020: "2020年病媒生物防制", 2021: "2021年病媒生物防制", 2022: "2022年病媒生物防制"}),
        Gold("p-retired-inst", {y: f"{y}年事业单位离休人员和保健对象医疗费" for y in (2020, 2021, 2022)}),
        Gold("p-retired-admin", {2020: "2020年行政单位离休人员和保健对象医疗费",
                                 2021: "2021年行政单位离休人员和保健对象医疗费"}),
        Gold("p-exam", {y: f"{y}年卫生健康考试考务费" for y in (2020, 2021, 2022)}),
        Gold("p-airport", {2022: "机场入境人员核酸检测费用"}),
    ],
    indicators=[
        Gold("v-districts", {2020: "消杀覆盖区县(开发区)数量", 2021: "消杀覆盖区县(开发区)数量",
                             2022: "消杀覆盖区县(开发区)数量"}, level1=OUT, level2=Q, unit="个", project="p-vector"),
        Gold("v-density", {y: "控制病媒生物密度" for y in (2020, 2021, 2022)}, level1=OUT, level2=S,
             project="p-vector"),
        Gold("v-cost", {2020: "全年项目经费支出", 2021: "全年项目经费支出", 2022: "项目经费支出"},
             level1=OUT, level2=C, unit="万元", project="p-vector"),
        Gold("v-sustain", {y: "项目实施可持续影响" for y in (2020, 2021, 2022)}, level1=EFF, level2="可持续影响指标",
             project="p-vector"),
        Gold("v-sat", {2020: "群众满意率", 2021: "群众满意率", 2022: "群众满意度"}, level1=SAT,
             level2="服务对象满意度指标", unit="%", project="p-vector"),
        Gold("ri-sat", {y: "离休人员和保健对象满意度" for y in (2020, 2021, 2022)}, level1=SAT,
             level2="服务对象满意度指标", unit="%", project="p-retired-inst"),
        Gold("ri-time", {y: "报销时效" for y in (2020, 2021, 2022)}, level1=OUT, level2=T, project="p-retired-inst"),
        Gold("ri-sustain", {y: "项目实施可持续影响" for y in (2020, 2021, 2022)}, level1=EFF,
             level2="可持续影响指标", project="p-retired-inst"),
        Gold("ra-sat", {2020: "行政单位离休人员和保健对象满意度", 2021: "行政单位离休人员和保健对象满意度"},
             level1=SAT, level2="服务对象满意度指标", unit="%", project="p-retired-admin"),
        Gold("ra-time", {2020: "报销时效", 2021: "报销时效"}, level1=OUT, level2=T, project="p-retired-admin"),
        Gold("ex-count", {2020: "参加考试人数", 2021: "参加考试人数", 2022: "参加考试人数"}, level1=OUT, level2=Q,
             unit="人", project="p-exam"),
        Gold("ex-sat", {2020: "考试满意率", 2021: "考试满意率", 2022: "考试满意度"}, level1=SAT,
             level2="服务对象满意度指标", unit="%", project="p-exam"),
        Gold("ex-sustain", {y: "项目实施可持续影响" for y in (2020, 2021, 2022)}, level1=EFF,
             level2="可持续影响指标", project="p-exam"),
        Gold("ap-sustain", {2022: "项目实施可持续影响"}, level1=EFF, level2="可持续影响指标", project="p-airport"),
        Gold("ap-sat", {2022: "机场入境人员满意度"}, level1=SAT, level2="服务对象满意度指标", unit="%",
             project="p-airport"),
        # Department indicators (no project) with the same names as project indicators.
        Gold("d-party", {y: "全面加强党的建设覆盖单位数量" for y in (2020, 2021, 2022)}, level1=OUT, level2=Q,
             unit="个"),
        Gold("d-sat", {y: "群众满意率" for y in (2020, 2021, 2022)}, level1=SAT, level2="服务对象满意度指标",
             unit="%"),
        Gold("d-outpatients", {2020: "委直属医院提供门诊诊疗人次", 2021: "委直属医院门诊诊疗人次",
                               2022: "委直属医院门诊诊疗人次"}, level1=OUT, level2=Q, unit="万人次"),
        Gold("d-discharged", {2020: "委直医院提供出院病人人数", 2021: "委直属医院出院病人人数",
                              2022: "委直属医院出院病人人数"}, level1=OUT, level2=Q, unit="万人"),
    ],
)

# 3. A party department (中共 / 中国共产党 …委员会) with numbering and years in names.
PUTUO_PARTY = Dept(
    names={2022: "中共上海市普陀区委社会工作部", 2023: "中国共产党上海市普陀区委员会社会工作部",
           2024: "中共上海市普陀区委社会工作部"},
    indicators=[
        Gold("volunteer-events", {2022: "指标1：志愿服务活动场次", 2023: "志愿服务活动场次",
                                  2024: "2024年志愿服务活动场次"}, level1=OUT, level2=Q, unit="场"),
        Gold("coverage", {y: "两新组织党建覆盖率" for y in (2022, 2023, 2024)}, level1=OUT, level2=S, unit="%"),
        Gold("worker-sat", {2022: "社区工作者满意度", 2023: "社区工作者满意度"}, level1=SAT, level2="服务对象满意度指标",
             unit="%"),
        Gold("volunteer-sat", {2024: "志愿者满意度"}, level1=SAT, level2="服务对象满意度指标", unit="%"),
        Gold("client-sat", {2022: "服务对象满意度", 2023: "服务对象满意度", 2024: "服务对象满意率"}, level1=SAT,
             level2="服务对象满意度指标", unit="%"),
        Gold("exec-rate", {2022: "预算执行率", 2023: "部门预算执行率", 2024: "部门预算执行率"}, level1=OUT,
             level2=T, unit="%"),
        Gold("project-exec-rate", {2024: "项目支出预算执行率"}, level1=OUT, level2=T, unit="%"),
        Gold("elderly-meals-sat", {2022: "老年人助餐服务满意度", 2023: "老年人助餐服务满意度"}, level1=SAT,
             level2="服务对象满意度指标", unit="%"),
        Gold("disabled-meals-sat", {2024: "残疾人助餐服务满意度"}, level1=SAT, level2="服务对象满意度指标", unit="%"),
        Gold("training", {2022: "社区工作者培训人次", 2023: "社区工作者培训人次", 2024: "社区工作者培训覆盖人次"},
             level1=OUT, level2=Q, unit="人次"),
    ],
)

# 4. Another department of the same district with the same indicator names: nothing
#    may link across departments.
PUTUO_CIVIL = Dept(
    names={2022: "上海市普陀区民政局", 2023: "上海市普陀区民政局", 2024: "上海市普陀区民政局"},
    indicators=[
        Gold("c-client-sat", {y: "服务对象满意度" for y in (2022, 2023, 2024)}, level1=SAT,
             level2="服务对象满意度指标", unit="%"),
        Gold("c-exec-rate", {y: "预算执行率" for y in (2022, 2023, 2024)}, level1=OUT, level2=T, unit="%"),
        Gold("c-elderly", {2022: "养老服务补贴发放人数", 2023: "养老服务补贴发放人数", 2024: "养老服务补贴发放人次"},
             level1=OUT, level2=Q, unit="人"),
    ],
)

DEPARTMENTS = {"liwan": LIWAN, "xian": XIAN, "putuo-party": PUTUO_PARTY, "putuo-civil": PUTUO_CIVIL}


def doc_id(dept: str, year: int, variant: str = "pdf") -> str:
    return hashlib.sha256(f"{dept}/{year}/{variant}".encode()).hexdigest()


def build(outdir: Path, departments: dict[str, Dept] = DEPARTMENTS) -> dict[tuple, str]:
    """Write the fixture as an extractor output folder; return the gold series of each
    row, keyed like series_members rows: (doc_id, table, project, task, name).

    Text goes through the extractor's own normalisation (NFKC, layout spaces out), as
    `extract` writes it: `指标1：` arrives as `指标1:`, `广州市荔湾区 商务局` without the space."""
    rows: dict[str, list[dict]] = {t: [] for t in ALL_TABLES}
    gold: dict[tuple, str] = {}
    for dname, dept in departments.items():
        for year, department in dept.names.items():
            variants = ["pdf", "text"] if year in dept.copies else ["pdf"]
            for variant in variants:
                did = doc_id(dname, year, variant)
                rows["documents"].append({
                    "doc_id": did, "source_path": f"{dname}/{year}.{variant}", "format": variant,
                    "kind": "dept_report", "department": clean_text(department), "year": year, "pages": 3, "status": "ok"})
                project_names = {p.gold: clean_text(p.names[year]) for p in dept.projects if year in p.names}
                for n, p in enumerate(g for g in dept.projects if year in g.names):
                    rows["projects"].append({
                        "doc_id": did, "page": 2, "name": project_names[p.gold], "budget": None, "actual": None,
                        "score": float(90 + n % 10), "source": "table"})
                    if variant == "pdf":
                        gold[(did, "projects", None, None, project_names[p.gold])] = f"{dname}:{p.gold}"
                for n, g in enumerate(g for g in dept.indicators if year in g.names):
                    project = project_names[g.project] if g.project else None
                    value = 10 + (year % 10) + n
                    name = clean_text(g.names[year])
                    rows["indicators"].append({
                        "doc_id": did, "page": 3 if project else 2, "project": project, "task": g.task,
                        "level1": g.level1, "level2": g.level2, "name": name,
                        "target_text": f"≥{value}{g.unit or ''}", "actual_text": f"{value + 1}{g.unit or ''}",
                        "target_op": ">=", "target_value": float(value), "target_unit": g.unit,
                        "actual_value": float(value + 1), "actual_unit": g.unit, "achieved": True,
                        "weight": 5.0, "score": 5.0})
                    if variant == "pdf":
                        gold[(did, "indicators", project, g.task, name)] = f"{dname}:{g.gold}"
    outdir.mkdir(parents=True, exist_ok=True)
    for table in ALL_TABLES:
        pq.write_table(to_arrow(table, rows[table]), outdir / f"{table}.parquet")
    return gold


def pairs(assignment: dict[tuple, str]) -> set[frozenset]:
    """Every unordered pair of rows that share a series (gold or predicted)."""
    groups: dict[str, list[tuple]] = {}
    for row, series in assignment.items():
        groups.setdefault(series, []).append(row)
    return {frozenset(p) for members in groups.values() for p in combinations(sorted(members, key=str), 2)}
