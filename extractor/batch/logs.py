"""Logging of a batch through the standard `logging` module.

`extractor extract` logs to stderr at `--log-level` (default WARNING: the lines per
file and the summary are printed by the command itself) and, for every batch, to a
log file (`--log-file`, default OUTDIR/logs/extract-<UTC time>.log) at INFO, or
DEBUG when asked: the settings, every file's outcome, workers that died or timed
out, and the tracebacks of internal errors (DEBUG), which never reach the tables.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

LOGGER = "extractor"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(process)d] %(message)s"


@contextmanager
def batch_log(outdir: Path, level: str = "WARNING", log_file: str | Path | None = None):
    """Handlers on the `extractor` logger for one batch; yields the log file's path."""
    level_no = logging.getLevelName(level.upper())
    path = Path(log_file) if log_file else outdir / "logs" / time.strftime("extract-%Y%m%dT%H%M%SZ.log", time.gmtime())
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(LOGGER)
    to_file = logging.FileHandler(path, encoding="utf-8", errors="backslashreplace")
    to_file.setLevel(min(level_no, logging.INFO))
    to_file.setFormatter(logging.Formatter(FORMAT))
    to_stderr = logging.StreamHandler()
    to_stderr.setLevel(level_no)
    to_stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(min(level_no, logging.INFO))
    logger.propagate = False
    logger.addHandler(to_file)
    logger.addHandler(to_stderr)
    try:
        yield path
    finally:
        logger.removeHandler(to_file)
        logger.removeHandler(to_stderr)
        to_file.close()
        logger.setLevel(old_level)
        logger.propagate = old_propagate
