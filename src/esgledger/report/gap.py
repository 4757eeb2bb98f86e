"""The gap check: what the chosen exchange guideline requires that the report does not yet give.

For the guideline of the definition (SZSE No.17, SSE No.14 or BSE No.11, which share the
topic articles 20–56):

1. the required topics: the double-materiality result when one is recorded (an assessment in
   the ledger, else the definition's ``material_topics``), otherwise all 21 topics;
2. the mandatory framework articles, whatever the topics: Art. 5 (double materiality),
   Art. 51 (sustainability governance) and, unless the materiality record says no topic is
   financially material, Art. 11–19 (governance, strategy, impact-risk-opportunity management,
   metrics and targets of the financially material topics);
3. for each article: data (the indicators the library maps to the article that the report
   shows, with a value for the period; an article whose framework row lists
   ``required_indicators``, its "shall" datapoints, e.g. Art. 24: Scope 1, Scope 2 and the
   total, has data only when each of them is printed with a value) and narrative (a section
   citing the article with text in every report language). A citation alone is not evidence:
   the article is **disclosed** (ok) only when the tool can see it answered —

   - its required indicators are all printed with a value, or
   - a section that cites it prints a value of one of the article's indicators (a
     ``{{ fact }}`` placeholder or a row of its indicator table), or, for Art. 5, the
     materiality result is recorded, or
   - a reviewer confirmed, in the workspace's ``report-review.yaml``, that the section
     citing it discloses it (:func:`load_confirmations`);

   otherwise a cited article is **cited, not verified** (``cited``). A conditional article
   (Art. 43, 46) with nothing reported is **conditional**: state why it does not apply (Art. 7);
4. the facts behind the report's figures that are not approved, a year of the report with
   entered facts that has never been calculated, and the entities of the year's collection
   campaign that are not approved;
5. the printed figures that rest on inputs marked illustrative, and each factor below V/S
   confidence (once, with the figures that use it);
6. placeholders without a value, and charts without data or baseline;
7. a year of the report the ledger cannot fill (:meth:`ReportContext.coverage`, what stops
   ``report build``): one item for the reporting year without facts, for years without figures
   on the report's consolidation basis, for comparison years without facts; the placeholders
   and charts of those years are then not listed one by one.

Articles have the statuses below; the other items are ``todo`` (to clear) or ``missing``.

Every item says what to do (:attr:`GapItem.action`). :meth:`GapReport.counts` counts the
articles; :meth:`GapReport.other_counts` the other items by kind. The result is data
(:class:`GapReport`); ``esgledger report check`` prints it; the report build adds it as a
checklist appendix only when asked to (``report build --checklist``: an internal draft).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from sqlalchemy import select

from esgledger.model.errors import Bilingual, reason
from esgledger.model.textfile import read_utf8
from esgledger.model.i18n import fmt
from esgledger.model.types import ENTITY_STATUS_NAMES, FACT_STATUS_NAMES
from esgledger.report.definition import GUIDELINES, iter_texts
from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders, resolve_year
from esgledger.report.document import CheckItem, Checklist
from esgledger.report.figure_notes import factor_set_name, low_confidence_factors
from esgledger.report.index import cn_number
from esgledger.store import schema_collect as C

STATUS_ORDER = ("missing", "partial", "cited", "conditional", "ok", "na")
KIND_ORDER = ("basis", "no_facts", "review", "not_calculated", "campaign", "article", "illustrative", "placeholder", "chart",
              "not_approved", "low_factor", "topic_na", "sample_text")
MANDATORY = (5, 51)                    # whatever the topics (szse17.csv: "mandatory")
FRAMEWORK_ARTICLES = tuple(range(11, 20))   # the four elements, for financially material topics
CONDITIONAL_EXPLAIN = 7                # where a requirement does not apply: say why
REVIEW_FILE = "report-review.yaml"
T = {
    "title": {"zh": "{g} 披露核查（{p}年）", "en": "{g} disclosure check ({p})"},
    "art": {"zh": "第{n}条", "en": "Art. {a}"},
    "no_ind": {"zh": "报告未包含该条款的指标", "en": "no indicator of this article is in the report"},
    "no_values": {"zh": "无数据：{names}", "en": "no data: {names}"},
    "not_printed": {"zh": "报告未列示：{names}", "en": "not printed in the report: {names}"},
    "no_narr": {"zh": "无叙述", "en": "no narrative"},
    "narr_in": {"zh": "叙述见：{s}", "en": "narrative in: {s}"},
    "not_material": {"zh": "非重要议题（{src}），不要求披露", "en": "not material ({src}); not required"},
    "src_materiality": {"zh": "双重重要性评估结果", "en": "double-materiality assessment"},
    "src_definition": {"zh": "报告定义 material_topics", "en": "material_topics of the report definition"},
    "topic": {"zh": "议题{n}：{name}", "en": "Topic {n}: {name}"},
    "placeholder": {"zh": "占位符无数据：{ph}", "en": "placeholder without a value: {ph}"},
    "chart": {"zh": "图表无数据：{t}", "en": "chart without data: {t}"},
    "baseline": {"zh": "目标图表缺少{y}年基准值：{t}", "en": "target chart without its {y} baseline: {t}"},
    "not_approved": {"zh": "{name}：{n} 条数据未审批（{st}）", "en": "{name}: {n:fact|facts} not approved ({st})"},
    "not_calculated": {"zh": "{y}年已有填报数据但尚未计算（合并值与核算结果为空，报告中显示为“—”）："
                             "请先运行 esgledger calc run --period {y}{flag}",
                       "en": "{y} has entered data but has not been calculated (its consolidated and method "
                             "results are empty and show as dashes): run esgledger calc run --period {y}{flag} first"},
    "campaign": {"zh": "收集任务 #{c}（{p}年）：{total} 个主体中 {n} 个尚未批准（{st}）：{ents}",
                 "en": "collection campaign #{c} ({p}): {n} of {total:entity|entities} not approved ({st}): {ents}"},
    "low_factor": {"zh": "低置信度因子 {key}（{set}，{conf}），用于：{names}",
                   "en": "low-confidence factor {key} of {set} ({conf}), used by: {names}"},
    "illustrative": {"zh": "{n} 项报告数字依赖标注为示意值的输入数据：{names}",
                     "en": "{n:printed figure rests|printed figures rest} on inputs marked illustrative: {names}"},
    "cited_only": {"zh": "仅有引用：引用该条款的章节未列示其数据，也无审阅确认",
                   "en": "cited only: no section citing it prints its data, and no reviewer confirmed it"},
    "verified_data": {"zh": "章节列示了该条款的数据：{s}", "en": "a section citing it prints its data: {s}"},
    "verified_required": {"zh": "必须披露的数据均已列示", "en": "its required data are all printed"},
    "verified_materiality": {"zh": "已记录重要性评估结果（{src}）", "en": "the materiality result is recorded ({src})"},
    "confirmed": {"zh": "{by}于{date}确认已披露（{s}）", "en": "confirmed disclosed by {by} on {date} ({s})"},
    "conditional": {"zh": "视情况适用：如不适用，请说明原因（第七条）", "en": "conditional: state why it does not apply (Art. 7)"},
    "mandatory": {"zh": "必须披露（不论议题是否重要）", "en": "mandatory whatever the material topics"},
    "framework_why": {"zh": "财务重要性议题须按治理、战略、影响风险和机遇管理、指标与目标披露；{why}",
                      "en": "financially material topics are disclosed under governance, strategy, "
                            "impact-risk-opportunity management, metrics and targets; {why}"},
    "fin_unknown": {"zh": "重要性记录未区分财务重要性议题，按适用处理",
                    "en": "the materiality record does not say which topics are financially material, so it applies"},
    "fin_topics": {"zh": "财务重要性议题：{t}", "en": "financially material topics: {t}"},
    "fin_none": {"zh": "重要性评估结果中无财务重要性议题，不适用", "en": "no topic is financially material in the materiality result; not required"},
    "review_bad": {"zh": "审阅确认文件 {f}：{msg}", "en": "reviewer confirmations {f}: {msg}"},
    # what to do
    "do_collect": {"zh": "采集并填报：{names}", "en": "collect and enter: {names}"},
    "do_fill_year": {"zh": "先按上方“缺少报告合并口径数据”或“没有数据的年度”一项补齐报告年度的数据",
                     "en": "first fill the reporting year as the item on the report's basis or on a year without facts says"},
    "do_print": {"zh": "在报告中列示（绩效表、章节指标表或 {{{{ fact }}}} 占位符）：{names}",
                 "en": "print in the report (KPI table, a section's indicator table or a {{{{ fact }}}} placeholder): {names}"},
    "do_section": {"zh": "在回应该条款的章节写入叙述，并在其 refs 中加入 szse17: [{a}]",
                   "en": "write the narrative in the section that answers it and add szse17: [{a}] to its refs"},
    "do_verify": {"zh": "在{s}中加入该条款数据的占位符（{names}），或经审阅后在 {f} 中记录确认",
                  "en": "add a placeholder of the article's data ({names}) to {s}, or have a reviewer confirm it in {f}"},
    "do_verify_text": {"zh": "由审阅人核对{s}的内容后在 {f} 中记录确认",
                       "en": "have a reviewer read {s} and record the confirmation in {f}"},
    "do_conditional": {"zh": "在相关章节说明不适用的原因，并在其 refs 中加入 szse17: [{a}, 7]",
                       "en": "say in the section on the topic why it does not apply and add szse17: [{a}, 7] to its refs"},
    "do_materiality": {"zh": "在报告定义的 material_topics 中记录重要性评估结果",
                       "en": "record the materiality result in material_topics of the report definition"},
    "do_placeholder": {"zh": "填报{name}的{y}年数据，或修改该占位符", "en": "enter {name} for {y}, or change the placeholder"},
    "do_chart": {"zh": "填报图表所用指标的数据，或删除该图表", "en": "enter the chart's data, or remove the chart"},
    "do_baseline": {"zh": "填报{y}年基准值", "en": "enter the {y} baseline"},
    # approving facts: inside the year's collection campaign an entity's values are submitted, reviewed
    # and approved (collect submit / review / approve ENTITY); outside one, a file imported as draft is
    # imported again as approved (audit A5-M1: the action named a command that does not exist)
    "do_approve_campaign": {"zh": "{submit}审核并批准：esgledger collect review {e}，然后 esgledger collect approve {e}{which}",
                            "en": "{submit}review and approve them: esgledger collect review {e}, then esgledger collect approve {e}{which}"},
    "entity_arg": {"zh": "主体", "en": "ENTITY"},
    "which": {"zh": "（主体：{ents}）", "en": " (entities: {ents})"},
    "do_submit_first": {"zh": "先提交草稿（esgledger collect submit {e}），再", "en": "submit the drafts first (esgledger collect submit {e}), then "},
    "do_approve_import": {"zh": "核对后将这些数据按已批准状态重新导入：esgledger facts import 文件 --status approved（{e}）",
                          "en": "check them, then import them again as approved: esgledger facts import FILE --status approved ({e})"},
    "no_facts": {"zh": "台账中没有 {e} 及其下属主体 {y} 年的任何数据：报告只有“—”",
                 "en": "the ledger has no facts of {e} or the entities below it for {y}: the report would print only dashes"},
    "no_facts_earlier": {"zh": "台账中没有 {e} 及其下属主体 {y} 年的任何数据：这些年度的列以“—”显示",
                         "en": "the ledger has no facts of {e} or the entities below it for {y}: those columns print as dashes"},
    "do_no_facts": {"zh": "检查报告年度（--period 或报告定义的 period），或导入该年数据后运行 esgledger calc run --period {y}",
                    "en": "check the reporting year (--period, or period in the report definition), or import the year's data "
                          "and run esgledger calc run --period {y}"},
    "do_no_facts_earlier": {"zh": "如有该年数据请导入（esgledger facts import）；首次报告的公司可从 comparison_years 中删除该年",
                            "en": "import the year's data if you have it (esgledger facts import); a first report can drop the "
                                  "year from comparison_years"},
    "basis": {"zh": "报告按{basis}列示 {e} 的数据，台账中没有 {y} 年按该口径计算的数据{other}：报告中这些年度的数字均为“—”，"
                    "report build 不会生成报告",
              "en": "the report prints the figures of {e} on the {basis} basis, and the ledger has none for {y}{other}: "
                    "those years print as dashes throughout, and report build refuses to write the report"},
    "review_section": {"zh": "confirmations 第 {n} 条：报告定义中没有章节 {s}{close}",
                       "en": "confirmations #{n}: the report definition has no section {s}{close}"},
    "close_ids": {"zh": "；相近的章节：{ids}", "en": "; closest sections: {ids}"},
    "do_campaign": {"zh": "推动未批准主体完成填报和审批", "en": "get the entities not approved to finish and approve their data"},
    "do_calc": {"zh": "运行 esgledger calc run --period {y}{flag}", "en": "run esgledger calc run --period {y}{flag}"},
    "do_factor": {"zh": "对照官方来源核实该因子并提高置信度，或换用 V/S 级因子",
                  "en": "check the factor against its official source and raise its confidence, or use a V/S factor"},
    "do_illustrative": {"zh": "以实际采集的数据替换示意值输入，清理前不得对外报送",
                        "en": "replace the illustrative inputs with collected data; do not file before they are cleared"},
    "do_review": {"zh": "修正该文件", "en": "correct the file"},
}


@dataclass(frozen=True)
class GapItem:
    kind: str
    status: str
    text: str
    ref: str = ""
    detail: str = ""
    article: int | None = None
    action: str = ""                      # what to do about it, in the check's language


@dataclass
class GapReport:
    guideline: str
    period: int
    lang: str
    required_from: str                    # materiality | definition | all
    items: list[GapItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The articles (and not-required topics, as ``na``) by status."""
        return {s: sum(1 for i in self.items if i.kind in ("article", "topic_na") and i.status == s)
                for s in STATUS_ORDER}

    def other_counts(self) -> dict[str, int]:
        """The other items (approvals, factors, placeholders, …) by kind."""
        return {k: n for k in KIND_ORDER if k not in ("article", "topic_na")
                and (n := sum(1 for i in self.items if i.kind == k))}

    def blocking(self) -> int:
        """Items that ``--strict`` fails on: missing articles and other missing items."""
        return sum(1 for i in self.items if i.status == "missing")

    def as_dicts(self) -> list[dict]:
        return [{"kind": i.kind, "status": i.status, "text": i.text, "ref": i.ref,
                 "detail": i.detail, "article": i.article, "action": i.action} for i in self.items]


def szse_topics() -> list[tuple[int, str, str, tuple[int, ...]]]:
    """The 21 topics of the guideline's index: (number, zh, en, articles)."""
    text = resources.files("esgledger.library").joinpath("data", "frameworks", "szse17_topics.csv") \
        .read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        m = re.search(r"\((\d+)(?:-(\d+))?\)", row["szse17_articles"])
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        out.append((int(row["index_topic_no"]), row["topic_zh"], row["topic_en"], tuple(range(a, b + 1))))
    return out


def recorded_materiality(ws, period: int):
    """The material topics of a double-materiality assessment recorded in the ledger, if the
    assessment module (``esgledger.assess.materiality``) is installed and has one: a list of
    topic codes, or a mapping topic → ``{"financial": bool, "impact": bool}``."""
    try:
        from esgledger.assess import materiality  # type: ignore[attr-defined]
    except ImportError:
        return None
    get = getattr(materiality, "material_topics", None)
    return get(ws, period) if callable(get) else None


@dataclass(frozen=True)
class Confirmation:
    """A reviewer's word that a section discloses an article (``report-review.yaml``)."""

    article: int
    section: str
    by: str
    date: str
    period: int
    entry: int = 0          # its number in the file's list, from 1 (problems name it)


def load_confirmations(ws, period: int) -> tuple[list[Confirmation], list[Bilingual]]:
    """The reviewer confirmations of the period in the workspace's ``report-review.yaml``,
    and the problems of entries that cannot be used (in both languages)::

        confirmations:
          - {article: 26, section: env.climate.carbon, period: 2024, by: 王敏（董事会办公室）, date: 2025-03-20}

    A confirmation names the article, the section that discloses it (its ``id`` in
    report.yaml), the reporting year it was given for, who gave it and when: the reviewer read
    that section of that year's report and found the article answered."""
    import datetime as dt

    import yaml

    path = ws.path / REVIEW_FILE
    if not path.exists():
        return [], []
    text, bad = read_utf8(path)
    if text is None:
        return [], [bad.found()]
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        return [], [reason(e)]
    entries = data.get("confirmations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [Bilingual("confirmations：应为 {article, section, period, by, date} 的列表",
                              "confirmations: a list of {article, section, period, by, date}")]
    out, problems = [], []
    for n, e in enumerate(entries, 1):
        keys = ("article", "section", "period", "by", "date")
        if not isinstance(e, dict) or any(e.get(k) in (None, "") for k in keys):
            problems.append(Bilingual(f"confirmations 第 {n} 条：须填写 {'、'.join(keys)}",
                                      f"confirmations #{n}: needs {', '.join(keys)}"))
            continue
        try:
            article, year = int(e["article"]), int(e["period"])
            date = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(str(e["date"]))
        except (TypeError, ValueError):
            problems.append(Bilingual(f"confirmations 第 {n} 条：article 和 period 应为数字，date 应为 YYYY-MM-DD 格式的日期",
                                      f"confirmations #{n}: article and period are numbers, date is YYYY-MM-DD"))
            continue
        if year == period:
            out.append(Confirmation(article, str(e["section"]), str(e["by"]), date.isoformat(), year, n))
    return out, problems


def unknown_sections(confirmations, section_ids) -> list[Bilingual]:
    """A confirmation naming a section id the definition does not have (a typo would otherwise
    leave the article unconfirmed without a word, audit A5-L6), with the closest ids."""
    import difflib

    out = []
    for c in confirmations:
        if c.section in section_ids:
            continue
        close = difflib.get_close_matches(c.section, section_ids, n=3, cutoff=0.6)
        out.append(Bilingual(*(fmt(T["review_section"][lang], n=c.entry, s=c.section,
                                   close=fmt(T["close_ids"][lang], ids=("、" if lang == "zh" else ", ").join(close))
                                   if close else "") for lang in ("zh", "en"))))
    return out


def _materiality(ctx):
    """(material topics or None, financially material topics or None (unknown), source)."""
    recorded = recorded_materiality(ctx.ws, ctx.period)
    if recorded is not None:
        if isinstance(recorded, dict):
            material = {c for c, v in recorded.items() if not isinstance(v, dict) or any(v.values())}
            financial = {c for c, v in recorded.items() if isinstance(v, dict) and v.get("financial")}
            known = all(isinstance(v, dict) and "financial" in v for v in recorded.values())
            return material, (financial if known else None), "materiality"
        return set(recorded), None, "materiality"
    if ctx.model.material_topics is not None:
        return set(ctx.model.material_topics), None, "definition"
    return None, None, "all"


def check_gaps(ctx, lang: str = "zh") -> GapReport:
    """The gap check of a report context (see the module docstring)."""
    lib, model = ctx.library, ctx.model
    t = lambda k, **kw: fmt(T[k][lang], **kw)  # noqa: E731
    material, financial, source = _materiality(ctx)
    required = None if material is None else {lib.topics[c].szse17_topic for c in material
                                             if c in lib.topics and lib.topics[c].szse17_topic}
    report = GapReport(model.guideline, ctx.period, lang, source)
    nodes = {n.id: n for n, _d, _p in model.walk()}
    rows_by_article: dict[int, list] = {}
    for row in ctx.index:
        for a in row.articles():
            rows_by_article.setdefault(a, []).append(row)
    confirmations, problems = load_confirmations(ctx.ws, ctx.period)
    problems += unknown_sections(confirmations, list(nodes))
    report.items += [GapItem("review", "missing", t("review_bad", f=REVIEW_FILE, msg=m.in_lang(lang)), REVIEW_FILE,
                             action=t("do_review")) for m in problems]
    report.items += _coverage_items(ctx, lang, t)
    szse = lib.frameworks["szse17"]
    article = lambda a, why="": _article_item(ctx, a, szse.get(str(a)), rows_by_article.get(a, []),  # noqa: E731
                                              nodes, lang, t, confirmations, source, why)
    for a in MANDATORY[:1]:
        report.items.append(article(a, t("mandatory")))
    if financial is not None and not financial:
        for a in FRAMEWORK_ARTICLES:
            fc = szse.get(str(a))
            topic = (fc.row.get("topic_zh") if lang == "zh" else fc.row.get("topic_en")) if fc else ""
            report.items.append(GapItem("article", "na", f"{t('art', n=cn_number(a), a=a)} {topic}",
                                        _ref(ctx, a, t, lang), t("fin_none"), a))
    else:
        why = t("fin_unknown") if financial is None else t("fin_topics", t=("、" if lang == "zh" else ", ").join(
            lib.topics[c].name.get(lang) if c in lib.topics else c for c in sorted(financial)))
        for a in FRAMEWORK_ARTICLES:
            report.items.append(article(a, t("framework_why", why=why)))
    for no, zh, en, articles in szse_topics():
        if required is not None and no not in required:
            report.items.append(GapItem("topic_na", "na", t("topic", n=no, name=zh if lang == "zh" else en),
                                        "", t("not_material", src=t("src_" + source))))
            continue
        for a in articles:
            report.items.append(article(a))
    for a in MANDATORY[1:]:
        report.items.append(article(a, t("mandatory")))
    report.items += _calculation_items(ctx, t)
    report.items += _campaign_items(ctx, lang, t)
    report.items += _illustrative_items(ctx, lang, t)
    report.items += _placeholder_items(ctx, lang, t)
    report.items += _chart_items(ctx, lang, t)
    report.items += _approval_items(ctx, lang, t)
    report.items += _factor_items(ctx, lang, t)
    report.items.sort(key=lambda i: (KIND_ORDER.index(i.kind), i.article or 0))
    report.items += _sample_text_items(ctx, lang)
    return report


def _ref(ctx, a: int, t, lang: str) -> str:
    return f"{GUIDELINES[ctx.model.guideline]['short_' + lang]} {t('art', n=cn_number(a), a=a)}"


def _sample_text_items(ctx, lang: str) -> list[GapItem]:
    """The narrative texts are still the reference company's sample (``sample_of`` of the
    definition, written by ``report init`` outside the demo): one missing item, listed last."""
    sample = ctx.model.sample_of
    if sample is None:
        return []
    who = sample.get(lang) or sample.zh or sample.en
    text = (f"叙述文字是参考公司（{who}）报告的示例：请改写为本公司的内容" if lang == "zh" else
            f"the narrative texts are the reference company's ({who}) sample: rewrite them for your organisation")
    detail = ("改写后从报告定义中删除 sample_of" if lang == "zh" else
              "then delete sample_of from the report definition")
    return [GapItem("sample_text", "missing", text, "sample_of", action=detail)]


def _name(lib, code: str, lang: str) -> str:
    ind = lib.get(code)
    return ind.name.get(lang) if ind else code


def _names(lib, codes, lang: str, limit: int = 4) -> str:
    names = [_name(lib, c, lang) for c in codes]
    more = len(names) - limit
    sep = "、" if lang == "zh" else ", "
    return sep.join(names[:limit]) + (f"{sep}…(+{more})" if more > 0 else "")


def _article_item(ctx, a: int, fc, rows, nodes, lang, t, confirmations=(), source="all", why="") -> GapItem:
    lib = ctx.library
    sep = "、" if lang == "zh" else ", "
    topic = (fc.row.get("topic_zh") if lang == "zh" else fc.row.get("topic_en")) if fc else ""
    ref = t("art", n=cn_number(a), a=a)
    in_library = [c for c, ind in lib.indicators.items() if a in ind.frameworks.szse17]
    shown = [c for c in in_library if c in ctx.report_indicators]
    with_value = [c for c in shown if ctx.has_value(c)]
    details = [why] if why else []
    actions = []
    if not in_library:
        data = "na"
    elif not shown:
        data = "missing"
        details.append(t("no_ind"))
        actions.append(t("do_print", names=_names(lib, in_library, lang, 3)))
    elif len(with_value) == len(shown):
        data = "ok"
    else:
        data = "partial" if with_value else "missing"
        empty = [c for c in shown if c not in with_value]
        details.append(t("no_values", names=_names(lib, empty, lang)))
        actions.append(t("do_fill_year") if ctx.coverage().covered(ctx.period)
                       else t("do_collect", names=_names(lib, empty, lang)))
    required = required_indicators(fc, lib)
    required_ok = False
    if required:
        # a "shall" datapoint: each of its indicators (or one of its alternatives) printed with a value
        unprinted = [g for g in required if not any(c in ctx.printed_indicators for c in g)]
        empty = [g for g in required if g not in unprinted
                 and not any(c in ctx.printed_indicators and ctx.has_value(c) for c in g)]
        if unprinted:
            details.append(t("not_printed", names=_group_names(lib, unprinted, lang)))
            actions.append(t("do_print", names=_group_names(lib, unprinted, lang)))
        if empty:
            details.append(t("no_values", names=_group_names(lib, empty, lang)))
            actions.append(t("do_fill_year") if ctx.coverage().covered(ctx.period)
                           else t("do_collect", names=_group_names(lib, empty, lang)))
        if unprinted or empty:
            data = "partial" if len(unprinted) + len(empty) < len(required) else "missing"
        required_ok = not (unprinted or empty)
    narrated = [r for r in rows if all(nodes[r.node_id].narrative.get(l).strip() or nodes[r.node_id].table
                                       for l in ctx.model.languages)]
    if narrated:
        details.append(t("narr_in", s=sep.join(r.title[lang] for r in narrated[:3])))
    else:
        details.append(t("no_narr"))
    # the evidence the tool can see that the article is answered, not only cited
    ids = {r.node_id for r in narrated}
    with_data = [r for r in narrated if set(r.indicators) & set(in_library)]
    confirmed = [c for c in confirmations if c.article == a and c.section in ids]
    evidence = []
    if required_ok:
        evidence.append(t("verified_required"))
    if with_data:
        evidence.append(t("verified_data", s=sep.join(r.title[lang] for r in with_data[:3])))
    if a == 5 and narrated and source != "all":
        evidence.append(t("verified_materiality", src=t("src_" + source)))
    for c in confirmed:
        title = next(r.title[lang] for r in narrated if r.node_id == c.section)
        evidence.append(t("confirmed", by=c.by, date=c.date, s=title))
    details += evidence
    if data in ("ok", "na") and narrated and evidence:
        status = "ok"
    elif data in ("ok", "na") and narrated:
        status = "cited"
        details.append(t("cited_only"))
    elif data in ("missing", "na") and not narrated:
        status = "missing"
    else:
        status = "partial"
    if not narrated:
        actions.append(t("do_section", a=a))
    elif not evidence:
        where = sep.join(r.title[lang] for r in narrated[:2])
        actions.append(t("do_verify", s=where, names=_names(lib, in_library, lang, 2), f=REVIEW_FILE) if in_library
                       else t("do_verify_text", s=where, f=REVIEW_FILE))
        if a == 5 and source == "all":
            actions.insert(0, t("do_materiality"))
    basis = (fc.row.get("disclosure_basis") or "") if fc else ""
    if status == "missing" and basis.startswith("conditional"):
        status = "conditional"
        details.insert(0, t("conditional"))
        actions = [t("do_conditional", a=a)]
    text = f"{ref} {topic}"  # the whole title: tables and the checklist wrap it
    join = "；" if lang == "zh" else "; "
    return GapItem("article", status, text, f"{GUIDELINES[ctx.model.guideline]['short_' + lang]} {ref}",
                   join.join(details), a, join.join(dict.fromkeys(actions)))


def required_indicators(fc, lib) -> list[tuple[str, ...]]:
    """The indicators a "shall" datapoint of the article needs printed, from the framework
    table's ``required_indicators`` column: groups separated by ``;``, each group one
    indicator or alternatives separated by ``|`` (any one of them satisfies it). Empty: the
    article has no such list and any of its indicators shown counts."""
    text = (fc.row.get("required_indicators") or "").strip() if fc else ""
    groups = [tuple(c.strip() for c in g.split("|") if c.strip()) for g in text.split(";") if g.strip()]
    unknown = [c for g in groups for c in g if c not in lib.indicators]
    if unknown:
        raise ValueError(f"framework table szse17, article {fc.code}: required_indicators names "
                         f"{', '.join(unknown)}, which the library does not have")
    return groups


def _group_names(lib, groups, lang: str) -> str:
    alt = " 或 " if lang == "zh" else " or "
    sep = "、" if lang == "zh" else ", "
    return sep.join(alt.join(_name(lib, c, lang) for c in g) for g in groups)


def _placeholder_items(ctx, lang, t) -> list[GapItem]:
    out = []
    for node, fld, tl, text in iter_texts(ctx.definition):
        if tl not in ctx.model.languages:
            continue
        for offset, whole, inner in placeholders(text or ""):
            try:
                ph = parse_placeholder(inner)
            except PlaceholderError:
                continue
            if ph.indicator is None:
                continue
            for y in ph.years:
                if ctx.coverage().covered(resolve_year(y, ctx.period)):
                    continue  # named once by the year's own item
                if ctx.fact(ph.indicator, resolve_year(y, ctx.period), ph.entity, ph.dims) is None:
                    where = ctx.definition.location(node, fld, tl, offset)
                    name, year = _name(ctx.library, ph.indicator, lang), resolve_year(y, ctx.period)
                    out.append(GapItem("placeholder", "missing", t("placeholder", ph=whole), str(where),
                                       f"{name} {year}", action=t("do_placeholder", name=name, y=year)))
                    break
    return out


def _chart_items(ctx, lang, t) -> list[GapItem]:
    from esgledger.report.charts_data import chart_from_definition, resolve_target

    out = []
    if all(ctx.coverage().covered(y) for y in ctx.years):
        return out  # no year has figures: the years' own items say so
    for node, _d, _p in ctx.model.walk():
        for c in node.charts:
            _chart, reason = chart_from_definition(ctx, c, lang)
            title = c.title.get(lang)
            if reason == "no_data":
                out.append(GapItem("chart", "todo", t("chart", t=title), node.title.get(lang),
                                   action=t("do_chart")))
            elif reason == "no_baseline":
                y = resolve_target(ctx, c).baseline_year
                out.append(GapItem("chart", "todo", t("baseline", y=y, t=title), node.title.get(lang),
                                   action=t("do_baseline", y=y)))
    return out


def _never_calculated(ctx) -> list[int]:
    """The years of the report with entered facts and not one calculated value."""
    entered, calculated = set(), set()
    for f in ctx.facts_all():
        (calculated if f.status == "calculated" else entered).add(f.period)
    return [y for y in ctx.years if str(y) in entered and str(y) not in calculated]


def _calculation_items(ctx, t) -> list[GapItem]:
    """A year of the report with entered facts and not one calculated: never run (UAT: the
    previous year's column of a report read "—" throughout, because only the reporting year had
    been calculated). On a basis other than the workspace's, the command names it."""
    basis = ctx.coverage().basis
    flag = f" --approach {basis}" if basis not in ("own", ctx.ws.approach) else ""
    return [GapItem("not_calculated", "missing", t("not_calculated", y=y, flag=flag), action=t("do_calc", y=y, flag=flag))
            for y in _never_calculated(ctx)]


def _coverage_items(ctx, lang, t) -> list[GapItem]:
    """One item for each way a year of the report cannot be filled (:meth:`ReportContext.coverage`,
    the same finding that stops ``report build``): the reporting year without any fact; years
    with facts but no figure on the report's consolidation basis (calculated on the other basis
    only; a year never calculated is :func:`_calculation_items`'); comparison years without
    facts. The placeholders and charts of those years are not listed one by one (audit A5-H1,
    A5-L2)."""
    cov = ctx.coverage()
    e = ctx.entity
    out = []
    if ctx.period in cov.empty:
        y = str(ctx.period)
        return [GapItem("no_facts", "missing", t("no_facts", e=e, y=y), action=t("do_no_facts", y=y))]
    never = set(_never_calculated(ctx))
    years = [y for y in cov.uncalculated if y not in never]
    if years:
        params = ctx.basis_params(dataclasses.replace(cov, uncalculated=tuple(years)))
        out.append(GapItem("basis", "missing", t("basis", basis=params["basis"].in_lang(lang), e=e,
                                                 y=params["years"].in_lang(lang),
                                                 other=params["other"].in_lang(lang) if params["other"] else ""),
                           str(ctx.basis_location()), action=params["fix"]))
    earlier = [y for y in cov.empty if y != ctx.period]
    if earlier:
        y = ("、" if lang == "zh" else ", ").join(map(str, earlier))
        out.append(GapItem("no_facts", "todo", t("no_facts_earlier", e=e, y=y), action=t("do_no_facts_earlier")))
    return out


def _campaign_items(ctx, lang, t) -> list[GapItem]:
    """The latest collection campaign of the reporting year, when some of its entities are not
    approved: their data is missing from the report or not yet reviewed (UAT: a 2025 report
    built from one plant of twelve, and nothing said so)."""
    with ctx.ws.store.engine.connect() as conn:
        camp = conn.execute(select(C.campaign.c.id).where(C.campaign.c.period == str(ctx.period))
                            .order_by(C.campaign.c.id.desc())).first()
        if camp is None:
            return []
        rows = conn.execute(select(C.entity_status.c.entity, C.entity_status.c.status)
                            .where(C.entity_status.c.campaign_id == camp.id)).all()
    pending = sorted((e, s) for e, s in rows if s != "approved")
    if not pending:
        return []
    counts = Counter(s for _e, s in pending)
    sep = "，" if lang == "zh" else ", "
    order = list(ENTITY_STATUS_NAMES)  # in the workflow's order
    st = sep.join(f"{ENTITY_STATUS_NAMES.get(s, {}).get(lang, s)} {n}"
                  for s, n in sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
    names = [e for e, _s in pending]
    ents = "、".join(names[:8]) if lang == "zh" else ", ".join(names[:8])
    if len(names) > 8:
        ents += f" … (+{len(names) - 8})"
    return [GapItem("campaign", "todo", t("campaign", c=camp.id, p=ctx.period, n=len(pending), total=len(rows),
                                            st=st, ents=ents), action=t("do_campaign"))]


def _approval_items(ctx, lang, t) -> list[GapItem]:
    """One item per indicator with facts not approved, their statuses named in the reader's
    language (草稿 1), and the commands that approve them: inside the year's collection
    campaign submit (drafts), review and approve each entity; outside one, import the file
    again as approved."""
    pending: dict[str, dict[str, int]] = {}
    entities: dict[str, set[str]] = {}
    for f in ctx.facts_of(ctx.report_indicators):
        if f.basis == "own" and f.status not in ("approved", "calculated"):
            pending.setdefault(f.indicator, {}).setdefault(f.status, 0)
            pending[f.indicator][f.status] += 1
            entities.setdefault(f.indicator, set()).add(f.entity)
    if not pending:
        return []
    campaign = _campaign_id(ctx) is not None
    order = list(FACT_STATUS_NAMES)
    sep = "，" if lang == "zh" else ", "
    out = []
    for code, by_status in sorted(pending.items()):
        st = sep.join(f"{FACT_STATUS_NAMES.get(s, {}).get(lang, s)} {n}"
                      for s, n in sorted(by_status.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
        names = sorted(entities[code])
        ents = ("、" if lang == "zh" else ", ").join(names)
        if campaign:  # the collect commands take one entity: name it, or say which when there are several
            e, which = (names[0], "") if len(names) == 1 else (t("entity_arg"), t("which", ents=ents))
            submit = t("do_submit_first", e=e) if "draft" in by_status else ""
            action = t("do_approve_campaign", submit=submit, e=e, which=which)
        else:
            action = t("do_approve_import", e=ents)
        out.append(GapItem("not_approved", "todo",
                           t("not_approved", name=_name(ctx.library, code, lang), n=sum(by_status.values()), st=st),
                           code, action=action))
    return out


def _campaign_id(ctx) -> int | None:
    """The latest collection campaign of the reporting year, if any."""
    with ctx.ws.store.engine.connect() as conn:
        row = conn.execute(select(C.campaign.c.id).where(C.campaign.c.period == str(ctx.period))
                           .order_by(C.campaign.c.id.desc())).first()
    return None if row is None else row.id


def _factor_items(ctx, lang, t) -> list[GapItem]:
    """One item per factor below V/S confidence, with the printed figures that rest on it
    (UAT 4 F-M15: the same factor was listed once per figure)."""
    lib = ctx.library
    derived = sorted(c for c in ctx.report_indicators if lib.get(c) and lib[c].kind in ("method", "formula"))
    users: dict[tuple[str, str], list[str]] = {}
    conf: dict[tuple[str, str], str] = {}
    for code in derived:
        ids = ctx.breakdown_ids(code, ctx.period)
        if not ids:
            continue
        for fac in low_confidence_factors(ctx.ws, ids):
            k = (fac["factor_set"], fac["factor_key"].split("/", 1)[-1])
            if code not in users.setdefault(k, []):
                users[k].append(code)
            conf[k] = fac.get("confidence") or ""
    out = []
    for (fset, key), codes in sorted(users.items()):
        out.append(GapItem("low_factor", "todo",
                           t("low_factor", key=key, set=factor_set_name(ctx.ws, fset, lang), conf=conf[fset, key],
                             names=_names(lib, codes, lang, limit=len(codes))),
                           key, fset, action=t("do_factor")))
    return out


def _illustrative_items(ctx, lang, t) -> list[GapItem]:
    """The figures the report prints for the period that are, or rest on, inputs whose
    comment marks them illustrative: the first thing to clear before signing (UAT 4 F-M15)."""
    flagged = []
    for code in sorted(ctx.printed_indicators):
        f = ctx.fact(code, ctx.period)
        if f is not None and ctx.is_illustrative(f):
            flagged.append(code)
    if not flagged:
        return []
    return [GapItem("illustrative", "todo",
                    t("illustrative", n=len(flagged), names=_names(ctx.library, flagged, lang, limit=len(flagged))),
                    action=t("do_illustrative"))]


def gap_checklist(report: GapReport, lang: str) -> Checklist:
    """The gap check as a document checklist: an appendix of an internal draft (``report build
    --checklist``), never of the filed report by default (UAT 4 F-M12)."""
    title = T["title"][lang].format(g=GUIDELINES[report.guideline]["short_" + lang], p=report.period)
    todo = "→ 处理：" if lang == "zh" else "→ to do: "
    join = "；" if lang == "zh" else "; "
    return Checklist(tuple(CheckItem(i.text, i.status, join.join(x for x in (i.detail, i.action and todo + i.action) if x),
                                     i.ref) for i in report.items), title)
