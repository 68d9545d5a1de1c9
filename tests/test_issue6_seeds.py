"""Issue 6 on the seeds: `extractor link` after `extractor extract`, idempotent, and
conforming to the contract."""
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import SAMPLES, SHARED
from extractor.commands.cli import main

CHECKER = SHARED / "tools" / "check_contract.py"
REPORT = "2021_liwan_commerce_dept_report.txt"


def extract(inputs, out):
    result = CliRunner().invoke(main, ["extract", *map(str, inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output


def link(out, *options):
    result = CliRunner().invoke(main, ["link", str(out), *options])
    assert result.exit_code == 0, result.output
    return result


def table(out, name):
    rows = pq.read_table(out / f"{name}.parquet").to_pylist()
    return sorted(rows, key=lambda r: tuple(str(v) for v in r.values()))


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """The 2021 report, the same report filed as 2022, and the 2023 scoring table."""
    base = tmp_path_factory.mktemp("seeds")
    inputs = base / "in"
    inputs.mkdir()
    text = (SAMPLES / REPORT).read_text(encoding="utf-8")
    shifted = text.replace("2021 年部门整体支出绩效自评报告", "2022 年部门整体支出绩效自评报告", 1)
    assert shifted != text
    shutil.copy(SAMPLES / REPORT, inputs / REPORT)
    (inputs / "2022_same_report.txt").write_text(shifted, encoding="utf-8")
    shutil.copy(SAMPLES / "2023_liwan_commerce_dept_scoring.txt", inputs)
    out = base / "out"
    extract([inputs], out)
    link(out)
    return inputs, out


def test_extract_samples_then_link_conforms_to_contract(tmp_path):
    out = tmp_path / "out"
    extract([SAMPLES], out)
    result = link(out)
    assert "series" in result.output
    for name in ("series", "series_members", "panel"):
        assert (out / f"{name}.parquet").is_file()
    checked = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)
    assert "contract: 0 problems" in checked.stdout, checked.stdout
    # samples/ holds the 2021 report twice (PDF and text): one series per indicator, not two.
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    docs = {d["doc_id"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    report_2021 = [m for m in members if m["table"] == "indicators" and m["year"] == 2021]
    assert len(report_2021) == 28
    assert {docs[m["doc_id"]]["format"] for m in report_2021} == {"pdf"}


def test_each_seed_indicator_links_to_itself_a_year_later(two_years):
    _, out = two_years
    docs = {d["doc_id"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert sorted(d["year"] for d in docs.values()) == [2021, 2022, 2023]
    assert len({d["department_key"] for d in docs.values()}) == 1
    members = pq.read_table(out / "series_members.parquet").to_pylist()
    series: dict[str, list[dict]] = {}
    for m in members:
        if m["table"] == "indicators":
            series.setdefault(m["series_id"], []).append(m)
    indicators = pq.read_table(out / "indicators.parquet").num_rows
    assert indicators == 56 and len(series) == 28
    for ms in series.values():
        a, b = sorted(ms, key=lambda m: m["year"])
        assert (a["year"], b["year"]) == (2021, 2022)
        # the same row: name and task (企业满意度 is an indicator of 任务1, 任务3 and 任务4)
        assert (a["name"], a["task"], a["page"]) == (b["name"], b["task"], b["page"])
        assert b["similarity"] == 1.0


def test_reextraction_and_relinking_give_identical_series(two_years, tmp_path):
    inputs, out = two_years
    first = {name: table(out, name) for name in ("series", "series_members", "panel")}
    again = tmp_path / "again"
    extract([inputs], again)
    link(again)
    link(again)  # linking twice changes nothing either
    for name, rows in first.items():
        assert table(again, name) == rows, name
