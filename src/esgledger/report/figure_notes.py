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
'CO2e per tonne of aluminium = CO2e from aluminium production ÷ Primary (electrolytic) aluminium output'
"""
from __future__ import annotations

import re
import weakref

from sqlalchemy import select

_REF = re.compile(r"([a-z][a-z0-9_]*)(?:\[([^\]]*)\])?")
_OPS = {"/": " ÷ ", "*": " × ", "+": " + ", "-": " − "}
NOTE = {
    "method": {"zh": "按{method}计算，方法版本 {version}", "en": "Calculated as {method}, method version {version}"},
    "gwp": {"zh": "GWP 取 IPCC {gwp}", "en": "GWP from IPCC {gwp}"},
    "factors": {"zh": "因子：{factors}", "en": "Factors: {factors}"},
}

# The calculation methods by the ids the lineage records (``fact_method.method``), as a
# reader names them. An id is ``method[:variant]`` or a dotted aggregate (``inventory.scope1``,
# ``ets.smelter``); one not listed is named by its family (the part before ``:``), else shown
# as it is.
METHOD_NAMES: dict[str, dict[str, str]] = {
    "product": {"zh": "产品碳足迹（集团内摇篮到大门）", "en": "the product footprint (cradle-to-gate inside the group)"},
    "sum": {"zh": "各排放源加总", "en": "the sum of the emission sources"},
    "fuel_combustion": {"zh": "化石燃料燃烧排放", "en": "fossil-fuel combustion emissions"},
    "captive_power_plant": {"zh": "自备电厂排放", "en": "captive power plant emissions"},
    "purchased_electricity": {"zh": "外购电力排放", "en": "purchased electricity emissions"},
    "purchased_heat": {"zh": "外购热力排放", "en": "purchased heat emissions"},
    "purchased_electricity+purchased_heat": {"zh": "外购电力和热力排放", "en": "purchased electricity and heat emissions"},
    "alumina_refinery": {"zh": "氧化铝生产排放", "en": "alumina refining emissions"},
    "alumina_refinery:carbonate": {"zh": "碳酸盐分解排放", "en": "carbonate decomposition emissions"},
    "alumina_refinery:limestone": {"zh": "石灰石分解排放", "en": "limestone decomposition emissions"},
    "anode_plant": {"zh": "阳极生产排放", "en": "anode production emissions"},
    "anode_plant:pitch_volatiles": {"zh": "阳极焙烧沥青挥发分排放", "en": "pitch volatiles of anode baking"},
    "anode_plant:packing_coke": {"zh": "阳极焙烧填充料焦排放", "en": "packing coke of anode baking"},
    "aluminium": {"zh": "电解铝生产排放", "en": "aluminium smelting emissions"},
    "aluminium:anode_tier1": {"zh": "阳极消耗排放（方法一）", "en": "anode consumption emissions (Tier 1)"},
    "aluminium:anode_prebake_tier2": {"zh": "预焙阳极消耗排放（方法二）", "en": "prebake anode consumption emissions (Tier 2)"},
    "aluminium:anode_prebake_tier3": {"zh": "预焙阳极消耗排放（方法三）", "en": "prebake anode consumption emissions (Tier 3)"},
    "aluminium:paste_soderberg": {"zh": "自焙阳极糊消耗排放", "en": "Søderberg paste consumption emissions"},
    "aluminium:pfc_slope": {"zh": "阳极效应全氟化碳排放（斜率法）", "en": "anode-effect PFC emissions (slope method)"},
    "aluminium:pfc_overvoltage": {"zh": "阳极效应全氟化碳排放（过电压法）", "en": "anode-effect PFC emissions (overvoltage method)"},
    "scope3": {"zh": "范围三排放", "en": "Scope 3 emissions"},
    "scope3:cat1": {"zh": "范围三 类别1 外购商品和服务", "en": "Scope 3 category 1, purchased goods and services"},
    "scope3:cat3a": {"zh": "范围三 类别3 外购燃料的上游排放", "en": "Scope 3 category 3, upstream emissions of purchased fuels"},
    "scope3:cat3b": {"zh": "范围三 类别3 外购电力的上游排放", "en": "Scope 3 category 3, upstream emissions of purchased electricity"},
    "scope3:cat3c": {"zh": "范围三 类别3 输配电损耗", "en": "Scope 3 category 3, transmission and distribution losses"},
    "scope3:cat4": {"zh": "范围三 类别4 上游运输", "en": "Scope 3 category 4, upstream transportation"},
    "inventory.scope1": {"zh": "范围一排放加总", "en": "the Scope 1 total"},
    "inventory.scope3": {"zh": "范围三排放加总", "en": "the Scope 3 total"},
    "energy": {"zh": "综合能耗（GB/T 2589）", "en": "energy use (GB/T 2589)"},
    "energy:calorific": {"zh": "综合能耗（GB/T 2589，当量值）", "en": "energy use (GB/T 2589, calorific value)"},
    "energy:equivalent": {"zh": "综合能耗（GB/T 2589，等价值）", "en": "energy use (GB/T 2589, equivalent value)"},
    "energy.product:calorific": {"zh": "单位产品综合能耗（GB/T 2589，当量值）",
                                 "en": "energy per unit of product (GB/T 2589, calorific value)"},
    "energy.product:equivalent": {"zh": "单位产品综合能耗（GB/T 2589，等价值）",
                                  "en": "energy per unit of product (GB/T 2589, equivalent value)"},
    "ets": {"zh": "全国碳市场核算", "en": "national ETS accounting"},
    "ets.smelter": {"zh": "全国碳市场核算（铝冶炼企业）", "en": "national ETS accounting (aluminium smelter)"},
    "ets.power_plant": {"zh": "全国碳市场核算（发电设施）", "en": "national ETS accounting (power generation)"},
    "ets.auxiliary_electricity": {"zh": "全国碳市场核算（外购电力辅助项）",
                                  "en": "national ETS accounting (purchased electricity, auxiliary item)"},
}
_SCOPE3_CATEGORY = re.compile(r"^inventory\.scope3\.c(\d+)$")


def method_name(method: str, lang: str) -> str:
    """A calculation method's name in ``lang`` from the id the lineage records.

    >>> method_name("aluminium:pfc_slope", "zh")
    '阳极效应全氟化碳排放（斜率法）'
    >>> method_name("inventory.scope3.c4", "en")
    'the Scope 3 category 4 total'
    """
    lang = lang if lang in ("zh", "en") else "en"
    if method in METHOD_NAMES:
        return METHOD_NAMES[method][lang]
    m = _SCOPE3_CATEGORY.match(method)
    if m:
        return f"范围三 类别{m.group(1)} 加总" if lang == "zh" else f"the Scope 3 category {m.group(1)} total"
    for family in (method.partition(":")[0], method.partition(".")[0]):
        if family in METHOD_NAMES:
            return METHOD_NAMES[family][lang]
    return method


_TITLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _set_titles(factors) -> dict:
    """Factor set name → title, once per loaded factor sets (a report asks for every table)."""
    titles = _TITLES.get(factors)
    if titles is None:
        titles = _TITLES[factors] = {fs.name: fs.title for fs in factors.list_sets()}
    return titles


def factor_set_name(ws, ref: str, lang: str, editions=()) -> str:
    """A factor set as the lineage records it (``carbonates@2025.1``) by its title in
    ``lang`` with its version: 《碳酸盐分解排放因子》2025.1 版 / Carbonate decomposition
    factors (edition 2025.1); the id as it is when the set has no title.

    ``editions``: the editions of the values used (the lineage's ``fact_factor.edition``, the
    published source's own edition such as 2023年电力二氧化碳排放因子): they are the edition,
    the set's version is named as such (UAT1 F8: the set version read as the edition)."""
    name, _, version = ref.partition("@")
    title = _set_titles(ws.factors).get(name)
    text = getattr(title, lang, None) if title is not None else None
    eds = [e for e in dict.fromkeys(editions) if e]
    if not text:
        text = name if eds else None
        if text is None:
            return ref
    if eds:
        if lang == "zh":
            return f"《{text}》（{'、'.join(eds)}；因子集 {version} 版）" if version else f"《{text}》（{'、'.join(eds)}）"
        return f"{text} (edition {' / '.join(eds)}" + (f"; factor set version {version})" if version else ")")
    if not version:
        return text
    return f"《{text}》{version} 版" if lang == "zh" else f"{text} (edition {version})"


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
        for depth in range(max_depth):
            todo -= seen
            if not todo:
                break
            seen |= todo
            found = {r.fact_id: {**r._mapping, "depth": depth} for r in
                     conn.execute(select(fact_method).where(fact_method.c.fact_id.in_(todo)))}
            methods += found.values()
            if fact_factor is not None and found:
                factors += [dict(r._mapping) for r in
                            conn.execute(select(fact_factor).where(fact_factor.c.fact_id.in_(list(found)))
                                         .order_by(fact_factor.c.fact_id, fact_factor.c.pos))]
            todo = {r.input_fact_id for r in
                    conn.execute(select(fact_input.c.input_fact_id).where(fact_input.c.fact_id.in_(todo)))}
    return methods, factors


AGGREGATING_METHODS = ("sum",)  # they add up other methods' results


def method_notes(ws, fact_ids, lang: str) -> list[str]:
    """Footnote texts naming the methodologies, GWP set and factor sets behind facts, read
    from their lineage (``fact_method`` and ``fact_factor`` of the calculation run)."""
    methods, factors = lineage_records(ws.store, list(fact_ids))
    if not methods:
        return []
    names = sorted({(m["method"], m["version"]) for m in methods if m["method"] not in AGGREGATING_METHODS}) \
        or sorted({(m["method"], m["version"]) for m in methods})
    # the methods nearest the figures first (a product footprint, then the captive plant's
    # factor it reads), each level by name
    depth: dict[tuple, int] = {}
    for m in methods:
        key = (m["method"], m["version"])
        depth[key] = min(depth.get(key, m["depth"]), m["depth"])
    names.sort(key=lambda n: (depth[n], n))
    versions = sorted({v for _n, v in names})
    sep = "、" if lang == "zh" else ", "
    shown = list(dict.fromkeys(method_name(n, lang) for n, _ in names))  # two variants may share a name
    parts = [NOTE["method"][lang].format(method=_method_list(shown, lang), version=sep.join(versions))]
    gwp = sorted({m["gwp_set"] for m in methods if m.get("gwp_set")})
    if gwp:
        parts.append(NOTE["gwp"][lang].format(gwp=sep.join(gwp)))
    sets = sorted({f["factor_set"] for f in factors})
    if sets:
        editions: dict[str, list[str]] = {}
        for f in factors:
            editions.setdefault(f["factor_set"], []).append(f.get("edition") or "")
        # titles have commas of their own: sets are separated as list items of a sentence
        parts.append(NOTE["factors"][lang].format(factors=("；" if lang == "zh" else "; ").join(
            factor_set_name(ws, s, lang, sorted(set(editions[s]))) for s in sets)))
    return [("。" if lang == "zh" else ". ").join(parts) + ("。" if lang == "zh" else ".")]


def _method_list(names: list[str], lang: str) -> str:
    """Method names as a list in a sentence: 、 in Chinese; in English "A and B", "A; B and C"
    (a name has commas of its own, and "A, B, method version 1.0" ran two names together:
    UAT1 F8)."""
    if lang == "zh":
        return "、".join(names)
    if len(names) < 2:
        return "".join(names)
    return "; ".join(names[:-1]) + " and " + names[-1]


def low_confidence_factors(ws, fact_ids) -> list[dict]:
    """Factor values with a confidence below V/S behind ``fact_ids`` (from lineage)."""
    _methods, factors = lineage_records(ws.store, list(fact_ids))
    return [f for f in factors if (f.get("confidence") or "") not in ("V", "S", "")]


def _walk_inputs(conn, fact_ids, max_depth: int, visit=None) -> tuple[dict[int, set[int]], set[int]]:
    """The inputs below ``fact_ids`` through the lineage, level by level, up to ``max_depth``
    levels: (each fact's input ids, every fact id reached). ``visit(level)`` sees each level's
    ids before their inputs are read."""
    _fm, _ff, fact_input = _lineage_tables()
    children: dict[int, set[int]] = {}
    frontier = set(fact_ids)
    seen: set[int] = set()
    for _ in range(max_depth):
        frontier -= seen
        if not frontier:
            break
        seen |= frontier
        if visit is not None:
            visit(frontier)
        nxt: set[int] = set()
        for r in conn.execute(select(fact_input.c.fact_id, fact_input.c.input_fact_id)
                              .where(fact_input.c.fact_id.in_(frontier))):
            children.setdefault(r.fact_id, set()).add(r.input_fact_id)
            nxt.add(r.input_fact_id)
        frontier = nxt
    return children, seen


def _resting_on(fact_ids, children: dict[int, set[int]], leaves: set[int], max_depth: int) -> set[int]:
    """The facts among ``fact_ids`` that are one of ``leaves`` or have one below them."""
    if not leaves:
        return set()
    memo: dict[int, bool] = {}

    def rests(fid: int, depth: int = 0) -> bool:
        if fid in memo:
            return memo[fid]
        memo[fid] = False  # cycles cannot occur; guard anyway
        memo[fid] = fid in leaves or (depth < max_depth and any(rests(c, depth + 1)
                                                                for c in children.get(fid, ())))
        return memo[fid]

    return {fid for fid in fact_ids if rests(fid)}


def restated_through_lineage(store, fact_ids, max_depth: int = 8) -> set[int]:
    """The facts among ``fact_ids`` whose value rests on a restated input: an entered fact
    below them (through consolidation and formulas) that was approved earlier with another
    value. (A consolidated or calculated figure is restated when its inputs are.)"""
    from esgledger.store import schema as S

    with store.engine.connect() as conn:
        children, seen = _walk_inputs(conn, fact_ids, max_depth)
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
    return _resting_on(fact_ids, children, restated_leaves, max_depth)


# A fact's comment that starts with one of these marks it as an illustrative or estimated
# input, not reported data (the interchange format has no data-quality column: the comment
# column carries it, as the demo's comparison years do).
ILLUSTRATIVE_MARKERS = ("illustrative", "示意")


def is_illustrative_comment(comment: str | None) -> bool:
    """True for a comment that flags its fact as illustrative (``illustrative…``, ``示意…``).

    >>> is_illustrative_comment("illustrative; own alumina from JXTG"), is_illustrative_comment("as published")
    (True, False)
    """
    text = (comment or "").strip().lower()
    return text.startswith(ILLUSTRATIVE_MARKERS)


def illustrative_through_lineage(store, fact_ids, max_depth: int = 12) -> set[int]:
    """The facts among ``fact_ids`` that are, or rest on (through consolidation, formulas and
    the methodologies' inputs), a fact whose comment flags it as illustrative (UAT1 F7: the
    demo's comparison years are built from illustrative inputs and were printed as reported
    data)."""
    from esgledger.store import schema as S

    flagged: set[int] = set()
    with store.engine.connect() as conn:
        def flag(level: set[int]) -> None:
            for r in conn.execute(select(S.fact.c.id, S.fact.c.comment).where(S.fact.c.id.in_(level))):
                if is_illustrative_comment(r.comment):
                    flagged.add(r.id)

        children, _seen = _walk_inputs(conn, fact_ids, max_depth, visit=flag)
    return _resting_on(fact_ids, children, flagged, max_depth)
