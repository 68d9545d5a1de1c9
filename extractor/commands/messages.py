"""Words for readers, in Chinese (`zh`, the default) and English (`en`).

Table and column headers, status words, check names, and each check's message
rendered from its structured fields (check, subject, status, expected, reported,
page) rather than from the English sentence `extractor.checks` stores: the same check reads
the same way in the report, the workbook and `extractor check`.
"""
from __future__ import annotations

LANGS = ("zh", "en")

TABLES = {
    "zh": {"documents": "文档", "budget": "资金", "tasks": "任务", "projects": "项目", "indicators": "绩效指标",
           "scores": "评分", "counts": "数量陈述", "checks": "校验", "series": "跨年序列",
           "series_members": "序列成员", "panel": "面板"},
    "en": {},
}

# Column headers; a column not listed keeps its name.
_COLUMNS_ZH = {
    "doc_id": "文档编号", "page": "页码", "source_path": "文件", "format": "格式", "kind": "类型",
    "department": "部门", "year": "年度", "pages": "页数", "status": "状态", "error": "错误",
    "total_score": "总分", "grade": "等级", "pack": "模式包", "pack_version": "模式包版本", "max_score": "满分",
    "department_key": "部门标识", "tool_version": "工具版本", "ocr_pages": "OCR页数", "rows_expected": "应读行数",
    "rows_read": "已读行数",
    "project": "项目", "fund_source": "资金来源", "initial": "年初预算", "adjustment": "预算调整",
    "adjusted": "调整后预算", "actual": "实际支出", "exec_rate": "执行率", "adjust_rate": "调整率",
    "source": "出处", "fund_group": "资金类别", "weight": "分值", "score": "得分",
    "budget_fiscal": "预算(财政拨款)", "budget_other": "预算(其他资金)", "actual_fiscal": "执行(财政拨款)",
    "actual_other": "执行(其他资金)",
    "task": "任务", "content": "内容", "completion": "完成情况", "budget": "预算",
    "name": "名称", "goal": "年度目标", "goal_actual": "目标完成情况",
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "target_text": "目标值",
    "actual_text": "实际值", "target_op": "目标比较", "target_value": "目标数值", "target_unit": "目标单位",
    "actual_value": "实际数值", "actual_unit": "实际单位", "achieved": "是否达成", "level1_weight": "一级指标分值",
    "what": "计数对象", "count": "数量", "amount": "金额", "listed": "列举数",
    "check": "校验项", "subject": "对象", "severity": "严重程度", "expected": "计算值", "reported": "印刷值",
    "message": "说明",
    "printed": "原文数字", "bbox_x0": "位置左", "bbox_top": "位置上", "bbox_x1": "位置右", "bbox_bottom": "位置下",
    "series_id": "序列编号", "label": "标签", "first_year": "起始年度", "last_year": "结束年度", "years": "年数",
    "table": "表", "similarity": "相似度",
}
_COLUMNS_ZH_BY_TABLE = {("projects", "name"): "项目名称", ("indicators", "name"): "指标名称",
                        ("indicators", "content"): "指标内容", ("tasks", "content"): "任务内容"}

# Values shown in words: statuses, severities, kinds, sources.
VALUES = {
    "zh": {"ok": "正常", "partial": "部分识别", "failed": "失败", "pass": "通过", "fail": "未通过",
           "skipped": "跳过", "error": "错误", "warning": "警告", "table": "表格", "narrative": "正文",
           "dept_report": "部门整体支出绩效自评报告", "dept_scoring": "部门整体支出绩效自评表",
           "project_selfeval": "项目支出绩效自评表", "final_accounts": "部门决算", "unknown": "未识别",
           "pdf": "PDF", "text": "文本", True: "是", False: "否"},
    "en": {True: "yes", False: "no"},
}
VALUE_COLUMNS = {"status", "severity", "kind", "source", "format", "achieved"}

CHECK_NAMES = {
    "zh": {"budget.adjusted_sum": "调整后预算＝年初预算＋调整", "budget.exec_rate": "预算执行率",
           "budget.adjust_rate": "预算调整率", "budget.total": "资金合计", "budget.narrative": "正文与表格一致（资金）",
           "project.exec_rate": "项目执行率", "project.narrative": "正文与表格一致（项目）",
           "project.grade": "项目等级与得分", "project.count": "项目个数", "indicator.count": "指标个数",
           "score.weight": "得分不超过分值", "score.total": "分值与得分合计", "task.total": "任务资金合计"},
    "en": {},
}

# A failing check in words, from its fields.  {subject} {expected} {reported}
_FAIL = {
    "zh": {
        "budget.adjusted_sum": "{subject}：年初预算加调整为 {expected}，调整后预算却印为 {reported}",
        "budget.exec_rate": "{subject}：执行率印为 {reported}，按实际支出 ÷ 预算计算应为 {expected}",
        "budget.adjust_rate": "{subject}：调整率印为 {reported}，按调整数 ÷ 年初预算计算应为 {expected}",
        "budget.total": "{subject}：各资金来源相加为 {expected}，合计行却印为 {reported}",
        "budget.narrative": "{subject}：正文写 {reported}，表格中为 {expected}",
        "project.exec_rate": "{subject}：执行率印为 {reported}，按实际支出 ÷ 预算计算应为 {expected}",
        "project.narrative": "{subject}：同一项目的数字前后不一：{expected} 与 {reported}",
        "project.grade": "{subject}：等级印为 {reported}，按得分应为 {expected}",
        "project.count": "{subject}：文中写 {reported} 个，按所列项目为 {expected} 个",
        "indicator.count": "{subject}：文中写 {reported} 个，实际列出 {expected} 个",
        "score.weight": "{subject}：得分 {reported} 超出分值范围 {expected}",
        "score.total": "{subject}：各项相加为 {expected}，所印合计为 {reported}",
        "task.total": "{subject}：各任务相加为 {expected}，合计行却印为 {reported}",
        None: "{subject}：{name}计算值为 {expected}，印刷值为 {reported}",
    },
    "en": {
        "budget.adjusted_sum": "{subject}: initial + adjustment = {expected}, but the adjusted budget is printed as {reported}",
        "budget.exec_rate": "{subject}: execution rate printed {reported}, but actual / budget = {expected}",
        "budget.adjust_rate": "{subject}: adjustment rate printed {reported}, but adjustment / initial = {expected}",
        "budget.total": "{subject}: the fund lines add up to {expected}, but the total line prints {reported}",
        "budget.narrative": "{subject}: the narrative states {reported}, the table prints {expected}",
        "project.exec_rate": "{subject}: execution rate printed {reported}, but actual / budget = {expected}",
        "project.narrative": "{subject}: the project's figures differ: {expected} and {reported}",
        "project.grade": "{subject}: grade printed {reported}, but the score gives {expected}",
        "project.count": "{subject}: {reported} stated, {expected} by the projects listed",
        "indicator.count": "{subject}: {reported} stated, {expected} listed",
        "score.weight": "{subject}: score {reported} outside {expected}",
        "score.total": "{subject}: the lines add up to {expected}, the stated total is {reported}",
        "task.total": "{subject}: the tasks add up to {expected}, the total line prints {reported}",
        None: "{subject}: {name}: expected {expected}, printed {reported}",
    },
}
_PASS = {"zh": "{subject}：{name}相符（{reported}）", "en": "{subject}: {name} holds ({reported})"}
_SKIPPED = {"zh": "{subject}：{name}无法核对（所需数字缺失或分母为0），印为 {reported}",
            "en": "{subject}: {name} cannot be checked (a figure is missing or the denominator is 0), printed {reported}"}
_PAGE = {"zh": "（第{page}页）", "en": " (p.{page})"}

WORDS = {
    "zh": {"report_title": "绩效自评报告核查：{n} 份文档", "from": "数据来自", "documents": "文档",
           "failed": "份失败", "failing_checks": "项校验未通过", "charts": "图表", "overview": "总览",
           "exec_chart": "各部门各年度预算执行率", "exec_caption": "合计行实际支出 ÷ 调整后预算；每个部门每年一条（取首份写明合计行的报告）。",
           "score_chart": "得分分布", "score_caption": "文档总分与项目自评得分（按所印）。",
           "ind_chart": "未完成的绩效指标", "ind_caption": "每份文档：已完成、未完成与无法判断的指标。",
           "file": "文件", "pages": "页", "kind": "类型", "pack": "模式包", "department": "部门", "year": "年度",
           "status": "状态", "error": "错误", "budget_executed": "预算执行", "no_total": "无合计行",
           "total_score": "总分", "checks": "校验", "pass": "通过", "fail": "未通过", "skipped": "跳过",
           "failing": "未通过的校验", "warnings": "{n} 条警告", "missed": "未完成的指标",
           "actual": "实际支出", "budget": "预算", "rate": "执行率", "score": "得分", "page": "页码",
           "check": "校验项", "subject": "对象", "expected": "计算值", "reported": "印刷值", "message": "说明",
           "project_task": "项目 / 任务", "indicator": "指标", "target": "目标值", "actual_value": "实际值",
           "not_stated": "未写明", "printed_rate": "所印", "exec_line": "合计实际支出 {actual}，预算 {budget}（{basis}）：执行率 {rate}",
           "evidence": "原文", "evidence_narrative": "正文", "evidence_table": "表格", "no_evidence": "原文位置未找到",
           "crops_left_out": "另有 {n} 项未附原文截图", "yuan": "元", "basis_adjusted": "调整后预算",
           "basis_sum": "年初预算 + 调整", "basis_initial": "年初预算", "basis_projects": "{n} 个项目的全年预算",
           "achieved": "已完成", "missed_short": "未完成", "undecided": "无法判断", "no_exec": "没有文档写明合计行的实际支出与预算",
           "no_scores": "没有得分", "no_indicators": "未提取到指标", "doc_scores": "文档", "project_scores": "项目",
           "missed_of": "{no} / {n} 未完成", "summary": "{n} 项校验：{p} 通过，{f} 未通过，{s} 跳过"},
    "en": {"report_title": "Self-evaluation reports: {n} document(s)", "from": "From", "documents": "document(s)",
           "failed": "failed", "failing_checks": "failing check(s)", "charts": "Charts", "overview": "Overview",
           "exec_chart": "Budget execution rate by department and year",
           "exec_caption": "合计 actual / adjusted budget; one bar per department and year (the first report that states the 合计 line).",
           "score_chart": "Score distribution", "score_caption": "Documents' total scores and projects' self-evaluation scores, as printed.",
           "ind_chart": "Indicators missed (achieved = false)", "ind_caption": "Per document: indicators achieved, missed and undecided.",
           "file": "file", "pages": "page(s)", "kind": "kind", "pack": "pack", "department": "department", "year": "year",
           "status": "status", "error": "error", "budget_executed": "budget executed", "no_total": "no 合计 line",
           "total_score": "total score", "checks": "checks", "pass": "pass", "fail": "fail", "skipped": "skipped",
           "failing": "Failing checks", "warnings": "{n} warning(s)", "missed": "Indicators missed",
           "actual": "actual (元)", "budget": "budget (元)", "rate": "rate", "score": "score", "page": "page",
           "check": "check", "subject": "subject", "expected": "expected", "reported": "printed", "message": "message",
           "project_task": "project / task", "indicator": "indicator", "target": "target", "actual_value": "actual",
           "not_stated": "not stated", "printed_rate": "printed",
           "exec_line": "合计 actual {actual}, budget {budget} ({basis}): rate {rate}",
           "evidence": "as printed", "evidence_narrative": "narrative", "evidence_table": "table",
           "no_evidence": "not found on the page", "crops_left_out": "{n} more without a page image", "yuan": "元",
           "basis_adjusted": "调整后预算", "basis_sum": "年初预算 + 调整", "basis_initial": "年初预算",
           "basis_projects": "全年预算 of {n} project(s)", "achieved": "achieved", "missed_short": "missed",
           "undecided": "undecided", "no_exec": "no document states a 合计 line with actual and budget",
           "no_scores": "no scores stated", "no_indicators": "no indicators extracted", "doc_scores": "documents",
           "project_scores": "projects", "missed_of": "{no} missed of {n}",
           "summary": "{n} checks: {p} pass, {f} fail, {s} skipped"},
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: one of {', '.join(LANGS)}")
    return lang


def word(key: str, lang: str = "zh", **fields) -> str:
    text = WORDS[lang][key]
    return text.format(**fields) if fields else text


def table_name(table: str, lang: str = "zh") -> str:
    return TABLES[lang].get(table, table)


def column(table: str, name: str, lang: str = "zh") -> str:
    if lang == "en":
        return name
    return _COLUMNS_ZH_BY_TABLE.get((table, name)) or _COLUMNS_ZH.get(name, name)


def value(name: str, v, lang: str = "zh"):
    """A status, severity, kind, source, format or bool in words; other values as they are."""
    if name not in VALUE_COLUMNS or v is None:
        return v
    return VALUES[lang].get(v, v)


def check_name(check: str, lang: str = "zh") -> str:
    return CHECK_NAMES[lang].get(check, check)


def check_message(c: dict, lang: str = "zh", *, page: bool = True) -> str:
    """One sentence for a check, from its fields (check, subject, status, expected, reported, page)."""
    fields = {"subject": c.get("subject") or "document", "expected": c.get("expected") or "—",
              "reported": c.get("reported") or "—", "name": check_name(c.get("check") or "", lang)}
    status = c.get("status")
    if status == "fail":
        templates = _FAIL[lang]
        text = templates.get(c.get("check"), templates[None]).format(**fields)
    elif status == "skipped":
        text = _SKIPPED[lang].format(**fields)
    else:
        text = _PASS[lang].format(**fields)
    if page and c.get("page") is not None:
        text += _PAGE[lang].format(page=c["page"])
    return text
