"""The command line on a batch: contract conformity, bad files failing alone."""
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
from click.testing import CliRunner

from extractor.commands.cli import main
from conftest import SAMPLES, SHARED

CHECKER = SHARED / "tools" / "check_contract.py"


def test_extract_samples_conforms_to_contract(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(SAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    checked = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)
    assert "contract: 0 problems" in checked.stdout, checked.stdout
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    assert len(docs) == 5
    assert {d["kind"] for d in docs} >= {"dept_report", "dept_scoring"}


def test_bad_files_fail_alone(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SAMPLES / "2021_liwan_commerce_dept_report.txt", batch / "good.txt")
    shutil.copy(SAMPLES / "2023_liwan_commerce_dept_scoring.pdf", batch / "good.pdf")
    data = (SAMPLES / "2023_liwan_commerce_dept_scoring.pdf").read_bytes()
    (batch / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (batch / "empty.pdf").write_bytes(b"")
    (batch / "notapdf.pdf").write_bytes("这不是PDF文件\n".encode() * 50)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(batch), "-o", str(out)])
    assert result.exit_code == 1, result.output
    docs = {d["source_path"].rsplit("/", 1)[-1]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert len(docs) == 5
    for name in ("truncated.pdf", "empty.pdf", "notapdf.pdf"):
        assert docs[name]["status"] == "failed", docs[name]
        assert docs[name]["error"], docs[name]
    assert "empty" in docs["empty.pdf"]["error"]
    assert "not a PDF" in docs["notapdf.pdf"]["error"]
    assert docs["good.txt"]["status"] == "ok" and docs["good.pdf"]["status"] == "ok"
    budget = pq.read_table(out / "budget.parquet").to_pylist()
    assert {b["doc_id"] for b in budget} == {docs["good.txt"]["doc_id"], docs["good.pdf"]["doc_id"]}
    checked = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)
    assert "contract: 0 problems" in checked.stdout, checked.stdout


def test_check_command_reports_failures_with_pages(tmp_path):
    text = (SAMPLES / "2021_liwan_commerce_dept_report.txt").read_text(encoding="utf-8")
    planted = tmp_path / "planted.txt"
    planted.write_text(text.replace("预算执行率为 98.68%", "预算执行率为 97.68%"), encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", str(planted), "-o", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code == 1
    assert "budget.exec_rate" in result.output and "97.68%" in result.output and "98.68%" in result.output
    clean = tmp_path / "clean"
    CliRunner().invoke(main, ["extract", str(SAMPLES / "2023_liwan_commerce_dept_scoring.txt"), "-o", str(clean)])
    assert CliRunner().invoke(main, ["check", str(clean)]).exit_code == 0


def test_usage_error_exits_2(tmp_path):
    assert CliRunner().invoke(main, ["extract"]).exit_code == 2
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "missing.pdf")]).exit_code == 2
