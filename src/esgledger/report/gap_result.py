"""The gap check's result as data, and its words: :class:`GapItem` (one article or to-do),
:class:`GapReport` (the items, counted by status and kind), the statuses and kinds in their
order, the texts in both languages (``T``), indicator names in the reader's language, and
:func:`gap_checklist` (the result as a document checklist).

The check itself is :func:`esgledger.report.gap.check_gaps`, which hands on these names.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from esgledger.report.definition import GUIDELINES
from esgledger.report.document import CheckItem, Checklist

STATUS_ORDER = ("missing", "partial", "cited", "conditional", "ok", "na")
KIND_ORDER = ("basis", "no_facts", "review", "not_calculated", "campaign", "article", "illustrative", "placeholder", "chart",
              "not_approved", "low_factor", "topic_na", "sample_text")
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


def _name(lib, code: str, lang: str) -> str:
    ind = lib.get(code)
    return ind.name.get(lang) if ind else code


def _names(lib, codes, lang: str, limit: int = 4) -> str:
    names = [_name(lib, c, lang) for c in codes]
    more = len(names) - limit
    sep = "、" if lang == "zh" else ", "
    return sep.join(names[:limit]) + (f"{sep}…(+{more})" if more > 0 else "")


def gap_checklist(report: GapReport, lang: str) -> Checklist:
    """The gap check as a document checklist: an appendix of an internal draft (``report build
    --checklist``), never of the filed report by default (UAT 4 F-M12)."""
    title = T["title"][lang].format(g=GUIDELINES[report.guideline]["short_" + lang], p=report.period)
    todo = "→ 处理：" if lang == "zh" else "→ to do: "
    join = "；" if lang == "zh" else "; "
    return Checklist(tuple(CheckItem(i.text, i.status, join.join(x for x in (i.detail, i.action and todo + i.action) if x),
                                     i.ref) for i in report.items), title)
