"""The gap check: what the chosen exchange guideline requires that the report does not yet give.

For the guideline of the definition (SZSE No.17, SSE No.14 or BSE No.11, which share the
topic articles 20–56):

1. the required topics: the double-materiality result when one is recorded (an assessment in
   the ledger, else the definition's ``material_topics``), otherwise all 21 topics;
2. for each article of a required topic: does the report show data (the indicators the
   library maps to the article that the report discloses, with a value for the period) and
   narrative (a section citing the article with text in every report language)? An article
   whose framework row lists ``required_indicators`` (its "shall" datapoints, e.g. Art. 24:
   Scope 1, Scope 2 and the total) has data only when each of them is printed in the report
   (KPI table, a section's indicator table or a placeholder of the year) with a value;
3. the facts behind the report's figures that are not approved, a year of the report with
   entered facts that has never been calculated, and the entities of the year's collection
   campaign that are not approved;
4. the figures that rest on factors below V/S confidence (from the calculation lineage);
5. placeholders without a value, and charts without data or baseline.

The result is data (:class:`GapReport`); ``esgledger report check`` prints it and the HTML
report carries it as a checklist (:func:`gap_checklist`).
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from sqlalchemy import select

from esgledger.model.i18n import fmt
from esgledger.model.types import ENTITY_STATUS_NAMES
from esgledger.report.definition import GUIDELINES, iter_texts
from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders, resolve_year
from esgledger.report.document import CheckItem, Checklist
from esgledger.report.figure_notes import factor_set_name, low_confidence_factors
from esgledger.report.index import cn_number
from esgledger.store import schema_collect as C

STATUS_ORDER = ("missing", "partial", "ok", "na")
KIND_ORDER = ("not_calculated", "campaign", "article", "placeholder", "chart", "not_approved", "low_factor", "topic_na")
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
                             "请先运行 esgledger calc run --period {y}",
                       "en": "{y} has entered data but has not been calculated (its consolidated and method "
                             "results are empty and show as dashes): run esgledger calc run --period {y} first"},
    "campaign": {"zh": "收集任务 #{c}（{p}年）：{total} 个主体中 {n} 个尚未批准（{st}）：{ents}",
                 "en": "collection campaign #{c} ({p}): {n} of {total:entity|entities} not approved ({st}): {ents}"},
    "low_factor": {"zh": "{name} 依赖低置信度因子（{set}，{conf}）：{key}",
                   "en": "{name} rests on low-confidence factors of {set} ({conf}): {key}"},
}


@dataclass(frozen=True)
class GapItem:
    kind: str
    status: str
    text: str
    ref: str = ""
    detail: str = ""
    article: int | None = None


@dataclass
class GapReport:
    guideline: str
    period: int
    lang: str
    required_from: str                    # materiality | definition | all
    items: list[GapItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.items if i.status == s) for s in STATUS_ORDER}

    def as_dicts(self) -> list[dict]:
        return [{"kind": i.kind, "status": i.status, "text": i.text, "ref": i.ref,
                 "detail": i.detail, "article": i.article} for i in self.items]


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


def recorded_materiality(ws, period: int) -> list[str] | None:
    """The material topics of a double-materiality assessment recorded in the ledger, if the
    assessment module (``esgledger.assess.materiality``) is installed and has one."""
    try:
        from esgledger.assess import materiality  # type: ignore[attr-defined]
    except ImportError:
        return None
    get = getattr(materiality, "material_topics", None)
    return get(ws, period) if callable(get) else None


def check_gaps(ctx, lang: str = "zh") -> GapReport:
    """The gap check of a report context (see the module docstring)."""
    lib, model = ctx.library, ctx.model
    t = lambda k, **kw: fmt(T[k][lang], **kw)  # noqa: E731
    recorded = recorded_materiality(ctx.ws, ctx.period)
    if recorded is not None:
        material, source = set(recorded), "materiality"
    elif model.material_topics is not None:
        material, source = set(model.material_topics), "definition"
    else:
        material, source = None, "all"
    required = None if material is None else {lib.topics[c].szse17_topic for c in material
                                             if c in lib.topics and lib.topics[c].szse17_topic}
    report = GapReport(model.guideline, ctx.period, lang, source)
    nodes = {n.id: n for n, _d, _p in model.walk()}
    rows_by_article: dict[int, list] = {}
    for row in ctx.index:
        for a in row.articles():
            rows_by_article.setdefault(a, []).append(row)
    szse = lib.frameworks["szse17"]
    for no, zh, en, articles in szse_topics():
        if required is not None and no not in required:
            report.items.append(GapItem("topic_na", "na", t("topic", n=no, name=zh if lang == "zh" else en),
                                        "", t("not_material", src=t("src_" + source))))
            continue
        for a in articles:
            report.items.append(_article_item(ctx, a, szse.get(str(a)), rows_by_article.get(a, []),
                                              nodes, lang, t))
    report.items += _calculation_items(ctx, t)
    report.items += _campaign_items(ctx, lang, t)
    report.items += _placeholder_items(ctx, lang, t)
    report.items += _chart_items(ctx, lang, t)
    report.items += _approval_items(ctx, lang, t)
    report.items += _factor_items(ctx, lang, t)
    report.items.sort(key=lambda i: (KIND_ORDER.index(i.kind), i.article or 0))
    report.items += _sample_text_items(ctx, lang)
    return report


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
    return [GapItem("sample_text", "missing", text, "sample_of", detail)]


def _name(lib, code: str, lang: str) -> str:
    ind = lib.get(code)
    return ind.name.get(lang) if ind else code


def _names(lib, codes, lang: str, limit: int = 4) -> str:
    names = [_name(lib, c, lang) for c in codes]
    more = len(names) - limit
    sep = "、" if lang == "zh" else ", "
    return sep.join(names[:limit]) + (f"{sep}…(+{more})" if more > 0 else "")


def _article_item(ctx, a: int, fc, rows, nodes, lang, t) -> GapItem:
    lib = ctx.library
    topic = (fc.row.get("topic_zh") if lang == "zh" else fc.row.get("topic_en")) if fc else ""
    ref = t("art", n=cn_number(a), a=a)
    in_library = [c for c, ind in lib.indicators.items() if a in ind.frameworks.szse17]
    shown = [c for c in in_library if c in ctx.report_indicators]
    with_value = [c for c in shown if ctx.has_value(c)]
    details = []
    if not in_library:
        data = "na"
    elif not shown:
        data = "missing"
        details.append(t("no_ind"))
    elif len(with_value) == len(shown):
        data = "ok"
    else:
        data = "partial" if with_value else "missing"
        details.append(t("no_values", names=_names(lib, [c for c in shown if c not in with_value], lang)))
    required = required_indicators(fc, lib)
    if required:
        # a "shall" datapoint: each of its indicators (or one of its alternatives) printed with a value
        unprinted = [g for g in required if not any(c in ctx.printed_indicators for c in g)]
        empty = [g for g in required if g not in unprinted
                 and not any(c in ctx.printed_indicators and ctx.has_value(c) for c in g)]
        if unprinted:
            details.append(t("not_printed", names=_group_names(lib, unprinted, lang)))
        if empty:
            details.append(t("no_values", names=_group_names(lib, empty, lang)))
        if unprinted or empty:
            data = "partial" if len(unprinted) + len(empty) < len(required) else "missing"
    narrated = [r for r in rows if all(nodes[r.node_id].narrative.get(l).strip() or nodes[r.node_id].table
                                       for l in ctx.model.languages)]
    if narrated:
        details.append(t("narr_in", s=("、" if lang == "zh" else ", ").join(r.title[lang] for r in narrated[:3])))
    else:
        details.append(t("no_narr"))
    narrative = "ok" if narrated else "missing"
    if data in ("ok", "na") and narrative == "ok":
        status = "ok"
    elif data in ("missing", "na") and narrative == "missing":
        status = "missing"
    else:
        status = "partial"
    text = f"{ref} {topic}"  # the whole title: tables and the checklist wrap it
    return GapItem("article", status, text, f"{GUIDELINES[ctx.model.guideline]['short_' + lang]} {ref}",
                   "；".join(details) if lang == "zh" else "; ".join(details), a)


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
                if ctx.fact(ph.indicator, resolve_year(y, ctx.period), ph.entity, ph.dims) is None:
                    where = ctx.definition.location(node, fld, tl, offset)
                    out.append(GapItem("placeholder", "missing", t("placeholder", ph=whole), str(where),
                                       f"{_name(ctx.library, ph.indicator, lang)} {resolve_year(y, ctx.period)}"))
                    break
    return out


def _chart_items(ctx, lang, t) -> list[GapItem]:
    from esgledger.report.charts_data import chart_from_definition, resolve_target

    out = []
    for node, _d, _p in ctx.model.walk():
        for c in node.charts:
            _chart, reason = chart_from_definition(ctx, c, lang)
            title = c.title.get(lang)
            if reason == "no_data":
                out.append(GapItem("chart", "partial", t("chart", t=title), node.title.get(lang)))
            elif reason == "no_baseline":
                out.append(GapItem("chart", "partial", t("baseline", y=resolve_target(ctx, c).baseline_year, t=title),
                                   node.title.get(lang)))
    return out


def _calculation_items(ctx, t) -> list[GapItem]:
    """A year of the report with entered facts and not one calculated: never run (UAT: the
    previous year's column of a report read "—" throughout, because only the reporting year had
    been calculated)."""
    entered, calculated = set(), set()
    for f in ctx.facts_all():
        (calculated if f.status == "calculated" else entered).add(f.period)
    return [GapItem("not_calculated", "missing", t("not_calculated", y=y))
            for y in map(str, ctx.years) if y in entered and y not in calculated]


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
    return [GapItem("campaign", "partial", t("campaign", c=camp.id, p=ctx.period, n=len(pending), total=len(rows),
                                            st=st, ents=ents))]


def _approval_items(ctx, lang, t) -> list[GapItem]:
    pending: dict[str, dict[str, int]] = {}
    for f in ctx.facts_of(ctx.report_indicators):
        if f.basis == "own" and f.status not in ("approved", "calculated"):
            pending.setdefault(f.indicator, {}).setdefault(f.status, 0)
            pending[f.indicator][f.status] += 1
    out = []
    for code, by_status in sorted(pending.items()):
        st = ", ".join(f"{s} {n}" for s, n in sorted(by_status.items()))
        out.append(GapItem("not_approved", "partial",
                           t("not_approved", name=_name(ctx.library, code, lang), n=sum(by_status.values()), st=st),
                           code))
    return out


def _factor_items(ctx, lang, t) -> list[GapItem]:
    """One item per (figure, factor set) with the factors below V/S confidence it rests on."""
    lib = ctx.library
    derived = sorted(c for c in ctx.report_indicators if lib.get(c) and lib[c].kind in ("method", "formula"))
    out = []
    for code in derived:
        ids = ctx.breakdown_ids(code, ctx.period)
        if not ids:
            continue
        by_set: dict[str, dict[str, str]] = {}
        for fac in low_confidence_factors(ctx.ws, ids):
            key = fac["factor_key"].split("/", 1)[-1]
            by_set.setdefault(fac["factor_set"], {})[key] = fac.get("confidence") or ""
        for fset, keys in sorted(by_set.items()):
            shown = ", ".join(sorted(keys))
            conf = "/".join(sorted(set(keys.values())))
            out.append(GapItem("low_factor", "partial",
                               t("low_factor", name=_name(lib, code, lang), key=shown,
                                 set=factor_set_name(ctx.ws, fset, lang), conf=conf),
                               code, fset))
    return out


def gap_checklist(report: GapReport, lang: str) -> Checklist:
    """The gap check as a document checklist (the HTML report's appendix)."""
    title = T["title"][lang].format(g=GUIDELINES[report.guideline]["short_" + lang], p=report.period)
    return Checklist(tuple(CheckItem(i.text, i.status, i.detail, i.ref) for i in report.items), title)
