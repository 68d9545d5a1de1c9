"""Compare extracted rows with a golden file written by reading the document.

The comparison lives in the package (extractor/commands/golden.py) so that
`extractor packs test` uses the same logic as the tests; re-exported here.
"""
from extractor.commands.golden import compare, compare_checks, diff_rows, norm_text, same  # noqa: F401
