"""`extractor query OUTDIR "SQL"`: DuckDB over the Parquet tables of an output folder.

Every table of the folder is a view of the same name (`documents`, `budget`, …,
and the `series` tables once `extractor link` has run), read in place.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from ..output.outdir import table_paths
from ..tables import SCHEMAS
from ..textable import render


class QueryError(ValueError):
    """DuckDB refused the SQL; the message is DuckDB's."""


def connect(outdir: str | Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for name, path in table_paths(outdir).items():
        if path is None:  # a contract table missing from an older folder: empty, full schema
            con.register(f"_empty_{name}", SCHEMAS[name].empty_table())
            con.execute(f"CREATE VIEW {_ident(name)} AS SELECT * FROM {_ident('_empty_' + name)}")
        else:
            con.execute(f"CREATE VIEW {_ident(name)} AS SELECT * FROM read_parquet({_literal(str(path))})")
    return con


def run_query(outdir: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows (Python values: Decimal for money, None for null)."""
    con = connect(outdir)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from exc
    finally:
        con.close()


def as_text(columns: list[str], rows: list[tuple]) -> str:
    if not columns:
        return "(no result)"
    return render(columns, [list(r) for r in rows]) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def as_csv(columns: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
