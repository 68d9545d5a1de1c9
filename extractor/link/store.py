"""The link tables as pyarrow schemas, read from and written to an output folder.

`series` and `series_members` are the contract's (../shared/CONTRACT.md, "Cross-year
series"; columns may be added, never renamed, dropped or retyped); `panel` is ours: one
row per series and year with the member row's figures, for analysis without joins.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..tables import MONEY

_S, _I, _F, _B = pa.string(), pa.int32(), pa.float64(), pa.bool_()

LINK_SCHEMAS: dict[str, pa.Schema] = {
    "series": pa.schema([
        ("series_id", _S), ("kind", _S), ("department_key", _S), ("label", _S),
        # additions
        ("project", _S), ("task", _S),            # context of the label member (indicators)
        ("first_year", _I), ("last_year", _I), ("years", _I),
    ]),
    "series_members": pa.schema([
        ("series_id", _S), ("doc_id", _S), ("page", _I), ("table", _S), ("project", _S), ("task", _S),
        ("name", _S), ("year", _I), ("similarity", _F),
        # additions: how sure the link into the series is (0-1, the first member 1) and why
        ("confidence", _F), ("evidence", _S),
    ]),
    "panel": pa.schema([
        ("series_id", _S), ("kind", _S), ("department_key", _S), ("label", _S), ("year", _I),
        ("doc_id", _S), ("page", _I), ("name", _S), ("project", _S), ("task", _S), ("similarity", _F),
        ("confidence", _F),
        # indicators
        ("level1", _S), ("level2", _S), ("target_text", _S), ("actual_text", _S), ("target_value", _F),
        ("target_unit", _S), ("actual_value", _F), ("actual_unit", _S), ("achieved", _B), ("weight", _F),
        # both
        ("score", _F),
        # projects
        ("budget", MONEY), ("actual", MONEY), ("exec_rate", _F), ("max_score", _F), ("grade", _S),
    ]),
}
LINK_TABLES = list(LINK_SCHEMAS)


class LinkError(ValueError):
    """The folder cannot be linked (not an extractor output folder)."""


def read_rows(outdir: Path, table: str, columns: list[str] | None = None) -> list[dict]:
    path = outdir / f"{table}.parquet"
    if not path.is_file():
        raise LinkError(f"{outdir}: no {table}.parquet (run `extractor extract ... -o {outdir}` first)")
    t = pq.read_table(path)
    if columns:
        t = t.select([c for c in columns if c in t.column_names])
    return t.to_pylist()


def write_link_tables(outdir: Path, rows: dict[str, list[dict]]) -> None:
    """Each table to a temp file in OUTDIR, then renamed over the old one (atomic)."""
    for table, schema in LINK_SCHEMAS.items():
        data = rows.get(table, [])
        arrow = pa.table({name: [r.get(name) for r in data] for name in schema.names}, schema=schema)
        fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".parquet.tmp", dir=outdir)
        os.close(fd)
        try:
            pq.write_table(arrow, tmp)
            os.replace(tmp, outdir / f"{table}.parquet")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read_panel(outdir: str | Path):
    """OUTDIR/panel.parquet as a pandas DataFrame (series × year), sorted by
    department, kind, label, series and year; written by `extractor link OUTDIR`."""
    path = Path(outdir) / "panel.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no panel yet; run `extractor link {outdir}` first")
    frame = pq.read_table(path).to_pandas()
    frame = frame.sort_values(["department_key", "kind", "label", "series_id", "year"], kind="stable")
    return frame.reset_index(drop=True)
