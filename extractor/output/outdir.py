"""Reading an output folder back: the Parquet tables `extract` (and `link`) wrote.

Shared by `report`, `query`, `export` and `extractor.read`.  The contract's tables
come first, in contract order, then any other table found in the folder (e.g. the
`series` tables of `extractor link`).  A contract table whose file is missing reads
as empty with its full schema.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..tables import ALL_TABLES, SCHEMAS


class OutdirError(ValueError):
    """The folder is not an output folder; the message says why."""


def table_paths(outdir: str | Path) -> dict[str, Path | None]:
    """Table name -> its Parquet file (None for a missing contract table)."""
    outdir = Path(outdir)
    if not (outdir / "documents.parquet").is_file():
        raise OutdirError(f"{outdir} holds no documents.parquet: not an output folder of `extractor extract`")
    found = {p.stem: p for p in sorted(outdir.glob("*.parquet")) if not p.name.startswith(".")}
    out: dict[str, Path | None] = {t: found.pop(t, None) for t in ALL_TABLES}
    out.update(found)
    return out


def read_arrow(outdir: str | Path) -> dict[str, pa.Table]:
    tables = {}
    for name, path in table_paths(outdir).items():
        tables[name] = pq.read_table(path) if path is not None else SCHEMAS[name].empty_table()
    return tables


def read_rows(outdir: str | Path) -> dict[str, list[dict]]:
    return {name: t.to_pylist() for name, t in read_arrow(outdir).items()}
