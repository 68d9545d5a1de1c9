"""Parsers over text lines, for tables that reached us as text (no grid).

Each reads a region between a `start` and an `end` regex and returns raw records
{field: text, 'page': n}; the engine types them.
"""
from __future__ import annotations

import re

from rapidfuzz.distance import LCSseq

from .. import normalize as nz
from ..packs import vocab
from ..model import Line
from .levels import LABEL_WEIGHT, OPEN_WEIGHT
from .text import apply_value_rules, compile_pattern, measures_rejoined, spaced


def _region(spec: dict, lines: list[Line], *, all_lines: bool = False):
    """The lines between a `start` and an `end` match (every such region, in order).
    With `all_lines`, every line comes back as (text, page, inside-a-region)."""
    start = compile_pattern(spec["start"]) if "start" in spec else None
    end = compile_pattern(spec["end"]) if "end" in spec else None
    out, inside = [], start is None
    for k, ln in enumerate(lines):
        text = spaced(ln.text)
        if not text:
            continue
        if not inside:
            inside = bool(start.search(text))
            if not inside and " " not in text and len(text) <= 4 and k + 1 < len(lines) \
                    and not start.search(spaced(lines[k + 1].text)):
                # the start's label wrapped in a narrow cell (主要 / 任务)
                inside = bool(start.search(text + spaced(lines[k + 1].text)))
            if all_lines:
                out.append((text, ln.page, False))
            continue
        if end is not None and end.search(text):
            inside = start is None
            if all_lines:
                out.append((text, ln.page, False))
            continue
        out.append((text, ln.page, True) if all_lines else (text, ln.page))
    return out


def parse_line_rows(spec: dict, lines: list[Line]) -> list[dict]:
    """One record per line matching `row`; label-only lines just before a row are
    the first part of its wrapped label (`wrap_label`).  `context` regexes (one
    named group each, e.g. 项目名称 …) tag the rows after the line they match.
    `rejoin_measures`: a target a text tool spaced out (不少于 95%) is one token."""
    row_re = compile_pattern(spec["row"])
    wrap = spec.get("wrap_label")
    context_res = {f: compile_pattern(r) for f, r in (spec.get("context") or {}).items()}
    records, pending, context = [], [], {}
    region = _region(spec, lines, all_lines=True)
    for at, (text, page, inside) in enumerate(region):
        found = _context(context_res, text)
        if not found and at + 1 < len(region) and _label_only(text):
            # the label alone (项目名称), its value on the next line, or the next label there
            # (主管部门 …: the name was printed elsewhere, "" as in `_context`)
            found = _context(context_res, text + " " + region[at + 1][0])
        if found:
            context.update(found)
            pending = []
            continue
        if not inside:
            continue
        if spec.get("rejoin_measures"):
            text = " ".join(measures_rejoined(text.split(" ")))
        m = row_re.match(text)
        if not m:
            pending = (pending + [text])[-2:]
            continue
        if any(v == "" for v in context.values()):
            continue  # under a 项目名称 whose name was not printed there: no project to put it under
        rec = {**context, **{k: v for k, v in m.groupdict().items() if v is not None}}
        for field in rec:
            rec[field] = _value_rules(spec, field, rec[field])
        if wrap and pending:
            level, head = _wrapped_heads(pending)
            if head:
                rec[wrap] = "".join(head) + rec.get(wrap, "")
            if level and spec.get("wrap_level") and not rec.get(spec["wrap_level"]):
                rec[spec["wrap_level"]] = level
        rec["page"] = page
        records.append(rec)
        pending = []
    return records


def _wrapped_heads(pending: list[str]) -> tuple[str | None, list[str]]:
    """The lines just before a row that are the first part of its wrapped label
    (项目完成及 / 时性 按时完成 …; 其中：当年财政 / 拨款 …): words alone on their line, no
    sentence (a 评分依据 above is the row before's), no figure, and no piece of a level
    or column label (生态效 / 益指标 … is the 二级 wrapped, not the name).  A level term
    may stand before the first (质量指标 资金拨付准 / 确率 …): (that level, the heads)."""
    heads: list[str] = []
    level = None
    for text in reversed(pending):
        words = text.split(" ")
        if len(words) == 2 and (words[0] in vocab.level_parents() or words[0] in vocab.level1_terms()):
            level, words = words[0], words[1:]
        if len(words) != 1 or not 2 <= len(words[0]) <= 20 or re.search(r"[，。；;,\d()（）]", words[0]) \
                or vocab.is_label_part(words[0]):
            level = None
            break
        heads.insert(0, words[0])
        if level:
            break  # the level stands on the label's first line
    return level, heads


def _context(context_res: dict, text: str) -> dict:
    """The context values a line sets; "" where the value after the label is another
    column's label (项目名称 自评分数: a list's header, not a project's name)."""
    out = {}
    for field, regex in context_res.items():
        m = regex.search(text)
        if m:
            value = next(v for v in m.groups() if v)
            out[field] = "" if vocab.is_role_term(value.split(" ")[0]) else value
    return out


def _value_rules(spec: dict, field: str, value):
    return apply_value_rules(spec, field, value, null_values=("—", "-", "－"))


def parse_line_form(spec: dict, lines: list[Line]) -> list[dict]:
    """Key/value forms as text: a record per `anchor` match; each regex in `fields`
    fills its named groups once per record, from the lines up to the next anchor."""
    anchor = compile_pattern(spec["anchor"])
    field_res = [compile_pattern(r) for r in spec["fields"]]
    records: list[dict] = []
    current = None
    region = _region(spec, lines)
    texts = [t for t, _ in region]
    evidence = compile_pattern(spec["evidence"]) if spec.get("evidence") else None
    evidenced: set[int] = set()
    for at, (text, page) in enumerate(region):
        m = anchor.search(text)
        nameless = False
        if not m and at + 1 < len(texts) and _label_only(text):
            # a cell per line (web text): the label, then its value on the next line; where
            # that line is the next label (主管部门 …), the form's name was printed elsewhere
            m = anchor.search(text + " " + texts[at + 1])
            nameless = bool(m) and vocab.is_role_term(texts[at + 1].split(" ")[0])
        if m:
            current = {"page": page, **{k: v for k, v in m.groupdict().items() if v is not None}}
            if nameless:
                current = {"page": page, "_nameless": True}
            records.append(current)
            continue
        if current is None:
            continue
        if evidence is not None and evidence.search(text):
            evidenced.add(id(current))
        for regex in field_res:
            fm = _windowed(regex, texts, at)
            if fm:
                for k, v in fm.groupdict().items():
                    if v is not None and k not in current:
                        current[k] = _value_rules(spec, k, v)
    required = spec.get("require_any")  # an anchor without the form's figures is no form
    # … unless its own labels follow it: a form whose figures the text scrambled is a form
    kept = []
    for r in records:
        if required and not any(r.get(f) is not None for f in required):
            if id(r) not in evidenced or r.get("_nameless"):
                continue
            r["_unfigured"] = True  # said by the engine: its figures were not read
        kept.append(r)
    return kept


def _label_only(text: str) -> bool:
    return " " not in text.strip() and nz.parse_decimal(text) is None and len(text) <= 12


_WINDOW = 8  # a form line printed a cell per line spreads over this many lines at most


def _windowed(regex: re.Pattern, texts: list[str], at: int):
    """The regex on line `at`, or on it joined with the lines after it (a cell per
    line), as long as the match starts on line `at`."""
    joined = texts[at]
    for k in range(1, _WINDOW + 1):
        m = regex.search(joined)
        if m and m.start() < len(texts[at]):
            return m
        if at + k >= len(texts):
            return None
        joined += " " + texts[at + k]
    return None


def _measure_like(token: str) -> bool:
    if nz.parse_measure(token).op is not None:
        return True
    return len(token) <= 6 and not re.search(r"[。,;:、]", token)


def parse_task_blocks(spec: dict, lines: list[Line]) -> list[dict]:
    """Task blocks: `任务N`, its 年初预期目标 and 完成情况 paragraphs (each ends with
    '。'), then indicator rows `name content target actual` (name and content may
    wrap over lines before the `target actual` line) and the task's money alone on
    a line."""
    task_re = compile_pattern(spec["task"])
    money_re = compile_pattern(spec["money"])
    records: list[dict] = []
    task = None
    state, buf, pending, paragraphs, loose = None, [], [], [], []
    total_re = compile_pattern(spec["total"]) if spec.get("total") else None
    region = _region(spec, lines)
    following = lambda at: region[at + 1][0] if at + 1 < len(region) else ""  # noqa: E731  the next line's text
    skip = False
    start_re = compile_pattern(spec["start"]) if "start" in spec else None
    header: set[str] = set()  # the header's lines as printed before the first task
    repeated = False  # inside the header printed again on a new page
    heading = lambda t: t in header or bool(start_re and start_re.search(t))  # noqa: E731  a header line
    for at, (text, page) in enumerate(region):
        if skip:
            skip = False
            continue
        m = task_re.match(text)
        wrapped_label = not m and len(text) <= 4 and 0 < len(following(at)) <= 3 \
            and task_re.match(text + following(at))  # the label wrapped in its narrow cell (任务 / 1)
        new_page = at and region[at - 1][1] != page
        if task is None and not records:
            header.add(text)
        elif not (m or wrapped_label) and (
                repeated and heading(text) or new_page and (heading(text) or heading(following(at)))):
            # the header printed again at a page's top (its first cell may stand before
            # the line the region starts at: 任务 / 任务内容 a cell per line), no task's cells
            repeated = True
            continue
        repeated = False
        if total_re is not None and total_re.match(text):
            task = None  # the tasks' 合计: no task's, and the blocks end
            # its money on its line or the next (合计 54,888.71): the tasks' total, to check
            money = [t for t in text.split(" ")[1:] if money_re.match(t)] or \
                ([following(at)] if money_re.match(following(at)) else [])
            if len(money) == 1 and not any(r.get("_total") for r in records):
                records.append({"page": page, "_total": True, "tasks.budget": money[0]})
            continue
        if wrapped_label:  # pypdfium2, PyMuPDF
            text, skip = text + following(at), True
            m = task_re.match(text)
        if m:
            task = {"tasks.task": text.replace(" ", ""), "page": page}
            records.append(task)
            state, buf, pending, paragraphs, loose = "content", [], [], [], []
            continue
        if task is None:
            continue
        if state in ("content", "completion"):
            buf.append(text)
            paragraphs.append(text)
            if text.rstrip(" \u3000").endswith("。"):
                task[f"tasks.{state}"] = "".join(buf)
                state, buf = ("completion" if state == "content" else "indicators"), []
            continue
        first, _, after = text.partition(" ")
        if state == "indicators" and after and "tasks.budget" not in task and money_re.match(first) \
                and nz.parse_decimal(after.split(" ")[0]) is None \
                and measures_rejoined(text.split(" "))[0] == first:  # 3 个 is an actual, not money
            # the task's money and an indicator's name on one line (pdftotext -raw), its
            # row's figures after it or not (27,027.05 完成时间 反映完成时间 2021 年 2021 年)
            pending = _task_money(task, first, paragraphs, loose, records, pending)
            loose = []
            text = after
        elif money_re.match(text) and "tasks.budget" not in task:
            whole = _money_rewrapped(text, following(at))
            skip = whole != text  # its last digits wrapped onto the next line (25,504,993.8 / 5)
            pending = _task_money(task, whole, paragraphs, loose, records, pending)
            loose = []
            continue
        loose.append(text)
        tokens = measures_rejoined(text.split(" "))  # ≥1 个 3 个: a text tool spaces digits from CJK
        if len(tokens) >= 4 and _measure_like(tokens[-1]) and _measure_like(tokens[-2]) or (
                not pending and len(tokens) >= 2 and _measure_like(tokens[-1]) and _measure_like(tokens[-2])
                and _stated_pair(tokens[-2], tokens[-1])
                # two like words alone may be a name and a content that says it again
                and (len(tokens) > 2 or re.search(r"\d", tokens[-1]))):
            # a row on its line: name content target actual (name and content may have wrapped above)
            head = tokens[:-2]
            if pending:
                name, content = pending[0], "".join(pending[1:] + head)
            else:
                name, content = (head[0] if head else None), "".join(head[1:])
            records.append({"task": task["tasks.task"], "name": name, "content": content or None,
                            "target_text": tokens[-2], "actual_text": tokens[-1], "page": page})
            pending = []
            continue
        # A cell per line, in content order (pypdfium2, pdftotext -raw): name, the
        # content's lines, the target (its unit or number wrapped: ≥372批 / 次, 不少于 /
        # 98%), the actual.  The row closes once its last two cells are a target and
        # an actual as such (figures, or the same words twice).
        pending = _rejoined(pending + tokens)
        if len(pending) >= 4 and _number_cut(pending[-3], pending[-2], pending[-1]):
            pending[-3:-1] = [pending[-3] + pending[-2]]  # 不少于23 / 5条 / 237条: the target's number cut
        if len(pending) >= 3 and _number_cut(pending[-2], pending[-1], following(at).split(" ")[0]):
            continue  # the actual is still to come: the last two cells are one cut target
        if len(pending) >= 3 and _stated_pair(pending[-2], pending[-1]):
            name, rest = _name_and_content(pending[:-2])
            records.append({"task": task["tasks.task"], "name": name,
                            "content": "".join(rest) or None,
                            "target_text": pending[-2], "actual_text": pending[-1], "page": page})
            pending = []
    return records


def _name_and_content(cells: list[str]) -> tuple[str | None, list[str]]:
    """An indicator's name and its content's lines, from the two cells' lines printed one
    after the other (名称, then 指标内容, each wrapped in its narrow cell).  Each split is
    weighed by how much of the name the content restates, less what it does not (奖励、扶持
    企业家数 | 获奖励、扶持企业家数量), by the name ending on a short line (组织申报项 / 目), and against a content whose
    first line is short although more follow (a wrapped cell's lines are full but its
    last); a name's lines but its last are as wide as its first."""
    if len(cells) <= 1:
        return (cells[0] if cells else None), []
    full = max(len(c) for c in cells)
    best, best_k = None, 1
    for k in range(1, len(cells)):
        head, rest = cells[:k], cells[k:]
        if any(abs(len(c) - len(head[0])) > 1 for c in head[:-1]) or len(head[-1]) > len(head[0]) + 1:
            break  # a short line ended the name already
        name, content = "".join(head), "".join(rest)
        said = LCSseq.similarity(name, content)  # characters of the name the content prints again
        score = said - 0.5 * (len(name) - said) + 1.5 * (len(head[-1]) < full) \
            - 1.5 * (len(rest) > 1 and len(rest[0]) < full)
        if best is None or score >= best:
            best, best_k = score, k
    return "".join(cells[:best_k]), cells[best_k:]


def _task_money(task: dict, money: str, paragraphs: list[str], loose: list[str], records: list[dict],
                pending: list[str]) -> list[str]:
    """Set the task's money; lines after its second sentence and before the money, with
    no indicator read yet, are still its cells' text.  Returns the pending cells."""
    task["tasks.budget"] = money
    if not any(r.get("task") == task["tasks.task"] for r in records):
        paragraphs += loose
        pending = []
    _resplit(task, paragraphs)
    return pending


_GROUPED_MONEY = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d{2}$|^\d+\.\d{2}$")


def _money_rewrapped(text: str, after: str) -> str:
    """An amount whose last digits a narrow cell wrapped onto the next line: the two
    joined when only together they are an amount as printed (cents, groups of three)."""
    if re.fullmatch(r"[\d,.]{1,3}", after) and not _GROUPED_MONEY.match(text) \
            and _GROUPED_MONEY.match(text + after):
        return text + after
    return text


def _resplit(task: dict, lines: list[str]) -> None:
    """Two narrow cells wrapped a line each (任务内容, then 完成情况): the first may hold
    two sentences, a line ending at each (信息化建设任务。 / 建立健全…问题。), so where
    the first sentence ends is not where the cell does.  The cells' lines are as wide
    as their column: the split, among the lines that end a sentence, that gives each
    cell lines of one width is the one."""
    ends = [k for k, ln in enumerate(lines[:-1]) if ln.rstrip(" \u3000").endswith("。")]
    if len(ends) < 2 or any(len(ln) > 16 for ln in lines):
        return

    best = min(ends, key=lambda k: (_width_spread(lines[:k + 1]) + _width_spread(lines[k + 1:]), k))
    task["tasks.content"], task["tasks.completion"] = "".join(lines[:best + 1]), "".join(lines[best + 1:])


def _width_spread(cell_lines: list[str]) -> int:
    """How far the lines of one wrapped cell differ in width: 0 for lines of one column
    (its last line is as long as it is, and does not count)."""
    widths = [len(ln) for ln in cell_lines[:-1]] or [0]
    return max(widths) - min(widths)


def _stated_pair(target: str, actual: str) -> bool:
    """A target and an actual beyond doubt: both hold a figure, or both are the same
    words (有效丰富 | 有效丰富), or a target with a comparison and a worded result."""
    if re.search(r"\d", target) and re.search(r"\d", actual):
        return True
    if target == actual and len(target) <= 8 and not re.search(r"[。,;:、]", target):
        return True
    return nz.parse_measure(target).op is not None and re.search(r"\d", target) is not None \
        and len(actual) <= 6 and not re.search(r"[。,;:、]", actual) and bool(actual)


def _number_cut(bound: str, rest: str, actual: str) -> bool:
    """A target whose number the column cut (不少于23 / 5条) before its actual (237条): a
    bound without a unit, a number with the actual's unit and no comparison, then the
    actual.  (A bound alone before its actual, ≥35 / 40家, is two cells, not three.)"""
    b, r, a = nz.parse_measure(bound), nz.parse_measure(rest), nz.parse_measure(actual)
    return b.op is not None and b.value is not None and not b.unit and rest[:1].isdigit() \
        and r.op in (None, "=") and r.value is not None and bool(r.unit) and r.unit == a.unit \
        and a.value is not None and nz.parse_measure(bound + rest).unit == r.unit


def _doubled(token: str) -> bool:
    half = len(token) // 2
    return len(token) % 2 == 0 and 2 <= half <= 8 and token[:half] == token[half:] \
        and not re.search(r"[\d。,;:、]", token)


def _rejoined(tokens: list[str]) -> list[str]:
    """Cells a narrow column wrapped: a comparison word or a number and the rest of its
    measure (不少于 / 98%, 不高于15 / 天, ≥372批 / 次)."""

    out: list[str] = []
    # a target and its actual glued by the tool (不低于80%83%): two cells
    split = [part for tok in tokens for part in re.split(r"(?<=%)(?=[\d≥≤<>])", tok) if part]
    # a worded target and its actual glued (有效丰富有效丰富): the same words twice
    split = [part for tok in split
             for part in ([tok[:len(tok) // 2]] * 2 if _doubled(tok) else [tok])]
    for tok in measures_rejoined(split):
        prev = out[-1] if out else None
        if prev and re.search(r"\d", prev) and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", tok) \
                and (nz.parse_measure(prev + tok).unit or "").endswith(tok):
            out[-1] = prev + tok
            continue
        out.append(tok)
    return out


def parse_score_lines(spec: dict, lines: list[Line]) -> list[dict]:
    """Scoring lines `[name] weight score [评分依据…]` whose 三级指标 name wraps over
    the short lines just above; 一级/二级 labels (the pack's and the shared vocabulary's)
    on their own lines, or first on a row's line, set the level for the rows below."""
    row_re = compile_pattern(spec["row"])
    # the pack's labels and every 一级/二级 the shared vocabulary knows
    level1 = set(spec["level1"]) | vocab.level1_terms()
    level2 = (set(spec["level2"]) | set(vocab.level_parents())) - level1
    max_chars = spec.get("name_max_chars", 10)
    not_name = compile_pattern(spec.get("not_name", r"^(评分依据|反映)"))
    records: list[dict] = []
    cur1 = cur2 = None
    buf: list[str] = []
    total = compile_pattern(spec["total_row"]) if "total_row" in spec else None
    def is_label(t: str) -> bool:
        bare = LABEL_WEIGHT.sub("", t)
        return bare in level1 or bare in level2

    for text, page in _weights_rejoined(_region(spec, lines)):
        if total is not None:
            tm = total.match(text)
            if tm:
                records.append({**tm.groupdict(), "page": page, "_total": True})
                break
        tokens = text.split(" ")
        if all(is_label(t) for t in tokens):
            for t in tokens:
                cur1, cur2 = _score_level(t, level1, cur1)
            buf = []
            continue
        m = row_re.match(text)
        if not m:
            buf.append(text)
            continue
        words = (m.group("head") or "").split()
        if len(words) == 3 and all(_cell_word(w) for w in words):
            # a row that prints all three levels, a cell each (社会效应 满意度 服务对象满意度 10 10):
            # its 一级 and 二级 whatever words the framework uses
            cur1, cur2, words = words[0], words[1], words[2:]
        while len(words) > 1 and is_label(words[0]):
            # merged labels printed on the row's line (预算执行 预算执行率 10 9.07): levels, not its name
            cur1, cur2 = _score_level(words[0], level1, cur1)
            words = words[1:]
        if len(words) == 1 and buf and _level_pair(buf[-1]):
            # the 一级 and 二级 of a group alone on the line above its first row (运行成本 经济成本 /
            # 三公经费控制率 5 5), in words the vocabulary may not know
            cur1, cur2 = buf[-1].split(" ")
            buf = buf[:-1]
        head = "".join(words)
        name_parts = []
        # a name wrapped over the short lines above leaves a short tail beside its figures; a
        # name whole on the line keeps the lines above for the row before (its 评分依据)
        for prev in reversed(buf if len(head) < 4 else []):
            p = prev.replace(" ", "")
            if len(p) > max_chars or p.endswith(("。", ";", ",", "；", "，")) or not_name.search(p):
                break
            name_parts.insert(0, p)
        records.append({"level1": cur1, "level2": cur2, "level3": "".join(name_parts) + head,
                        "weight": m.group("weight"), "score": m.group("score"), "page": page})
        buf = []
    return records


def _cell_word(text: str) -> bool:
    """A short label a cell of its own holds (满意度, 运行成本, 产出（30分）): words, no figure,
    no sentence."""
    bare = LABEL_WEIGHT.sub("", text)
    return 2 <= len(bare) <= 16 and not re.search(r"[\d，。；;,:：、%]", bare) and \
        len(re.findall(r"[\u4e00-\u9fff]", bare)) >= 2


def _level_pair(text: str) -> bool:
    """A line of two such labels and nothing else: a group's 一级 and 二级."""
    words = text.split(" ")
    return len(words) == 2 and all(_cell_word(w) and len(LABEL_WEIGHT.sub("", w)) <= 8 for w in words)


def _score_level(label: str, level1: set[str], cur1: str | None) -> tuple[str | None, str | None]:
    """(一级, 二级) after a merged label: a 一级 starts a new group, unless the 一级 above
    holds it as a 二级 in a framework of the vocabulary (满意度 under 效果).  A label's
    printed weight (投入（20分）) stays on it and takes no part in what it is."""
    bare = LABEL_WEIGHT.sub("", label)
    if bare in level1 and not vocab.holds(LABEL_WEIGHT.sub("", cur1 or "") or None, bare):
        return label, None
    return cur1, label


_CLOSE_WEIGHT = re.compile(r"^分[)）]\s*")


def _weights_rejoined(region: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A label's weight a narrow merged cell broke over two lines (产出（30 / 分） 职责履行):
    the closing 分） goes back to its line, the rest of the next line stays its own."""
    out = list(region)
    for k in range(len(out) - 1):
        (text, page), (nxt, _) = out[k], out[k + 1]
        m = _CLOSE_WEIGHT.match(nxt)
        if m and OPEN_WEIGHT.search(text):
            out[k] = (text + nxt[:m.end()].strip(), page)
            out[k + 1] = (nxt[m.end():], out[k + 1][1])
    return [(text, page) for text, page in out if text]


def parse_label_lines(spec: dict, lines: list[Line]) -> list[dict]:
    """A line of labels and the line of amounts below it; one more amount than
    labels means the first amount is the total."""
    label_re = compile_pattern(spec["label_line"])
    all_lines = [(spaced(ln.text), ln.page) for ln in lines]
    for i, (text, _) in enumerate(all_lines):
        if not label_re.search(text):
            continue
        labels = text.split(" ")
        for values_text, page in all_lines[i + 1:i + 3]:
            values = values_text.split(" ")
            if not all(nz.parse_decimal(v) is not None for v in values):
                continue
            if len(values) == len(labels) + 1:
                labels = [spec.get("total_label", "合计")] + labels
            if len(values) != len(labels):
                break
            return [{"label": lbl, "value": v, "page": page} for lbl, v in zip(labels, values)]
    return []


_FIGURE = re.compile(r"^(?:-?\d[\d,]*(?:\.\d+)?%?|[—–－-]{1,2}|%)$")


def parse_figure_rows(spec: dict, lines: list[Line]) -> list[dict]:
    """A table whose rows are a line (or two) of figures after their wrapped text
    cells, the text printed a cell after the other (pypdfium2, `pdftotext -raw`):
    住房保障 / 支出 / 保障住房保障工作正 / 常开展。 / 基本任 / 务完成 204561.30 … 3.5.

    The figures of a row go to `figures` in order (a `%` wrapped onto the next line
    joins its rate).  The text before them is `text`'s cells: the cell `ends_with_sentence`
    names ends at a line ending in 。; before it, the cells are told apart by their
    lines' width (a narrow column's lines are as wide as each other); what follows it
    is the last cell, with the words before the figures on their line.  The header's
    lines (`header_line`) before the first row are no row's text; a `total` line is
    the table's 合计.  Text whose cells stand side by side on a line (laid out) is
    not this parser's: it reads nothing there."""
    figures, text_cells = spec["figures"], spec["text"]
    sentence_cell = spec.get("ends_with_sentence")
    cell_ends = {f: compile_pattern(r) for f, r in (spec.get("cell_ends") or {}).items()}
    header_re = compile_pattern(spec["header_line"]) if "header_line" in spec else None
    total_re = compile_pattern(spec["total"]) if "total" in spec else None
    records: list[dict] = []
    texts: list[str] = []  # lines of the row being read, before its figures
    values: list[str] = []
    page_of = None

    def close(page):
        nonlocal texts, values
        if values:
            records.append({**_text_cells(texts, text_cells, sentence_cell, cell_ends),
                            **dict(zip(figures, [None if re.fullmatch(r"[—–－-]{1,2}", v) else v for v in values])),
                            "page": page})
        texts, values = [], []

    total: list[str] | None = None  # the 合计's figures, once it is read: the table has ended
    # positions in characters (pdftotext -layout): cells side by side are columns, not this parser's
    laid_out = any(ln.words for ln in lines)
    for text, page in _region(spec, lines):
        tokens = text.split(" ")
        k = len(tokens)
        while k and _FIGURE.match(tokens[k - 1]):
            k -= 1
        head, tail = tokens[:k], tokens[k:]
        if total is not None:
            if head or not tail or len(total) >= len(figures):
                break
            total += _figures_of(tail, total)  # its figures wrapped onto the next lines (95.87 / % / 9.59)
            records[-1].update(zip(figures, total))
            continue
        if total_re is not None and head and total_re.match(head[0]) and tail:
            close(page_of)
            total = _figures_of(tail)
            records.append({**dict(zip(figures, total)), "page": page, "_total": True})
            continue
        if not tail or (head and values):  # a text line, or the next row's text after a row's figures
            if values:
                close(page_of)
            if not tail:
                if header_re is not None and not records and header_re.search(text):
                    texts = []  # still the header
                    continue
                if len(tokens) <= len(text_cells) and not texts and not laid_out:
                    # a row's first cells' first lines, which pypdfium2 prints on one line
                    # as they stand at one height (教育支出 保障教育相关业务支 / 出。)
                    texts.extend(tokens)
                    continue
                if len(tokens) > 1:
                    return []  # cells side by side: laid-out text, for the header-driven reader
                texts.append(text)
                continue
        if len(head) > 2 or len(head) == 2 and laid_out:
            return []
        texts.extend(head)  # two: the last lines of two cells standing at one height (开展。 任务完成 …)
        values += _figures_of(tail, values)
        page_of = page
        if len(values) >= len(figures):
            close(page)
    close(page_of)
    return records


_CUT_CENTS = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d$|^\d{4,}\.\d$")


def _figures_of(tokens: list[str], before: list[str] | None = None) -> list[str]:
    """Figure tokens, a lone % joined to the rate before it (94.77 / %), and an amount's
    last cent a narrow cell wrapped onto the next line (157,362,072.2 / 8)."""
    out: list[str] = []
    for tok in tokens:
        target = out if out else before
        if tok == "%":
            if target and not target[-1].endswith("%"):
                target[-1] += "%"
            continue
        if target and tok.isdigit() and len(tok) == 1 and _CUT_CENTS.match(target[-1]):
            target[-1] += tok
            continue
        out.append(tok)
    return out


def _text_cells(lines: list[str], cells: list[str], sentence_cell: str | None, cell_ends: dict | None = None) -> dict:
    """The text lines of one row, as its cells (see parse_figure_rows).  `cell_ends`:
    how a first cell's text ends (a task named by its classification: …支出); a split
    where it does so is taken before the split by widths."""
    if not lines:
        return {}
    last = len(lines) - 1
    if sentence_cell in cells:
        end = next((k for k, ln in enumerate(lines) if ln.rstrip().endswith("。")), None)
    else:
        end = None
    if end is None:
        return {cells[0]: "".join(lines)}
    before = cells[: cells.index(sentence_cell)]
    after = cells[cells.index(sentence_cell) + 1:]
    out: dict = {}
    upto = lines[: end + 1]
    if before:
        # the first cells and the sentence cell: the split whose parts keep one width each
        ends = (cell_ends or {}).get(before[0])
        k = min(range(1, len(upto)), key=lambda k: (not (ends and ends.search("".join(upto[:k]))),
                                                      _width_spread(upto[:k]) + _width_spread(upto[k:]), -k),
                default=None)
        if k is None:
            out[sentence_cell] = "".join(upto)
        else:
            out[before[0]], out[sentence_cell] = "".join(upto[:k]), "".join(upto[k:])
    else:
        out[sentence_cell] = "".join(upto)
    if after and end < last:
        out[after[0]] = "".join(lines[end + 1:])
    return out

