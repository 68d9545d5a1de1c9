"""PDFium reads the text of pages that need no table grid; pdfplumber the rest.
The rows must be the same as reading every page with pdfplumber."""
import pytest

from extractor.pipeline import process_file
from extractor.tables import ROW_TABLES
from conftest import SAMPLES, SHARED

PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted((SHARED / "real").glob("*.pdf"))


def public(rows):
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fast_reader_gives_the_same_tables(path, packs):
    fast = process_file(path, packs)
    full = process_file(path, packs, all_grids=True)
    for table in [*ROW_TABLES, "checks", "documents"]:
        assert public(fast[table]) == public(full[table]), table
