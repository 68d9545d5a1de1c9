"""The options of a run, as one typed object the batch builds once and passes down
(batch → worker → pipeline → reader), instead of environment variables.

A leaf module: every stage may import it, it imports nothing of the project.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """What one file may take.  The reader's own bounds (pages, inflated stream
    sizes) come first; the worker's timeout and address-space cap are the second line."""
    timeout: float = 600.0          # seconds of wall clock per file
    max_memory_mb: int = 2048       # address space a worker may add to what it inherits
    max_pages: int = 3000
    max_file_size_mb: int = 500
    max_stream_mb: int = 256        # decoded size of one PDF stream (decompression bombs)
    max_inflated_mb: int = 1024     # decoded size of all of a document's streams together


@dataclass(frozen=True)
class Settings:
    limits: Limits = field(default_factory=Limits)
    ocr: bool = True                # OCR pages without a text layer, when the extra is installed
    password: str | None = field(default=None, repr=False)  # for encrypted PDFs; never logged
    packs_dir: Path | None = None   # None: the shipped patterns/

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def overridden(self, *, limits: Limits | None = None, password: str | None = None) -> "Settings":
        """These settings with the limits and password a caller gave on their own (None:
        not given), which win."""
        changes = {k: v for k, v in (("limits", limits), ("password", password)) if v is not None}
        return replace(self, **changes) if changes else self


DEFAULT = Settings()
