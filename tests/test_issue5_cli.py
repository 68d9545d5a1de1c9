"""Issue 5, the analyst's and the checker's commands on the samples: inspect, packs
list / test, query (against pandas on the same Parquet), export (read back with
openpyxl and compared value for value with the Parquet)."""
import csv
import io
import shutil
from decimal import Decimal

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from extractor.commands.cli import main
from extractor.packs import PACKS_DIR, load_packs
from extractor.tables import ALL_TABLES
from conftest import SAMPLES
from issue5_data import DEPARTMENT, PLANTED, extract_samples

VERSION = {p.name: p.version for p in load_packs()}  # pack versions change; the layout of the output does not


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return extract_samples(tmp_path_factory.mktemp("issue5_cli"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# ---------------------------------------------------------------- inspect

def test_inspect_shows_pack_choice_sections_and_unplaced_figures():
    r = run("inspect", SAMPLES / "2021_liwan_commerce_dept_report.pdf")
    assert r.exit_code == 0, r.output
    out = r.output
    assert f"dept_report        v{VERSION['dept_report']} prio 20  CHOSEN   evidence 7 (min 5: 部门整体" in out
    # dept_scoring has higher priority than project_selfeval but is excluded by the report's title
    assert "excluded by 部门整体支出绩效自评报告" in out
    assert f"-> kind dept_report, pack dept_report v{VERSION['dept_report']}" in out
    assert f"department {DEPARTMENT}, year 2021" in out
    assert "indicators   28 row(s)  p.6,7,8      主要任务 × 关键指标" in out
    assert "budget        5 row(s)  p.6          部门资金情况 fund lines" in out
    assert "Rows: budget 6, tasks 6, projects 7, indicators 28, scores 0, counts 12" in out
    # p.2 states the 投资额 491.53亿元 that no pack section reads: it is listed
    page2 = out.split("\nPage 2:")[1].split("\nPage 3:")[0]
    assert "figure lines 11, in no row 5" in page2
    assert "? (落地)项目104个,投资额491.53亿元,协议达产值481.36" in page2
    # p.3's figures all ended in rows
    assert "\nPage 3: 25 line(s), 0 table row(s); rows: projects 2, counts 10; figure lines 13, in no row 0" in out


def test_inspect_one_page_in_full():
    r = run("inspect", SAMPLES / "2022_sample_project_selfeval.pdf", "--page", 1)
    assert r.exit_code == 0, r.output
    assert f"project_selfeval   v{VERSION['project_selfeval']} prio 5   CHOSEN" in r.output
    assert "^ | 年度资金总额 | ^ | 300.83 | 320.94 | 282.38 | 10 | 87.99% | 8.8" in r.output  # grid row
    assert "+ 年度资金总额300.83 320.94 282.38 10 87.99%8.8" in r.output  # figures placed in rows
    assert "fund_source=合计" in r.output and "actual=2823800.00" in r.output


def test_inspect_unknown_document_lists_every_figure(tmp_path):
    doc = tmp_path / "memo.txt"
    doc.write_text("某单位2024年工作总结\n全年支出合计1234.56万元,完成率99.5%。\n", encoding="utf-8")
    r = run("inspect", doc)
    assert r.exit_code == 0, r.output
    assert "-> kind unknown: no pack matched" in r.output
    assert "? 全年支出合计1234.56万元,完成率99.5%。" in r.output


def test_inspect_errors(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf at all", encoding="utf-8")
    r = run("inspect", bad)
    assert r.exit_code == 1 and "cannot read: not a PDF" in r.output
    assert run("inspect", SAMPLES / "2022_sample_project_selfeval.pdf", "--page", 2).exit_code == 2
    assert run("inspect", tmp_path / "missing.pdf").exit_code == 2


# ---------------------------------------------------------------- packs

def test_packs_list():
    r = run("packs", "list")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["name", "version", "kind", "priority", "keywords", "file"]
    names = [ln.split()[0] for ln in lines[2:]]
    assert names == ["dept_report", "final_accounts", "dept_scoring", "project_selfeval"]  # by priority
    scoring = next(ln for ln in lines if ln.startswith("dept_scoring"))
    assert scoring.split()[1:4] == [str(VERSION["dept_scoring"]), "dept_scoring", "10"]
    assert "部门整体(?:支出)?绩效(?:自评|评价)(?:情况)?表 (+4)" in scoring and "patterns/dept_scoring.yaml" in scoring


def test_packs_test_on_the_samples():
    r = run("packs", "test", "--docs", SAMPLES)
    assert r.exit_code == 0, r.output
    ok = [ln for ln in r.output.splitlines() if ln.strip().startswith("ok ")]
    assert len(ok) == 5  # two seeds as .pdf and .txt, the project sample
    assert "ok       tests/golden/2023_liwan_commerce_dept_scoring.json <- samples/2023_liwan_commerce_dept_scoring.txt" \
        in r.output or "2023_liwan_commerce_dept_scoring.txt" in r.output
    assert "skipped  tests/golden/real/xian_wjw_2022_final_accounts_excerpt.json: source not found" in r.output
    assert r.output.rstrip().endswith("5 ok, 0 FAIL, 3 skipped")


def test_packs_test_fails_on_a_broken_pack(tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, packs)
    pack = packs / "dept_scoring.yaml"
    text = pack.read_text(encoding="utf-8")
    assert "total_row: '^(合计|总分)$'" in text
    pack.write_text(text.replace("total_row: '^(合计|总分)$'", "total_row: '^(总分)$'"), encoding="utf-8")
    r = run("packs", "test", "dept_scoring", "--packs", packs, "--docs", SAMPLES)
    assert r.exit_code == 1, r.output
    assert "FAIL     tests/golden/2023_liwan_commerce_dept_scoring.json <- samples/2023_liwan_commerce_dept_scoring.pdf" \
        in r.output
    assert "documents.total_score: golden 99.79, got None" in r.output
    assert "dept_report" not in r.output  # only the pack asked for


def test_packs_test_usage_errors():
    assert run("packs", "test", "no_such_pack").exit_code == 2
    assert run("packs", "nonsense").exit_code == 2


# ---------------------------------------------------------------- query

def _parquet(out, table):
    return pq.read_table(out / f"{table}.parquet").to_pandas()


def test_query_matches_pandas(out):
    sql = ("SELECT d.department, d.year, b.page, b.actual, b.adjusted, b.exec_rate FROM budget b "
           "JOIN documents d USING (doc_id) WHERE b.fund_source = '合计' AND b.project IS NULL "
           "ORDER BY d.source_path, b.page, b.source")
    r = run("query", out, sql, "--csv")
    assert r.exit_code == 0, r.output
    got = list(csv.DictReader(io.StringIO(r.output)))
    budget, docs = _parquet(out, "budget"), _parquet(out, "documents")
    want = (budget.merge(docs, on="doc_id", suffixes=("", "_doc"))
            .query("fund_source == '合计' and project.isnull()")
            .sort_values(["source_path", "page", "source"]))
    assert len(got) == len(want) == 8  # 2021 report as pdf, txt and planted (narrative + table), 2023 pdf + txt
    for g, (_, w) in zip(got, want.iterrows()):
        assert g["department"] == w["department"] == "广州市荔湾区商务和投资促进局"
        assert int(g["year"]) == w["year"] and int(g["page"]) == w["page"]
        assert (Decimal(g["actual"]) if g["actual"] else None) == w["actual"]
        assert (float(g["exec_rate"]) if g["exec_rate"] else None) == (None if pd.isna(w["exec_rate"]) else w["exec_rate"])
    assert Decimal(got[0]["actual"]) == Decimal("131630900.00")


def test_query_aggregates_and_table_output(out):
    r = run("query", out, "SELECT status, count(*) AS n FROM checks GROUP BY status ORDER BY status")
    assert r.exit_code == 0, r.output
    counts = _parquet(out, "checks")["status"].value_counts()
    lines = r.output.splitlines()
    assert lines[0].split() == ["status", "n"]
    rows = {ln.split()[0]: int(ln.split()[1]) for ln in lines[2:-1]}
    assert rows == {k: int(v) for k, v in counts.items()}
    assert rows["fail"] == 2  # the planted 97.68%: its rate, and the narrative against the table
    assert lines[-1] == f"({len(rows)} rows)"
    # `check` is a keyword in SQL: quoted
    fail = run("query", out, 'SELECT "check", subject, expected, reported, message FROM checks '
                             "WHERE status = 'fail' ORDER BY \"check\"")
    assert fail.exit_code == 0, fail.output
    lines = fail.output.splitlines()
    assert lines[2].split()[:4] == ["budget.exec_rate", "合计", "98.68%", "97.68%"]
    assert lines[3].split()[:4] == ["budget.narrative", "合计", "98.68%", "97.68%"]


def test_query_errors(out, tmp_path):
    assert run("query", out, "SELECT nope FROM documents").exit_code == 2
    assert run("query", tmp_path, "SELECT 1").exit_code == 2  # no tables there


# ---------------------------------------------------------------- export

def test_export_xlsx_matches_parquet(out, tmp_path):
    book = tmp_path / "tables.xlsx"
    r = run("export", out, "--xlsx", book, "--lang", "en")  # en: the Parquet names and values as they are
    assert r.exit_code == 0, r.output
    wb = load_workbook(book)
    assert wb.sheetnames == ALL_TABLES
    for table in ALL_TABLES:
        ws = wb[table]
        arrow = pq.read_table(out / f"{table}.parquet")
        assert ws.freeze_panes == "A2"
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == arrow.column_names
        assert len(rows) - 1 == arrow.num_rows
        money = {i for i, f in enumerate(arrow.schema) if str(f.type).startswith("decimal")}
        for got, want in zip(rows[1:], arrow.to_pylist()):
            for i, (g, w) in enumerate(zip(got, want.values())):
                if i in money:
                    assert (None if g is None else Decimal(str(g)).quantize(Decimal("0.01"))) == w, (table, i, g, w)
                else:
                    assert g == w, (table, i, g, w)
        for i in money:
            assert all(c.number_format == "0.00" for c in next(ws.iter_cols(min_col=i + 1, max_col=i + 1, min_row=2)))
    budget = wb["budget"]
    header = [c.value for c in budget[1]]
    actual = [r[header.index("actual")] for r in budget.iter_rows(min_row=2, values_only=True)
              if r[header.index("fund_source")] == "合计"]
    assert 131630900 in actual
    docs = wb["documents"]
    header = [c.value for c in docs[1]]
    scores = {r[header.index("source_path")].rsplit("/", 1)[-1]: r[header.index("total_score")]
              for r in docs.iter_rows(min_row=2, values_only=True)}
    assert scores["2023_liwan_commerce_dept_scoring.pdf"] == 99.79
    assert scores[PLANTED] is None
