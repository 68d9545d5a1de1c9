"""The output contract (../shared/CONTRACT.md) as pyarrow schemas.

Columns may be added, never renamed, dropped or retyped.  `COLUMN_KINDS` tells the
recogniser how to parse a captured string for each column.
"""
from __future__ import annotations

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
    return pa.table(columns, schema=schema)
