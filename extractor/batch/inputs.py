"""Which files a batch reads: files as given, folders walked for *.pdf and *.txt.

Every name found is an input and gets its row, whatever it turns out to be: a
dangling symbolic link, a link loop or a FIFO named `x.pdf` comes back too, and
`input_problem` says why it cannot be read (the batch writes that as the row's
error instead of opening it: a FIFO would block the batch).  Names that are not
valid UTF-8 (GBK bytes from a Chinese Windows share) stay as Python gives them
(surrogate escapes), so the file can still be opened; the writer stores a
readable form and the exact bytes (tables.py).
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

INPUT_SUFFIXES = {".pdf", ".txt"}


def find_inputs(inputs) -> list[tuple[Path, str]]:
    """(path, name as given) pairs: files as given, folders walked recursively
    for *.pdf and *.txt, sorted, so a batch reads in the same order every time.

    A name on the command line that does not exist at all raises FileNotFoundError
    (a usage error); one that is a link, even a broken one, is an input."""
    found = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found += [(f, str(f)) for f in _walk(p)]
        elif p.exists() or p.is_symlink():
            found.append((p, str(item)))
        else:
            raise FileNotFoundError(str(item))
    return found


def _walk(top: Path) -> list[Path]:
    """Files under `top` with an input suffix, links to folders followed once
    (a link back up the tree is not walked again), sorted by name."""
    out: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue  # a link loop or a second way into the same folder
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links; False for a broken one or a loop
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(path)
            elif path.suffix.lower() in INPUT_SUFFIXES:
                out.append(path)
    return sorted(out)


def input_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a document without opening it, or None."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            if exc.errno == errno.ELOOP:
                return "symbolic link loop: the link points (through others) back at itself"
            return f"broken symbolic link: its target {os.readlink(path)!r} does not exist"
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        return f"not a regular file ({kind}): not read"
    if not os.access(path, os.R_OK):
        return "cannot read file: Permission denied"
    return None



def printable(name: str) -> str:
    """A name for the terminal: bytes that were not UTF-8 shown as \\xNN (as in
    documents.source_path), not as Python's surrogate escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
