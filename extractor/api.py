"""Python API: the same extraction as `extractor extract`, as pandas DataFrames.

    import extractor
    result = extractor.extract(["samples/"], outdir="output")   # also writes Parquet
    result.budget                                               # one DataFrame per table
    result = extractor.read("output")                           # read a folder back

DataFrames are pyarrow-backed (`pd.ArrowDtype`): money stays decimal128(20, 2),
int32 stays int32, and null stays null.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .inputs import find_inputs
from .outdir import read_arrow
from .packs import load_packs
from .pipeline import process_file
from .tables import ALL_TABLES, to_arrow
from .writer import public, write_tables


class Result:
    """One DataFrame per table: `result.documents`, `result.budget`, … or `result.tables[name]`."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables

    @classmethod
    def from_arrow(cls, tables: dict[str, pa.Table]) -> "Result":
        return cls({name: t.to_pandas(types_mapper=pd.ArrowDtype) for name, t in tables.items()})

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"no table {name!r}; tables: {', '.join(tables)}")

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        return "Result(" + ", ".join(f"{name}={len(df)}" for name, df in self.tables.items()) + ")"

    # The contract's tables, named for editors and readers of the code.
    documents = property(lambda self: self.tables["documents"])
    budget = property(lambda self: self.tables["budget"])
    tasks = property(lambda self: self.tables["tasks"])
    projects = property(lambda self: self.tables["projects"])
    indicators = property(lambda self: self.tables["indicators"])
    scores = property(lambda self: self.tables["scores"])
    counts = property(lambda self: self.tables["counts"])
    checks = property(lambda self: self.tables["checks"])


def extract(paths: str | Path | Iterable[str | Path], outdir: str | Path | None = None,
            packs_dir: str | Path | None = None, *, password: str | None = None) -> Result:
    """Extract files and folders (walked recursively for *.pdf and *.txt) into tables;
    with `outdir`, also write OUTDIR/<table>.parquet as `extractor extract` does."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    packs = load_packs(packs_dir)
    rows: dict[str, list[dict]] = {t: [] for t in ALL_TABLES}
    for path, shown in _inputs([str(p) for p in paths]):
        for table, table_rows in process_file(path, packs, source_path=shown, password=password).items():
            rows[table].extend(table_rows)
    if outdir is not None:
        write_tables(outdir, rows)
    return Result.from_arrow({t: to_arrow(t, [public(r) for r in rows[t]]) for t in ALL_TABLES})


def read(outdir: str | Path) -> Result:
    """The tables of an output folder (and any other table found there, e.g. `series`)."""
    return Result.from_arrow(read_arrow(outdir))


def _inputs(items: list[str]) -> list[tuple[Path, str]]:
    found = find_inputs(items)
    if not found:
        raise ValueError("no .pdf or .txt files found in the inputs")
    return found
