"""Score `extractor link` on a generated panel (tests/panel_gen.py) against its gold.

    python tests/panel_score.py OUTDIR

Pairs are unordered pairs of rows that share a series.  Precision: of the predicted
pairs, how many are gold pairs; recall: of the gold pairs, how many were predicted.
Decoy rate: of the pairs of rows of two look-alike gold series (企业满意度 / 员工满意度),
the share that the linker put into one series.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pyarrow.parquet as pq


def row_key(m: dict) -> str:
    return f"{m['doc_id']}|{m['table']}|{m['project'] or ''}|{m['task'] or ''}|{m['name']}"


def pairs(assignment: dict[str, str]) -> set[frozenset]:
    groups = defaultdict(list)
    for row, series in assignment.items():
        groups[series].append(row)
    return {frozenset(p) for rows in groups.values() for p in combinations(sorted(rows), 2)}


def predicted(outdir: Path, min_confidence: float = 0.0) -> dict[str, str]:
    """Row -> series; with `min_confidence`, a member linked below it starts its own
    series (what a stricter threshold would give, for the precision/recall curve)."""
    members = pq.read_table(outdir / "series_members.parquet").to_pylist()
    by_series = defaultdict(list)
    for m in members:
        by_series[m["series_id"]].append(m)
    out = {}
    for sid, ms in by_series.items():
        part = 0
        for m in sorted(ms, key=lambda m: m["year"]):
            if m is not ms[0] and m.get("confidence") is not None and m["confidence"] < min_confidence:
                part += 1
            out[row_key(m)] = f"{sid}#{part}"
    return out


def score(outdir: str | Path, min_confidence: float = 0.0) -> dict:
    outdir = Path(outdir)
    gold = json.loads((outdir / "gold.json").read_text(encoding="utf-8"))
    rows = gold["rows"]
    pred = {k: v for k, v in predicted(outdir, min_confidence).items() if k in rows}
    g, p = pairs(rows), pairs(pred)
    tp = len(g & p)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_gold = defaultdict(list)
    for k, s in rows.items():
        by_gold[s].append(k)
    decoy_pairs = {frozenset((x, y)) for a, b in gold["decoys"] for x in by_gold[a] for y in by_gold[b]}
    decoy_links = len(decoy_pairs & p)
    return {"rows": len(rows), "gold_pairs": len(g), "predicted_pairs": len(p), "true_pairs": tp,
            "precision": precision, "recall": recall, "f1": f1, "decoy_pairs": len(decoy_pairs),
            "decoy_links": decoy_links, "decoy_rate": decoy_links / len(decoy_pairs) if decoy_pairs else 0.0,
            "missing_rows": len(set(rows) - set(pred))}


def line(s: dict) -> str:
    return (f"pairs: precision {s['precision']:.4f}, recall {s['recall']:.4f}, F1 {s['f1']:.4f} "
            f"({s['true_pairs']} of {s['gold_pairs']} gold pairs, {s['predicted_pairs'] - s['true_pairs']} false); "
            f"decoy links {s['decoy_links']} of {s['decoy_pairs']} ({100 * s['decoy_rate']:.2f} %)")


if __name__ == "__main__":
    print(line(score(sys.argv[1])))
