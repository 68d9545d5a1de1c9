"""The folders of extractor/ show the flow, and the imports follow it (issue 12).

Data goes one way: read -> recognise -> check -> write, driven by the batch, with the
commands on top.  Every `import` under extractor/ (at the top of a module or inside a
function: a lazy import is an import) may only reach its own stage or an earlier
one; there is no import cycle between packages; and pyproject.toml lists every
package on disk (its package list is explicit because package-dir maps patterns/).
"""
import ast
import importlib
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

# The stages, earliest first.  A module's unit is its top-level module or package
# under extractor/ (extractor.readers.pdf -> extractor.readers).
STAGES = [
    # shared types: the document model, the output contract's schemas, the options,
    # display widths of text (the readers measure columns with them, commands pad
    # tables); "extractor" is the package's __init__ (__version__)
    ("shared", ["extractor", "extractor.model", "extractor.tables", "extractor.settings", "extractor.textable"]),
    ("readers", ["extractor.readers"]),
    # the shipped patterns: packs, their schema, vocabularies, regex checks, resources
    ("packs", ["extractor.packs"]),
    # value parsing (money, percents, measures) and department keys; the recognisers
    # parse every cell with it, so it comes before them
    ("normalize", ["extractor.normalize"]),
    ("recognize", ["extractor.recognize"]),
    ("checks", ["extractor.checks"]),
    # the writer, the output folder, and the rows' provenance (bbox, printed text)
    ("output", ["extractor.output"]),
    # the runner, one document through the stages, inputs, logs, the Dask executor
    ("batch", ["extractor.batch"]),
    # cross-year series over written output folders
    ("link", ["extractor.link"]),
    ("api", ["extractor.api"]),
    ("commands", ["extractor.commands"]),
]

# (importer, imported) pairs allowed to go against the order, each with its reason.
EXCEPTIONS = {
    # The package's face: `extractor.extract`, `.read` and `.Result` are the API's,
    # imported inside __getattr__ on first use so `import extractor` stays quick.
    ("extractor", "extractor.api"): "PEP 562 __getattr__ of extractor/__init__.py",
}


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _node(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _rank(node: str) -> int:
    for rank, (_, nodes) in enumerate(STAGES):
        if node in nodes:
            return rank
    raise AssertionError(f"{node} is in no stage of tests/test_layout.py: place it in STAGES")


def imports(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the extractor modules it imports (at top level or inside functions)."""
    out: dict[str, set[str]] = {}
    for path in sorted((root / "extractor").rglob("*.py")):
        module = _module_name(root, path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found = out.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target == "extractor" or target.startswith("extractor."):
                    for alias in node.names:  # `from . import ocr` imports a module
                        sub = f"{target}.{alias.name}"
                        where = root / Path(*sub.split("."))
                        is_module = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                        found.add(sub if is_module else target)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name == "extractor" or a.name.startswith("extractor.")}
    return out


def backward_imports(root: Path = ROOT) -> list[str]:
    wrong = []
    for module, targets in sorted(imports(root).items()):
        src = _node(module)
        rank = _rank(src)  # every module has its place, also one that imports nothing
        for target in sorted(targets):
            dst = _node(target)
            if _rank(dst) > rank and (src, dst) not in EXCEPTIONS:
                wrong.append(f"{module} ({STAGES[rank][0]}) imports {target} ({STAGES[_rank(dst)][0]})")
    return wrong


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]  # the cycle, not the way into it
            if nxt not in state and (cycle := visit(nxt, path + [nxt])):
                return cycle
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node, [node])):
            return cycle
    return None


def import_cycle(root: Path = ROOT) -> list[str] | None:
    """A cycle between packages (a package's own modules count as one), or None."""
    graph: dict[str, set[str]] = {}
    for module, targets in imports(root).items():
        src = _node(module)
        graph.setdefault(src, set()).update(_node(t) for t in targets if (src, _node(t)) not in EXCEPTIONS)
    for node in graph:
        graph[node].discard(node)
    return _cycle(graph)


def module_cycle(root: Path = ROOT) -> list[str] | None:
    """A cycle between modules inside the packages, or None.  A package's __init__
    is left out: it is the package's face (its modules may import its error class,
    and it may dispatch to them lazily)."""
    found = imports(root)
    inits = {m for m in found if (root / Path(*m.split(".")) / "__init__.py").exists()}
    return _cycle({m: {t for t in ts if t not in inits and t != m} for m, ts in found.items() if m not in inits})


def test_every_import_follows_the_stage_order():
    wrong = backward_imports()
    assert not wrong, "imports from a later stage:\n" + "\n".join(wrong)


def test_the_exceptions_are_still_needed():
    found = {(_node(m), _node(t)) for m, ts in imports().items() for t in ts}
    assert set(EXCEPTIONS) <= found, f"no longer imported, drop from EXCEPTIONS: {set(EXCEPTIONS) - found}"


def test_no_import_cycles_between_packages():
    cycle = import_cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_import_cycles_between_modules():
    # e.g. readers.pdf and readers.ocr both use the grid geometry: it is a module of
    # its own (readers.geometry), not one reader's import of the other inside a function
    cycle = module_cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_checks_see_a_lazy_back_import_and_a_cycle(tmp_path):
    root = _tree(tmp_path, {
        "extractor/__init__.py": "",
        "extractor/model.py": "",
        "extractor/readers/__init__.py": "from ..model import x\n",
        "extractor/readers/pdf.py": "def f():\n    from ..commands.cli import main\n",
        "extractor/commands/__init__.py": "",
        "extractor/commands/cli.py": "from extractor.readers import pdf\n",
    })
    assert backward_imports(root) == [
        "extractor.readers.pdf (readers) imports extractor.commands.cli (commands)"]
    assert import_cycle(root) == ["extractor.commands", "extractor.readers", "extractor.commands"]
    (root / "extractor/readers/ocr.py").write_text("def g():\n    from .pdf import f\n", encoding="utf-8")
    (root / "extractor/readers/pdf.py").write_text("from . import ocr\n", encoding="utf-8")
    cycle = module_cycle(root)
    assert cycle[0] == cycle[-1] and set(cycle) == {"extractor.readers.ocr", "extractor.readers.pdf"}, cycle
    (root / "extractor/recognise.py").write_text("", encoding="utf-8")  # a module no stage names
    with pytest.raises(AssertionError, match="extractor.recognise is in no stage"):
        backward_imports(root)


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_pyproject_lists_every_package_on_disk():
    config = _config()["tool"]["setuptools"]
    on_disk = {_module_name(ROOT, p.parent) for p in (ROOT / "extractor").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"extractor.patterns"}
    assert config["package-dir"] == {"extractor.patterns": "patterns"}


def test_package_data_and_the_entry_point_name_what_is_there():
    config = _config()
    for package, globs in config["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / config["tool"]["setuptools"]["package-dir"].get(package, Path(*package.split(".")))
        for glob in globs:
            assert list(folder.glob(glob)), f"package-data {package}: {glob} matches nothing in {folder}"
    module, _, function = config["project"]["scripts"]["extractor"].partition(":")
    assert callable(getattr(importlib.import_module(module), function))
