"""Excel collection templates: one workbook per entity and campaign, in zh or en (openpyxl).

Layout of a workbook (``FORMAT_VERSION`` 1):

* an instructions sheet (填报说明 / Instructions);
* one sheet per topic of the input indicators asked of the entity, in library order (formula
  and method indicators are computed, never rows). Row 1 is a title, row 2 the header; then
  one row per indicator and breakdown (total first, then each member of each dimension that
  the indicator is broken down by). Columns: A indicator code, B name, C breakdown, D unit (its
  display name in the workbook's language; the unit's code is accepted too),
  E last year's approved value, F the value (input), G comment (input). Monthly indicators
  follow in a second block whose header names the twelve months: F–Q the months (input),
  R comment (input), and under each input row a locked row with last year's months;
* a very hidden sheet ``_esgledger`` with the format version, campaign, period, entity,
  language and an HMAC-SHA256 checksum of the structure keyed by the campaign's secret
  (kept in the store), so a workbook of another campaign or entity, or one generated before
  the campaign's assignments changed, is recognised — and cannot be forged from the file.

Sheets are protected: only input cells are unlocked; the workbook structure is locked. Input
cells carry data validation (decimal or whole number within the indicator's range, or a
dropdown of a category's values). Protection can be removed by a determined user, so the
import checks the structure again cell by cell (:func:`read_slots`): code, breakdown and unit
as structure (errors), every other cell outside the inputs against :func:`locked_cells`
(ESG-TPL-011, a warning: not imported).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from esgledger.library.loader import Library
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, reason
from esgledger.model.period import Period
from esgledger.model.types import Dims, category_label

FORMAT = "esgledger-collection-workbook"
FORMAT_VERSION = "1"
META_SHEET = "_esgledger"
MONTH_COLS = 12
ANNUAL_WIDTH = 7    # A–G
MONTHLY_WIDTH = 18  # A–R
INPUT_FILL = "FFF7D6"
REF_FILL = "EFEFEF"
HEAD_FILL = "1F4E78"

TEXT = {
    "instructions": {"zh": "填报说明", "en": "Instructions"},
    "code": {"zh": "指标代码", "en": "Code"},
    "name": {"zh": "指标名称", "en": "Indicator"},
    "breakdown": {"zh": "细分", "en": "Breakdown"},
    "unit": {"zh": "单位", "en": "Unit"},
    "last_year": {"zh": "上年数值", "en": "Last year"},
    "value": {"zh": "本年数值", "en": "Value"},
    "comment": {"zh": "备注说明", "en": "Comment"},
    "total": {"zh": "合计", "en": "Total"},
    "this_year": {"zh": "本年", "en": "This year"},
    "monthly": {"zh": "月度指标", "en": "Monthly indicators"},
    "annual": {"zh": "年度指标", "en": "Annual indicators"},
    "months": {"zh": [f"{m}月" for m in range(1, 13)],
               "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]},
    "dv_number": {"zh": "请填写数字", "en": "Enter a number"},
    "dv_whole": {"zh": "请填写整数", "en": "Enter a whole number"},
    "dv_list": {"zh": "请从下拉列表中选择", "en": "Choose a value from the list"},
}
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


def t(key: str, lang: str):
    return TEXT[key]["zh" if lang == "zh" else "en"]


@dataclass(frozen=True)
class Slot:
    """One input row: an indicator and breakdown, at a row of a sheet."""

    sheet: str
    row: int
    indicator: str
    dims: str
    label: str        # the breakdown as shown in column C ('' for an undivided indicator)
    unit: str         # the indicator's unit ('' for none): part of the checksummed structure
    monthly: bool = False
    shown_unit: str = ""  # column D: the unit's display name in the workbook's language

    @property
    def unit_cell(self) -> str:
        return self.shown_unit or self.unit

    @property
    def value_cols(self) -> range:
        return range(6, 6 + MONTH_COLS) if self.monthly else range(6, 7)

    @property
    def comment_col(self) -> int:
        return 6 + MONTH_COLS if self.monthly else 7


@dataclass
class SheetLayout:
    topic: str
    title: str
    annual_header: int | None = None
    monthly_header: int | None = None
    slots: list[Slot] = field(default_factory=list)
    last_row: int = 1


@dataclass
class Layout:
    campaign_id: int
    period: str
    entity: str
    lang: str
    instructions: str
    sheets: list[SheetLayout]

    def structure(self) -> str:
        lines = [FORMAT, FORMAT_VERSION, str(self.campaign_id), self.period, self.entity, self.lang]
        for sh in self.sheets:
            lines.append(f"sheet\t{sh.title}\t{sh.topic}")
            lines += [f"{s.row}\t{s.indicator}\t{s.dims}\t{s.unit}\t{int(s.monthly)}" for s in sh.slots]
        return "\n".join(lines)

    def checksum(self, secret: str) -> str:
        return hmac.new(secret.encode(), self.structure().encode("utf-8"), hashlib.sha256).hexdigest()

    def slot_count(self) -> int:
        return sum(len(s.slots) for s in self.sheets)


_BAD_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", name).strip()[:31] or "sheet"
    title, n = base, 2
    while title.lower() in used or title == META_SHEET:
        suffix = f" {n}"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def breakdown_keys(library: Library, code: str, lang: str) -> list[tuple[str, str]]:
    """(dims key, label) rows of an indicator: the total, then each member of each dimension
    that the indicator is broken down by (:meth:`Library.members_of`: those its ``members``
    names, else all; solid fuels are asked by coal kind, not for electricity).
    A dimension reported within another the indicator also has (``vendor`` within
    ``material``) has no rows of its own: each member of the outer one is followed by a row
    for every member of the inner one reported within it (material × supplier: each supplier
    of the material, all suppliers where the workspace does not say what they sell)."""
    ind = library[code]
    if not ind.dimensions:
        return [("", "")]
    dims = library.dimensions
    inner: dict[str, list[str]] = {}
    for d in ind.dimensions:
        if dims[d].within in ind.dimensions:
            inner.setdefault(dims[d].within, []).append(d)
    out = [("", t("total", lang))]
    for d in ind.dimensions:
        dim = dims[d]
        if dim.within in ind.dimensions:
            continue
        for m in library.members_of(code, d):
            label = f"{dim.name.get(lang)}: {m.name.get(lang)}"
            out.append((f"{d}={m.code}", label))
            for c in inner.get(d, ()):
                for n in library.members_of(code, c):
                    if n.within is not None and m.code not in n.within:
                        continue  # a supplier of other materials
                    out.append((Dims({d: m.code, c: n.code}).key,
                                f"{label} / {dims[c].name.get(lang)}: {n.name.get(lang)}"))
    return out


def build_layout(library: Library, campaign_id: int, period: str, entity: str, lang: str,
                 indicators: Iterable[str]) -> Layout:
    """The workbook's structure for the indicators asked of ``entity`` (deterministic). Only
    input indicators get rows: formula and method indicators are computed (``calc run``)."""
    from esgledger.model.units import UNITS

    lang = "zh" if lang == "zh" else "en"
    by_topic: dict[str, list[str]] = {}
    for code in indicators:
        if library[code].kind != "input":
            continue
        by_topic.setdefault(library[code].topic, []).append(code)
    topic_order = {c: i for i, c in enumerate(library.topics)}
    used: set[str] = {t("instructions", lang).lower()}
    sheets = []
    for topic in sorted(by_topic, key=lambda c: (topic_order.get(c, len(topic_order)), c)):
        name = library.topics[topic].name.get(lang) if topic in library.topics else topic
        sh = SheetLayout(topic, _sheet_title(name, used))
        codes = by_topic[topic]
        annual = [c for c in codes if library[c].frequency != "monthly"]
        monthly = [c for c in codes if library[c].frequency == "monthly"]
        row = 2
        if annual:
            sh.annual_header = row
            for code in annual:
                unit = library[code].unit or ""
                shown = UNITS.display(unit, lang) if unit else ""
                for dims, label in breakdown_keys(library, code, lang):
                    row += 1
                    sh.slots.append(Slot(sh.title, row, code, dims, label, unit, shown_unit=shown))
        if monthly:
            row += 2 if annual else 0
            sh.monthly_header = row
            for code in monthly:
                unit = library[code].unit or ""
                shown = UNITS.display(unit, lang) if unit else ""
                for dims, label in breakdown_keys(library, code, lang):
                    row += 1
                    sh.slots.append(Slot(sh.title, row, code, dims, label, unit, monthly=True, shown_unit=shown))
                    row += 1  # last year's months, locked
        sh.last_row = row
        sheets.append(sh)
    return Layout(campaign_id, period, entity, lang, t("instructions", lang), sheets)


# -- writing ---------------------------------------------------------------------------------
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

    months = t("months", lang)
    for sh in layout.sheets:
        ws = wb.create_sheet(sh.title)
        ws.cell(1, 1, f"{sh.title} — {layout.entity} {entity_name} — {layout.period}").font = st.title_font
        dvs: dict[tuple, list[str]] = {}

        def header(row: int, monthly: bool) -> None:
            heads = [t("code", lang), t("name", lang), t("breakdown", lang), t("unit", lang)]
            heads += ([t("this_year", lang) + " / " + t("last_year", lang)] + list(months) if monthly
                      else [t("last_year", lang), t("value", lang)])
            heads.append(t("comment", lang))
            for col, text in enumerate(heads, start=1):
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
    months = t("months", lang)
    y = Period.parse(layout.period).year
    for sh in layout.sheets:
        out[(sh.title, 1, 1)] = f"{sh.title} — {layout.entity} {entity_name} — {layout.period}"
        for row, monthly in ((sh.annual_header, False), (sh.monthly_header, True)):
            if not row:
                continue
            heads = [t("code", lang), t("name", lang), t("breakdown", lang), t("unit", lang)]
            heads += ([t("this_year", lang) + " / " + t("last_year", lang)] + list(months) if monthly
                      else [t("last_year", lang), t("value", lang)])
            heads.append(t("comment", lang))
            out.update({(sh.title, row, col): text for col, text in enumerate(heads, start=1)})
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
def layout_for(desk, campaign, entity: str, lang: str) -> Layout:
    """The layout of ``entity``'s workbook in ``campaign`` (from its assignments)."""
    from esgledger.collect.campaign import assigned_indicators

    return build_layout(desk.library, campaign.id, campaign.period, entity, lang,
                        assigned_indicators(desk, campaign, entity))


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


# -- reading -------------------------------------------------------------------------------
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
XLSX = Bilingual(".xlsx 工作簿", "an .xlsx workbook")


@dataclass
class OpenedWorkbook:
    name: str
    book: object          # openpyxl read-only workbook
    meta: dict[str, str]

    def close(self) -> None:
        self.book.close()


def open_workbook(path: Path) -> tuple[OpenedWorkbook | None, ProblemList]:
    """Open a submitted workbook: recognise encrypted, old-format and damaged files, and read
    the hidden metadata. The caller closes it."""
    import openpyxl

    problems = ProblemList()
    name = path.name
    loc = Location(file=name)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            data = head + fh.read() if head == CFB_MAGIC else b""
    except OSError as exc:
        problems.append(Problem("ESG-IMPORT-010", loc, {"expected": XLSX, "found": reason(exc)}))
        return None, problems
    if head == CFB_MAGIC:
        if ENCRYPTION_INFO in data:
            problems.append(Problem("ESG-TPL-010", loc, {"found": Bilingual("含 EncryptionInfo 的 OLE 容器",
                                                                            "OLE container with EncryptionInfo")}))
        else:
            problems.append(Problem("ESG-IMPORT-010", loc, {
                "expected": XLSX, "found": Bilingual("旧版 Excel 97-2003 .xls 文件；请另存为 .xlsx",
                                                     "an old Excel 97-2003 .xls file; save it as .xlsx")}))
        return None, problems
    if not head.startswith(b"PK"):
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": Bilingual(f"不是 zip 容器（开头为 {head[:4]!r}）",
                                                 f"not a zip container (starts with {head[:4]!r})")}))
        return None, problems
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    if META_SHEET not in book.sheetnames:
        book.close()
        problems.append(Problem("ESG-TPL-001", loc, {"found": Bilingual(f"没有工作表 {META_SHEET}",
                                                                        f"no sheet {META_SHEET}")}))
        return None, problems
    meta: dict[str, str] = {}
    try:
        for row in book[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
            if row and row[0] is not None:
                meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        book.close()
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    meta_loc = Location(file=name, sheet=META_SHEET, cell="B1")
    if meta.get("format") != FORMAT:
        book.close()
        problems.append(Problem("ESG-TPL-001", meta_loc, {"found": f"format {meta.get('format')!r}"}))
        return None, problems
    if meta.get("version") != FORMAT_VERSION:
        book.close()
        problems.append(Problem("ESG-TPL-002", Location(file=name, sheet=META_SHEET, cell="B2"),
                                {"found": meta.get("version"), "expected": FORMAT_VERSION}))
        return None, problems
    return OpenedWorkbook(name, book, meta), problems


@dataclass(frozen=True)
class Cell:
    """A filled input cell: what the workbook says for one fact."""

    slot: Slot
    period: str
    ref: str            # Sheet!F12
    col: int
    value: object       # the cell's value as openpyxl reads it
    comment: str | None
    percent: bool = False  # its number format shows it ×100 with a % sign (typed as "99.7%")


def percent_format(fmt: str | None) -> bool:
    """Whether a number format shows its value ×100 with a percent sign, as Excel gives a
    General cell when ``99.7%`` is typed into it (the cell then holds 0.997). A ``%`` in quotes
    or after a backslash is a literal sign and does not scale; ``[Red]``-style sections neither.

    >>> percent_format("0.0%"), percent_format("General"), percent_format('0.0" %"')
    (True, False, False)
    """
    if not fmt or "%" not in fmt:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)


def read_slots(opened: OpenedWorkbook, layout: Layout,
               locked: dict[tuple[str, int, int], object] | None = None) -> tuple[list[Cell], ProblemList]:
    """Check the workbook's structure against ``layout`` and collect its filled input cells.

    Structure problems: a missing (renamed or deleted) sheet (ESG-TPL-006), a sheet that is not
    in the template (ESG-TPL-007), rows that no longer match (ESG-TPL-008: the first wrong row
    of a sheet; the rest of that sheet is not read), a unit changed by hand (ESG-TPL-009).
    With ``locked`` (:func:`locked_cells`), every other cell outside the inputs is compared
    with what the template wrote there — title, headers, names, last year's values, and cells
    the template left empty — and a difference is a warning (ESG-TPL-011): it is not imported."""
    from openpyxl.utils import get_column_letter

    problems = ProblemList()
    name = opened.name
    book = opened.book
    names = list(book.sheetnames)
    expected = {sh.title for sh in layout.sheets} | {layout.instructions, META_SHEET}
    for sh in layout.sheets:
        if sh.title not in names:
            problems.append(Problem("ESG-TPL-006", Location(file=name, sheet=sh.title, cell="A1"), {
                "expected": sh.title, "found": ", ".join(n for n in names if n != META_SHEET)}))
    for n in names:
        if n not in expected:
            problems.append(Problem("ESG-TPL-007", Location(file=name, sheet=n, cell="A1"), {"found": n}))
    cells: list[Cell] = []
    y = Period.parse(layout.period).year
    month_periods = [f"{y}-{m:02d}" for m in range(1, 13)]
    letters = {c: get_column_letter(c) for c in range(1, MONTHLY_WIDTH + 1)}
    for sh in layout.sheets:
        if sh.title not in names:
            continue
        ws = book[sh.title]
        by_row = {s.row: s for s in sh.slots}
        width = MONTHLY_WIDTH if sh.monthly_header else ANNUAL_WIDTH
        rownum = 0
        outside = _Outside(name, sh, width, locked) if locked is not None else None
        # cells, not values only: an input cell's number format says whether a number was typed
        # as a percentage ("99.7%" is 0.997 in a cell formatted 0.0%); all columns when the
        # cells outside the inputs are compared (text typed to the right of the table)
        for row_cells in ws.iter_rows(min_row=1, max_col=None if outside else width):
            rownum += 1
            row = tuple(c.value for c in row_cells[:width])
            s = by_row.get(rownum)
            if outside is not None:
                outside.check(rownum, row_cells, s)
            if s is None:
                if rownum > sh.last_row and any(v not in (None, "") for v in row):
                    what = _show(row[0]) or _show(next(v for v in row if v not in (None, "")))
                    problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{rownum}"), {
                        "found": Bilingual(f"第 {rownum} 行：{what}", f"row {rownum}: {what}"),
                        "expected": Bilingual(f"第 {sh.last_row} 行以下无内容", f"nothing below row {sh.last_row}")}))
                    break
                continue
            code = row[0] if row else None
            label = row[2] if len(row) > 2 else None
            if code != s.indicator or (label or "") != s.label:
                problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{rownum}"), {
                    "found": Bilingual(*((_show(code) or empty) + (f" / {_show(label)}" if label else "")
                                         for empty in ("（空）", "(empty)"))),
                    "expected": s.indicator + (f" / {s.label}" if s.label else "")}))
                break
            unit = row[3] if len(row) > 3 else None
            # the unit's display name, or the unit itself (a workbook made before units were
            # shown in the workbook's language)
            if (unit or "") not in (s.unit, s.unit_cell):
                problems.append(Problem("ESG-TPL-009", Location(file=name, sheet=sh.title, cell=f"D{rownum}"), {
                    "field": Bilingual("单位", "unit"), "indicator": s.indicator,
                    "found": _show(unit) or Bilingual("（空）", "(empty)"),
                    "expected": s.unit_cell or Bilingual("（空）", "(empty)")}))
                continue
            cc = s.comment_col
            comment = row[cc - 1] if len(row) >= cc else None
            comment = str(comment).strip() if comment not in (None, "") else None
            for i, col in enumerate(s.value_cols):
                v = row[col - 1] if len(row) >= col else None
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                period = month_periods[i] if s.monthly else layout.period
                pct = isinstance(v, (int, float)) and not isinstance(v, bool) and percent_format(row_cells[col - 1].number_format)
                cells.append(Cell(s, period, f"{sh.title}!{letters[col]}{rownum}", col, v, comment, pct))
        else:
            if rownum < sh.last_row and sh.slots:
                missing = next((s for s in sh.slots if s.row > rownum), None)
                if missing is not None:
                    problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{missing.row}"), {
                        "found": Bilingual("（工作表结束）", "(end of sheet)"), "expected": missing.indicator}))
            if outside is not None:  # (not after a row that no longer matches: its cells would all differ)
                outside.rest()
                problems.extend(outside.problems)
    return cells, problems


class _Outside:
    """Compares a sheet's cells outside the inputs with what the template wrote (ESG-TPL-011,
    a warning: the import reads only the value and comment columns). At most ``LIMIT`` cells
    of a sheet are named, then how many more."""

    LIMIT = 10

    def __init__(self, file: str, sheet: SheetLayout, width: int, locked: dict):
        self.file, self.sheet, self.locked = file, sheet.title, locked
        self.last_row, self.width = sheet.last_row, width
        self.problems = ProblemList()
        self.more = 0

    def check(self, rownum: int, row_cells, slot: "Slot | None") -> None:
        from openpyxl.utils import get_column_letter

        for col, c in enumerate(row_cells, start=1):
            if rownum > self.last_row and col <= self.width:
                continue  # below the table: ESG-TPL-008
            if slot is not None and (col in (1, 3, 4) or col in slot.value_cols or col == slot.comment_col):
                continue  # code, breakdown and unit: ESG-TPL-008/009; inputs: read
            found = c.value
            expected = self.locked.get((self.sheet, rownum, col))
            if _same(found, expected):
                continue
            if len(self.problems) >= self.LIMIT:
                self.more += 1
                continue
            empty = Bilingual("（空）", "(empty)")
            self.problems.append(Problem("ESG-TPL-011", Location(
                file=self.file, sheet=self.sheet, cell=f"{get_column_letter(col)}{rownum}"), {
                "found": _show(found) if found not in (None, "") else empty,
                "expected": _show(expected) if expected not in (None, "") else empty}))

    def rest(self) -> None:
        if self.more:
            self.problems.append(Problem("ESG-TPL-011", Location(file=self.file, sheet=self.sheet, cell="A1"), {
                "found": Bilingual(f"另有 {self.more} 个单元格", f"{self.more} more cells"),
                "expected": Bilingual("与模板一致", "as the template wrote them")}))


def _same(found, expected) -> bool:
    """A cell reads as the template wrote it: both empty, the same text, or the same number
    (58.8 read back as a float is the 58.80 written)."""
    if found in (None, "") or expected in (None, ""):
        return found in (None, "") and expected in (None, "")
    if isinstance(expected, (int, float, Decimal)) and isinstance(found, (int, float, Decimal)) \
            and not isinstance(found, bool):
        return Decimal(repr(found) if isinstance(found, float) else found) == Decimal(
            repr(expected) if isinstance(expected, float) else expected)
    return str(found).strip() == str(expected).strip()


def _show(v) -> str:
    if v is None:
        return ""
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "…"


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
           "layout_for", "open_workbook", "read_slots", "workbook_name", "write_workbook"]
