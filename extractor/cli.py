"""Command line: `extractor extract INPUT... [-o OUTDIR]`, `extractor check OUTDIR`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .packs import PackError, load_packs
from .pipeline import process_file
from .tables import ALL_TABLES
from .writer import write_tables

INPUT_SUFFIXES = {".pdf", ".txt"}


def find_inputs(inputs: tuple[str, ...]) -> list[tuple[Path, str]]:
    """Files as given, and folders walked recursively for *.pdf and *.txt (sorted)."""
    found = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES:
                    found.append((f, str(f)))
        else:
            found.append((p, item))
    return found


@click.group()
@click.version_option(package_name="extractor")
def main() -> None:
    """Turn budget-performance self-evaluation reports into checked Parquet tables."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--outdir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the Parquet tables.")
@click.option("--packs", "packs_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Folder of pattern packs (default: the shipped patterns/).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
def extract(inputs, outdir, packs_dir, password):
    """Extract INPUT files or folders into OUTDIR/<table>.parquet."""
    try:
        packs = load_packs(packs_dir)
    except PackError as exc:
        raise click.UsageError(f"bad pattern pack: {exc}")
    files = find_inputs(inputs)
    if not files:
        raise click.UsageError("no .pdf or .txt files found in the inputs")
    rows: dict[str, list[dict]] = {t: [] for t in ALL_TABLES}
    failed = 0
    for path, shown in files:
        result = process_file(path, packs, source_path=shown, password=password)
        for table, table_rows in result.items():
            rows[table].extend(table_rows)
        doc = result["documents"][0]
        failed += doc["status"] == "failed"
        fails = sum(1 for c in result["checks"] if c["status"] == "fail")
        click.echo(f"{doc['status']:8} {doc['kind']:16} {shown}"
                   + (f"  ({doc['error']})" if doc.get("error") else "")
                   + (f"  [{fails} failing check(s)]" if fails else ""), err=True)
    write_tables(outdir, rows)
    click.echo(f"{len(files)} file(s): {len(files) - failed} processed, {failed} failed -> {outdir}/", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
def check(outdir):
    """Print the failing checks of OUTDIR; exit 1 when an error-severity check fails."""
    import pyarrow.parquet as pq

    checks = pq.read_table(Path(outdir) / "checks.parquet").to_pylist()
    docs = {d["doc_id"]: d for d in pq.read_table(Path(outdir) / "documents.parquet").to_pylist()}
    bad = [c for c in checks if c["status"] == "fail" or c["severity"] == "warning"]
    click.echo(f"{len(checks)} checks: {sum(c['status'] == 'pass' for c in checks)} pass, "
               f"{sum(c['status'] == 'fail' for c in checks)} fail, "
               f"{sum(c['status'] == 'skipped' for c in checks)} skipped")
    if bad:
        header = ("document", "page", "check", "severity", "subject", "expected", "reported", "message")
        table = [header] + [(Path(docs.get(c["doc_id"], {}).get("source_path", c["doc_id"][:12])).name,
                             str(c["page"]), c["check"], c["severity"] or "", c["subject"] or "",
                             c["expected"] or "", c["reported"] or "", c["message"] or "") for c in bad]
        widths = [min(max(_width(r[i]) for r in table), 40) for i in range(len(header) - 1)]
        for r in table:
            cells = [_pad(v, w) for v, w in zip(r, widths)]
            click.echo("  ".join(cells + [r[-1]]))
    sys.exit(1 if any(c["status"] == "fail" and c["severity"] == "error" for c in checks) else 0)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-1]
    return text + " " * (width - _width(text))


if __name__ == "__main__":
    main()
