"""Which files a batch reads: files as given, folders walked for *.pdf and *.txt."""
from __future__ import annotations

from pathlib import Path

INPUT_SUFFIXES = {".pdf", ".txt"}


def find_inputs(inputs) -> list[tuple[Path, str]]:
    """(path, name as given) pairs: files as given, folders walked recursively
    for *.pdf and *.txt, sorted, so a batch reads in the same order every time."""
    found = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found += [(f, str(f)) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES]
        elif p.exists():
            found.append((p, str(item)))
        else:
            raise FileNotFoundError(str(item))
    return found
