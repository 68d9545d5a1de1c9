"""Command line: extract, check, inspect, packs, report, query, export, link, diff.

Each command is thin: it parses options, calls the module that does the work, prints.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from ..batch import Cache, Limits, run_batch, write_errors
from ..batch.inputs import find_inputs, printable
from ..packs import PackError, load_packs
from ..textable import pad, width


@click.group()
@click.version_option(package_name="extractor")
def main() -> None:
    """Turn budget-performance self-evaluation reports into checked Parquet tables."""


class _InputPath(click.Path):
    """An existing path, or an fsspec URL (s3://, file://…) for --executor dask."""

    def convert(self, value, param, ctx):
        return value if "://" in str(value) else super().convert(value, param, ctx)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())  # find_inputs checks they exist
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
@click.option("--max-stream", default=Limits.max_stream_mb, show_default=True, type=click.IntRange(1),
              help="MiB one PDF stream may inflate to (decompression bombs fail before parsing).")
@click.option("--max-inflated", default=Limits.max_inflated_mb, show_default=True, type=click.IntRange(1),
              help="MiB all of a PDF's streams may inflate to together.")
@click.option("--errors", "errors_file", default=None, type=click.Path(dir_okay=False),
              help="Write the failed files and their reasons to this CSV.")
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer (the ocr extra is slow).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="What the log on stderr shows (the batch's log file gets INFO and up, or DEBUG).")
@click.option("--log-file", default=None, type=click.Path(dir_okay=False),
              help="The batch's log file (default: OUTDIR/logs/extract-<UTC time>.log).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no line per file.")
@click.option("--dataset", "dataset_dir", default=None, type=click.Path(file_okay=False),
              help="Also write OUTDIR's tables as a dataset partitioned by year, with manifest.json.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: --jobs processes here; dask: tasks on a Dask cluster (pip install 'extractor[dask]').")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler to run on (--executor dask; default: a local cluster of --workers).")
@click.option("--workers", default=None, type=click.IntRange(1),
              help="Worker processes of the local Dask cluster (--executor dask; default: --jobs).")
def extract(inputs, outdir, packs_dir, password, jobs, append, cache_dir, no_cache, timeout, max_memory,
            max_pages, max_file_size, max_stream, max_inflated, errors_file, no_ocr, log_level, log_file, quiet,
            dataset_dir, executor, scheduler, workers):
    """Extract INPUT files or folders into OUTDIR/<table>.parquet."""
    from ..normalize.departments import AliasError, default_aliases
    from ..batch.logs import batch_log
    from ..settings import Settings

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
            from ..batch.dask_executor import dask_client, describe, find_remote_inputs, run_dask_batch
        except ImportError as exc:
            raise click.UsageError(f"--executor dask needs the dask extra (pip install 'extractor[dask]'): {exc}")
    try:
        files = [f for i in inputs for f in (find_remote_inputs([i]) if i in urls else find_inputs([i]))]
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such file or folder: {exc}")
    if not files:
        raise click.UsageError("no .pdf or .txt files found in the inputs")
    limits = Limits(timeout=timeout, max_memory_mb=max_memory, max_pages=max_pages, max_file_size_mb=max_file_size,
                    max_stream_mb=max_stream, max_inflated_mb=max_inflated)
    settings = Settings(limits=limits, ocr=not no_ocr, password=password,
                        packs_dir=Path(packs_dir) if packs_dir else None)
    cache = None if no_cache else Cache(Path(cache_dir) if cache_dir else Path(outdir) / ".cache", packs,
                                        ocr=settings.ocr)
    show_lines = not quiet and (len(files) <= 50 or not sys.stderr.isatty())
    bar_file = sys.stderr if not quiet and sys.stderr.isatty() else io.StringIO()  # a bar only on a terminal
    with click.progressbar(length=len(files), label="extracting", show_eta=True, show_pos=True,
                           file=bar_file) as bar:
        def done(doc: dict) -> None:
            bar.update(1)
            if show_lines:
                click.echo(f"{doc['status']:8} {doc['kind']:16} {printable(doc['source_path'])}"
                           + (f"  ({doc['error']})" if doc.get("error") else ""), err=True)
        with batch_log(Path(outdir), log_level, log_file):
            if executor == "dask":
                with dask_client(scheduler, workers or jobs) as client:
                    if not quiet:
                        click.echo(describe(client), err=True)
                    summary = run_dask_batch(files, packs, Path(outdir), client, cache=cache, append=append,
                                             settings=settings, on_done=done)
            else:
                summary = run_batch(files, packs, Path(outdir), jobs=jobs, cache=cache, append=append,
                                    settings=settings, on_done=done)
    if errors_file:
        write_errors(errors_file, summary.failures)
    click.echo(f"{summary.line()} -> {outdir}/", err=True)
    if dataset_dir:
        from .dataset import write_dataset

        manifest = write_dataset(outdir, dataset_dir, packs=packs)
        click.echo(f"dataset {manifest['dataset_version']}: "
                   + ", ".join(f"{n} {t['rows']}" for n, t in manifest["tables"].items()) + f" -> {dataset_dir}/",
                   err=True)
    sys.exit(1 if summary.failed else 0)


LANG_OPTION = click.option("--lang", default="zh", show_default=True, type=click.Choice(["zh", "en"]),
                           help="Language of headers, statuses and messages (Chinese or English).")


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@LANG_OPTION
def check(outdir, lang):
    """Print the failing checks of OUTDIR; exit 1 when an error-severity check fails."""
    import pyarrow.parquet as pq

    from . import messages as msg

    checks = pq.read_table(Path(outdir) / "checks.parquet").to_pylist()
    docs = {d["doc_id"]: d for d in pq.read_table(Path(outdir) / "documents.parquet").to_pylist()}
    bad = [c for c in checks if c["status"] == "fail" or c["severity"] == "warning"]
    click.echo(msg.word("summary", lang, n=len(checks), p=sum(c["status"] == "pass" for c in checks),
                        f=sum(c["status"] == "fail" for c in checks), s=sum(c["status"] == "skipped" for c in checks)))
    if bad:
        names = ("page", "check", "severity", "subject", "expected", "reported", "message")
        header = ("document" if lang == "en" else "文档",) + tuple(msg.column("checks", n, lang) for n in names)

        def check_cell(c):
            return c["check"] if lang == "en" else f"{msg.check_name(c['check'], lang)} {c['check']}"

        table = [header] + [(Path(docs.get(c["doc_id"], {}).get("source_path", c["doc_id"][:12])).name,
                             str(c["page"]), check_cell(c), msg.value("severity", c["severity"], lang) or "",
                             c["subject"] or "", c["expected"] or "", c["reported"] or "",
                             (c["message"] or "") if lang == "en" else msg.check_message(c, lang, page=False))
                            for c in bad]
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
    from ..output.outdir import OutdirError, table_paths

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


@packs_group.command(name="check")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
def packs_check(directory):
    """Validate the packs of DIRECTORY (default: the shipped patterns/) against the pack
    schema; exit 1 when any is refused, with its file, key path and what was expected."""
    from .packtools import check_packs

    lines, failed = check_packs(directory)
    for line in lines:
        click.echo(line)
    sys.exit(1 if failed else 0)


@packs_group.command(name="schema")
def packs_schema():
    """Print the JSON Schema of a pack (generated from extractor/packs/schema.py)."""
    import json

    from ..packs.schema import pack_json_schema

    click.echo(json.dumps(pack_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", default="report.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--title", default=None, help="Title of the page.")
@LANG_OPTION
def report(outdir, output, title, lang):
    """Write one self-contained HTML report of OUTDIR: documents, failing checks, charts."""
    from .report import write_report

    _outdir_or_usage(outdir)
    click.echo(f"report -> {write_report(outdir, output, title, lang)}")


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
@LANG_OPTION
def export(outdir, xlsx, lang):
    """Export OUTDIR's tables to an Excel workbook, one sheet per table."""
    from .export import export_xlsx

    _outdir_or_usage(outdir)
    written = export_xlsx(outdir, xlsx, lang)
    click.echo(f"{len(written)} sheet(s), {sum(written.values())} row(s) -> {xlsx}")


@main.command()
@click.argument("old", type=click.Path(exists=True, file_okay=False))
@click.argument("new", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
def diff(old, new, as_json):
    """List the documents and rows added, removed and changed from dataset OLD to NEW
    (folders written by `extract --dataset`); exit 1 when they differ."""
    from .dataset import DatasetError
    from .diff import diff_datasets, dumps

    try:
        result = diff_datasets(old, new)
    except DatasetError as exc:
        raise click.UsageError(str(exc))
    click.echo(dumps(result) if as_json else "\n".join(result.lines()))
    sys.exit(0 if result.empty else 1)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--config", "config_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Link settings laid over the shipped patterns/link.yaml.")
@click.option("--aliases", "aliases_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Department alias file (old name: current name) instead of patterns/department_aliases.yaml.")
@click.option("--explain", is_flag=True,
              help="Print each link (names, tokens, confidence, evidence), near misses and refused pairs with why.")
@click.option("--accept-suggested", is_flag=True,
              help="Also merge the renamed departments suggested in OUTDIR/department_aliases.suggested.yaml.")
def link(outdir, config_file, aliases_file, explain, accept_suggested):
    """Link OUTDIR's indicators and projects across years: writes series, series_members, panel."""
    from ..normalize.departments import AliasError
    from ..link import ConfigError, LinkError, link_outdir

    try:
        result = link_outdir(outdir, config=config_file, aliases=aliases_file, explain=explain,
                             accept_suggested=accept_suggested)
    except (ConfigError, AliasError, LinkError) as exc:
        raise click.UsageError(str(exc))
    for line in result.explain:
        click.echo(line)
    for doc in result.skipped_documents:
        click.echo(f"not linked: {doc}", err=True)
    for s in result.suggestions:
        click.echo(f"renamed department? {s.old} -> {s.new} ({s.old_year}->{s.new_year}, "
                   f"{s.shared} of {s.names} names carry over)" + (": merged" if accept_suggested else ""), err=True)
    if result.suggestions and not accept_suggested:
        click.echo(f"review {result.suggestions_file}; --accept-suggested merges them", err=True)
    click.echo(f"{result.series} series, {result.members} rows, {result.links} links across years"
               + (f", {result.copies} same-year copies left out" if result.copies else "")
               + f" -> {outdir}/series.parquet, series_members.parquet, panel.parquet", err=True)


if __name__ == "__main__":
    main()
