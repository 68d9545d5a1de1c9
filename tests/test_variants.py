"""The variant corpus of issue 9: a seeded slice rendered by every renderer and read by
every text tool, scored against the truth the generator wrote.

The generator is tested for itself (reproducible, arithmetic of clean documents holds,
planted errors are there, every document renders); the engine's scores on the slice are
asserted with the issue's thresholds (xfail until the engine reaches them)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.variants import score as S
from tests.variants.build import FAMILIES, RENDERERS, build
from tests.variants.truth import consistency, generate
from tests.variants.twins import TOOLS, web_text

SLICE_SEED = 2
# families rotate with the index, renderers with index // 4; 12..15 and 30 are planted,
# 6 and 22 get a twin with a page cut out
SLICE = list(range(16)) + [22, 30]
TWINS_PER_DOC = 2

# In CI (.ci/run installs them) a missing tool fails the tests instead of skipping them.
needs_soffice = pytest.mark.skipif(
    (shutil.which("soffice") is None or shutil.which("pdftotext") is None) and not os.environ.get("CI"),
    reason="LibreOffice (soffice) and poppler (pdftotext) are needed")


@pytest.fixture(scope="module")
def slice_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    files = generate(0, SLICE_SEED, out, jobs=2, indices=SLICE, twins_per_doc=TWINS_PER_DOC)
    return out, files


def test_full_corpus_truth_adds_up():
    """Clean documents add up exactly; a planted one breaks the arithmetic its check watches."""
    planted = 0
    for i in range(200):
        doc = build(i, 1)
        errs = consistency(doc)
        if doc.planted:
            planted += 1
            names = {c for p in doc.planted for c in p.checks}
            assert any(e.split()[0] in names for e in errs), (doc.name, doc.planted, errs)
        else:
            assert errs == [], (doc.name, errs)
    assert 40 <= planted <= 60


def test_generator_is_reproducible():
    for i in (0, 1, 2, 3, 17):
        a, b = build(i, 5), build(i, 5)
        assert json.dumps([a.documents, a.rows], ensure_ascii=False, default=str) == \
            json.dumps([b.documents, b.rows], ensure_ascii=False, default=str)
        assert web_text(a) == web_text(b)
    assert web_text(build(0, 5)) != web_text(build(0, 6))


def test_slice_covers_every_family_renderer_and_tool():
    docs = [build(i, SLICE_SEED) for i in SLICE]
    assert {d.family for d in docs} == set(FAMILIES)
    assert {d.renderer for d in docs} == {r for rs in RENDERERS.values() for r in rs}
    tools = {TOOLS[(k * TWINS_PER_DOC + j) % len(TOOLS)] for k in range(len(SLICE)) for j in range(TWINS_PER_DOC)}
    assert tools == set(TOOLS)
    assert any(d.planted for d in docs)


@needs_soffice
def test_rendering_is_reproducible(tmp_path):
    """Same seed, same bytes of truth and same text (reportlab: same PDF bytes too)."""
    runs = []
    for k in range(2):
        out = tmp_path / str(k)
        generate(0, SLICE_SEED, out, jobs=2, indices=[1, 5], twins_per_doc=3)
        runs.append(out)
    for f in sorted((runs[0] / "truth").iterdir()):
        assert f.read_bytes() == (runs[1] / "truth" / f.name).read_bytes(), f.name
    for f in sorted((runs[0] / "corpus").iterdir()):
        if f.suffix == ".txt" or "reportlab" in f.name:
            assert f.read_bytes() == (runs[1] / "corpus" / f.name).read_bytes(), f.name


@needs_soffice
def test_every_document_renders(slice_corpus):
    out, files = slice_corpus
    import pypdfium2 as pdfium
    for name in files:
        truth = json.loads((out / "truth" / f"{name}.json").read_text(encoding="utf-8"))
        path = out / "corpus" / name
        if name.endswith(".pdf"):
            assert len(pdfium.PdfDocument(str(path))) >= 1
        else:
            text = path.read_text(encoding="utf-8")
            dept = truth["documents"]["department"]
            assert "".join(dept.split()) in "".join(text.split()) or truth["cut_page"] == 1, name
        rows = sum(len(v) for v in truth["rows"].values())
        assert rows > 0, name
    assert any(".cut" in f for f in files)


@pytest.fixture(scope="module")
def slice_scored(slice_corpus):
    out, _ = slice_corpus
    S.run_extractor(out / "corpus", out / "output", S.ROOT, jobs=2)
    res = S.score(out / "truth", out / "output")
    S.report(res)
    return res, S.summary(res)


@needs_soffice
def test_engine_holds_what_it_reached_on_the_slice(slice_scored):
    """The levels the engine reached on this slice (measured, not the goal): PDFs of every
    family × renderer read well, no error-severity failure on any clean file, most planted
    errors found.  A regression below them fails."""
    res, s = slice_scored
    assert not res["missing_files"]
    pdf = {g: f1 for g, f1 in s["group_f1"].items() if g.endswith("/pdf")}
    assert len(pdf) >= 8 and min(pdf.values()) >= 0.65 and sum(pdf.values()) / len(pdf) >= 0.85, pdf
    assert s["false_alarm_files"] == 0
    assert s["planted_recall"] >= 0.6
    for family, f1 in s["family_f1"].items():
        assert f1 >= 0.45, (family, f1)


@needs_soffice
@pytest.mark.xfail(strict=False, reason="issue 9's targets are not reached yet on text twins (README: Variant corpus)")
def test_engine_on_the_slice(slice_scored):
    res, s = slice_scored
    assert not res["missing_files"]
    for family, f1 in s["family_f1"].items():
        assert f1 >= 0.98, (family, f1)
    for group, f1 in s["group_f1"].items():
        assert f1 >= 0.98, (group, f1)
    assert s["planted_recall"] >= 0.95
    assert s["false_alarm_files"] == 0
    assert s["partial_recall"] == 1.0 and s["false_partial"] == 0


def _fake_output(truths: list[dict], out):
    """The Parquet tables an engine that reads everything right would write, with a failing
    check for every planted error."""
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq
    out.mkdir(parents=True, exist_ok=True)
    tables = {t: [] for t in ("documents", "budget", "tasks", "projects", "indicators", "scores", "counts", "checks")}
    for k, t in enumerate(truths):
        doc_id = f"{k:064x}"
        tables["documents"].append(dict(doc_id=doc_id, source_path=f"/x/{t['file']}", status=t["expect_status"],
                                        **t["documents"]))
        for table, rows in t["rows"].items():
            for r in rows:
                r = dict(r, doc_id=doc_id)
                for c in S.MONEY.get(table, ()):
                    r[c] = None if r[c] is None else Decimal(r[c])
                tables[table].append(r)
        for p in t["planted"]:
            tables["checks"].append(dict(doc_id=doc_id, page=1, check=p["checks"][0],
                                         subject=(p["subjects"] or ["document"])[0], status="fail", severity="error"))
    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pylist(rows) if rows else pa.table({"doc_id": pa.array([], pa.string())}),
                       out / f"{name}.parquet")


def test_scorer_gives_full_marks_to_the_truth(tmp_path):
    from tests.variants.truth import _dump, _truth
    truths = []
    (tmp_path / "truth").mkdir()
    for i in (0, 1, 2, 3, 12, 13, 14, 15):
        doc = build(i, SLICE_SEED)
        for table in doc.rows.values():
            for r in table:
                r["page"] = 1
        t = _truth(doc, f"{doc.name}.pdf", "pdf")
        _dump(t, tmp_path / "truth" / f"{doc.name}.pdf.json")
        truths.append(t)
    _fake_output(truths, tmp_path / "output")
    res = S.score(tmp_path / "truth", tmp_path / "output")
    s = S.summary(res)
    assert all(f1 == 1.0 for f1 in s["family_f1"].values()), s
    assert s["planted_recall"] == 1.0 and res["planted_total"] >= 3
    assert s["false_alarm_files"] == 0 and s["status_accuracy"] == 1.0
    # an engine that loses a row and misreads a figure scores below 1
    truths[0]["rows"]["budget"][0]["actual"] = "1.00"
    truths[1]["rows"]["scores"].pop()
    _fake_output(truths, tmp_path / "output")
    s = S.summary(S.score(tmp_path / "truth", tmp_path / "output"))
    assert s["family_f1"]["dept_report"] < 1.0 and s["family_f1"]["dept_scoring"] < 1.0
