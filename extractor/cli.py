"""Command line: extract, check, inspect, packs, report, query, export, link.

Each command is thin: it parses options, calls the module that does the work, prints.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from .batch import Cache, Limits, run_batch, write_errors
from .inputs import find_inputs
from .packs import PackError, load_packs
from .textable import pad, width


@click.group()
@click.version_option(package_name="extractor")
def main() -> None:
    """Turn budget-performance self-evaluation reports into checked Parquet tables."""


class _InputPath(click.Path):
    """An existing path, or an fsspec URL (s3://, file://…) for --executor dask."""

    def convert(self, value, param, ctx):
        return value if "://" in str(value) else super().convert(value, param, ctx)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=_InputPath(exists=True))
@click.option("-o", "--outdir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the Parquet tables.")
@click.option("--packs", "packs_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Folder of pattern packs (default: the shipped patterns/).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option("-j", "--jobs", default=os.cpu_count() or 1, show_default="the machine's cores", type=click.IntRange(1),
              help="Worker processes.")
@click.option("--append", is_flag=True, help="Add to the tables in OUTDIR (same doc_id: replaced) instead of replacing them.")
@click.option("--cache", "cache_dir", default=None, type=click.Path(file_okay=False),
              help="Result cache (default: OUTDIR/.cache); unchanged files are not read again.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--timeout", default=Limits.timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one file may take.")
@click.option("--max-memory", default=Limits.max_memory_mb, show_default=True, type=click.IntRange(256),
              help="MiB of address space a worker may add to what it starts with.")
@click.option("--max-pages", default=Limits.max_pages, show_default=True, type=click.IntRange(1),
              help="Longer documents fail without being parsed.")
@click.option("--max-file-size", default=Limits.max_file_size_mb, show_default=True, type=click.IntRange(1),
              help="MiB; larger files fail without being read.")
@click.option("--errors", "errors_file", default=None, type=click.Path(dir_okay=False),
              help="Write the failed files and their reasons to this CSV.")
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer (the ocr extra is slow).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no line per file.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: --jobs processes here; dask: tasks on a Dask cluster (pip install 'extractor[dask]').")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler to run on (--executor dask; default: a local cluster of --workers).")
@click.option("--workers", default=None, type=click.IntRange(1),
              help="Worker processes of the local Dask cluster (--executor dask; default: --jobs).")
def extract(inputs, outdir, packs_dir, password, jobs, append, cache_dir, no_cache, timeout, max_memory,
            max_pages, max_file_size, errors_file, no_ocr, quiet, executor, scheduler, workers):
    """Extract INPUT files or folders into OUTDIR/<table>.parquet."""
    if no_ocr:
        os.environ["EXTRACTOR_OCR"] = "0"  # read by the workers too
    from .departments import AliasError, default_aliases

    try:
        packs = load_packs(packs_dir)
        default_aliases()  # a broken alias file is a usage error, not a failure per file
    except PackError as exc:
        raise click.UsageError(f"bad pattern pack: {exc}")
    except AliasError as exc:
        raise click.UsageError(f"bad department alias file: {exc}")
    if executor != "dask" and (scheduler or workers):
        raise click.UsageError("--scheduler and --workers need --executor dask")
    if scheduler and workers:
        raise click.UsageError("--scheduler and --workers exclude each other (the cluster has its own workers)")
    urls = [i for i in inputs if "://" in str(i)]
    if urls and executor != "dask":
        raise click.UsageError(f"URL inputs need --executor dask: {urls[0]}")
    if executor == "dask":
        try:
            from .dask_executor import dask_client, describe, find_remote_inputs, run_dask_batch
        except ImportError as exc:
            raise click.UsageError(f"--executor dask needs the dask extra (pip install 'extractor[dask]'): {exc}")
    try:
        files = [f for i in inputs for f in (find_remote_inputs([i]) if i in urls else find_inputs([i]))]
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such input: {exc}")
    if not files:
        raise click.UsageError("no .pdf or .txt files found in the inputs")
    limits = Limits(timeout=timeout, max_memory_mb=max_memory, max_pages=max_pages, max_file_size_mb=max_file_size)
    cache = None if no_cache else Cache(Path(cache_dir) if cache_dir else Path(outdir) / ".cache", packs)
    show_lines = not quiet and (len(files) <= 50 or not sys.stderr.isatty())
    bar_file = sys.stderr if not quiet and sys.stderr.isatty() else io.StringIO()  # a bar only on a terminal
    with click.progressbar(length=len(files), label="extracting", show_eta=True, show_pos=True,
                           file=bar_file) as bar:
        def done(doc: dict) -> None:
            bar.update(1)
            if show_lines:
                click.echo(f"{doc['status']:8} {doc['kind']:16} {doc['source_path']}"
                           + (f"  ({doc['error']})" if doc.get("error") else ""), err=True)
        if executor == "dask":
            with dask_client(scheduler, workers or jobs) as client:
                if not quiet:
                    click.echo(describe(client), err=True)
                summary = run_dask_batch(files, packs, Path(outdir), client, limits=limits, cache=cache,
                                         append=append, password=password, on_done=done)
        else:
            summary = run_batch(files, packs, Path(outdir), jobs=jobs, limits=limits, cache=cache, append=append,
                                password=password, on_done=done)
    if errors_file:
        write_errors(errors_file, summary.failures)
    click.echo(f"{summary.line()} -> {outdir}/", err=True)
    sys.exit(1 if summary.failed else 0)


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
        widths = [min(max(width(r[i]) for r in table), 40) for i in range(len(header) - 1)]
        for r in table:
            cells = [pad(v, w) for v, w in zip(r, widths)]
            click.echo("  ".join(cells + [r[-1]]))
    sys.exit(1 if any(c["status"] == "fail" and c["severity"] == "error" for c in checks) else 0)


# --- analyst and checker commands (issue 5): inspect, packs, report, query, export.
# Each is a thin wrapper; the work is in inspection.py, packtools.py, report.py,
# query.py and export.py.

def _packs_or_usage(packs_dir):
    try:
        return load_packs(packs_dir)
    except PackError as exc:
        raise click.UsageError(f"bad pattern pack: {exc}")


def _outdir_or_usage(outdir):
    from .outdir import OutdirError, table_paths

    try:
        table_paths(outdir)
    except OutdirError as exc:
        raise click.UsageError(str(exc))


@main.command(name="inspect")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--page", type=click.IntRange(1), default=None,
              help="Show this page in full: its lines, table rows and the rows read from it.")
@click.option("--packs", "packs_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Folder of pattern packs (default: the shipped patterns/).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
def inspect_command(file, page, packs_dir, password):
    """Show, page by page, what the tool saw in FILE and what it recognised."""
    from .inspection import inspect_file, render

    result = inspect_file(file, _packs_or_usage(packs_dir), password=password)
    if page is not None and result.document is not None and page > result.document.page_count:
        raise click.BadParameter(f"{file} has {result.document.page_count} page(s)", param_hint="--page")
    click.echo(render(result, page=page))
    sys.exit(1 if result.error else 0)


@main.group(name="packs")
def packs_group():
    """The pattern packs: list them, test them against their golden examples."""


@packs_group.command(name="list")
@click.option("--packs", "packs_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Folder of pattern packs (default: the shipped patterns/).")
def packs_list(packs_dir):
    """Name, version, kind, priority, keywords and file of every pack (highest priority first)."""
    from .packtools import list_packs

    click.echo(list_packs(_packs_or_usage(packs_dir)))


@packs_group.command(name="test")
@click.argument("names", nargs=-1)
@click.option("--packs", "packs_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Folder of pattern packs (default: the shipped patterns/).")
@click.option("--golden", "golden_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of golden *.json (default: tests/golden and tests/golden/real).")
@click.option("--docs", "doc_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folder holding the golden files' sources (default: samples/ and ../shared/real/).")
def packs_test(names, packs_dir, golden_dirs, doc_dirs):
    """Run the packs (or the NAMES given) on their golden examples; exit 1 on any mismatch."""
    from .packtools import PackTest

    try:
        run = PackTest(_packs_or_usage(packs_dir), names, [Path(d) for d in golden_dirs] or None,
                       [Path(d) for d in doc_dirs] or None)
    except ValueError as exc:
        raise click.UsageError(str(exc))
    for line in run.lines():
        click.echo(line)
    sys.exit(1 if run.failed else 0)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", default="report.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--title", default=None, help="Title of the page.")
def report(outdir, output, title):
    """Write one self-contained HTML report of OUTDIR: documents, failing checks, charts."""
    from .report import write_report

    _outdir_or_usage(outdir)
    click.echo(f"report -> {write_report(outdir, output, title)}")


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of an aligned table.")
def query(outdir, sql, as_csv):
    """Run SQL (DuckDB) over OUTDIR: every table is a view (documents, budget, ...)."""
    from .query import QueryError, as_csv as to_csv, as_text, run_query

    _outdir_or_usage(outdir)
    try:
        columns, rows = run_query(outdir, sql)
    except QueryError as exc:
        raise click.UsageError(f"SQL error: {exc}")
    click.echo(to_csv(columns, rows) if as_csv else as_text(columns, rows), nl=not as_csv)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--xlsx", "xlsx", required=True, type=click.Path(dir_okay=False), help="The workbook to write.")
def export(outdir, xlsx):
    """Export OUTDIR's tables to an Excel workbook, one sheet per table."""
    from .export import export_xlsx

    _outdir_or_usage(outdir)
    written = export_xlsx(outdir, xlsx)
    click.echo(f"{len(written)} sheet(s), {sum(written.values())} row(s) -> {xlsx}")


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--config", "config_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Link settings laid over the shipped patterns/link.yaml.")
@click.option("--aliases", "aliases_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Department alias file (old name: current name) instead of patterns/department_aliases.yaml.")
@click.option("--explain", is_flag=True, help="Print each link (names, tokens, similarity, why) and near misses.")
def link(outdir, config_file, aliases_file, explain):
    """Link OUTDIR's indicators and projects across years: writes series, series_members, panel."""
    from .departments import AliasError
    from .link import ConfigError, LinkError, link_outdir

    try:
        result = link_outdir(outdir, config=config_file, aliases=aliases_file, explain=explain)
    except (ConfigError, AliasError, LinkError) as exc:
        raise click.UsageError(str(exc))
    for line in result.explain:
        click.echo(line)
    for doc in result.skipped_documents:
        click.echo(f"not linked: {doc}", err=True)
    click.echo(f"{result.series} series, {result.members} rows, {result.links} links across years"
               + (f", {result.copies} same-year copies left out" if result.copies else "")
               + f" -> {outdir}/series.parquet, series_members.parquet, panel.parquet", err=True)


if __name__ == "__main__":
    main()
