"""``esgledger explain``: the lineage of a value down to the imported rows, with each factor's
edition and source and the marks a reviewer must clear. Registers onto :data:`esgledger.cli.app`.
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from esgledger.cli import (BASIS_NAME, BATCH_KIND_NAMES, STATE, _choice, _dims_key, _edition_cited, _incomplete_namers,
                           _known, _named, _no_value, _period, _source_where, _unit, _ws, app, console, err_console,
                           tr)


@app.command()
def explain(indicator: str = typer.Argument(..., help="Indicator code."),
            entity: str = typer.Option(..., "--entity", help="Entity code."),
            period: str = typer.Option(..., "--period", help="Period."),
            dims: str = typer.Option("", "--dims", help="Dimension key, e.g. gender=female."),
            basis: Optional[str] = typer.Option(None, "--basis", help="own, control or equity (default: consolidated at an entity with children in the period, else own)."),
            as_json: bool = typer.Option(False, "--json", help="Print the lineage as JSON.")) -> None:
    """Print the lineage of a value down to the imported rows."""
    _choice(basis, ("own", "control", "equity"), "--basis")
    _period(period)
    with _ws() as ws:
        _known(ws, indicator, entity)
        dims = _dims_key(ws.library, dims)
        node = ws.explain(indicator, entity, period, dims, basis)
        if node is None:
            err_console.print(_no_value(ws, indicator, entity, period), markup=False)
            raise typer.Exit(1)
        _resolve_sources(ws, node)
        if as_json:
            console.print_json(json.dumps(explain_json(ws, node), ensure_ascii=False, default=str))
        else:
            for line in render_explain(ws, node):
                console.print(line, markup=False, highlight=False, crop=False, overflow="ignore")
        stale = _stale_inputs(ws, node)
        if stale:
            err_console.print(tr("stale", n=len(stale), first=stale[0], p=period), markup=False)


def _stale_inputs(ws, node) -> list[str]:
    """Entered facts in a calculated value's lineage that a run would now read otherwise: the
    value was calculated before a correction and a run is due. An input is stale when the
    revision calculations read now (the latest one, or with ``report.inputs = approved`` the
    latest approved one) has another value or unit than the one the lineage names, or when
    there is none any more (withdrawn). A newer revision with the same value (an approval of
    what was submitted) changes nothing a run would compute, so it is not stale: a run would
    write nothing and the note would never go away. One read of the current facts of the
    entities, indicators and periods the lineage names."""
    leaves: dict[tuple, object] = {}
    stack = [node] if node.fact.status == "calculated" else []
    while stack:
        for ch in stack.pop().children:
            f = ch.fact
            if f.status == "calculated":
                stack.append(ch)
            else:
                leaves[(f.entity, f.indicator, f.period, f.dims, f.basis)] = f
    if not leaves:
        return []
    current = {(f.entity, f.indicator, f.period, f.dims, f.basis): f
               for f in ws.access.iter_current(entity=sorted({k[0] for k in leaves}),
                                               indicator=sorted({k[1] for k in leaves}),
                                               period=sorted({k[2] for k in leaves}), basis=None,
                                               approved_only=ws.inputs == "approved")}
    out = []
    for key, f in leaves.items():
        now = current.get(key)
        if now is None or (now.revision != f.revision and (now.value, now.unit) != (f.value, f.unit)):
            out.append(f"{f.entity} {f.indicator}{f'[{f.dims}]' if f.dims else ''} {f.period}")
    return out


def _shown(f, ind) -> tuple[str, str]:
    """A calculated value as a report prints it (half-up at the indicator's precision,
    thousands grouped) and, when that is not the whole of it, the exact value the ledger keeps;
    an entered value exactly as entered."""
    if f.status != "calculated" or ind is None or ind.value_type != "number":
        return f.value, ""
    from decimal import Decimal, InvalidOperation

    from esgledger.report.numbers import format_value, round_half_up

    try:
        exact = Decimal(f.value)
        rounded = round_half_up(exact, ind.precision)
    except InvalidOperation:
        return f.value, ""
    shown = format_value(rounded, ind.precision)
    if rounded == exact:
        return shown, ""
    return shown, f"  [{'精确值' if STATE.lang == 'zh' else 'exact'} {f.value}]"


def _resolve_sources(ws, node) -> None:
    """An imported row's file as a path a reviewer can open: relative to the workspace when the
    file is inside it (``data/facts-2024.csv:736``, the demo keeps the files it imported
    there), else the whole path the import read (UAT4 F-M16: only the file name was shown,
    and the file was not in the workspace)."""
    from pathlib import Path

    batches: dict[int, str | None] = {}
    root = Path(ws.path).resolve()
    stack = [node]
    while stack:
        n = stack.pop()
        stack += n.children
        b = n.batch
        if not b or b["kind"] != "import" or not n.fact.location:
            continue
        if b["id"] not in batches:
            rec = ws.access.batch(b["id"])
            src = Path(rec["source"]) if rec and rec.get("source") else None
            if src is not None:
                try:
                    src = src.resolve().relative_to(root)
                except ValueError:
                    pass
            batches[b["id"]] = src.as_posix() if src is not None else None
        if batches[b["id"]]:
            b["where"] = f"{batches[b['id']]}:{n.fact.location}"


def _input_flags(ws, node) -> dict[int, dict]:
    """For every value of the lineage tree: its comment, what the comment says the row is
    (:func:`figure_notes.comment_status`: illustrative, a company split of a published total,
    calibrated to named published figures) and the mark the report prints on the figure
    (:func:`figure_notes.figure_statuses`, the workspace's root as the group) — what a
    reviewer must clear before signing (UAT4 F-M16)."""
    from esgledger.report.figure_notes import comment_status, figure_statuses

    facts, stack = {}, [node]
    while stack:
        n = stack.pop()
        facts[n.fact.id] = n.fact
        stack += n.children
    from esgledger.calc.incomplete import describe, is_incomplete

    marks = figure_statuses(ws.store, set(facts), ws.root())
    pending = _unapproved(ws, node)
    out = {}
    for fid, f in facts.items():
        kind, targets = comment_status(f.comment) if f.status != "calculated" else (None, ())
        # a calculated figure that leaves out a source it should include (calc/incomplete.py)
        gap = {lang: describe(f.comment, lang, *_incomplete_namers(ws, lang)) for lang in ("zh", "en")} \
            if f.status == "calculated" and is_incomplete(f.comment) else None
        out[fid] = {"comment": f.comment or None, "kind": kind, "calibrated_to": list(targets),
                    "mark": marks.get(fid), "incomplete": gap, "unapproved": pending.get(fid)}
    return out


def _unapproved(ws, node) -> dict[int, dict]:
    """Each value of the lineage tree that rests on data not yet approved, read now
    (:mod:`esgledger.report.approval`; the value explained is judged as the report prints
    it): the note in each language, the facts (keys) and, for an entered value, its key's
    current status (audit A5-L3)."""
    from esgledger.report.approval import pending_approval, reads_approved_only, status_name

    found = pending_approval(ws.store, {node.fact.id}, approved_only=reads_approved_only(ws), every=True)
    period = node.fact.period
    return {fid: {"zh": status_name(p.status, "zh") if p.status else p.text("zh", ws.library, period, sentence=False),
                  "en": status_name(p.status, "en") if p.status else p.text("en", ws.library, period, sentence=False),
                  "status": p.status, "facts": [list(k) for k in p.keys]}
            for fid, p in found.items()}


_FLAG_WORDS = {
    "illustrative": {"zh": "示意", "en": "illustrative"},
    "split": {"zh": "拆分（集团合计为公布值）", "en": "split of a published group total"},
    "calibrated": {"zh": "校准至 {t}", "en": "calibrated to {t}"},
    "comment": {"zh": "备注：{c}", "en": "comment: {c}"},
    "mark_illustrative": {"zh": "报告标注：示意值", "en": "report mark: illustrative value"},
    "mark_split": {"zh": "报告标注：分公司拆分为示意", "en": "report mark: company split illustrative"},
    "mark_calibrated": {"zh": "报告标注：与公布值一致，输入为校准后的示意值",
                        "en": "report mark: as published, inputs illustrative and calibrated"},
    "mark_incomplete": {"zh": "报告标注：不完整，所依据的计算值未计入无法核算的排放源",
                        "en": "report mark: incomplete, it rests on a figure that leaves out a source"},
}


def _flag_words(flags: dict | None, lang: str, calculated: bool) -> str:
    """``  [示意；备注：illustrative]`` after an entered value; ``  [report mark: …]`` after a
    calculated or consolidated one that carries a mark."""
    if not flags:
        return ""
    words = []
    if not calculated and flags["kind"]:
        words.append(_FLAG_WORDS[flags["kind"]][lang].format(t=", ".join(flags["calibrated_to"])))
    if not calculated and flags["comment"]:
        words.append(_FLAG_WORDS["comment"][lang].format(c=flags["comment"]))
    if calculated and flags.get("incomplete"):
        words.append(flags["incomplete"][lang])        # what it leaves out (its own mark says)
    elif calculated and flags["mark"]:
        words.append(_FLAG_WORDS["mark_" + flags["mark"]][lang])
    if flags.get("unapproved"):                         # beside any other mark (report/approval.py)
        words.append(flags["unapproved"][lang])
    return f"  [{('；' if lang == 'zh' else '; ').join(words)}]" if words else ""


def _source(n) -> str:
    """Where an entered value came from, the batch kind and the source collect wrote in the
    user's language (导入 #3 facts-2024.csv:125, 审核 #6 批准 TLYX-P1)."""
    b = n.batch
    if not b:
        return n.source
    return f"{_named(BATCH_KIND_NAMES, b['kind'])} #{b['id']} {_source_where(b['kind'], b['where'])}"


def _method(n, lang: str) -> str:
    """The method behind a calculated value by its name, with its version and GWP set."""
    if not n.method_parts:
        return n.method
    from esgledger.report.figure_notes import method_name

    code, version, gwp = n.method_parts
    if lang == "zh":
        return f"{method_name(code, lang)}，方法版本 {version}" + (f"，GWP 取 {gwp}" if gwp else "")
    return f"{method_name(code, lang)}, method version {version}" + (f", GWP {gwp}" if gwp else "")


def _factor_citations(ws, node) -> dict[tuple[int, int], tuple[str, str, str]]:
    """``(fact id, position) → (factor set, edition, source)`` of every factor the lineage tree
    cites, as the calculation run recorded them (``fact_factor``): the citation an auditor
    checks a factor against (UAT1 F8: explain showed set@version and confidence only)."""
    from sqlalchemy import select

    from esgledger.store import schema as S

    ids, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.factors:
            ids.append(n.fact.id)
        stack += n.children
    if not ids:
        return {}
    ff = S.fact_factor
    with ws.store.engine.connect() as conn:
        rows = conn.execute(select(ff.c.fact_id, ff.c.pos, ff.c.factor_set, ff.c.edition, ff.c.source)
                            .where(ff.c.fact_id.in_(ids)).order_by(ff.c.fact_id, ff.c.pos)).all()
    out: dict[tuple[int, int], tuple[str, str, str]] = {}
    by_fact: dict[int, int] = {}
    for r in rows:  # positions as the node lists its factors (ordered by pos, from 0)
        i = by_fact.get(r.fact_id, 0)
        by_fact[r.fact_id] = i + 1
        out[(r.fact_id, i)] = (r.factor_set or "", r.edition or "", r.source or "")
    return out


def _citation_words(edition: str, source: str, lang: str, factors=None, confidence: str = "",
                    factor_set: str = "") -> str:
    """``版本：…；来源：…`` / ``edition: …; source: …``: the edition cited in ``lang`` as the
    factor sets cite it (library/editions.py: 《2006年IPCC国家温室气体清单指南》第3卷第4.4章 in a
    Chinese text), the source as the factor file gives it (a published title stays as published)."""
    from esgledger.library.editions import edition_text

    parts = []
    if edition:
        shown = edition_text(edition, lang, confidence, factors, factor_set.partition("@")[0] or None,
                             labelled=False) if factors is not None else edition
        parts.append(("版本：" if lang == "zh" else "edition: ") + shown)
    if source:
        parts.append(("来源：" if lang == "zh" else "source: ") + source)
    return ("；" if lang == "zh" else "; ").join(parts)


def explain_json(ws, node) -> dict:
    """The lineage tree as data (``explain --json``): each value with its method, equation,
    factors (key, value, unit, confidence, set, edition, source) and inputs."""
    cites = _factor_citations(ws, node)
    flags = _input_flags(ws, node)

    def one(n) -> dict:
        f = n.fact
        fl = flags.get(f.id) or {}
        factors = []
        for i, (key, value, unit, conf) in enumerate(n.factors):
            fset, edition, source = cites.get((f.id, i), ("", "", ""))
            factors.append({"factor": key, "factor_set": fset or None, "value": value, "unit": unit,
                            "confidence": conf, "edition": edition or None,
                            "edition_cited": _edition_cited(ws.factors, edition, conf, fset),
                            "source": source or None})
        method = None
        if n.method_parts:
            code, version, gwp = n.method_parts
            method = {"method": code, "version": version, "gwp_set": gwp}
        return {"entity": f.entity, "indicator": f.indicator, "dims": f.dims, "period": f.period,
                "basis": f.basis, "value": f.value, "unit": f.unit, "status": f.status,
                "weight": n.weight, "method": method, "equation": n.equation,
                "source": (_source(n) if n.source and f.status != "calculated" else None),
                "comment": fl.get("comment"), "input_kind": fl.get("kind"),
                "calibrated_to": fl.get("calibrated_to") or [],
                "illustrative": bool(fl.get("kind")) or fl.get("mark") == "illustrative",
                "report_mark": fl.get("mark"),
                "incomplete": (fl.get("incomplete") or {}).get(STATE.lang if STATE.lang in ("zh", "en") else "en"),
                "unapproved": _unapproved_json(fl.get("unapproved")),
                "factors": factors, "inputs": [one(ch) for ch in n.children]}

    return one(node)


def _unapproved_json(u: dict | None) -> dict | None:
    """What a value rests on that is not yet approved, as ``explain --json`` gives it: the
    entered facts (entity, indicator, period, dims, basis), an entered value's current status,
    the note in the reader's language."""
    if not u:
        return None
    return {"facts": u["facts"], "status": u["status"],
            "note": u[STATE.lang if STATE.lang in ("zh", "en") else "en"]}


def render_explain(ws, node) -> list[str]:
    """The lineage tree as text lines (never cropped: they are read and grepped). A factor
    line names the factor's edition and source as the calculation recorded them."""
    from esgledger.calc.equations import equation_text

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    cites = _factor_citations(ws, node)
    flags = _input_flags(ws, node)

    def label(n) -> str:
        f = n.fact
        ind = ws.library.get(f.indicator)
        name = ind.name.get(lang) if ind else f.indicator
        dims = f"[{f.dims}]" if f.dims else ""
        how = ""
        if ind is not None and ind.kind == "formula" and f.status == "calculated":
            how = f"  = {ind.formula}"
        elif f.basis != "own":
            how = f"  ({_named(BASIS_NAME, f.basis)})"
        w = f" × {n.weight}" if n.weight else ""
        if w and (n.role or "").startswith("structure:"):
            # the share held day by day less the product of the levels' weights (calc/consolidate/structure.py)
            w += ("（期内两级持股或控制变动的调整：按日持有份额减去逐级权重之积）" if lang == "zh" else
                  " (adjustment for a change of share or control at two levels in the period: the share "
                  "held day by day less the product of the levels' weights)")
        src = f"  ← {_source(n)}" if n.source and f.status != "calculated" else ""
        method = f"  [{_method(n, lang)}]" if n.method else ""
        shown, exact = _shown(f, ind)
        flag = _flag_words(flags.get(f.id), lang, calculated=f.status == "calculated" or bool(n.children))
        return f"{f.entity} {name} {f.indicator}{dims} {f.period}: {shown} {_unit(f.unit)}{exact}{w}{how}{method}{src}{flag}"

    lines = [label(node)]

    def add(n, prefix: str) -> None:
        items = [("equation", n.equation)] if n.equation else []
        items += [("factor", (j, fk)) for j, fk in enumerate(n.factors)] + [("fact", ch) for ch in n.children]
        for i, (kind, item) in enumerate(items):
            last = i == len(items) - 1
            if kind == "equation":  # as the lineage records it (the equation's own citation)
                lines.append(prefix + ("└── " if last else "├── ") + ("公式 " if lang == "zh" else "equation ")
                             + equation_text(item, lang))
                continue
            if kind == "factor":
                j, (key, value, factor_unit, conf) = item
                words = ["因子" if lang == "zh" else "factor", key, "=", value, _unit(factor_unit), f"({conf})"]
                fset, edition, source = cites.get((n.fact.id, j), ("", "", ""))
                cite = _citation_words(edition, source, lang, ws.factors, conf, fset)
                lines.append(prefix + ("└── " if last else "├── ") + " ".join(w for w in words if w)
                             + (("；" if lang == "zh" else "; ") + cite if cite else ""))
                continue
            lines.append(prefix + ("└── " if last else "├── ") + label(item))
            add(item, prefix + ("    " if last else "│   "))

    add(node, "")
    return lines
