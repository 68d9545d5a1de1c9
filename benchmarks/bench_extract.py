"""Pages per second of the whole pipeline against bare pdfplumber, on the same PDFs.

Run by hand:  .venv/bin/python benchmarks/bench_extract.py [PDF or folder ...]
(default: samples/ and ../shared/real/).  Prints one line per file and the totals.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

from extractor.packs import load_packs
from extractor.batch.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent


def pdfs(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [ROOT / "samples", ROOT.parent / "shared" / "real"]
    out = []
    for r in roots:
        out += sorted(r.rglob("*.pdf")) if r.is_dir() else [r]
    return out


def bare_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def main(args: list[str]) -> None:
    packs = load_packs()
    total = {"pages": 0, "pipeline": 0.0, "bare": 0.0}
    print(f"{'file':48} {'pages':>5} {'pipeline p/s':>13} {'pdfplumber p/s':>15}")
    for path in pdfs(args):
        t0 = time.perf_counter()
        result = process_file(path, packs)
        t1 = time.perf_counter()
        pages = bare_pdfplumber(path)
        t2 = time.perf_counter()
        total["pages"] += pages
        total["pipeline"] += t1 - t0
        total["bare"] += t2 - t1
        kind = result["documents"][0]["kind"]
        print(f"{path.name[:40] + ' ' + kind[:7]:48} {pages:5d} {pages / (t1 - t0):13.1f} {pages / (t2 - t1):15.1f}")
    print(f"{'TOTAL':48} {total['pages']:5d} {total['pages'] / total['pipeline']:13.1f} "
          f"{total['pages'] / total['bare']:15.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
