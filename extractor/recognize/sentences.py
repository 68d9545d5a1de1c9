"""`sentences`: regexes over the narrative text (lines joined, cleaned)."""
from __future__ import annotations

import re

from .text import Flow, compile_pattern, typed


def parse_sentences(spec: dict, flow: Flow, table: str, money_unit: str) -> list[dict]:
    """One row per match of any of the section's patterns.

    Named groups are contract columns; `set` adds constants; `what` is a template
    filled from the groups (for counts: '任务{n}的绩效目标'); a group named `listed`
    is an enumeration whose items are counted.
    """
    rows = []
    patterns = spec["patterns"] if "patterns" in spec else [spec["pattern"]]
    seen: set[tuple[int, int]] = set()
    for pattern in patterns:
        for m in compile_pattern(pattern).finditer(flow.text):
            if m.span() in seen:
                continue
            seen.add(m.span())
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            # The page of the row is where its figures are, not where its name starts.
            figures = [m.start(k) for k, v in groups.items() if v and re.match(r"-?\d", v)]
            row: dict = {"page": flow.page_at(min(figures) if figures else m.start())}
            for key, raw in groups.items():
                if key == "listed":
                    row["listed"] = len([x for x in _split_list(raw) if x])
                elif key not in spec.get("template_only", []):
                    row[key] = typed(table, key, raw, money_unit)
                    if key.endswith("rate"):
                        row[f"_printed_{key}"] = raw
            if "what" in spec:
                row["what"] = spec["what"].format(**groups)
            row.update(spec.get("set", {}))
            rows.append(row)
    rows.sort(key=lambda r: r["page"])
    return rows


def _split_list(text: str) -> list[str]:
    import re

    return [x.strip() for x in re.split(r"[、,;]|以及|和", text)]
