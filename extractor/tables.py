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


def _name_hex(name) -> str | None:
    if not isinstance(name, str):
        return None
    try:
        name.encode("utf-8")
        return None
    except UnicodeEncodeError:
        try:
            return os.fsencode(name).hex()
        except UnicodeEncodeError:  # a lone surrogate that no file name decodes to
            return name.encode("utf-8", "surrogatepass").hex()


def _encodable(value):
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
