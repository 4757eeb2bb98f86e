"""The structure of a collection workbook (``FORMAT_VERSION`` 1): which rows a sheet has, where.

Written by :mod:`esgledger.collect.templates`, read back by :mod:`esgledger.collect.filled`;
both go by the :class:`Layout` this module builds, so what the writer puts in a cell is where
the reader looks for it.

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
  language and an HMAC-SHA256 checksum of the structure (:meth:`Layout.checksum`) keyed by the
  campaign's secret (kept in the store), so a workbook of another campaign or entity, or one
  generated before the campaign's assignments changed, is recognised — and cannot be forged
  from the file.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Iterable

from esgledger.library.loader import Library
from esgledger.model.types import Dims

FORMAT = "esgledger-collection-workbook"
FORMAT_VERSION = "1"
META_SHEET = "_esgledger"
MONTH_COLS = 12
ANNUAL_WIDTH = 7    # A–G
MONTHLY_WIDTH = 18  # A–R

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


def t(key: str, lang: str):
    return TEXT[key]["zh" if lang == "zh" else "en"]


def header_texts(monthly: bool, lang: str) -> list[str]:
    """The header row of a sheet's annual or monthly indicators, from column A: code, name,
    breakdown, unit; then last year's value and this year's (annual), or "this year / last
    year" and the twelve months (monthly); then the comment. The writer writes it, the reader
    compares a workbook's header cells with it."""
    heads = [t("code", lang), t("name", lang), t("breakdown", lang), t("unit", lang)]
    heads += ([t("this_year", lang) + " / " + t("last_year", lang)] + list(t("months", lang)) if monthly
              else [t("last_year", lang), t("value", lang)])
    heads.append(t("comment", lang))
    return heads



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
        for is_monthly, part in ((False, annual), (True, monthly)):
            if not part:
                continue
            if is_monthly:
                row += 2 if annual else 0
                sh.monthly_header = row
            else:
                sh.annual_header = row
            for code in part:
                unit = library[code].unit or ""
                shown = UNITS.display(unit, lang) if unit else ""
                for dims, label in breakdown_keys(library, code, lang):
                    row += 1
                    sh.slots.append(Slot(sh.title, row, code, dims, label, unit, monthly=is_monthly, shown_unit=shown))
                    if is_monthly:
                        row += 1  # last year's months, locked
        sh.last_row = row
        sheets.append(sh)
    return Layout(campaign_id, period, entity, lang, t("instructions", lang), sheets)


def layout_for(desk, campaign, entity: str, lang: str) -> Layout:
    """The layout of ``entity``'s workbook in ``campaign`` (from its assignments)."""
    from esgledger.collect.campaign import assigned_indicators

    return build_layout(desk.library, campaign.id, campaign.period, entity, lang,
                        assigned_indicators(desk, campaign, entity))


__all__ = ["ANNUAL_WIDTH", "FORMAT", "FORMAT_VERSION", "Layout", "META_SHEET", "MONTHLY_WIDTH", "MONTH_COLS",
           "SheetLayout", "Slot", "TEXT", "breakdown_keys", "build_layout", "layout_for", "t"]
