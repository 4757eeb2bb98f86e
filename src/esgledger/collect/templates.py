"""Excel collection templates: one workbook per entity and campaign, in zh or en (openpyxl).

What a workbook holds, row by row, is its :class:`~esgledger.collect.layout.Layout`
(:mod:`esgledger.collect.layout`); this module writes it, and :mod:`esgledger.collect.filled`
reads a filled one back.

Sheets are protected: only input cells are unlocked; the workbook structure is locked. Input
cells carry data validation (decimal or whole number within the indicator's range, or a
dropdown of a category's values). Protection can be removed by a determined user, so the
import checks the structure again cell by cell (:func:`~esgledger.collect.filled.read_slots`)
against what :func:`locked_cells` says this module wrote.
"""
from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from pathlib import Path
from typing import Iterable

# the workbook's structure and reading it back: importable from here, as before the split
from esgledger.collect.filled import Cell, OpenedWorkbook, open_workbook, percent_format, read_slots
from esgledger.collect.layout import (FORMAT, FORMAT_VERSION, META_SHEET, MONTH_COLS, Layout, SheetLayout, Slot,
                                      breakdown_keys, build_layout, header_texts, layout_for, t)
from esgledger.library.loader import Library
from esgledger.model.period import Period
from esgledger.model.types import category_label

INPUT_FILL = "FFF7D6"
REF_FILL = "EFEFEF"
HEAD_FILL = "1F4E78"

INSTRUCTIONS = {
    "zh": [
        "ESG 数据收集模板",
        "填报主体：{entity}　{entity_name}",
        "报告期：{period}　　收集任务：#{campaign}　　截止日期：{due}",
        "",
        "1. 只在浅黄色单元格中填写：“本年数值”和“备注说明”。其他单元格已锁定，请勿修改、插入或删除行、重命名或删除工作表。",
        "2. 数值请按“单位”列所示单位填写，直接填写数字，不要填写公式、文字或单位。没有数据的单元格请留空。",
        "3. 有细分的指标（如按性别、年龄段）：请同时填写“合计”行和各细分行，各细分之和应等于合计。",
        "4. 与上年相比变化超过阈值、细分之和与合计不符、比率超出合理范围时，系统会给出提示；请在“备注说明”中解释原因，否则无法提交。"
        "数值达到上年（或其所属总量，如外购电量之于用电量）的 100 倍以上或百分之一以下时，多为单位填错（如按千瓦时填了兆瓦时的单元格）："
        "请更正；如确实无误，备注须以“已核实：”开头。",
        "5. 月度指标请按月填写 12 个月的数值；每行下方灰色行为上年同月数值，仅供参考。",
        "6. 填好后用 `esgledger collect import 文件名.xlsx` 导入（可先加 --dry-run 检查）；任何错误都会指出工作表和单元格，且不会写入任何数据。",
        "7. 请勿用其他主体或往年的模板填报：系统会识别并拒绝。",
    ],
    # an entity with entities below it (a company, the group): its own figures only
    "zh_parent": "8. 本主体有下级主体：{children}。请只填报{entity}本主体自身的数据，不含下级主体："
                 "下级主体各自填报，系统合并时会把各级数据相加，已含下级的数字会被重复计算。",
    "en_parent": "8. Entities below this one report on their own: {children}. Report {entity}'s own figures "
                 "only, without theirs: consolidation adds every level, so a figure that includes them is counted twice.",
    "en": [
        "ESG data collection template",
        "Entity: {entity}  {entity_name}",
        "Reporting period: {period}    Campaign: #{campaign}    Due: {due}",
        "",
        "1. Fill in only the light-yellow cells: 'Value' and 'Comment'. All other cells are locked: do not change them, insert or delete rows, or rename or delete sheets.",
        "2. Enter numbers in the unit shown in the 'Unit' column: plain numbers, no formulas, words or units. Leave a cell empty when there is no data.",
        "3. Indicators with breakdowns (gender, age band, …): fill the 'Total' row and each breakdown row; the breakdowns must add up to the total.",
        "4. A change from last year beyond the indicator's threshold, breakdowns that do not add up, or a ratio out of range give a warning: explain it in 'Comment', or the entity cannot be submitted. "
        "A value 100 times last year's (or the whole it is part of, as purchased electricity of electricity consumed) or more, or a hundredth or less, is most likely in the wrong unit (kWh in a MWh cell): "
        "correct it; if it is right, start its comment with 'Verified:'.",
        "5. Monthly indicators take twelve monthly values; the grey row under each is last year's months, for reference.",
        "6. Import with `esgledger collect import FILE.xlsx` (try --dry-run first). Every error names its sheet and cell, and nothing is written while there is one.",
        "7. Do not use another entity's or last year's workbook: it is recognised and refused.",
    ],
}



class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.head_font = Font(bold=True, color="FFFFFF")
        self.head_fill = PatternFill("solid", fgColor=HEAD_FILL)
        self.title_font = Font(bold=True, size=13)
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)
        self.ref_fill = PatternFill("solid", fgColor=REF_FILL)
        self.unlocked = Protection(locked=False)
        self.wrap = Alignment(wrap_text=True, vertical="top")


def _dv_key(library: Library, code: str) -> tuple:
    ind = library[code]
    if ind.value_type == "category":
        return ("list", tuple(ind.values))
    v = ind.validation
    return ("whole" if v.integer else "decimal", v.min, v.max)


def _make_dv(key: tuple, lang: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    if key[0] == "list":
        # in the workbook's language: 是,否 in a Chinese one (either language reads back)
        dv = DataValidation(type="list", formula1='"' + ",".join(category_label(v, lang) for v in key[1]) + '"',
                            allow_blank=True)
        dv.error = t("dv_list", lang)
    else:
        kind, lo, hi = key
        if lo is not None and hi is not None:
            dv = DataValidation(type=kind, operator="between", formula1=_num(lo), formula2=_num(hi),
                                allow_blank=True)
        elif lo is not None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_num(lo), allow_blank=True)
        elif hi is not None:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_num(hi), allow_blank=True)
        else:
            dv = DataValidation(type=kind, operator="between", formula1="-1E+300", formula2="1E+300",
                                allow_blank=True)
        dv.error = t("dv_whole" if kind == "whole" else "dv_number", lang)
        if lo is not None or hi is not None:
            dv.error += f" ({_num(lo) if lo is not None else '…'} – {_num(hi) if hi is not None else '…'})"
    dv.errorTitle = "esgledger"
    dv.showErrorMessage = True
    return dv


def _num(x: float) -> str:
    d = Decimal(str(x))
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)


def _number(text: str | None):
    """A ledger value as a spreadsheet number (exact decimal text stays Decimal)."""
    if text is None:
        return None
    try:
        d = Decimal(text)
    except ArithmeticError:
        return text
    return int(d) if d == d.to_integral_value() and abs(d) < 10 ** 15 else d


def write_workbook(path: Path, layout: Layout, library: Library, *, secret: str,
                   entity_name: str, due: str | None, references: dict | None = None,
                   generated_at: str = "", values: dict | None = None, notes: dict | None = None,
                   children: list[tuple[str, str]] | None = None) -> Path:
    """Write the template workbook of ``layout`` to ``path``; ``values`` pre-fills input
    cells as :func:`fill_workbook` does ((indicator, dims, period) → value or (value, comment));
    ``notes`` ((indicator, dims, period) → [text]) puts reviewers' comments on the value cells
    as cell notes.
    ``children`` (code, name) of the entities below it: the instructions then ask for the
    entity's own figures only."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection

    lang = layout.lang
    references = references or {}
    st = _Styles()
    # protection deters edits (the import checks the structure anyway); its password is derived
    # one way from the campaign's secret, so the file reveals nothing of the checksum's key
    lock_pw = hmac.new(secret.encode(), b"sheet protection", hashlib.sha256).hexdigest()[:12]
    wb = Workbook()
    ins = wb.active
    ins.title = layout.instructions
    params = dict(entity=layout.entity, entity_name=entity_name, period=layout.period,
                  campaign=layout.campaign_id, due=due or "-")
    lines = list(INSTRUCTIONS[lang])
    if children:  # a company or the group: its own figures, not its plants' again
        params["children"] = ("、" if lang == "zh" else ", ").join(f"{c} {n}" for c, n in children)
        lines.append(INSTRUCTIONS[f"{lang}_parent"])
    for i, line in enumerate(lines, start=1):
        c = ins.cell(i, 1, line.format(**params))
        if i == 1:
            c.font = st.title_font
    ins.column_dimensions["A"].width = 120
    ins.protection.sheet = True
    ins.protection.password = lock_pw

    for sh in layout.sheets:
        ws = wb.create_sheet(sh.title)
        ws.cell(1, 1, f"{sh.title} — {layout.entity} {entity_name} — {layout.period}").font = st.title_font
        dvs: dict[tuple, list[str]] = {}

        def header(row: int, monthly: bool) -> None:
            for col, text in enumerate(header_texts(monthly, lang), start=1):
                c = ws.cell(row, col, text)
                c.font = st.head_font
                c.fill = st.head_fill

        if sh.annual_header:
            header(sh.annual_header, False)
        if sh.monthly_header:
            if sh.annual_header:
                ws.cell(sh.monthly_header - 1, 1, t("monthly", lang)).font = st.title_font
            header(sh.monthly_header, True)
        for s in sh.slots:
            ind = library[s.indicator]
            r = s.row
            ws.cell(r, 1, s.indicator)
            ws.cell(r, 2, ind.name.get(lang))
            if s.label:
                ws.cell(r, 3, s.label)
            if s.unit:
                ws.cell(r, 4, s.unit_cell)
            key = _dv_key(library, s.indicator)
            if s.monthly:
                ws.cell(r, 5, t("this_year", lang))
                ws.cell(r + 1, 5, t("last_year", lang)).fill = st.ref_fill
                y = Period.parse(layout.period).year
                for i, col in enumerate(s.value_cols, start=1):
                    ref = references.get((s.indicator, s.dims, f"{y}-{i:02d}"))
                    c = ws.cell(r + 1, col, _number(ref.value) if ref else None)
                    c.fill = st.ref_fill
            else:
                ref = references.get((s.indicator, s.dims, layout.period))
                if ref is not None:
                    shown = category_label(ref.value, lang) if ind.value_type == "category" else _number(ref.value)
                    ws.cell(r, 5, shown).fill = st.ref_fill
                else:
                    ws.cell(r, 5).fill = st.ref_fill
            if values:
                _prefill(ws, s, layout.period, values)
            for col, p in zip(s.value_cols, _slot_periods(s, layout.period)) if notes else ():
                if notes.get((s.indicator, s.dims, p)):
                    head = "审核意见：" if lang == "zh" else "Reviewer: "
                    ws.cell(r, col).comment = Comment(head + "\n".join(notes[(s.indicator, s.dims, p)]),
                                                      "审核意见" if lang == "zh" else "Reviewer")
            for col in list(s.value_cols) + [s.comment_col]:
                c = ws.cell(r, col)
                c.fill = st.input_fill
                c.protection = st.unlocked
                c.border = st.border
                # General, as Excel's own default: typing "99.7%" into a General cell makes Excel
                # give it a percent format, which the import sees (a cell with a fixed number
                # format keeps it, and 0.997 would come back unmarked)
                c.number_format = "General"
            cols = s.value_cols
            dvs.setdefault(key, []).append(
                f"{get_column_letter(cols[0])}{r}:{get_column_letter(cols[-1])}{r}")
        for key, ranges in dvs.items():
            dv = _make_dv(key, lang)
            for rng in ranges:
                dv.add(rng)
            ws.add_data_validation(dv)
        for col, width in zip("ABCDEFG", (30, 36, 22, 12, 14, 16, 40)):
            ws.column_dimensions[col].width = width
        if sh.monthly_header:
            for col in range(6, 6 + MONTH_COLS):
                ws.column_dimensions[get_column_letter(col)].width = max(ws.column_dimensions[get_column_letter(col)].width or 0, 11)
            ws.column_dimensions["R"].width = 40
        ws.freeze_panes = "C3"
        ws.protection.sheet = True
        ws.protection.password = lock_pw
        ws.protection.formatColumns = False  # widths may be changed
        ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    for row in (("format", FORMAT), ("version", FORMAT_VERSION), ("campaign", layout.campaign_id),
                ("period", layout.period), ("entity", layout.entity), ("lang", layout.lang),
                ("checksum", layout.checksum(secret)), ("generated_at", generated_at)):
        meta.append(list(row))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    meta.protection.password = lock_pw
    wb.security = WorkbookProtection(workbookPassword=lock_pw, lockStructure=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def locked_cells(layout: Layout, library: Library, *, entity_name: str,
                 references: dict | None = None) -> dict[tuple[str, int, int], object]:
    """What :func:`write_workbook` writes outside the input cells, (sheet, row, column) →
    value: each sheet's title, headers, and each row's code, name, breakdown, unit and last
    year's value(s). The import compares a submitted workbook's cells with it (ESG-TPL-011);
    a test keeps the two in step."""
    lang = layout.lang
    references = references or {}
    out: dict[tuple[str, int, int], object] = {}
    y = Period.parse(layout.period).year
    for sh in layout.sheets:
        out[(sh.title, 1, 1)] = f"{sh.title} — {layout.entity} {entity_name} — {layout.period}"
        for row, monthly in ((sh.annual_header, False), (sh.monthly_header, True)):
            if not row:
                continue
            out.update({(sh.title, row, col): text for col, text in enumerate(header_texts(monthly, lang), start=1)})
        if sh.monthly_header and sh.annual_header:
            out[(sh.title, sh.monthly_header - 1, 1)] = t("monthly", lang)
        for s in sh.slots:
            ind = library[s.indicator]
            r = s.row
            out[(sh.title, r, 1)] = s.indicator
            out[(sh.title, r, 2)] = ind.name.get(lang)
            out[(sh.title, r, 3)] = s.label or None
            out[(sh.title, r, 4)] = s.unit_cell if s.unit else None
            if s.monthly:
                out[(sh.title, r, 5)] = t("this_year", lang)
                out[(sh.title, r + 1, 5)] = t("last_year", lang)
                for i, col in enumerate(s.value_cols, start=1):
                    ref = references.get((s.indicator, s.dims, f"{y}-{i:02d}"))
                    out[(sh.title, r + 1, col)] = _number(ref.value) if ref else None
            else:
                ref = references.get((s.indicator, s.dims, layout.period))
                out[(sh.title, r, 5)] = None if ref is None else (
                    category_label(ref.value, lang) if ind.value_type == "category" else _number(ref.value))
    return out



# -- generating for a campaign -------------------------------------------------------------
def workbook_name(campaign, entity: str, lang: str) -> str:
    return f"{campaign.period}_{entity}_{lang}.xlsx"


def generate_workbook(desk, campaign, entity: str, out_dir: Path, *, lang: str | None = None) -> Path:
    """Write ``entity``'s template for ``campaign`` into ``out_dir`` (with last year's
    approved values beside the inputs, and the values the entity already has for the
    campaign's periods filled in: a workbook fetched again after a return holds what was
    submitted, with each reviewer's comment on a value as a note on its cell); returns its
    path."""
    from esgledger.collect.campaign import reference_values
    from esgledger.store.ledger import now_iso

    lang = "zh" if (lang or desk.lang) == "zh" else "en"
    desk.store.require("read", entity)
    layout = layout_for(desk, campaign, entity, lang)
    e = desk.tree.entities.get(entity)
    values, notes = entered_so_far(desk, campaign, entity, lang)
    path = write_workbook(Path(out_dir) / workbook_name(campaign, entity, lang), layout, desk.library,
                          secret=campaign.secret, entity_name=e.name(lang) if e else entity,
                          due=campaign.due, references=reference_values(desk, campaign, entity),
                          generated_at=now_iso(), values=values, notes=notes,
                          children=children_of(desk, campaign, entity, lang))
    return path


def entered_so_far(desk, campaign, entity: str, lang: str) -> tuple[dict, dict]:
    """The entity's current entered values of the campaign's indicators and periods, as a
    template cell shows them ((indicator, dims, period) → (value, comment)), and the
    reviewers' comments not yet answered ((indicator, dims, period) → [text]): those made on a
    value's current revision (the one the return wrote), and those asking for a value still not
    given."""
    from esgledger.collect.audit import comments_on
    from esgledger.collect.campaign import assigned_indicators, current_facts

    codes = assigned_indicators(desk, campaign, entity)
    values, notes = {}, {}
    with desk.store.reading() as conn:
        facts = current_facts(conn, entity, campaign.periods(), codes)
        for key, f in facts.items():
            ind = desk.library.get(key[0])
            if f.status == "calculated" or ind is None:
                continue
            shown = category_label(f.value, lang) if ind.value_type == "category" else f.value
            values[key] = (shown, f.comment) if f.comment else shown
        for c in comments_on(conn, entity, None, None, None):
            key = (c["indicator"], c["dims"], c["period"])
            f = facts.get(key)
            if c["kind"] == "return" and (c["fact_id"] == f.id if f is not None else c["fact_id"] is None):
                notes.setdefault(key, []).append(c["text"])
    return values, notes


def children_of(desk, campaign, entity: str, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the entities directly below ``entity`` at the end of the campaign's
    year, in the reader's language."""
    import datetime as dt

    day = dt.date(Period.parse(campaign.period).year, 12, 31)
    out = []
    for code in desk.tree.children_on(entity, day):
        e = desk.tree.entities.get(code)
        out.append((code, e.name(lang) if e else code))
    return out


def generate_workbooks(desk, campaign, out_dir: Path, *, entities: Iterable[str] | None = None,
                       lang: str | None = None) -> list[Path]:
    """One workbook for each entity of the campaign that the user may read (or those given)."""
    from esgledger.collect.campaign import campaign_entities

    chosen = list(entities) if entities is not None else campaign_entities(desk, campaign)
    return [generate_workbook(desk, campaign, e, out_dir, lang=lang) for e in chosen]



# -- filling (tests, benchmarks, pre-filled workbooks) -------------------------------------
def _slot_periods(s: Slot, period: str) -> list[str]:
    """The periods of a slot's value cells, in column order: the twelve months or the year."""
    y = Period.parse(period).year
    return [f"{y}-{m:02d}" for m in range(1, 13)] if s.monthly else [period]


def _prefill(ws, s: Slot, period: str, values: dict) -> None:
    comment = None
    for col, p in zip(s.value_cols, _slot_periods(s, period)):
        v = values.get((s.indicator, s.dims, p))
        if v is None:
            continue
        if isinstance(v, tuple):
            v, comment = v
        ws.cell(s.row, col, _number(v) if isinstance(v, str) and _is_number(v) else v)
    if comment:
        ws.cell(s.row, s.comment_col, comment)


def fill_workbook(path: Path, layout: Layout, values: dict, *, out: Path | None = None) -> Path:
    """Type values into a generated workbook as a person would, and save it.

    ``values`` maps (indicator, dims, period) to a value, or to (value, comment). Numbers are
    written as numbers, other values as text."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for sh in layout.sheets:
        ws = wb[sh.title]
        for s in sh.slots:
            _prefill(ws, s, layout.period, values)
    target = out or path
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except ArithmeticError:
        return False



__all__ = ["Cell", "FORMAT", "FORMAT_VERSION", "Layout", "META_SHEET", "OpenedWorkbook", "SheetLayout",
           "Slot", "breakdown_keys", "build_layout", "fill_workbook", "generate_workbook", "generate_workbooks",
           "layout_for", "locked_cells", "open_workbook", "percent_format", "read_slots", "workbook_name",
           "write_workbook"]
