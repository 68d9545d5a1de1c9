"""Turn Chinese budget-performance self-evaluation reports into checked tables.

    import extractor
    result = extractor.extract(["report.pdf"])   # Result: one DataFrame per table
    result = extractor.read("output")            # the Parquet tables of a folder

The API is loaded on first use, so `import extractor` (and the command line) stays quick.
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("extractor")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["Result", "extract", "read"]


def __getattr__(name: str):
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
