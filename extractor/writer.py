"""Parquet out: one file per table, each written even when empty, atomically
(temp file + rename), so a reader never sees a half-written table."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from .tables import ALL_TABLES, to_arrow


def public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def write_tables(outdir: str | Path, rows: dict[str, list[dict]]) -> None:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for table in ALL_TABLES:
        arrow = to_arrow(table, [public(r) for r in rows.get(table, [])])
        fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".parquet.tmp", dir=outdir)
        os.close(fd)
        try:
            pq.write_table(arrow, tmp)
            os.replace(tmp, outdir / f"{table}.parquet")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
