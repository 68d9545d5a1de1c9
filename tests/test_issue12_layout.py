"""Issue 12: the flow goes one way.  An allow-list of which stage may import which,
over today's flat layout (the lead updates it with the re-layout into packages),
checked on every `import` in extractor/, also those inside functions; and no cycles
between modules (a package's own modules count as one: readers/pdf.py takes
ReadError from readers/__init__.py).  Also: the package list of pyproject.toml, the
settings object and the batch log."""
import ast
import logging
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from extractor.cli import main

PKG = ROOT / "extractor"

# read -> recognise -> normalise/check -> write; views and the batch on top; cli last.
STAGES = {
    "base": ["extractor.resources", "extractor.settings", "extractor.model", "extractor.normalize",
             "extractor.regex", "extractor.tables", "extractor.textable", "extractor.inputs", "extractor.logs",
             "extractor.vocab", "extractor.messages"],
    "read": ["extractor.readers", "extractor.provenance"],
    "packs": ["extractor.pack_schema", "extractor.packs"],
    "recognise": ["extractor.recognize"],
    "check": ["extractor.checks", "extractor.departments"],
    "pipeline": ["extractor.pipeline"],
    "write": ["extractor.writer", "extractor.outdir", "extractor.dataset", "extractor.diff"],
    "batch": ["extractor.batch", "extractor.api", "extractor.dask_executor"],
    "views": ["extractor.golden", "extractor.inspection", "extractor.packtools", "extractor.query",
              "extractor.report", "extractor.export", "extractor.link", "extractor.evidence"],
    "cli": ["extractor.cli"],
}
MAY_IMPORT = {
    "base": {"base"},
    "read": {"base", "read"},
    "packs": {"base", "packs"},
    "recognise": {"base", "packs", "recognise"},
    "check": {"base", "check"},
    "pipeline": {"base", "read", "packs", "recognise", "check"},
    "write": {"base", "write"},
    # batch: warms up the readers in the parent before it forks workers
    "batch": {"base", "read", "packs", "check", "pipeline", "write", "batch"},
    # inspect and packs test are views over the same pipeline extract runs
    "views": {"base", "read", "packs", "recognise", "check", "pipeline", "write", "views"},
    "cli": set(STAGES),
}


def _node(module: str) -> str:
    """A module's unit: its sub-package (extractor.readers.pdf -> extractor.readers)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _stage(node: str) -> str:
    for stage, nodes in STAGES.items():
        if node in nodes:
            return stage
    raise AssertionError(f"{node} is in no stage of tests/test_issue12_layout.py: place it")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """module -> the extractor modules it imports (at top level or inside functions)."""
    out: dict[str, set[str]] = {}
    for path in sorted(PKG.rglob("*.py")):
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found = out.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("extractor"):
                    for alias in node.names:  # `from . import ocr` imports a module
                        sub = f"{target}.{alias.name}"
                        is_module = (ROOT / Path(*sub.split("."))).with_suffix(".py").exists()
                        found.add(sub if is_module else target)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("extractor")}
    return out


def test_every_import_follows_the_stage_order():
    wrong = []
    for module, targets in imports().items():
        if module == "extractor":
            continue  # the package's face: __version__ and the Python API (extractor.extract)
        src = _stage(_node(module))
        for target in targets - {"extractor"}:  # `from . import __version__`
            dst = _stage(_node(target))
            if dst not in MAY_IMPORT[src]:
                wrong.append(f"{module} ({src}) imports {target} ({dst})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    for module, targets in imports().items():
        if module == "extractor":
            continue
        graph.setdefault(_node(module), set()).update(_node(t) for t in targets if t != "extractor")
    for node in graph:
        graph[node].discard(node)
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join(path + [nxt])
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_pyproject_lists_every_package_on_disk():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {_module_name(p.parent) for p in PKG.rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"extractor.patterns"}
    assert config["package-dir"] == {"extractor.patterns": "patterns"}


def test_no_ocr_travels_in_the_settings_not_the_environment(tmp_path):
    import os

    result = CliRunner().invoke(main, ["extract", "-q", "--no-ocr", "--jobs", "1", "--no-cache", "--max-stream", "64",
                                       str(SAMPLES / "2022_sample_project_selfeval.pdf"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "EXTRACTOR_OCR" not in os.environ
    # The worker is forked: what it was given is in the log file, written by the parent.
    log = next((tmp_path / "logs").glob("extract-*.log")).read_text(encoding="utf-8")
    assert "ocr=False" in log and "max_stream_mb=64" in log and "password" not in log


def test_log_level_and_a_log_file_per_batch(tmp_path):
    log_file = tmp_path / "batch.log"
    result = CliRunner().invoke(main, ["extract", "-q", "--no-cache", "--jobs", "1", "--log-level", "info",
                                       "--log-file", str(log_file), str(SAMPLES / "2021_liwan_commerce_dept_report.txt"),
                                       str(tmp_path / "missing_link.pdf"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no such file or folder" in result.output  # a name that is not there at all
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    result = CliRunner().invoke(main, ["extract", "-q", "--no-cache", "--jobs", "1", "--log-level", "info",
                                       "--log-file", str(log_file), str(SAMPLES / "2021_liwan_commerce_dept_report.txt"),
                                       str(tmp_path / "dangling.pdf"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1  # a broken link named on the command line is an input with its row
    text = log_file.read_text(encoding="utf-8")
    assert "INFO    extractor.batch" in text and "batch of 2 file(s)" in text
    assert f"failed   unknown {tmp_path / 'dangling.pdf'} (broken symbolic link" in text
    assert "2 file(s): 1 ok, 0 partial, 1 failed" in text
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert [d["status"] for d in docs] == ["ok", "failed"]
    assert not logging.getLogger("extractor").handlers  # the batch's handlers are gone after it


def test_a_name_that_is_not_utf8_never_breaks_the_writer():
    import os

    from extractor.tables import to_arrow

    name = os.fsdecode(b"reports/\xb1\xa8\xb8\xe6.pdf")  # GBK bytes, as Python reads them off a share
    t = to_arrow("documents", [{"doc_id": "x", "source_path": name, "status": "failed",
                                "error": f"cannot read {name}"}]).to_pylist()[0]
    assert t["source_path"] == "reports/\\xb1\\xa8\\xb8\\xe6.pdf" and t["error"] == "cannot read " + t["source_path"]
    assert os.fsdecode(bytes.fromhex(t["source_path_hex"])) == name  # lossless
    assert to_arrow("documents", [{"doc_id": "y", "source_path": "报告.pdf"}]).to_pylist()[0]["source_path_hex"] is None
