"""The gap check's items besides the guideline's articles, each with what to do about it: a
year of the report the ledger cannot fill, a year never calculated, the year's collection
campaign and the facts not approved, printed figures resting on illustrative inputs or on
low-confidence factors, placeholders without a value and charts without data or baseline.
:func:`esgledger.report.gap.check_gaps` gathers them; ``t`` is its text lookup in the check's
language.
"""
from __future__ import annotations

import dataclasses
from collections import Counter

from sqlalchemy import select

from esgledger.model.types import ENTITY_STATUS_NAMES, FACT_STATUS_NAMES
from esgledger.report.definition import iter_texts
from esgledger.report.figure_notes import factor_set_name, low_confidence_factors
from esgledger.report.gap_result import GapItem, _name, _names
from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders, resolve_year
from esgledger.store import schema_collect as C


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
    for f in ctx.awaiting_approval(ctx.report_indicators):
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
