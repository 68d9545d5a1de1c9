"""Parquet out: one file per table, each written even when empty.

Rows are streamed into row groups (memory stays flat however many documents a
batch has) in a temp file that replaces the table only when it is complete, so a
reader, or a batch killed at any moment, never sees a half-written table.  With
`append`, the old rows of documents not in the new batch are kept.

Every file describes itself: each field carries its description (the contract's
`meaning`) in its metadata, the schema the tool, contract and pack versions.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import __version__
from ..tables import ALL_TABLES, CONTRACT_VERSION, SCHEMAS, described, to_arrow

ROW_GROUP_ROWS = 20_000


def public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def file_metadata(packs=None) -> dict[str, str]:
    """The schema metadata of every table file: what wrote it.  `packs`: the loaded
    Pack objects (name -> version), or a ready {name: version} mapping."""
    if packs is None:
        versions = {}
    elif isinstance(packs, dict):
        versions = dict(packs)
    else:
        versions = {p.name: p.version for p in packs}
    return {"extractor.tool_version": __version__, "extractor.contract_version": CONTRACT_VERSION,
            "extractor.pack_versions": json.dumps(dict(sorted(versions.items())), ensure_ascii=False)}


def table_schema(table: str, packs=None) -> pa.Schema:
    """The contract schema of `table` with descriptions and file metadata."""
    return described(table, SCHEMAS[table], file_metadata(packs))


class TableSink:
    """Streams rows of every contract table into OUTDIR; `close()` publishes them."""

    def __init__(self, outdir: str | Path, *, append: bool = False, replace_ids: set[str] = frozenset(),
                 packs=None):
        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        self._buffers: dict[str, list[dict]] = {t: [] for t in ALL_TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._tmp: dict[str, str] = {}
        for stale in self.outdir.glob(".*.parquet.tmp"):  # left by a batch that was killed
            stale.unlink(missing_ok=True)
        for table in ALL_TABLES:
            fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".parquet.tmp", dir=self.outdir)
            os.close(fd)
            self._tmp[table] = tmp
            self._writers[table] = pq.ParquetWriter(tmp, table_schema(table, packs))
            old = self.outdir / f"{table}.parquet"
            if append and old.exists():
                self._copy_old(table, old, replace_ids)

    def _copy_old(self, table: str, old: Path, replace_ids: set[str]) -> None:
        schema = SCHEMAS[table]
        drop = pa.array(sorted(replace_ids), pa.string())
        for batch in pq.ParquetFile(old).iter_batches(batch_size=ROW_GROUP_ROWS):
            t = pa.Table.from_batches([batch])
            if "doc_id" in t.column_names and len(drop):
                t = t.filter(pc.invert(pc.is_in(t["doc_id"], value_set=drop)))
            # Columns added by a newer version come in as nulls.
            cols = [t[name] if name in t.column_names else pa.nulls(len(t), schema.field(name).type)
                    for name in schema.names]
            self._writers[table].write_table(pa.table(cols, schema=schema))

    def add(self, rows: dict[str, list[dict]]) -> None:
        for doc in rows.get("documents", []):
            doc.setdefault("tool_version", __version__)  # cached rows are only valid for this version
        for table, table_rows in rows.items():
            if table in self._buffers:
                self._buffers[table].extend(public(r) for r in table_rows)
                if len(self._buffers[table]) >= ROW_GROUP_ROWS:
                    self._flush(table)

    def add_arrow(self, table: str, data: pa.Table) -> None:
        """Rows already converted (e.g. part files written by Dask workers), after the
        rows added so far."""
        self._flush(table)
        self._writers[table].write_table(data.select(SCHEMAS[table].names).cast(SCHEMAS[table]))

    def _flush(self, table: str) -> None:
        if self._buffers[table]:
            self._writers[table].write_table(to_arrow(table, self._buffers[table]))
            self._buffers[table] = []

    def close(self) -> None:
        for table in ALL_TABLES:
            self._flush(table)
            self._writers[table].close()
        umask = os.umask(0)
        os.umask(umask)
        for table in ALL_TABLES:
            os.chmod(self._tmp[table], 0o666 & ~umask)  # mkstemp made it private; tables are for sharing
            os.replace(self._tmp[table], self.outdir / f"{table}.parquet")

    def abort(self) -> None:
        for table in ALL_TABLES:
            try:
                self._writers[table].close()
            except Exception:
                pass
            Path(self._tmp[table]).unlink(missing_ok=True)


def write_tables(outdir: str | Path, rows: dict[str, list[dict]], packs=None) -> None:
    sink = TableSink(outdir, packs=packs)
    try:
        sink.add(rows)
    except BaseException:
        sink.abort()
        raise
    sink.close()
