"""A dataset researchers can cite: `extract --dataset DIR`.

The tables of an output folder, written again as a hive-partitioned Parquet dataset
by the documents' budget year:

    DIR/manifest.json
    DIR/budget/year=2021/part-0.parquet
    DIR/budget/year=2022/part-0.parquet
    DIR/documents/year=2021/part-0.parquet        (year=__HIVE_DEFAULT_PARTITION__: no year)
    …

Every table gets the partition column `year` (the document's; row tables take it
from `documents` by doc_id), so DuckDB (`read_parquet('DIR/budget/*/*.parquet',
hive_partitioning = true)`), pandas (`pd.read_parquet('DIR/budget')`) and Polars
(`pl.read_parquet('DIR/budget/*/*.parquet', hive_partitioning=True)`) read it alike.
Files keep the column descriptions and version metadata of the output folder.

`manifest.json` says what the dataset is: its version (a hash of its content, so
equal data has an equal version whenever it was made), the tool, contract and pack
versions, each input (doc_id, path, status, pack) and per table the row count and a
SHA-256 over a canonical serialisation of its rows, sorted (equal tables hash equal,
whatever their row order or partitioning).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .. import __version__
from ..output.outdir import read_arrow
from ..tables import CONTRACT_VERSION

MANIFEST = "manifest.json"
FORMAT = "extractor-dataset/1"


class DatasetError(ValueError):
    """Not a dataset folder, or an unreadable one; the message says why."""


def with_year(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Each table with the `year` of its document (documents keep their own)."""
    docs = tables["documents"]
    ids = docs["doc_id"]
    years = docs["year"].cast(pa.int32())
    out = {}
    for name, t in tables.items():
        if name == "documents" or "doc_id" not in t.column_names:
            out[name] = t
            continue
        index = pc.index_in(t["doc_id"], value_set=ids)
        year = pc.take(years, index)
        if "year" in t.column_names:
            t = t.drop_columns(["year"])  # e.g. series_members' own year: the document's is the same
        out[name] = t.append_column(pa.field("year", pa.int32()), year)
    return out


def table_hash(table: pa.Table) -> str:
    """SHA-256 over the rows, each as canonical JSON (columns in name order), sorted."""
    names = sorted(table.column_names)
    lines = sorted(json.dumps([_canonical(r[n]) for n in names], ensure_ascii=False, separators=(",", ":"))
                   for r in table.select(names).to_pylist())
    digest = hashlib.sha256(("\x1f".join(names) + "\n").encode())
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _canonical(v):
    if isinstance(v, Decimal):
        return f"{v:f}"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return [_canonical(x) for x in v]
    if isinstance(v, dict):
        return {k: _canonical(x) for k, x in sorted(v.items())}
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return v


def write_dataset(outdir: str | Path, directory: str | Path, *, packs=None) -> dict:
    """Write OUTDIR's tables as the dataset DIR (replacing what DIR held); returns the manifest."""
    import pyarrow.dataset as ds

    from ..output.writer import file_metadata

    directory = Path(directory)
    tables = with_year(read_arrow(outdir))
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / ".writing"
    shutil.rmtree(tmp, ignore_errors=True)
    manifest_tables = {}
    for name, t in tables.items():
        ds.write_dataset(t, tmp / name, format="parquet", partitioning=["year"], partitioning_flavor="hive",
                         basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore")
        if t.num_rows == 0:  # an empty table still has a file: its schema, and globs that match
            import pyarrow.parquet as pq

            empty = tmp / name / "year=__HIVE_DEFAULT_PARTITION__"
            empty.mkdir(parents=True, exist_ok=True)
            pq.write_table(t.drop_columns(["year"]), empty / "part-0.parquet")
        files = sorted(str(p.relative_to(tmp)) for p in (tmp / name).rglob("*.parquet"))
        manifest_tables[name] = {"rows": t.num_rows, "sha256": table_hash(t), "files": files}
    docs = tables["documents"].to_pylist()
    meta = file_metadata(packs if packs is not None else _pack_versions(docs))
    manifest = {
        "format": FORMAT,
        "dataset_version": hashlib.sha256(json.dumps({n: m["sha256"] for n, m in sorted(manifest_tables.items())}
                                                     ).encode()).hexdigest()[:16],
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "tool_version": __version__,
        "contract_version": CONTRACT_VERSION,
        "pack_versions": json.loads(meta["extractor.pack_versions"]),
        "partitioning": {"flavor": "hive", "columns": ["year"]},
        "inputs": [{"doc_id": d["doc_id"], "source_path": d["source_path"], "status": d["status"],
                    "kind": d["kind"], "pack": d.get("pack"), "pack_version": d.get("pack_version"),
                    "year": d["year"]} for d in docs],
        "tables": manifest_tables,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # Replace the old content only now that the new one is complete.
    for name in list(tables) + [MANIFEST]:
        old = directory / name
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
        (tmp / name).rename(old)
    shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _pack_versions(docs: list[dict]) -> dict[str, int]:
    return {d["pack"]: d["pack_version"] for d in docs if d.get("pack")}


def read_manifest(directory: str | Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{directory} is not a dataset of `extractor extract --dataset` (no readable {MANIFEST}: {exc})")
    if manifest.get("format") != FORMAT:
        raise DatasetError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    return manifest


def read_dataset(directory: str | Path) -> dict[str, pa.Table]:
    """The tables of a dataset (with their `year` column), as its manifest lists them."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    manifest = read_manifest(directory)
    out = {}
    for name, entry in manifest["tables"].items():
        parts = []
        for rel in entry["files"]:
            t = pq.read_table(directory / rel)
            year = rel.split("/")[1].partition("=")[2]
            value = None if year == "__HIVE_DEFAULT_PARTITION__" else int(year)
            parts.append(t.append_column(pa.field("year", pa.int32()), pa.array([value] * t.num_rows, pa.int32())))
        out[name] = pa.concat_tables(parts, promote_options="permissive")
    return out
