"""Issue 5: the Python API gives the same tables as the command line writes."""
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import extractor
from extractor.tables import ALL_TABLES, SCHEMAS
from conftest import SAMPLES
from issue5_data import DEPARTMENT, extract_samples


@pytest.fixture(scope="module")
def cli_out(tmp_path_factory):
    return extract_samples(tmp_path_factory.mktemp("issue5_api"))


@pytest.fixture(scope="module")
def api(cli_out, tmp_path_factory):
    """The API over the same inputs as the CLI run, also writing Parquet."""
    inputs = [SAMPLES, cli_out.parent / "inputs"]
    outdir = tmp_path_factory.mktemp("issue5_api_out")
    return extractor.extract(inputs, outdir=outdir), outdir


def test_api_tables_equal_what_the_cli_writes(api, cli_out):
    result, _ = api
    assert list(result.tables) == ALL_TABLES
    for table in ALL_TABLES:
        cli = pq.read_table(cli_out / f"{table}.parquet").to_pandas(types_mapper=pd.ArrowDtype)
        pd.testing.assert_frame_equal(result.tables[table], cli, obj=table)
        assert getattr(result, table) is result.tables[table]


def test_api_writes_the_same_parquet(api, cli_out):
    _, outdir = api
    for table in ALL_TABLES:
        assert pq.read_table(outdir / f"{table}.parquet").equals(pq.read_table(cli_out / f"{table}.parquet")), table


def test_dtypes_are_arrow_backed_and_money_is_decimal(api):
    result, _ = api
    for table in ALL_TABLES:
        df = result.tables[table]
        assert list(df.columns) == SCHEMAS[table].names
        for field in SCHEMAS[table]:
            assert df[field.name].dtype == pd.ArrowDtype(field.type), (table, field.name)
    budget = result.budget
    assert budget["actual"].dtype == pd.ArrowDtype(pa.decimal128(20, 2))
    doc = result.documents
    report = doc[doc["source_path"].str.endswith("2021_liwan_commerce_dept_report.pdf")]
    total = budget[(budget["doc_id"] == report["doc_id"].iloc[0]) & (budget["fund_source"] == "合计")
                   & (budget["source"] == "narrative")]
    assert total["actual"].tolist() == [Decimal("131630900.00")]
    assert total["adjusted"].tolist() == [Decimal("133388200.00")]
    assert total["exec_rate"].tolist() == [0.9868]
    assert total["adjustment"].tolist() == [Decimal("56034300.00")]
    assert pd.isna(report["total_score"].iloc[0])  # null, not 0
    scoring = doc[doc["kind"] == "dept_scoring"]
    assert scoring["total_score"].tolist() == [99.79, 99.79]
    assert set(doc["department"].dropna()) == {DEPARTMENT, "佛山市禅城区文化广电旅游体育局"}
    assert doc["year"].dtype == pd.ArrowDtype(pa.int32())


def test_read_gives_back_the_same_result(api, cli_out):
    result, _ = api
    again = extractor.read(cli_out)
    assert list(again.tables) == ALL_TABLES
    for table in ALL_TABLES:
        pd.testing.assert_frame_equal(again.tables[table], result.tables[table], obj=table)
    assert "Result(documents=6" in repr(again)


def test_api_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        extractor.extract(tmp_path / "missing.pdf")
    with pytest.raises(ValueError):
        extractor.extract(tmp_path)  # a folder without documents
    with pytest.raises(ValueError, match="no documents.parquet"):
        extractor.read(tmp_path)
    with pytest.raises(AttributeError):
        extractor.no_such_thing  # noqa: B018
    with pytest.raises(AttributeError, match="no table 'nope'"):
        extractor.Result({}).nope  # noqa: B018


def test_api_takes_one_settings_object(tmp_path, monkeypatch):
    """Issue 12: the API's options are one typed `Settings`, passed down, not environment
    variables: its limits reach the workers (a 7-page report refused at 2 pages), the
    keyword arguments win over it, and OCR off leaves the environment as it was."""
    from extractor.batch import Limits
    from extractor.settings import Settings

    monkeypatch.delenv("EXTRACTOR_OCR", raising=False)
    pdf = SAMPLES / "2021_liwan_commerce_dept_report.pdf"
    strict = Settings(limits=Limits(max_pages=2), ocr=False)
    refused = extractor.extract(pdf, settings=strict, jobs=1, cache=False, progress=False)
    doc = refused.documents.iloc[0]
    assert doc["status"] == "failed" and "page" in doc["error"], doc.to_dict()
    assert "EXTRACTOR_OCR" not in __import__("os").environ
    read = extractor.extract(pdf, settings=strict, max_pages=50, jobs=1, cache=False, progress=False)
    assert read.documents.iloc[0]["status"] == "ok"
