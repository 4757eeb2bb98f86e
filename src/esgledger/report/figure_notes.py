"""Footnotes that say how a figure was obtained: its formula, its methodology and factor sets.

Two sources, both read from the ledger's own records:

- a formula-derived indicator (``kind: formula``) is footnoted with its formula, in words
  (吨电解铝二氧化碳排放量 = 电解铝生产二氧化碳排放总量 ÷ 电解铝产量);
- a figure computed by a methodology is footnoted with the method, its version, the GWP set
  and the factor sets with their editions, read from the calculation lineage
  (``fact_method`` / ``fact_factor`` of the calculation run) by :func:`method_notes`, walking
  down through consolidation to the facts the methodology wrote.

>>> from esgledger.library.loader import load_library
>>> formula_note(load_library(), "co2_per_tonne_aluminium", "en")
'CO2 per tonne of aluminium = CO2 from aluminium production ÷ Primary (electrolytic) aluminium output'
"""
from __future__ import annotations

import re

from sqlalchemy import select

_REF = re.compile(r"([a-z][a-z0-9_]*)(?:\[([^\]]*)\])?")
_OPS = {"/": " ÷ ", "*": " × ", "+": " + ", "-": " − "}
NOTE = {
    "method": {"zh": "按方法 {method}（版本 {version}）计算", "en": "Calculated by {method} (version {version})"},
    "gwp": {"zh": "GWP 取 {gwp}", "en": "GWP {gwp}"},
    "factors": {"zh": "因子集：{factors}", "en": "factor sets: {factors}"},
}


def formula_note(library, indicator: str, lang: str) -> str | None:
    """``name = formula`` with indicator names for a formula indicator; else None."""
    ind = library.get(indicator)
    if ind is None or ind.kind != "formula" or not ind.formula:
        return None

    def name(m: re.Match) -> str:
        ref = library.get(m.group(1))
        if ref is None:
            return m.group(0)
        text = ref.name.get(lang)
        if m.group(2):
            members = []
            for part in m.group(2).split(","):
                k, _, v = part.partition("=")
                members.append(library.dimension_member_label(k.strip(), v.strip(), lang))
            text += f"（{'、'.join(members)}）" if lang == "zh" else f" ({', '.join(members)})"
        return text

    body = _REF.sub(name, ind.formula)
    body = re.sub(r"\s*([/*+])\s*", lambda m: _OPS[m.group(1)], body)
    body = re.sub(r"\s+-\s+", _OPS["-"], body)
    return f"{ind.name.get(lang)} = {body}"


def _lineage_tables():
    """The calculation-lineage tables, when the store schema has them."""
    from esgledger.store import schema as S

    return getattr(S, "fact_method", None), getattr(S, "fact_factor", None), S.fact_input


def lineage_records(store, fact_ids, max_depth: int = 10) -> tuple[list[dict], list[dict]]:
    """``(methods, factors)`` recorded for ``fact_ids`` and every fact below them in the
    lineage (consolidation, formulas, the methodologies' own inputs)."""
    fact_method, fact_factor, fact_input = _lineage_tables()
    if fact_method is None or not fact_ids:
        return [], []
    methods: list[dict] = []
    factors: list[dict] = []
    todo = set(fact_ids)
    seen: set[int] = set()
    with store.engine.connect() as conn:
        for _ in range(max_depth):
            todo -= seen
            if not todo:
                break
            seen |= todo
            found = {r.fact_id: dict(r._mapping) for r in
                     conn.execute(select(fact_method).where(fact_method.c.fact_id.in_(todo)))}
            methods += found.values()
            if fact_factor is not None and found:
                factors += [dict(r._mapping) for r in
                            conn.execute(select(fact_factor).where(fact_factor.c.fact_id.in_(list(found)))
                                         .order_by(fact_factor.c.fact_id, fact_factor.c.pos))]
            todo = {r.input_fact_id for r in
                    conn.execute(select(fact_input.c.input_fact_id).where(fact_input.c.fact_id.in_(todo)))}
    return methods, factors


AGGREGATING_METHODS = ("sum", "product")  # they add up other methods' results


def method_notes(ws, fact_ids, lang: str) -> list[str]:
    """Footnote texts naming the methodologies, GWP set and factor sets behind facts, read
    from their lineage (``fact_method`` and ``fact_factor`` of the calculation run)."""
    methods, factors = lineage_records(ws.store, list(fact_ids))
    if not methods:
        return []
    names = sorted({(m["method"], m["version"]) for m in methods if m["method"] not in AGGREGATING_METHODS}) \
        or sorted({(m["method"], m["version"]) for m in methods})
    versions = sorted({v for _n, v in names})
    sep = "、" if lang == "zh" else ", "
    parts = [NOTE["method"][lang].format(method=sep.join(n for n, _ in names), version=sep.join(versions))]
    gwp = sorted({m["gwp_set"] for m in methods if m.get("gwp_set")})
    if gwp:
        parts.append(NOTE["gwp"][lang].format(gwp=sep.join(gwp)))
    sets = sorted({f["factor_set"] for f in factors})
    if sets:
        parts.append(NOTE["factors"][lang].format(factors=sep.join(sets)))
    return [("；" if lang == "zh" else "; ").join(parts) + ("。" if lang == "zh" else ".")]


def low_confidence_factors(ws, fact_ids) -> list[dict]:
    """Factor values with a confidence below V/S behind ``fact_ids`` (from lineage)."""
    _methods, factors = lineage_records(ws.store, list(fact_ids))
    return [f for f in factors if (f.get("confidence") or "") not in ("V", "S", "")]


def restated_through_lineage(store, fact_ids, max_depth: int = 8) -> set[int]:
    """The facts among ``fact_ids`` whose value rests on a restated input: an entered fact
    below them (through consolidation and formulas) that was approved earlier with another
    value. (A consolidated or calculated figure is restated when its inputs are.)"""
    _fm, _ff, fact_input = _lineage_tables()
    from esgledger.store import schema as S

    children: dict[int, set[int]] = {}
    frontier = set(fact_ids)
    seen: set[int] = set()
    with store.engine.connect() as conn:
        for _ in range(max_depth):
            frontier -= seen
            if not frontier:
                break
            seen |= frontier
            nxt: set[int] = set()
            for r in conn.execute(select(fact_input.c.fact_id, fact_input.c.input_fact_id)
                                  .where(fact_input.c.fact_id.in_(frontier))):
                children.setdefault(r.fact_id, set()).add(r.input_fact_id)
                nxt.add(r.input_fact_id)
            frontier = nxt
        f = S.fact.c
        candidates = [dict(r._mapping) for r in conn.execute(
            select(f.id, f.entity, f.indicator, f.period, f.dims, f.basis, f.value, f.revision)
            .where(f.id.in_(seen), f.basis == "own", f.revision > 1))]
    restated_leaves = set()
    for c in candidates:
        history = store.history(c["entity"], c["indicator"], c["period"], c["dims"], c["basis"])
        earlier = [h for h in history if h.revision < c["revision"]]
        if any(h.status == "approved" and h.value != c["value"] for h in earlier):
            restated_leaves.add(c["id"])
    if not restated_leaves:
        return set()

    memo: dict[int, bool] = {}

    def restated(fid: int, depth: int = 0) -> bool:
        if fid in memo:
            return memo[fid]
        memo[fid] = False  # cycles cannot occur; guard anyway
        memo[fid] = fid in restated_leaves or (depth < max_depth and any(
            restated(c, depth + 1) for c in children.get(fid, ())))
        return memo[fid]

    return {fid for fid in fact_ids if restated(fid)}
