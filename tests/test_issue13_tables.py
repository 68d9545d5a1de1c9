"""Issue 13: self-describing Parquet, the box and printed text of every PDF row, the
Chinese workbook and `check` in Chinese."""
import json
from decimal import Decimal

import openpyxl
import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

import extractor
from extractor.commands.cli import main
from extractor.packs import load_packs
from extractor.output.provenance import PageText, SEPARATOR, money_variants, row_box
from extractor.tables import ALL_TABLES, CONTRACT_VERSION, ROW_TABLES
from conftest import SAMPLES
from issue13_data import extract_with_planted_pdf

REPORT_PDF = SAMPLES / "2021_liwan_commerce_dept_report.pdf"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return extract_with_planted_pdf(tmp_path_factory.mktemp("issue13_tables"))


def test_every_column_of_every_table_is_described_and_files_say_what_wrote_them(out):
    for table in ALL_TABLES:
        schema = pq.read_schema(out / f"{table}.parquet")
        for field in schema:
            assert field.metadata and field.metadata[b"description"].strip(), (table, field.name)
        meta = schema.metadata
        assert meta[b"extractor.tool_version"].decode() == extractor.__version__
        assert meta[b"extractor.contract_version"].decode() == CONTRACT_VERSION
        assert json.loads(meta[b"extractor.pack_versions"]) == {p.name: p.version for p in load_packs()}
    schema = pq.read_schema(out / "budget.parquet")
    assert schema.field("initial").metadata[b"description"].decode() == "年初预算(数)"
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    assert {d["tool_version"] for d in docs} == {extractor.__version__}
    assert {d["ocr_pages"] for d in docs if d["format"] == "pdf"} == {0}  # born-digital PDFs
    assert {d["ocr_pages"] for d in docs if d["format"] == "text"} == {None}
    assert str(pq.read_schema(out / "documents.parquet").field("rows_read").type) == "int32"


def test_each_pdf_row_has_the_box_of_its_printed_figures(out):
    docs = {d["doc_id"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    report = next(i for i, d in docs.items() if d["source_path"] == str(REPORT_PDF))
    pdf = pdfium.PdfDocument(str(REPORT_PDF))
    pages = {}
    checked = missing = 0
    for table in ROW_TABLES:
        for row in pq.read_table(out / f"{table}.parquet").to_pylist():
            fmt = docs[row["doc_id"]]["format"]
            if fmt == "text":
                assert row["printed"] is None and row["bbox_x0"] is None
                continue
            if row["doc_id"] != report:
                # the planted copy breaks pages mid-block: a task whose figure is on the next page has none
                missing += not row["printed"]
                continue
            assert row["printed"] and row_box(row), (table, row)  # every row of the published PDF
            page = pages.setdefault(row["page"], PageText(pdf, row["page"]))
            inside = "".join(page.text_in(row_box(row)).split())
            for figure in row["printed"].split(SEPARATOR):
                assert figure.replace(" ", "") in inside, (table, row["printed"], inside)
            checked += 1
    assert checked == 6 + 6 + 7 + 28 + 12  # budget, tasks, projects, indicators, counts of the 2021 report
    assert missing == 2
    budget = [r for r in pq.read_table(out / "budget.parquet").to_pylist() if r["doc_id"] == report]
    total = next(r for r in budget if r["source"] == "narrative")
    assert total["printed"] == " | ".join(["7735.39", "5603.43", "13338.82", "13163.09", "98.68%"])
    assert total["page"] == 2 and total["bbox_top"] < total["bbox_bottom"] and total["bbox_x0"] < total["bbox_x1"]
    for p in pages.values():
        p.close()
    pdf.close()


def test_money_is_searched_in_the_units_pages_print():
    assert money_variants(Decimal("77353900.00"))[:2] == ["7735.39", "7,735.39"]
    assert "326" in money_variants(Decimal("3260000.00")) and "326.00" in money_variants(Decimal("3260000.00"))
    assert "77,353,900.00" in money_variants(Decimal("77353900.00"))


def test_workbook_in_chinese_money_as_numbers_rates_as_percent(out, tmp_path):
    xlsx = tmp_path / "out.xlsx"
    r = CliRunner().invoke(main, ["export", str(out), "--xlsx", str(xlsx)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["文档", "资金", "任务", "项目", "绩效指标", "评分", "数量陈述", "校验"]
    ws = wb["资金"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["文档编号", "页码", "项目", "资金来源", "年初预算", "预算调整", "调整后预算", "实际支出",
                           "执行率", "调整率", "出处"]
    assert ws.cell(1, 5).comment.text == "年初预算(数)"
    rows = [dict(zip(header, (c for c in row))) for row in ws.iter_rows(min_row=2)]
    total = next(r for r in rows if r["资金来源"].value == "合计" and r["出处"].value == "正文")
    assert total["实际支出"].value == 131630900 and total["实际支出"].number_format == "0.00"
    assert isinstance(total["实际支出"].value, (int, float))
    assert total["执行率"].value == 0.9868 and total["执行率"].number_format == "0.00%"
    checks = wb["校验"]
    ch = [c.value for c in checks[1]]
    assert ch[2:9] == ["校验项", "对象", "状态", "严重程度", "计算值", "印刷值", "说明"]
    fails = [[c.value for c in row] for row in checks.iter_rows(min_row=2) if row[4].value == "未通过"]
    assert ["预算执行率", "合计", "未通过", "错误", "98.68%", "97.68%",
            "合计：执行率印为 97.68%，按实际支出 ÷ 预算计算应为 98.68%"] in [f[2:9] for f in fails]
    en = tmp_path / "en.xlsx"
    assert CliRunner().invoke(main, ["export", str(out), "--xlsx", str(en), "--lang", "en"]).exit_code == 0
    wb = openpyxl.load_workbook(en)
    assert wb.sheetnames[1] == "budget" and wb["budget"].cell(1, 4).value == "fund_source"


def test_check_command_in_chinese(out):
    r = CliRunner().invoke(main, ["check", str(out)])
    assert r.exit_code == 1
    assert "项校验：" in r.output and "未通过" in r.output
    assert "预算执行率 budget.exec_rate" in r.output
    assert "合计：正文写 97.68%，表格中为 98.68%" in r.output
    en = CliRunner().invoke(main, ["check", str(out), "--lang", "en"])
    assert "checks:" in en.output and "执行率 printed 97.68%" in en.output
