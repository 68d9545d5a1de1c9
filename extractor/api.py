"""Python API: the same extraction as `extractor extract`, as pandas DataFrames.

    import extractor
    result = extractor.extract(["samples/"], outdir="output", jobs=2)   # also writes Parquet
    result.budget                                                       # one DataFrame per table
    result = extractor.read("output")                                   # read a folder back

`extract` runs the batch engine of the command line: one worker process per file
with the same limits, the same cache and a progress bar (tqdm: a widget in a
Jupyter notebook, text elsewhere).  DataFrames are pyarrow-backed (`pd.ArrowDtype`):
money stays decimal128(20, 2), int32 stays int32, and null stays null.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .batch import Cache, Limits, Summary, run_batch
from .batch.inputs import find_inputs
from .output.outdir import read_arrow
from .packs import load_packs
from .settings import Settings


class Result:
    """One DataFrame per table: `result.documents`, `result.budget`, … or `result.tables[name]`."""

    def __init__(self, tables: dict[str, pd.DataFrame], summary: Summary | None = None):
        self.tables = tables
        self.summary = summary

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
            packs_dir: str | Path | None = None, *, password: str | None = None, jobs: int | None = None,
            cache: str | Path | bool | None = None, limits: Limits | None = None, timeout: float | None = None,
            max_memory_mb: int | None = None, max_pages: int | None = None, max_file_size_mb: int | None = None,
            ocr: bool | None = None, append: bool = False, progress: bool = True,
            settings: Settings | None = None) -> Result:
    """Extract files and folders (walked recursively for *.pdf and *.txt) into tables,
    as `extractor extract` does; with `outdir`, the Parquet files stay there.

    jobs: worker processes (default: the machine's cores).  cache: a folder, False
    for none; by default OUTDIR/.cache when `outdir` is given, else none.  limits (a
    `Limits`, or timeout / max_memory_mb / max_pages / max_file_size_mb): per file, as
    the command line's options.  progress: a progress bar (tqdm).  The batch's
    `Summary` (counts, failures, pages, seconds) is `result.summary`.  settings: one
    `extractor.settings.Settings` (limits, OCR, password, packs folder) for the whole run,
    as the command line builds it; the keyword arguments, when given, win over it."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    settings = settings or Settings()
    base = limits or settings.limits
    settings = settings.with_(
        limits=Limits(timeout=timeout or base.timeout, max_memory_mb=max_memory_mb or base.max_memory_mb,
                      max_pages=max_pages or base.max_pages,
                      max_file_size_mb=max_file_size_mb or base.max_file_size_mb),
        ocr=settings.ocr if ocr is None else ocr,
        password=settings.password if password is None else password,
        packs_dir=Path(packs_dir) if packs_dir is not None else settings.packs_dir)
    packs = load_packs(settings.packs_dir)
    files = _inputs([str(p) for p in paths])
    with tempfile.TemporaryDirectory(prefix="extractor-") as scratch:
        out = Path(outdir) if outdir is not None else Path(scratch)
        if cache is None:
            cache = out / ".cache" if outdir is not None else False
        store = Cache(Path(cache), packs, ocr=settings.ocr) if cache else None
        bar = _progress(len(files)) if progress else None
        try:
            summary = run_batch(files, packs, out, jobs=jobs or os.cpu_count() or 1, cache=store, append=append,
                                settings=settings, on_done=(lambda doc: bar.update(1)) if bar else None)
        finally:
            if bar is not None:
                bar.close()
        result = Result.from_arrow(read_arrow(out))
    result.summary = summary
    return result


def _progress(total: int):
    """A progress bar: a widget in a notebook, text on a terminal (tqdm.auto decides)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is a dependency; a bare install without it simply shows none
        return None
    return tqdm(total=total, unit="file", desc="extracting")


def read(outdir: str | Path) -> Result:
    """The tables of an output folder (and any other table found there, e.g. `series`)."""
    return Result.from_arrow(read_arrow(outdir))


def _inputs(items: list[str]) -> list[tuple[Path, str]]:
    found = find_inputs(items)
    if not found:
        raise ValueError("no .pdf or .txt files found in the inputs")
    return found
