"""Issue 13: `extract --dataset DIR` writes a citable, hive-partitioned dataset that
DuckDB, pandas and Polars read alike; `diff` lists what editing one pack changed."""
import json
import shutil
from decimal import Decimal

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from extractor.commands.cli import main
from extractor.commands.dataset import read_dataset, table_hash, with_year
from extractor.output.outdir import read_arrow
from extractor.tables import ALL_TABLES
from conftest import ROOT, SAMPLES, SHARED

REAL = SHARED / "real"


def _extract(tmp, name, packs=None):
    args = ["extract", str(SAMPLES), str(REAL), "-o", str(tmp / f"out_{name}"), "--dataset", str(tmp / name),
            "--cache", str(tmp / "cache"), "-q"]
    if packs:
        args += ["--packs", str(packs)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    return tmp / name


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    if not REAL.is_dir():
        pytest.fail(f"{REAL} is missing: the real documents are needed")
    tmp = tmp_path_factory.mktemp("issue13_dataset")
    v1 = _extract(tmp, "v1")
    # one pack edited: final_accounts names its narrative total line differently
    packs = tmp / "packs"
    shutil.copytree(ROOT / "patterns", packs)
    fa = packs / "final_accounts.yaml"
    text = fa.read_text(encoding="utf-8")
    assert "set: {fund_source: 合计, source: narrative}" in text
    fa.write_text(text.replace("set: {fund_source: 合计, source: narrative}",
                               "set: {fund_source: 部门整体支出, source: narrative}"), encoding="utf-8")
    v2 = _extract(tmp, "v2", packs)
    return tmp, v1, v2


def test_layout_and_manifest(datasets):
    tmp, v1, _ = datasets
    manifest = json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))
    docs = pq.read_table(tmp / "out_v1" / "documents.parquet").to_pylist()
    assert manifest["tool_version"] == docs[0]["tool_version"]
    from extractor.packs import load_packs

    assert manifest["pack_versions"] == {p.name: p.version for p in load_packs()}  # the versions the YAML files state
    assert sorted((i["doc_id"], i["status"]) for i in manifest["inputs"]) == sorted(
        (d["doc_id"], d["status"]) for d in docs)
    years = {d["year"] for d in docs}
    assert {p.name for p in (v1 / "documents").iterdir()} == {f"year={y}" for y in years if y is not None} | (
        {"year=__HIVE_DEFAULT_PARTITION__"} if None in years else set())
    outdir = read_arrow(tmp / "out_v1")
    for name in ALL_TABLES:
        entry = manifest["tables"][name]
        assert entry["rows"] == outdir[name].num_rows, name
        assert all((v1 / f).is_file() for f in entry["files"])
        assert entry["sha256"] == table_hash(with_year(outdir)[name]), name
    # the hash is of the content: the same rows in another order hash the same
    budget = with_year(outdir)["budget"]
    assert table_hash(budget.take(list(reversed(range(budget.num_rows))))) == manifest["tables"]["budget"]["sha256"]
    assert table_hash(budget.slice(1)) != manifest["tables"]["budget"]["sha256"]
    # the files keep the descriptions and versions
    schema = pq.read_schema(v1 / manifest["tables"]["budget"]["files"][0])
    assert schema.field("actual").metadata[b"description"].decode() == "实际支出 / 全年执行数 / 决算数"
    assert json.loads(schema.metadata[b"extractor.pack_versions"]) == manifest["pack_versions"]


def test_duckdb_pandas_and_polars_read_the_same_rows(datasets):
    _, v1, _ = datasets
    cols = ["doc_id", "page", "fund_source", "source", "actual", "exec_rate", "year"]
    con = duckdb.connect()
    duck = con.execute(f"SELECT {', '.join(cols)} FROM read_parquet('{v1}/budget/*/*.parquet', "
                       "hive_partitioning = true)").fetchall()
    pdf = pd.read_parquet(v1 / "budget")
    pandas_rows = [tuple(r) for r in pdf[cols].itertuples(index=False)]
    polars_rows = pl.read_parquet(f"{v1}/budget/*/*.parquet", hive_partitioning=True).select(cols).rows()

    def norm(rows):
        return sorted((d, int(p), f, s, None if a is None else Decimal(str(a)),
                       None if r is None or r != r else float(r), None if y is None else int(y))
                      for d, p, f, s, a, r, y in rows)

    assert len(duck) == 59 and norm(duck) == norm(pandas_rows) == norm(polars_rows)
    # and equal to the output folder's rows with their documents' year
    ours = read_dataset(v1)["budget"].select(cols).to_pylist()
    assert norm(duck) == norm([tuple(r.values()) for r in ours])
    liwan = [r for r in norm(duck) if r[2] == "合计" and r[3] == "narrative" and r[6] == 2021]
    assert [r[4] for r in liwan] == [Decimal("131630900.00")] * 2  # the 2021 report, PDF and text
    assert con.execute(f"SELECT count(*) FROM read_parquet('{v1}/documents/*/*.parquet', hive_partitioning = true)"
                       ).fetchone()[0] == 9


def test_diff_after_editing_one_pack_lists_exactly_its_rows(datasets):
    tmp, v1, v2 = datasets
    r = CliRunner().invoke(main, ["diff", str(v1), str(v2), "--json"])
    assert r.exit_code == 1, r.output  # they differ
    d = json.loads(r.output)
    docs = pq.read_table(tmp / "out_v1" / "documents.parquet").to_pylist()
    fa = {x["doc_id"] for x in docs if x["pack"] == "final_accounts"}
    assert len(fa) == 3
    old = pq.read_table(tmp / "out_v1" / "budget.parquet").to_pylist()
    renamed = [x for x in old if x["doc_id"] in fa and x["fund_source"] == "合计" and x["source"] == "narrative"]
    assert len(renamed) == 2
    tables = d["tables"]
    assert set(tables) == {"budget", "checks"}  # the pack's version was not bumped: documents are equal
    budget = tables["budget"]
    assert budget["changed"] == []
    assert sorted((x["doc_id"], x["actual"]) for x in budget["removed"]) == sorted(
        (x["doc_id"], f"{x['actual']:f}") for x in renamed)
    assert sorted((x["doc_id"], x["fund_source"], x["actual"]) for x in budget["added"]) == sorted(
        (x["doc_id"], "部门整体支出", f"{x['actual']:f}") for x in renamed)
    for entry in tables["checks"]["added"] + tables["checks"]["removed"]:
        assert entry["doc_id"] in fa and entry["subject"] in ("合计", "部门整体支出")
    # a dataset compared with itself: nothing
    same = CliRunner().invoke(main, ["diff", str(v1), str(v1)])
    assert same.exit_code == 0 and "budget: 0 added, 0 removed, 0 changed" in same.output
    assert CliRunner().invoke(main, ["diff", str(v1), str(tmp)]).exit_code == 2  # not a dataset
