"""The framework index (指标索引表) and the GRI content index: data first, then document tables.

Each section of the report definition that is a row of the index cites the union of

- the framework references of the indicators whose value the section prints (a ``{{ fact }}``
  placeholder of its narrative, or a row of its indicator table, ``table: indicators``), from
  the indicator library. An indicator only listed in ``indicators`` or drawn in a chart is not
  cited: the section would claim a disclosure whose figure it does not give (UAT 4 F-H5). When
  the build knows the ledger (``has_value``), an indicator without a value for the period is not
  cited either: its placeholder prints a dash;
- the SZSE No.17 articles of the topics it covers (``topics``);
- its own ``refs`` in the definition (what no indicator carries: governance, strategy, the
  report's front matter and appendices).

Every code keeps the confidence tag of the library's framework table (SOURCES.md): a code
tagged anything but V or S is printed with † and a note; a CASS-ESG 6.0 code finer than the
library's skeleton, cited as the reference report cites it, is printed with ‡.

>>> format_articles([Ref("szse17", "24", "S"), Ref("szse17", "25", "S"), Ref("szse17", "26", "S"),
...                  Ref("szse17", "28", "S")], "zh")
'第二十四条至第二十六条、第二十八条'
>>> format_articles([Ref("szse17", "4", "V"), Ref("szse17", "6", "R-low")], "en")
'Art. 4, 6†'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from esgledger.report.definition import GUIDELINES, ReportDefinition, SectionDef, cass_known
from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders
from esgledger.report.document import (Block, Cell, Footnote, HeaderCell, Paragraph, Row, Table,
                                       heading_text, Chapter)

FRAMEWORK_ORDER = ("szse17", "gri", "cass", "issb_s2", "sasb")
HIGH_CONFIDENCE = ("V", "S")
SEEN = "code-seen"
MARK_LOW, MARK_SEEN = "†", "‡"
COLUMN_TITLES = {
    "gri": {"zh": "GRI 标准", "en": "GRI Standards"},
    "cass": {"zh": "CASS-ESG 6.0", "en": "CASS-ESG 6.0"},
    "issb_s2": {"zh": "IFRS S2", "en": "IFRS S2"},
    "sasb": {"zh": "SASB 金属与采矿", "en": "SASB Metals & Mining"},
}
TEXT = {
    "section": {"zh": "对应章节", "en": "Report section"},
    "caption": {"zh": "{g}、{f}指标索引", "en": "Index to {g}, {f}"},
    "note_low": {"zh": "† 该条款在指标库中的置信度低于 V/S（R 为凭记忆录入、R-low / R-inferred 为推断、S-low 为二手来源且不完整），使用前请对照官方文本核实。",
                 "en": "† The library holds this code with a confidence below V/S (R recalled, R-low / R-inferred "
                       "inferred, S-low incomplete secondary source): check it against the official text before relying on it."},
    "note_seen": {"zh": "‡ CASS-ESG 6.0 细项代码按参考报告的引用方式列示，指标库尚无其官方条文。",
                  "en": "‡ CASS-ESG 6.0 detail code cited as the reference report cites it; the library does not "
                        "hold its official text."},
    "note_numbering": {"zh": "条款编号按深交所指引第17号；上交所指引第14号、北交所指引第11号第二十条至第五十六条编号相同。",
                       "en": "Article numbers follow SZSE No.17; SSE No.14 and BSE No.11 share the numbering of Art. 20–56."},
}
_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numerals for 1–99 as in article numbers (第二十四条).

    >>> [cn_number(n) for n in (4, 10, 13, 20, 57)]
    ['四', '十', '十三', '二十', '五十七']
    """
    if not 0 < n < 100:
        raise ValueError(f"article number {n} out of range 1-99")
    tens, ones = divmod(n, 10)
    out = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return out + (_CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Ref:
    framework: str
    code: str
    confidence: str

    @property
    def mark(self) -> str:
        if self.confidence == SEEN:
            return MARK_SEEN
        return "" if self.confidence in HIGH_CONFIDENCE else MARK_LOW


@dataclass(frozen=True)
class IndexRow:
    """One row of the index: a report section and what it cites, per framework."""

    node_id: str
    title: dict[str, str]                        # the section's title, zh/en
    label: dict[str, str]                        # as printed: with its number (五、…)
    parents: tuple[dict[str, str], ...]          # headings above it (part, chapter), zh/en
    refs: dict[str, tuple[Ref, ...]]
    indicators: tuple[str, ...]

    def codes(self, framework: str) -> tuple[str, ...]:
        return tuple(r.code for r in self.refs.get(framework, ()))

    def articles(self) -> tuple[int, ...]:
        return tuple(int(c) for c in self.codes("szse17"))


def printed_indicators(node: SectionDef) -> list[str]:
    """The indicators whose value the section prints: the rows of its indicator table
    (``table: indicators``) and its ``{{ fact }}`` placeholders (any language, year, entity or
    breakdown). A ``{{ change }}`` placeholder prints a change, not the figure."""
    out = list(node.indicators) if node.table == "indicators" else []
    for lang in ("zh", "en"):
        for _off, _whole, inner in placeholders(node.narrative.get(lang)):
            try:
                ph = parse_placeholder(inner)
            except PlaceholderError:
                continue
            if ph.kind == "fact" and ph.indicator:
                out.append(ph.indicator)
    return list(dict.fromkeys(out))


def _code_key(library, framework: str) -> Callable[[str], tuple]:
    if framework == "szse17":
        return lambda c: (int(c),)
    if framework == "cass":
        return lambda c: tuple([c[0]] + [int(x) for x in re.findall(r"\d+", c)])
    order = {c: i for i, c in enumerate(library.frameworks[framework])}
    return lambda c: (order.get(c, len(order)), c)


def _titled(node: SectionDef) -> dict[str, str]:
    return {lang: heading_text(Chapter(node.title.get(lang), node.number.get(lang) if node.number else ""), lang)
            for lang in ("zh", "en")}


def build_index(defn: ReportDefinition, library,
                has_value: Callable[[str], bool] | None = None) -> list[IndexRow]:
    """The index rows of a definition, in document order. ``has_value(indicator)``: the
    ledger has a value of the indicator for the period (without it every printed indicator
    counts). A row's ``indicators`` are those it cites codes for."""
    rows: list[IndexRow] = []
    for node, _depth, parents in defn.walk():
        if node.sections or not node.index:
            continue
        inds = [c for c in printed_indicators(node) if has_value is None or has_value(c)]
        found: dict[str, dict[str, Ref]] = {fw: {} for fw in FRAMEWORK_ORDER}
        for code in inds:
            ind = library.get(code)
            if ind is None:
                continue
            for fw, refs in library.framework_refs(ind).items():
                if fw in found:
                    for r in refs:
                        found[fw][r.code] = Ref(fw, r.code, r.confidence)
        for topic in node.topics:
            for a in library.topics[topic].szse17:
                fc = library.frameworks["szse17"][str(a)]
                found["szse17"][fc.code] = Ref("szse17", fc.code, fc.confidence)
        own = node.refs
        for fw, codes in (("szse17", [str(a) for a in own.szse17]), ("gri", own.gri), ("cass", own.cass),
                          ("issb_s2", own.issb_s2), ("sasb", own.sasb)):
            for code in codes:
                fc = library.frameworks[fw].get(code)
                if fc is not None:
                    found[fw][code] = Ref(fw, code, fc.confidence)
                elif fw == "cass" and cass_known(code, library):
                    found[fw][code] = Ref(fw, code, SEEN)
        refs = {fw: tuple(sorted(v.values(), key=lambda r, k=_code_key(library, fw): k(r.code)))
                for fw, v in found.items()}
        rows.append(IndexRow(node.id, {"zh": node.title.zh, "en": node.title.en}, _titled(node),
                             tuple(_titled(p) for p in parents), refs, tuple(inds)))
    return rows


# --- formatting -----------------------------------------------------------------------------

def _runs(refs: list[Ref]) -> list[list[Ref]]:
    runs: list[list[Ref]] = []
    for r in refs:
        if runs and int(r.code) == int(runs[-1][-1].code) + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def format_articles(refs: Iterable[Ref], lang: str, prefix: bool = True) -> str:
    """Articles as the reference report prints them: 第四条、第六条; 第二十四条至第二十八条.
    In English ``Art. 4, 6``; without ``prefix`` (a column headed by it) ``4, 6``."""
    refs = list(refs)
    if not refs:
        return "/"
    parts = []
    for run in _runs(refs):
        mark = MARK_LOW if any(r.mark for r in run) else ""
        groups = [run] if len(run) >= 3 else [[r] for r in run]
        for g in groups:
            m = mark if len(g) >= 3 else g[0].mark
            a, b = int(g[0].code), int(g[-1].code)
            if lang == "zh":
                parts.append((f"第{cn_number(a)}条" if a == b else f"第{cn_number(a)}条至第{cn_number(b)}条") + m)
            else:
                parts.append((f"{a}" if a == b else f"{a}–{b}") + m)
    return "、".join(parts) if lang == "zh" else ("Art. " if prefix else "") + ", ".join(parts)


def format_codes(refs: Iterable[Ref], lang: str) -> str:
    refs = list(refs)
    if not refs:
        return "/"
    return ("、" if lang == "zh" else ", ").join(r.code + r.mark for r in refs)


def guideline_title(guideline: str, lang: str) -> str:
    return GUIDELINES[guideline]["short_zh" if lang == "zh" else "short_en"]


def index_table(rows: list[IndexRow], lang: str, guideline: str = "szse17",
                frameworks: Iterable[str] = ("gri", "cass", "issb_s2", "sasb"),
                caption: str | None = None) -> Table:
    """The index as a document table: a group row per part, a sub-group row per chapter."""
    fws = [fw for fw in FRAMEWORK_ORDER[1:] if fw in set(frameworks)]
    articles = guideline_title(guideline, lang) + ("" if lang == "zh" else " (Art.)")
    header = [HeaderCell(TEXT["section"][lang], align="left"), HeaderCell(articles)]
    header += [HeaderCell(COLUMN_TITLES[fw][lang]) for fw in fws]
    body: list[Row] = []
    last: tuple = ()
    marks_used: set[str] = set()
    for row in rows:
        heads = tuple(p[lang] for p in row.parents)
        for depth, text in enumerate(heads):
            if last[:depth + 1] != heads[:depth + 1]:
                body.append(Row.group(text, sub=depth > 0))
        last = heads
        cells = [Cell.label(row.label[lang])]
        texts = [format_articles(row.refs["szse17"], lang, prefix=False)] + [format_codes(row.refs[fw], lang) for fw in fws]
        for fw in ["szse17"] + fws:
            marks_used |= {r.mark for r in row.refs[fw] if r.mark}
        cells += [Cell.label(t, align="center") for t in texts]
        body.append(Row(tuple(cells)))
    notes = []
    if MARK_LOW in marks_used:
        notes.append(Footnote("†", TEXT["note_low"][lang][2:]))
    if MARK_SEEN in marks_used:
        notes.append(Footnote("‡", TEXT["note_seen"][lang][2:]))
    if guideline != "szse17":
        notes.append(Footnote("*", TEXT["note_numbering"][lang]))
    if caption is None:
        names = [COLUMN_TITLES[fw][lang].replace(" 金属与采矿", "") for fw in fws]
        caption = TEXT["caption"][lang].format(g=guideline_title(guideline, lang),
                                               f=("、" if lang == "zh" else ", ").join(names))
    return Table(caption, [header], body, notes,
                 ("text",) * (2 + len(fws)), sheet="指标索引表" if lang == "zh" else "Index")


# --- GRI content index -------------------------------------------------------------------------

GRI_TEXT = {
    "caption": {"zh": "GRI 内容索引（{y}年）", "en": "GRI content index {y}"},
    "standard": {"zh": "GRI 标准/其他来源", "en": "GRI Standard / other source"},
    "disclosure": {"zh": "披露项", "en": "Disclosure"},
    "location": {"zh": "位置", "en": "Location"},
    "omission": {"zh": "遗漏", "en": "Omission"},
    "omitted": {"zh": "遗漏的要求", "en": "Requirement(s) omitted"},
    "reason": {"zh": "原因", "en": "Reason"},
    "explanation": {"zh": "说明", "en": "Explanation"},
    "general": {"zh": "一般披露", "en": "General disclosures"},
    "material": {"zh": "实质性议题", "en": "Material topics"},
    "use_in_accordance": {"zh": "使用声明：{org}已依据 GRI 标准报告了本 GRI 内容索引中引用的{start}至{end}期间的信息。",
                          "en": "Statement of use: {org} has reported in accordance with the GRI Standards for the period {start} to {end}."},
    "use_with_reference": {"zh": "使用声明：{org}参考 GRI 标准报告了本 GRI 内容索引中引用的{start}至{end}期间的信息。",
                           "en": "Statement of use: {org} has reported the information cited in this GRI content index for the period {start} to {end} with reference to the GRI Standards."},
    "gri1": {"zh": "使用的 GRI 1：GRI 1：基础 2021", "en": "GRI 1 used: GRI 1: Foundation 2021"},
    "sector": {"zh": "适用的 GRI 行业标准：未采用", "en": "Applicable GRI Sector Standard(s): none applied"},
    "all": {"zh": "全部", "en": "All"},
    "unavailable": {"zh": "信息不可得/不完整", "en": "Information unavailable/incomplete"},
    "no_data": {"zh": "台账中尚无{period}年的数据", "en": "No data in the ledger for {period}"},
    "not_reported": {"zh": "本报告未披露", "en": "Not reported in this report"},
    "start": {"zh": "{y}年1月1日", "en": "1 January {y}"},
    "end": {"zh": "{y}年12月31日", "en": "31 December {y}"},
    # GRI's Chinese titles say 范畴1/2/3 where the report (and SZSE No.17) says 范围一/二/三 (UAT 4 F-M11)
    "scope_terms": {"zh": "注：GRI 标准中文版披露项标题中的“范畴1”“范畴2”“范畴3”，即本报告所称的“范围一”“范围二”“范围三”温室气体排放。",
                    "en": ""},
}


def gri_content_index(rows: list[IndexRow], library, lang: str, *, organisation: str, period: int,
                      use: str = "with_reference",
                      has_value: Callable[[str], bool] | None = None) -> list[Block]:
    """The GRI content index in GRI's layout (GRI 1: Foundation 2021, Requirement 7): the
    statement of use, then a table grouped by GRI Standard with each disclosure's location.
    ``in_accordance`` lists every GRI 2 and GRI 3 disclosure and adds the omission columns."""
    t = lambda key, **kw: GRI_TEXT[key][lang].format(**kw)  # noqa: E731
    gri = library.frameworks["gri"]
    where: dict[str, list[str]] = {}
    inds_for: dict[str, set[str]] = {}
    for row in rows:
        for r in row.refs["gri"]:
            where.setdefault(r.code, []).append(row.title[lang])
        for code in row.indicators:
            ind = library.get(code)
            if ind is not None:
                for g in ind.frameworks.gri:
                    inds_for.setdefault(g, set()).add(code)
    full = use == "in_accordance"
    codes = [c for c in gri if c in where or (full and gri[c].row.get("standard") in ("GRI 2", "GRI 3"))]
    header = [HeaderCell(t("standard"), align="left"), HeaderCell(t("disclosure"), align="left"),
              HeaderCell(t("location"), align="left")]
    kinds: tuple[str, ...] = ("text", "text", "text")
    if full:
        header = [HeaderCell(h.text, rowspan=2, align=h.align) for h in header] + [HeaderCell(t("omission"), colspan=3)]
        header = [header, [HeaderCell(t("omitted")), HeaderCell(t("reason")), HeaderCell(t("explanation"))]]
        kinds += ("text", "text", "text")
    else:
        header = [header]
    body: list[Row] = []
    section = None
    last_std = None
    sep = "；" if lang == "zh" else "; "
    for code in codes:
        fc = gri[code]
        std = fc.row.get("standard", "")
        group = "general" if std in ("GRI 1", "GRI 2") else "material"
        if group != section:
            body.append(Row.group(t(group)))
            section = group
        std_title = fc.row.get("standard_title_zh" if lang == "zh" else "standard_title") or std
        if lang == "zh" and std_title and not std_title.startswith("GRI"):
            std_title = f"{std} {std_title} {fc.row.get('standard_year', '')}".strip()
        cells = [Cell.label(std_title if std != last_std else ""), Cell.label(f"{code} {fc.title_in(lang)}"),
                 Cell.label(sep.join(dict.fromkeys(where.get(code, []))) or "—")]
        last_std = std
        if full:
            omitted = reason = expl = ""
            if code not in where:
                omitted, reason, expl = t("all"), t("unavailable"), t("not_reported")
            elif has_value is not None and inds_for.get(code) and not any(has_value(i) for i in inds_for[code]):
                omitted, reason, expl = t("all"), t("unavailable"), t("no_data", period=period)
            cells += [Cell.label(omitted), Cell.label(reason), Cell.label(expl)]
        body.append(Row(tuple(cells)))
    statement = t("use_in_accordance" if full else "use_with_reference", org=organisation,
                  start=t("start", y=period), end=t("end", y=period))
    lines = [Paragraph(statement), Paragraph(t("gri1"))]
    if full:
        lines.append(Paragraph(t("sector")))
    table = Table(t("caption", y=period), header, body, (), kinds, sheet="GRI 内容索引" if lang == "zh" else "GRI index")
    if GRI_TEXT["scope_terms"][lang] and any(c in ("305-1", "305-2", "305-3") for c in codes):
        return lines + [table, Paragraph(GRI_TEXT["scope_terms"][lang])]
    return lines + [table]
