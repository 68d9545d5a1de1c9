"""Rows read from each PDF vs from its text twins (five extractors), field by field.

    python benchmarks/twin_scores.py [PDF ...]      (default: samples/*.pdf and ../shared/real/*.pdf)
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractor.packs import load_packs  # noqa: E402
from extractor.batch.pipeline import process_file  # noqa: E402
from text_twins import COMPARED, TOOLS, available, compare, f1, twin_text  # noqa: E402


def main(paths: list[str]) -> None:
    pdfs = [Path(p) for p in paths] or sorted((ROOT / "samples").glob("*.pdf")) + sorted(
        (ROOT.parent / "shared" / "real").glob("*.pdf"))
    packs = load_packs()
    tools = [t for t in TOOLS if available(t)]
    print(f"{'document':44} {'tool':17} " + " ".join(f"{t[:10]:>10}" for t in COMPARED) + "  status")
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            ref = process_file(pdf, packs)
            for tool in tools:
                twin = Path(tmp) / f"{pdf.stem}.{tool}.txt"
                twin.write_text(twin_text(pdf, tool), encoding="utf-8")
                got = process_file(twin, packs)
                scores = compare(ref, got)
                cells = []
                for t in COMPARED:
                    eq, a, b = scores[t]
                    cells.append(f"{'-' if a == b == 0 else f'{f1(eq, a, b):.2f}'}({a:>3})"[:10].rjust(10))
                doc = got["documents"][0]
                print(f"{pdf.name[:44]:44} {tool:17} " + " ".join(cells) + f"  {doc['status']} {doc.get('kind')}"
                      + (f" {doc['error'][:60]}" if doc.get("error") else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
