"""Recognise: apply a pattern pack's sections to a Document and get typed rows.

Parsers are generic layout readers named by the packs (`sentences`, `grid`,
`label_row`, `line_rows`, `task_blocks`, `score_lines`, `label_lines`); what they look
for is all in the pack.  Rows carry their page and stay plain dicts keyed by the
contract's column names.
"""
from .engine import Recognition, recognise

__all__ = ["Recognition", "recognise"]
