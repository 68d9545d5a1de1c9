"""The output contract (../shared/CONTRACT.md) as pyarrow schemas.

Columns may be added, never renamed, dropped or retyped.  `COLUMN_KINDS` tells the
recogniser how to parse a captured string for each column.
"""
from __future__ import annotations

import os

import pyarrow as pa

MONEY = pa.decimal128(20, 2)

_S, _I, _F, _B = pa.string(), pa.int32(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", _S), ("source_path", _S), ("format", _S), ("kind", _S), ("department", _S),
        ("year", _I), ("pages", _I), ("status", _S), ("error", _S), ("total_score", _F),
        ("grade", _S),
        # additions
        ("pack", _S), ("pack_version", _I), ("max_score", _F), ("department_key", _S),
        ("tool_version", _S), ("ocr_pages", _I), ("rows_expected", _I), ("rows_read", _I),
        # The exact bytes, in hex, of a source_path that is not valid UTF-8
        # (source_path then shows them as \xNN): bytes.fromhex() gives the name back,
        # os.fsdecode() of that opens the file.  Null for every other name.
        ("source_path_hex", _S),
    ]),
    "budget": pa.schema([
        ("doc_id", _S), ("page", _I), ("project", _S), ("fund_source", _S), ("initial", MONEY),
        ("adjustment", MONEY), ("adjusted", MONEY), ("actual", MONEY), ("exec_rate", _F),
        ("adjust_rate", _F), ("source", _S),
        ("fund_group", _S),
        ("weight", _F), ("score", _F),  # 分值 / 得分 of a project's 年度资金总额 line
        ("budget_fiscal", MONEY), ("budget_other", MONEY), ("actual_fiscal", MONEY), ("actual_other", MONEY),
    ]),
    "tasks": pa.schema([
        ("doc_id", _S), ("page", _I), ("task", _S), ("content", _S), ("completion", _S),
        ("budget", MONEY), ("actual", MONEY), ("exec_rate", _F), ("weight", _F), ("score", _F),
        ("budget_fiscal", MONEY), ("budget_other", MONEY), ("actual_fiscal", MONEY), ("actual_other", MONEY),
    ]),
    "projects": pa.schema([
        ("doc_id", _S), ("page", _I), ("name", _S), ("budget", MONEY), ("actual", MONEY),
        ("exec_rate", _F), ("score", _F), ("max_score", _F), ("grade", _S), ("source", _S),
        ("goal", _S), ("goal_actual", _S),  # 年度总体目标: 预期目标 / 实际完成情况
    ]),
    "indicators": pa.schema([
        ("doc_id", _S), ("page", _I), ("project", _S), ("task", _S), ("level1", _S), ("level2", _S),
        ("name", _S), ("content", _S), ("target_text", _S), ("actual_text", _S), ("target_op", _S),
        ("target_value", _F), ("target_unit", _S), ("actual_value", _F), ("actual_unit", _S),
        ("achieved", _B), ("weight", _F), ("score", _F),
        ("level1_weight", _F),  # the weight printed with the level-1 name: 产出指标（50分）
    ]),
    "scores": pa.schema([
        ("doc_id", _S), ("page", _I), ("level1", _S), ("level2", _S), ("level3", _S),
        ("weight", _F), ("score", _F),
        ("level1_weight", _F),  # the weight printed with the level-1 name: 部门决策（15分）
    ]),
    "counts": pa.schema([
        ("doc_id", _S), ("page", _I), ("what", _S), ("grade", _S), ("count", _I), ("amount", MONEY),
        ("score", _F),
        ("listed", _I),  # how many items the sentence enumerates after the count, if any
    ]),
    "checks": pa.schema([
        ("doc_id", _S), ("page", _I), ("check", _S), ("subject", _S), ("status", _S),
        ("severity", _S), ("expected", _S), ("reported", _S), ("message", _S),
    ]),
}

ROW_TABLES = ["budget", "tasks", "projects", "indicators", "scores", "counts"]
ALL_TABLES = ["documents", *ROW_TABLES, "checks"]

# Where a PDF row's figures are printed (extractor/output/provenance.py): the box around them
# in PDF points, origin at the page's top-left (as pdfplumber measures), and their text.
BBOX_COLUMNS = ["bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom"]
for _table in ROW_TABLES:
    SCHEMAS[_table] = SCHEMAS[_table].append(pa.field("printed", _S))
    for _name in BBOX_COLUMNS:
        SCHEMAS[_table] = SCHEMAS[_table].append(pa.field(_name, _F))

# Bumped when the contract's tables change (columns added): written into every file.
CONTRACT_VERSION = "1.1"


def column_kind(table: str, column: str) -> str:
    """'money', 'rate', 'float', 'int', 'bool' or 'text' for a contract column."""
    if column.endswith("_rate") or column == "exec_rate":
        return "rate"
    field = SCHEMAS[table].field(column)
    t = field.type
    if pa.types.is_decimal(t):
        return "money"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_boolean(t):
        return "bool"
    return "text"


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[table]
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    try:
        return pa.table(columns, schema=schema)
    except UnicodeEncodeError:
        # A file name that is not UTF-8 (GBK bytes on a Windows share) reaches us as
        # surrogate escapes, which Arrow cannot encode: keep its bytes, show \xNN.
        if table == "documents":
            columns["source_path_hex"] = [h if h is not None else _name_hex(p) for h, p in
                                          zip(columns["source_path_hex"], columns["source_path"])]
        for name in schema.names:
            if pa.types.is_string(schema.field(name).type):
                columns[name] = [_encodable(v) for v in columns[name]]
        return pa.table(columns, schema=schema)


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:  # a surrogate-escaped byte of a file name that is no UTF-8
        return False


def _name_hex(name) -> str | None:
    if not isinstance(name, str) or _utf8_ok(name):
        return None
    try:
        return os.fsencode(name).hex()
    except UnicodeEncodeError:  # a lone surrogate that no file name decodes to
        return name.encode("utf-8", "surrogatepass").hex()


def _encodable(value):
    if not isinstance(value, str) or _utf8_ok(value):
        return value
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def describe(name: str, column: str) -> str | None:
    """The column's description (contract, or the project's additions)."""
    own = DESCRIPTIONS.get(name, {})
    return own.get(column) or _COMMON.get(column) or _ADDED.get(name, {}).get(column) or _ADDED_ALL.get(column)


def described(name: str, schema: pa.Schema, metadata: dict[str, str] | None = None) -> pa.Schema:
    """`schema` with each field's description in its metadata (key `description`) and
    `metadata` (tool, contract and pack versions) in the schema's."""
    fields = []
    for f in schema:
        text = describe(name, f.name)
        fields.append(f.with_metadata({**(f.metadata or {}), b"description": text.encode()}) if text else f)
    return pa.schema(fields, metadata={**(schema.metadata or {}), **(metadata or {})})


# The contract's column descriptions (../shared/CONTRACT.md), written into every Parquet
# field's metadata; additions of the project are described here too.
_COMMON = {
    "doc_id": "lowercase hex SHA-256 of the input file's bytes; joins all tables",
    "page": "1-based page of the PDF where the row's figures were read (text input: pages split on form feeds)",
}
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "source_path": "path as given on the command line (or found under a folder)",
        "format": "`pdf` or `text`",
        "kind": "`dept_report` (narrative 部门整体支出绩效自评报告), `dept_scoring` (部门整体支出绩效自评表 scoring table: 一级/二级/三级指标, 分值, 得分), `project_selfeval` (one or more 项目支出绩效自评表), `final_accounts` (部门决算 or similar report with self-evaluation sections inside), `unknown` (nothing of the above recognised)",
        "department": "部门/单位名称, e.g. 广州市荔湾区商务和投资促进局",
        "year": "the budget year reported on (2021 for a “2021年度” report published in 2022)",
        "pages": "number of pages",
        "status": "`ok`, `partial` (some sections not recognised), `failed`",
        "error": "why it failed or what was not recognised; null when ok",
        "total_score": "stated total self-evaluation score (合计/总分), null if none",
        "grade": "stated overall grade as printed (优/良/中/差, 合格/不合格, or A/B/C/D where the region uses them), null if none",
    },
    "budget": {
        "project": "the project the line belongs to (from a 项目支出绩效自评表), null for the department as a whole",
        "fund_source": "the row's label: `合计` for the total line (also for 年度资金总额 / 金额合计), else e.g. `一般公共预算`, `政府性基金`, `当年财政拨款`, `上年结转资金`, `基本支出`, `项目支出`",
        "initial": "年初预算(数)",
        "adjustment": "预算调整数 / 年中调整预算",
        "adjusted": "调整后预算 / 全年预算数 / 年度预算数",
        "actual": "实际支出 / 全年执行数 / 决算数",
        "exec_rate": "the printed 预算执行率 / 预算完成率 / 执行率",
        "adjust_rate": "the printed 预算调整率",
        "source": "`table` or `narrative`: the same line stated in both places gives two rows",
    },
    "tasks": {
        "task": "task label or name as printed (`任务1`, `公共卫生`)",
        "content": "what the task is (年初预期目标 / 主要内容)",
        "completion": "目标完成情况 / 完成情况 as printed",
        "budget": "任务涉及资金 / 全年预算数 (总额)",
        "actual": "全年执行数 (总额), null if not printed",
        "exec_rate": "printed rate, null if not printed",
        "weight": "分值, null if not printed",
        "score": "得分, null if not printed",
    },
    "projects": {
        "name": "project name as printed: the 项目名称 cell of its table, or the name in a list or sentence, without list numbering such as `1.`",
        "budget": "预算(资金) / 全年预算数",
        "actual": "实际开支 / 实际支出 / 全年执行数",
        "exec_rate": "printed rate, null if not printed",
        "score": "自评得分",
        "max_score": "the scale the score is out of, when known",
        "grade": "as printed: 优 / 良 / 中 / 差, 合格 / 不合格, or a letter scale A / B / C / D",
        "source": "`table` or `narrative`, as for budget",
    },
    "indicators": {
        "project": "the project the indicator belongs to, null for department indicators",
        "task": "the task the indicator belongs to (`任务1`), null if none",
        "level1": "一级指标 (产出指标 / 效益指标 / 满意度指标 …) without a printed weight such as `（50分）`, null if not printed",
        "level2": "二级指标 (数量指标 / 质量指标 / 时效指标 …), null if not printed",
        "name": "三级指标 / 关键指标 / 指标内容 name, without list numbering such as `指标1：`",
        "content": "计算公式或指标内容, null if none",
        "target_text": "target as printed, normalised (`≥35家`)",
        "actual_text": "actual as printed, normalised (`40家`)",
        "target_op": "`>=`, `<=`, `>`, `<`, `=` for quantitative targets, null for qualitative ones",
        "target_value": "number in the target (`35`), null if qualitative",
        "target_unit": "unit of the target (`家`, `%`, `亿美元`), null if none",
        "actual_value": "number in the actual",
        "actual_unit": "unit of the actual",
        "achieved": "actual meets target; null when it cannot be decided",
        "weight": "分值, null if not printed",
        "score": "得分, null if not printed",
    },
    "scores": {
        "level1": "一级指标, filled down across merged cells, without a printed weight",
        "level2": "二级指标, filled down across merged cells",
        "level3": "三级指标",
        "weight": "分值",
        "score": "得分 / 自评分",
    },
    "counts": {
        "what": "what is counted, as printed, short (`绩效自评的项目`, `关键指标`, `任务1的绩效目标`)",
        "grade": "the grade the count is for (优/良/中/差/合格/不合格/A–D), null if none",
        "count": "the number stated",
        "amount": "the money stated with it (涉及预算金额), null if none",
        "score": "the average score stated with it (平均得分), null if none",
    },
    "checks": {
        "check": "one of the names below",
        "subject": "what was checked: the fund line, project or indicator name, or `document`",
        "status": "`pass`, `fail`, `skipped` (a figure it needs is missing or undefined)",
        "severity": "`error` for arithmetic that does not hold, `warning` for doubtful but possible",
        "expected": "the value the arithmetic gives",
        "reported": "the value printed",
        "message": "one readable sentence",
    },
}

# Columns the project added to the contract's tables.
_ADDED_ALL = {
    "printed": "the figures of the row as printed on the page (PDF only), in reading order, separated by ' | '",
    "bbox_x0": "left edge of the box around the row's printed figures, PDF points from the page's left (PDF only)",
    "bbox_top": "top edge of that box, PDF points from the page's top",
    "bbox_x1": "right edge of that box, PDF points from the page's left",
    "bbox_bottom": "bottom edge of that box, PDF points from the page's top",
    "budget_fiscal": "财政拨款 part of the budget, when printed separately",
    "budget_other": "其他资金 part of the budget, when printed separately",
    "actual_fiscal": "财政拨款 part of the actual spending, when printed separately",
    "actual_other": "其他资金 part of the actual spending, when printed separately",
}
_ADDED = {
    "documents": {
        "pack": "name of the pattern pack that read the document",
        "pack_version": "version of that pack",
        "max_score": "the scale the total score is out of, when known",
        "department_key": "the department's stable key across years (renamed departments share one)",
        "tool_version": "version of extractor that read the document",
        "ocr_pages": "pages read by OCR (no usable text layer)",
        "rows_expected": "rows the pack's sections expected to read, when they say",
        "rows_read": "rows the pack's sections read",
        "source_path_hex": "the exact bytes (hex) of a source_path that is not valid UTF-8; null otherwise",
    },
    "budget": {
        "fund_group": "the group a fund line belongs to (资金性质 / 资金类别), when printed",
        "weight": "分值 of a project's 年度资金总额 line",
        "score": "得分 of a project's 年度资金总额 line",
    },
    "projects": {
        "goal": "年度总体目标: 预期目标 as printed",
        "goal_actual": "年度总体目标: 实际完成情况 as printed",
    },
    "indicators": {"level1_weight": "the weight printed with the level-1 name: 产出指标（50分）"},
    "scores": {"level1_weight": "the weight printed with the level-1 name: 部门决策（15分）"},
    "counts": {"listed": "how many items the sentence enumerates after the count, if any"},
    "checks": {},
}
