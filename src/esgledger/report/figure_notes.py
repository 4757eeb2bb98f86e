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
    # the product view's figure of one process stage (electrolysis, alumina, anodes): the
    # stage's own emissions and those of the electricity and heat it uses, not cradle to gate
    "product:stage": {"zh": "工序产品碳排放（本工序直接排放及所用电力、热力的排放）",
                      "en": "the process stage's product emissions (its direct emissions and those of the "
                            "electricity and heat it uses)"},
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
    # an emission source whose methodology could not run: 0, marked incomplete (calc/incomplete.py)
    "inventory.source_left_out": {"zh": "核算方法无法执行的排放源（未计入，不完整）",
                                  "en": "an emission source whose methodology could not run (left out, incomplete)"},
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
    "ets.production": {"zh": "全国碳市场核算（铝液产量，产量口径）",
                       "en": "national ETS accounting (liquid aluminium output, the production basis)"},
    "ets.intensity": {"zh": "全国碳市场核算（吨铝液排放量）",
                      "en": "national ETS accounting (emissions per tonne of liquid aluminium)"},
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


def edition_text(edition: str, lang: str, confidence: str = "", factors=None) -> str:
    """An edition the lineage records as a reader cites it in ``lang``: the citation the factor
    sets give it (``editions`` of the set files, :mod:`esgledger.library.editions`), the
    published source, never a project document; a value no public source gives is an
    esgledger default and says so, with its confidence. An edition no set cites (a workspace's
    own) is printed as it is.

    >>> edition_text("2023年电力二氧化碳排放因子", "en")
    'MEE/NBS electricity CO2 emission factors for 2023'
    >>> edition_text("domain reference §3.2", "zh", "R")
    'esgledger 缺省值，无公开来源，置信度 R'
    """
    from esgledger.library.editions import edition_text as cite

    return cite(edition, lang, confidence, factors)


def factor_set_name(ws, ref: str, lang: str, editions=(), confidence: str = "") -> str:
    """A factor set as the lineage records it (``carbonates@2025.1``) by its title in ``lang``
    with the editions of the values used (the lineage's ``fact_factor.edition``, the published
    source's own edition, cited in ``lang``: :func:`edition_text`): 《中国电力二氧化碳排放因子》
    （生态环境部、国家统计局《2023年电力二氧化碳排放因子》）. The set's own version is
    esgledger's, not the source's: it is named only when no edition is recorded, and labelled
    as such (UAT1 F8, UAT4 F-M7/F-M8).

    ``editions`` may be ``(years, edition)`` pairs when the report's years used different
    editions: each is named with its years (2022年：…；2023年、2024年：…)."""
    name, _, version = ref.partition("@")
    title = _set_titles(ws.factors).get(name)
    text = getattr(title, lang, None) if title is not None else None
    zh = lang == "zh"
    eds = [e for e in dict.fromkeys(editions) if e]
    if not text:
        text = name if eds else None
        if text is None:
            return ref
    quoted = f"《{text}》" if zh else text
    if eds:
        parts = []
        for e in eds:
            if isinstance(e, tuple):
                years, ed = e
                when = ("、".join(f"{y}年" for y in years) + "：") if zh else (", ".join(map(str, years)) + ": ")
                parts.append(when + edition_text(ed, lang, confidence, ws.factors))
            else:
                parts.append(edition_text(e, lang, confidence, ws.factors))
        body = "；".join(parts) if zh else "; ".join(parts)
        return f"{quoted}（{body}）" if zh else f"{quoted} ({body})"
    if not version:
        return text
    return f"{quoted}（esgledger 因子集版本 {version}）" if zh else f"{quoted} (esgledger factor set version {version})"


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


def _stage_products(ws, fact_ids) -> set[int]:
    """The facts among ``fact_ids`` (written by the ``product`` method) that are one process
    stage's figure rather than a cradle-to-gate one: liquid aluminium's (UAT4 F-L7) or foil's,
    which adds the metal it takes in at liquid aluminium's footprint (audit A3-H1)."""
    from esgledger.store import schema as S

    if not fact_ids:
        return set()
    with ws.store.engine.connect() as conn:
        return {r.id for r in conn.execute(select(S.fact.c.id, S.fact.c.dims).where(S.fact.c.id.in_(list(fact_ids))))
                if not any(f"product={p}" in (r.dims or "") for p in ("liquid_aluminium", "foil"))}


def method_notes(ws, fact_ids, lang: str, years: dict | None = None) -> list[str]:
    """Footnote texts naming the methodologies, GWP set and factor sets behind facts, read
    from their lineage (``fact_method`` and ``fact_factor`` of the calculation run).

    ``years``: ``{year: fact ids}`` of the same figure in every year the table shows; when a
    factor set's editions differ between the years (the 2022 column on the 2022 grid factors,
    2023 and 2024 on the 2023 ones), the note names each edition with its years (UAT4 F-M7)."""
    methods, factors = lineage_records(ws.store, list(fact_ids))
    if not methods:
        return []
    stage = _stage_products(ws, {m["fact_id"] for m in methods if m["method"] == "product"})
    for m in methods:
        if m["method"] == "product" and m["fact_id"] in stage:
            m["method"] = "product:stage"
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
        editions = _editions(factors)
        per_year: dict[int, dict[str, tuple]] = {}
        for year, ids in sorted((years or {}).items()):
            if ids:
                per_year[year] = _editions(lineage_records(ws.store, list(ids))[1])
        confidence = {}
        for f in factors:
            confidence.setdefault(f["factor_set"], set()).add(f.get("confidence") or "")
        texts = []
        for s_ in sets:
            eds: list = list(editions[s_])
            seen = {y: e[s_] for y, e in per_year.items() if s_ in e}
            if len(set(seen.values())) > 1:  # the years used different editions: each with its years
                groups: dict[tuple, list[int]] = {}
                for y, e in seen.items():
                    groups.setdefault(e, []).append(y)
                eds = [(tuple(ys), ed) for e, ys in groups.items() for ed in e]
            conf = "/".join(sorted(c for c in confidence[s_] if c))
            texts.append(factor_set_name(ws, s_, lang, eds, conf))
        # titles have commas of their own: sets are separated as list items of a sentence
        parts.append(NOTE["factors"][lang].format(factors=("；" if lang == "zh" else "; ").join(texts)))
    return [("。" if lang == "zh" else ". ").join(parts) + ("。" if lang == "zh" else ".")]


def _editions(factors) -> dict[str, tuple[str, ...]]:
    """Factor set → the editions of its values used, sorted."""
    out: dict[str, set[str]] = {}
    for f in factors:
        out.setdefault(f["factor_set"], set()).add(f.get("edition") or "")
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _method_list(names: list[str], lang: str) -> str:
    """Method names as a list in a sentence: 、 in Chinese; in English "A and B", "A; B and C"
    (a name has commas of its own, and "A, B, method version 1.0" ran two names together:
    UAT1 F8)."""
    if lang == "zh":
        return "、".join(names)
    if len(names) < 2:
        return "".join(names)
    return "; ".join(names[:-1]) + " and " + names[-1]


# The confidence tags below V/S (docs/methodology.md "Confidence tags"; the framework index's †
# legend): recalled (R), a placeholder or an inference (R-low, R-inferred), an incomplete
# secondary source (S-low). V-calc is checked by computation, as good as V (audit A5-L4).
LOW_CONFIDENCE = ("R", "R-low", "R-inferred", "S-low")


def low_confidence_factors(ws, fact_ids) -> list[dict]:
    """Factor values with a confidence below V/S (:data:`LOW_CONFIDENCE`) behind ``fact_ids``
    (from lineage)."""
    _methods, factors = lineage_records(ws.store, list(fact_ids))
    return [f for f in factors if (f.get("confidence") or "") in LOW_CONFIDENCE]


def walk_inputs(conn, fact_ids, max_depth: int, visit=None) -> tuple[dict[int, set[int]], set[int]]:
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


def leaves_below(fact_ids, children: dict[int, set[int]], leaves, max_depth: int) -> dict[int, frozenset]:
    """Each fact among ``fact_ids`` and every fact below them (as :func:`walk_inputs` found
    them) → the ``leaves`` it is or has below it; ``leaves`` a set of ids, or a mapping of ids
    to what each stands for (a fact's key: two revisions of one key count once)."""
    own = leaves if isinstance(leaves, dict) else {i: i for i in leaves}
    memo: dict[int, frozenset] = {}
    none: frozenset = frozenset()

    def below(fid: int, depth: int = 0) -> frozenset:
        if fid in memo:
            return memo[fid]
        memo[fid] = none  # cycles cannot occur; guard anyway
        found = {own[fid]} if fid in own else set()
        if depth < max_depth:
            for c in children.get(fid, ()):
                found |= below(c, depth + 1)
        memo[fid] = frozenset(found) if found else none
        return memo[fid]

    if own:
        for fid in fact_ids:
            below(fid)
    return memo


def _resting_on(fact_ids, children: dict[int, set[int]], leaves: set[int], max_depth: int) -> set[int]:
    """The facts among ``fact_ids`` that are one of ``leaves`` or have one below them."""
    found = leaves_below(fact_ids, children, leaves, max_depth)
    return {fid for fid in fact_ids if found.get(fid)}


def restated_through_lineage(store, fact_ids, max_depth: int = 8) -> set[int]:
    """The facts among ``fact_ids`` whose value rests on a restated input: an entered fact
    below them (through consolidation and formulas) that was approved earlier with another
    value. (A consolidated or calculated figure is restated when its inputs are.)"""
    from esgledger.store import schema as S

    with store.engine.connect() as conn:
        children, seen = walk_inputs(conn, fact_ids, max_depth)
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


# The comment convention of the interchange format (it has no data-quality column: the comment
# column carries it). A comment that starts with one of these words says what kind of figure
# the row is, in either language:
#
#   illustrative | 示意         an invented value (a typical value, a placeholder);
#   split | 拆分               a share of a published group total spread over the companies: the
#                              split is illustrative, the group total is published;
#   calibrated to IND[, IND] | 校准至 IND[、IND]
#                              an illustrative value solved so that the group's figure of each
#                              named indicator comes out at its published value.
#
# A comment that starts otherwise ("as published", "entered in 吨", a blank) marks nothing.
ILLUSTRATIVE_MARKERS = ("illustrative", "示意")
SPLIT_MARKERS = ("split", "拆分")
CALIBRATED_MARKERS = ("calibrated", "校准")
_CALIBRATED_TO = re.compile(r"^(?:calibrated\s+to|校准至)\s*([a-z][a-z0-9_]*(?:\s*(?:,|、|and)\s*[a-z][a-z0-9_]*)*)",
                            re.I)
# the order of a figure's statuses, weakest first: a figure has the strongest of its inputs'
FIGURE_STATUSES = ("calibrated", "split", "illustrative", "incomplete")
FIGURE_NOTES = {
    "illustrative": {"zh": "示意值：所依据的输入数据在台账中标注为示意（见其备注），并非完全基于实际报告数据。",
                     "en": "Illustrative value: it rests on input data marked illustrative in the ledger (their "
                           "comment), not on reported data alone."},
    "split": {"zh": "分公司数据为示意：集团合计为公布值，其在各公司之间的分配为示意（见台账备注）。",
              "en": "Company-level figure illustrative: the group total is published; how it is split over the "
                    "companies is illustrative (see the ledger's comment)."},
    "calibrated": {"zh": "与公布值一致：所依据的输入数据为示意值，经校准与公布的合计一致（见台账备注）。",
                   "en": "As published: the inputs are illustrative, calibrated to the published total (see the "
                         "ledger's comment)."},
    # a calculated figure that leaves out a source whose methodology could not run, or an energy
    # use that did not convert to standard coal (calc/incomplete.py): the strongest mark,
    # whatever else its inputs are
    "incomplete": {"zh": "不完整：该数值未计入核算方法无法执行的排放源或能源消费（见计算值备注及 esgledger explain），"
                         "实际值更高。",
                   "en": "Incomplete: the figure leaves out an emission source or energy use whose methodology could "
                         "not run (see the calculated value's comment and esgledger explain); the actual figure is "
                         "higher."},
}


def _starts(text: str, words) -> bool:
    """``text`` starts with one of ``words`` as a word (``split`` but not ``splitting``)."""
    for w in words:
        if text.startswith(w):
            rest = text[len(w):]
            if not rest or not (w.isascii() and (rest[0].isalnum() or rest[0] == "_")):
                return True
    return False


def comment_status(comment: str | None) -> tuple[str | None, tuple[str, ...]]:
    """What a fact's comment says the row is: ``(status, calibration targets)``, status one of
    ``illustrative``, ``split``, ``calibrated`` or None. A calibrated value is illustrative in
    itself; it names the indicators whose group figure it makes come out as published (a
    ``calibrated`` without ``to IND`` names none and reads as illustrative).

    >>> comment_status("illustrative; own alumina from JXTG"), comment_status("as published")
    (('illustrative', ()), (None, ()))
    >>> comment_status("拆分：集团合计为公布值"), comment_status("calibrated to co2_alumina_production: coal solved")
    (('split', ()), ('calibrated', ('co2_alumina_production',)))
    """
    text = (comment or "").strip()
    low = text.lower()
    m = _CALIBRATED_TO.match(text)
    if m:
        return "calibrated", tuple(re.split(r"\s*(?:,|、|and)\s*", m.group(1).lower()))
    if _starts(low, ILLUSTRATIVE_MARKERS) or _starts(low, CALIBRATED_MARKERS):
        return "illustrative", ()
    if _starts(low, SPLIT_MARKERS):
        return "split", ()
    return None, ()


def is_illustrative_comment(comment: str | None) -> bool:
    """True for a comment that flags its fact as not reported data as it stands (illustrative,
    calibrated or a company-level split of a published total).

    >>> is_illustrative_comment("illustrative; own alumina from JXTG"), is_illustrative_comment("as published")
    (True, False)
    """
    return comment_status(comment)[0] is not None


def figure_statuses(store, fact_ids, group: str, max_depth: int = 12) -> dict[int, str]:
    """The facts among ``fact_ids`` that are, or rest on (through consolidation, formulas and
    the methodologies' inputs), a fact whose comment marks it (:func:`comment_status`), each with
    the status its printed figure has: ``illustrative``, ``split`` or ``calibrated``; or
    ``incomplete``, a calculated figure marked as leaving out a source (calc/incomplete.py) and
    anything resting on one, whatever else it rests on. Facts with none are left out.

    ``group`` is the entity whose totals are published (the report entity):

    - a split reaches the group's figure through consolidation only: the group total is the
      published one, no mark; a company's figure, or one a method or formula computed from
      split figures of the companies (at a company or at the group), is ``split`` (at a
      company) or ``illustrative`` (the group's, summed from such figures);
    - the group's figure of an indicator that a calibrated input below it names is
      ``calibrated`` (it equals the published value whatever else below it is illustrative),
      and so is a figure computed at the group from it and from published figures;
    - anything else resting on an illustrative or calibrated input is ``illustrative``.
    """
    from esgledger.calc.incomplete import parse as incomplete_items
    from esgledger.store import schema as S

    info: dict[int, tuple] = {}
    with store.engine.connect() as conn:
        def read(level: set[int]) -> None:
            f = S.fact.c
            for r in conn.execute(select(f.id, f.entity, f.indicator, f.period, f.basis, f.comment)
                                  .where(f.id.in_(level))):
                info[r.id] = (r.entity, r.indicator, r.period, r.basis, r.comment)

        children, _seen = walk_inputs(conn, fact_ids, max_depth, visit=read)
    rank = {s: i for i, s in enumerate(FIGURE_STATUSES)}
    memo: dict[int, tuple[str | None, frozenset]] = {}

    def worst(statuses) -> str | None:
        found = [s for s in statuses if s]
        return max(found, key=lambda s: rank.get(s, len(rank))) if found else None

    def status(fid: int, depth: int = 0) -> tuple[str | None, frozenset]:
        # (status, calibration targets still open): "split_sum" is a split that reached this
        # figure through consolidation only (it becomes the published total at the group)
        if fid in memo:
            return memo[fid]
        memo[fid] = (None, frozenset())  # cycles cannot occur; guard anyway
        entity, indicator, period, basis, comment = info.get(fid, (None, None, None, "own", None))
        kids = [status(c, depth + 1) for c in children.get(fid, ())] if depth < max_depth else []
        if incomplete_items(comment) or any(s == "incomplete" for s, _t in kids):
            memo[fid] = ("incomplete", frozenset())
            return memo[fid]
        if not kids:
            own, targets = comment_status(comment)
            out = ("split_sum", frozenset()) if own == "split" else \
                  ("illustrative", frozenset((t, period) for t in targets)) if own else (None, frozenset())
            memo[fid] = out
            return out
        targets = frozenset().union(*(t for _s, t in kids))
        if entity == group and (indicator, period) in targets:
            memo[fid] = ("calibrated", frozenset())
            return memo[fid]
        states = {s for s, _t in kids}
        consolidation = basis != "own"
        if "split_sum" in states:
            states.discard("split_sum")
            if consolidation and entity == group:
                pass                                        # the published group total
            elif consolidation:
                states.add("split_sum")                     # a part of the sum, so far
            else:
                states.add("split" if entity != group else "illustrative")
        if "split" in states and consolidation and entity == group:
            states.discard("split")                         # summed from figures computed on splits
            states.add("illustrative")
        s = "split_sum" if states == {"split_sum"} else worst(states - {"split_sum"}) or \
            ("split_sum" if "split_sum" in states else None)
        memo[fid] = (s, targets)
        return memo[fid]

    out = {}
    for fid in fact_ids:
        s, _t = status(fid)
        if s == "split_sum":
            s = "split"       # a company's figure (or the group's own part) of a split
        if s:
            out[fid] = s
    return out


def illustrative_through_lineage(store, fact_ids, max_depth: int = 12, group: str | None = None) -> set[int]:
    """The facts among ``fact_ids`` whose figure carries a mark (:func:`figure_statuses`);
    with no ``group``, every figure resting on a marked input."""
    if group is None:
        from esgledger.store import schema as S

        flagged: set[int] = set()
        with store.engine.connect() as conn:
            def flag(level: set[int]) -> None:
                for r in conn.execute(select(S.fact.c.id, S.fact.c.comment).where(S.fact.c.id.in_(level))):
                    if is_illustrative_comment(r.comment):
                        flagged.add(r.id)

            children, _seen = walk_inputs(conn, fact_ids, max_depth, visit=flag)
        return _resting_on(fact_ids, children, flagged, max_depth)
    return set(figure_statuses(store, fact_ids, group, max_depth))
