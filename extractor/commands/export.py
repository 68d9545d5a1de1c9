"""`extractor export OUTDIR --xlsx FILE`: the tables as one Excel workbook.

One sheet per table (contract order, then any other table of the folder), the
header row frozen and filtered; money is written as exact numbers shown with two
decimals (`0.00`), rates as numbers shown as percentages, null as an empty cell.
In Chinese by default (`lang="en"`: the column names as in Parquet): sheet names,
headers (with the column's description as the header cell's comment), statuses,
check names and check messages (rendered from the check's fields, messages.py).
An old output folder without the newer columns exports what it has.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from . import messages as msg
from ..output.outdir import read_arrow
from ..tables import describe
from ..textable import width

MONEY_FORMAT = "0.00"
RATE_FORMAT = "0.00%"


def export_xlsx(outdir: str | Path, path: str | Path, lang: str = "zh") -> dict[str, int]:
    """Write the workbook; returns rows written per sheet (keyed by table name)."""
    msg.check_lang(lang)
    wb = Workbook()
    wb.remove(wb.active)
    written = {}
    for name, table in read_arrow(outdir).items():
        ws = wb.create_sheet(title=msg.table_name(name, lang)[:31])
        formats = [_format(f) for f in table.schema]
        headers = [msg.column(name, c, lang) for c in table.column_names]
        ws.append(headers)
        for c, column in zip(ws[1], table.column_names):
            c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
            text = describe(name, column)
            if text:
                c.comment = Comment(text, "extractor")
        sizes = [width(n) for n in headers]
        for row in table.to_pylist():
            if lang != "en" and name == "checks":
                row = {**row, "message": msg.check_message(row, lang, page=False)}
                row["check"] = msg.check_name(row["check"], lang) if row.get("check") else None
            values = [_value(msg.value(k, v, lang) if lang != "en" else v) for k, v in row.items()]
            ws.append(values)
            for i, v in enumerate(values):
                if v is not None:
                    sizes[i] = max(sizes[i], min(width(str(v)), 60))
        for i, fmt in enumerate(formats, start=1):
            if fmt:
                for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    c.number_format = fmt
            ws.column_dimensions[get_column_letter(i)].width = sizes[i - 1] + 2
        ws.freeze_panes = "A2"
        if table.num_columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(table.num_columns)}{table.num_rows + 1}"
        written[name] = table.num_rows
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return written


def _format(field: pa.Field) -> str | None:
    if pa.types.is_decimal(field.type):
        return MONEY_FORMAT
    if pa.types.is_floating(field.type) and field.name.endswith("rate"):
        return RATE_FORMAT
    return None


def _value(v):
    """A cell value: text without the control characters Excel refuses; lists and
    structs (a later table may have them) as JSON text."""
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v
