"""The example pack in README.md ("Writing a pack") loads and reads the two Xi'an
project pages it is written for: the README stays true."""
import shutil
from decimal import Decimal

import pypdfium2 as pdfium

from extractor.packs import load_packs
from extractor.batch.pipeline import process_file
from conftest import ROOT, SHARED


def test_readme_example_pack(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("    name: city_project_table"):readme.index("Column names are the contract")]
    packs_dir = tmp_path / "packs"
    shutil.copytree(ROOT / "patterns", packs_dir)
    (packs_dir / "city_project_table.yaml").write_text("\n".join(line[4:] for line in block.splitlines()),
                                                       encoding="utf-8")
    src = pdfium.PdfDocument(str(SHARED / "real" / "xian_wjw_2022_final_accounts_excerpt.pdf"))
    pages = pdfium.PdfDocument.new()
    pages.import_pages(src, [3, 4])  # the first two project tables (pages 4 and 5)
    pages.save(str(tmp_path / "two_projects.pdf"))
    result = process_file(tmp_path / "two_projects.pdf", load_packs(packs_dir))
    doc = result["documents"][0]
    assert (doc["pack"], doc["kind"], doc["department"], doc["year"]) == \
        ("city_project_table", "project_selfeval", "西安市卫生健康委员会", 2022)
    totals = [(b["page"], b["project"], b["initial"], b["adjusted"], b["actual"], b["exec_rate"])
              for b in result["budget"] if b["fund_source"] == "合计"]
    assert totals == [
        (1, "2022年病媒生物防制", Decimal("2400000.00"), Decimal("2291900.00"), Decimal("2291900.00"), 1.0),
        (2, "2022年事业单位离休人员和保健对象医疗费", Decimal("40430000.00"), Decimal("40430000.00"),
         Decimal("40430000.00"), 1.0)]
    assert len(result["budget"]) == 8 and not [c for c in result["checks"] if c["status"] == "fail"]
