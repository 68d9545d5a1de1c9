"""Helpers shared by the parsers: placeholders in pack regexes, typed values, flows."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import normalize as nz
from ..packs import vocab
from ..model import Line
from ..packs.regex import compile_pattern  # noqa: F401  (re-exported for the parsers)
from ..tables import column_kind

def apply_value_rules(spec: dict, field: str, value, null_values: tuple[str, ...] = ()):
    """A section's `strip` regex and `value_map` for one field (其中:当年财政拨款 →
    当年财政拨款, 年度资金总额 → 合计); values in `null_values` become None between the two."""
    if not isinstance(value, str):
        return value
    if field in (spec.get("strip") or {}):
        value = compile_pattern(spec["strip"][field]).sub("", value) or None
    if value in null_values:
        return None
    return (spec.get("value_map") or {}).get(field, {}).get(value, value)


def typed(table: str, column: str, raw: str | None, money_unit: str):
    """A captured string as the contract type of table.column (None if unparsable)."""
    if raw is None:
        return None
    kind = column_kind(table, column) if column in _known(table) else "text"
    if kind == "money":
        return nz.parse_money(raw, money_unit)
    if kind == "rate":
        return nz.parse_percent(raw)
    if kind == "float":
        return nz.parse_float(raw)
    if kind == "int":
        value = nz.parse_decimal(raw)
        return None if value is None else int(value)
    return nz.clean_text(raw)


def _known(table: str) -> set[str]:
    from ..tables import SCHEMAS

    return set(SCHEMAS[table].names)


_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*共?\s*\d+\s*页?)?[-—–\s]*$")


def is_page_furniture(text: str) -> bool:
    """A line that is only a page number: not part of the sentence around it."""
    return bool(_PAGE_NUMBER.match(text))


_PRINTED_PAGE = re.compile(r"第\s*(\d{1,4})\s*页(?:\s*[,，/]?\s*共\s*(\d{1,4})\s*页)?|^[-—–]\s*(\d{1,4})\s*[-—–]$")


def pages_not_in_text(lines: list[Line]) -> list[int]:
    """The page numbers a document prints (第 2 页, 第1页 共3页, - 2 -, or a bare number alone at
    the head or foot of every page) that its text lacks: a number skipped between two it
    prints, or missing below the 共 N 页 it prints — a text copy that lost a page.  Numbers
    that do not rise along the text (a sentence citing a page) tell nothing: then none."""
    seen: list[int] = []
    total = 0
    for ln in lines:
        text = spaced(ln.text)
        for m in _PRINTED_PAGE.finditer(text):
            number = int(m.group(1) or m.group(3))
            seen.append(number)
            total = max(total, int(m.group(2) or 0))
    if not seen:
        seen = _edge_numbers(lines)
    if not seen or any(b <= a for a, b in zip(seen, seen[1:])):
        return []
    missing = [n for a, b in zip(seen, seen[1:]) for n in range(a + 1, b)]
    if total and seen[0] == 1 and seen[-1] < total:
        missing += list(range(seen[-1] + 1, total + 1))
    return missing


def _edge_numbers(lines: list[Line]) -> list[int]:
    """Bare page numbers (a centred 3 in the foot): the number alone on the first or last
    line of its page, where every page of the text has one and they go up page by page;
    else none."""
    pages: dict[int, list[str]] = {}
    for ln in lines:
        if spaced(ln.text):
            pages.setdefault(ln.page, []).append(spaced(ln.text))
    numbers = []
    for texts in pages.values():
        edge = [t for t in (texts[0], texts[-1]) if re.fullmatch(r"\d{1,4}", t)]
        if len(edge) != 1 or len(texts) < 2:
            return []
        numbers.append(int(edge[0]))
    # page after page the number goes up by one, by a few where pages are lost: a figure
    # that ends a page (得分 97) is no page number
    if len(numbers) < 2 or not all(1 <= b - a <= 3 for a, b in zip(numbers, numbers[1:])):
        return []
    return numbers


@dataclass
class Flow:
    """Cleaned text of many lines joined, with the page of every offset."""

    text: str = ""
    _starts: list[int] = field(default_factory=list)
    _pages: list[int] = field(default_factory=list)
    columns_from: int | None = None  # where the side-by-side column streams begin (see column_streams)

    def add(self, text: str, page: int, sep: str = "") -> None:
        cleaned = nz.clean_text(text)
        if not cleaned:
            return
        if self.text and not sep and self.text[-1].isascii() and self.text[-1].isalnum() \
                and cleaned[0].isascii() and cleaned[0].isalnum():
            sep = " "  # two numbers or Latin words on either side of a line break
        self.text += sep
        self._starts.append(len(self.text))
        self._pages.append(page)
        self.text += cleaned

    def line_starts(self) -> list[int]:
        """Where each line joined into the text begins."""
        return list(self._starts)

    def page_at(self, offset: int) -> int:
        import bisect

        i = bisect.bisect_right(self._starts, offset) - 1
        return self._pages[max(i, 0)] if self._pages else 1


def narrative_flow(lines: list[Line]) -> Flow:
    flow = Flow()
    for ln in lines:
        if not is_page_furniture(ln.text):
            flow.add(ln.text, ln.page)
    return flow


def column_streams(lines: list[Line]) -> list[list[tuple[str, int]]]:
    """Two cells of prose printed side by side, a line of each per line of text without
    positions (评分依据 beside 评分标准): the first parts of a run of such lines, read down,
    and their last parts — each a cell's sentence whole again.  Runs of three lines or more
    of two parts or more; (part, page) per line."""
    runs: list[list[Line]] = []
    prev = None
    for ln in lines:
        parts = _parts(ln) if ln.words is None else []
        if len(parts) >= 2:
            if not runs or runs[-1][-1] is not prev:
                runs.append([])
            runs[-1].append(ln)
        prev = ln
    streams = []
    for run in (r for r in runs if len(r) >= 3):
        split = [(_parts(ln), ln.page) for ln in run]
        streams.append([(parts[0], page) for parts, page in split])
        streams.append([(parts[-1], page) for parts, page in split])
    return streams


def _parts(ln: Line) -> list[str]:
    """The space-separated parts of a line of text, each cleaned."""
    return [c for c in (nz.clean_text(p) for p in spaced(ln.text).split(" ")) if c]


def spaced(text: str | None) -> str:
    """NFKC with spaces kept (as column separators) but runs collapsed, for line parsers."""
    import unicodedata

    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return " ".join(text.split())


def labels_rejoined(lines: list[Line]) -> list[Line]:
    """Form labels a narrow cell wrapped (项目名 / 称, 主管部 / 门) made whole, with the value
    the text tool printed after or between the pieces on the same line as the label:
    `项目名 / 称 / 特种设备…` (content order) and `项目名 / 特种设备… / 称` (a centred
    value between the pieces) both become `项目名称 特种设备…`; a label left with no value
    beside it may find it after its form (`_names_printed_after`)."""
    out: list[Line] = []
    parts = [spaced(ln.text).split(" ") if spaced(ln.text) else [] for ln in lines]

    def starts_label(k: int) -> str | None:
        """The label lines k and k+1 make (a lone piece, then the rest of the label)."""
        if k + 1 >= len(lines) or len(parts[k]) != 1 or not parts[k + 1] \
                or lines[k + 1].page != lines[k].page:
            return None
        return vocab.wrapped_label(parts[k][0], parts[k + 1][0])

    def value_line(k: int) -> bool:
        return k < len(lines) and bool(parts[k]) and lines[k].page == lines[k - 1].page \
            and not vocab.is_role_term(parts[k][0]) and starts_label(k) is None and ends_label(k) is None

    def ends_label(k: int) -> str | None:
        """The label lines k and k+2 make around a value on line k+1."""
        if k + 2 >= len(lines) or len(parts[k]) != 1 or len(parts[k + 2]) != 1 \
                or not lines[k].page == lines[k + 1].page == lines[k + 2].page or not parts[k + 1]:
            return None
        label = vocab.wrapped_label(parts[k][0], parts[k + 2][0])
        return label if label and not vocab.is_role_term(parts[k + 1][0]) else None

    def header_cell(k: int) -> tuple[str, int] | None:
        """A column label wrapped a piece per line in a header printed a cell per line
        (PyMuPDF: 一级指 / 标 / 二级指标 / 三级指标 …): the label and the lines it takes.
        Beside a header printed a row per line (一级指 / 标 / 二级指标 三级指标 …) the
        pieces stay: the text-table reader places them among that line's cells."""
        for n in (4, 3, 2):  # 偏差原 / 因分析 / 及改进 / 措施: the longest label first
            run = range(k, k + n)
            if k + n > len(lines) or any(lines[j].words is not None or len(parts[j]) != 1
                                         or lines[j].page != lines[k].page for j in run):
                continue
            near = [j for j in range(k - 4, k + n + 4) if 0 <= j < len(lines) and lines[j].page == lines[k].page]
            if any(len(parts[j]) > 1 and not _figure_and_unit(parts[j]) for j in near):
                continue
            term = vocab.wrapped_header_cell([parts[j][0] for j in run])
            if term:
                return term, n
        return None

    i = 0
    while i < len(lines):
        ln = lines[i]
        label = starts_label(i)
        if label:
            words = [label] + parts[i + 1][1:]
            step = 2
            if len(words) == 1 and value_line(i + 2):
                words += parts[i + 2]
                step = 3
            out.append(Line(" ".join(words), ln.page, ln.top, ln.in_table, None, lines[i + step - 1].bottom))
            i += step
            continue
        label = ends_label(i)
        if label:
            out.append(Line(" ".join([label] + parts[i + 1]), ln.page, ln.top, ln.in_table, None,
                            lines[i + 2].bottom))
            i += 3
            continue
        term = header_cell(i)
        if term:
            out.append(Line(term[0], ln.page, ln.top, ln.in_table, None, lines[i + term[1] - 1].bottom))
            i += term[1]
            continue
        out.append(ln)
        i += 1
    return _names_printed_after(out)


def _names_printed_after(lines: list[Line]) -> list[Line]:
    """A form label printed with no value beside it (项目名称, then 主管部门 …) whose value a
    tool put after the form: Word and Calc draw some cells last, and text in drawing
    order (pypdfium2, PyMuPDF, `pdftotext -raw`) prints them after the form's 自评等级
    line (…自评等级 优 / （2022年度） / 2022年公共图书馆免费开放…项目).  The first such line
    that can be a name is the label's value; without one the label stays alone."""
    out = list(lines)
    parts = [spaced(ln.text).split(" ") if spaced(ln.text) else [] for ln in lines]
    for i, ln in enumerate(lines):
        if len(parts[i]) != 1 or not vocab.is_value_label(parts[i][0]) or i + 1 >= len(lines) \
                or not parts[i + 1] or not vocab.is_role_term(parts[i + 1][0]):
            continue
        name = None
        graded = False
        for k in range(i + 1, len(lines)):
            if lines[k].page != ln.page or (parts[k] and vocab.is_value_label(parts[k][0]) and k > i + 1
                                           and parts[k][0] == parts[i][0]):
                break  # the page or the form ends: the value is not printed after it
            if not graded:
                graded = bool(parts[k]) and vocab.is_grade_label(parts[k][0])
                continue
            if len(parts[k]) == 1 and _name_like(parts[k][0]):
                name = parts[k][0]
                break
        if name:
            out[i] = Line(f"{parts[i][0]} {name}", ln.page, ln.top, ln.in_table, None, ln.bottom)
    return out


_YEAR_LINE = re.compile(r"^[(（]?\d{4}年度?[)）]?$")


def _name_like(text: str) -> bool:
    """A line that can be a form's name: words (four characters or more), not a figure, a
    year, a label or a sentence."""
    return 4 <= len(text) <= 60 and not _YEAR_LINE.match(text) and not vocab.is_label_part(text) \
        and not re.search(r"[，。；;：:,]", text) and text.count("（") == text.count("）") \
        and text.count("(") == text.count(")") and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 4 \
        and not is_quantity(text) and text not in vocab.yes_words() | vocab.no_words()


def is_quantity(text: str) -> bool:
    """不高于30天, 500元/人次, 98%: a number with a short unit (2024年动物防疫补助 is a name,
    a bare 2 may be a page's number)."""
    m = nz.parse_measure(text)
    return m.value is not None and 1 <= len(m.unit or "") <= 4


# a sentence's punctuation: prose, not a label or a figure's cell
SENTENCE_MARK = re.compile(r"[，。；,;]")

# cells that print "no value"
NULL_TOKENS = {"—", "——", "-", "－", "/", "／", "无", "\\", "–"}


def measures_rejoined(pieces: list[str]) -> list[str]:
    """A target or actual value that a text tool spaced out (不少于 98%, 371 批次, 200 元/人次)
    is one cell: a comparison word joins the number after it, a plain number (no
    thousands comma: no money) the short unit or the percent sign after it."""
    words = {w for w, _ in vocab.comparisons()}
    out: list[str] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if prev is not None and prev in words and piece[:1].isdigit():
            out[-1] = prev + piece
            continue
        if prev is not None and _PLAIN_NUMBER.match(prev) and piece in ("%", "％"):
            out[-1] = prev + "%"  # a percent sign wrapped, or spaced off, from its number: 不少于95 / %
            continue
        # 分 stays (a score), and a money unit after an amount with cents (300.83 万元); a
        # whole number and its money unit are a target (人均培训成本 200 元)
        money_unit = piece in vocab.unit_factors() and "." in prev if prev else False
        if prev is not None and _PLAIN_NUMBER.match(prev) and _UNIT_WORD.match(piece) \
                and piece not in NULL_TOKENS and piece != "分" and not money_unit \
                and nz.parse_measure(prev + piece).unit == piece:
            out[-1] = prev + piece
            continue
        out.append(piece)
    return out


def _figure_and_unit(pieces: list[str]) -> bool:
    """A figure and its unit spaced apart (4503.94 万元): one cell, not a row of cells."""
    return len(pieces) == 2 and bool(re.match(r"^[≥≤<>=]?[\d,.]+$", pieces[0])) \
        and bool(_UNIT_WORD.match(pieces[1]) or pieces[1] in ("%", "％"))


_PLAIN_NUMBER = re.compile(r"^(?:[≥≤<>=]|[^\d\s]{0,4}?)\d+(?:\.\d+)?$")
_UNIT_WORD = re.compile(r"^[\u4e00-\u9fff/]{1,4}$")
