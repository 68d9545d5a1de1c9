"""Where the shipped data is: patterns/ (packs, vocabularies, alias file, link settings).

`patterns/` lives at the top of the repository and is installed with the package as
`extractor/patterns` (pyproject.toml maps it), so an installed wheel finds it through
importlib.resources and an editable checkout or PYTHONPATH=repo finds it beside the
source tree.  A leaf module: it imports nothing of the project.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=1)
def patterns_dir() -> Path:
    """The folder of the shipped pattern packs and vocabularies."""
    try:
        installed = resources.files("extractor") / "patterns"
        if installed.is_dir():
            return Path(str(installed))  # a wheel installs plain files: a real folder
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent.parent / "patterns"


def pattern_file(name: str) -> Path:
    return patterns_dir() / name
