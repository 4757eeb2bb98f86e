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

The articles are judged here; the other items are :mod:`esgledger.report.gap_items`, the topics,
materiality and reviewer confirmations :mod:`esgledger.report.gap_inputs`, the result, its texts
and the checklist :mod:`esgledger.report.gap_result`; this module hands on their public names.
"""
from __future__ import annotations

from esgledger.model.i18n import fmt
from esgledger.report.definition import GUIDELINES
from esgledger.report.gap_inputs import (REVIEW_FILE, Confirmation, _materiality, load_confirmations,
                                         recorded_materiality, szse_topics, unknown_sections)
from esgledger.report.gap_items import (_approval_items, _calculation_items, _campaign_items, _chart_items,
                                        _coverage_items, _factor_items, _illustrative_items, _placeholder_items)
from esgledger.report.gap_result import (KIND_ORDER, STATUS_ORDER, T, GapItem, GapReport, _name, _names,
                                         gap_checklist)
from esgledger.report.index import cn_number

__all__ = ["Confirmation", "GapItem", "GapReport", "KIND_ORDER", "REVIEW_FILE", "STATUS_ORDER", "T", "check_gaps",
           "gap_checklist", "load_confirmations", "recorded_materiality", "required_indicators", "szse_topics",
           "unknown_sections"]

MANDATORY = (5, 51)                    # whatever the topics (szse17.csv: "mandatory")
FRAMEWORK_ARTICLES = tuple(range(11, 20))   # the four elements, for financially material topics


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
