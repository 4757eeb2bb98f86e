"""Reconcile the three accounting views line by line (``esgledger calc reconcile``).

The lines are shared; the columns are each view's totals as ``calc run --view`` prints them:

* inventory (at the reporting root, by the approach): Scope 1, Scope 2 location-based and
  market-based, Scope 3;
* national ETS: one column per covered enterprise (a smelter company under the aluminium
  smelting guideline, a captive plant under the power-generation guideline, reported apart);
* product: one column per product figure (alumina, baked anode, electrolysis stage, liquid
  aluminium with its alumina and anodes, foil).

Lines, from the ledger's calculated facts of every entity: each direct source
(``emissions_by_source``), the entity's bought electricity and heat (``scope2_location`` /
``scope2_market``), each Scope 3 category (``scope3_emissions``), and for a smelter enterprise
the ETS view's method difference (its PFC at the guideline's coefficients). A line carries its
amount in every column that counts it, and for each view a note saying why the view counts it
or leaves it out. The inventory counts an entity at its share in the root's inventory; the ETS
and product views count facilities whole; the product view counts each captive plant's lines in
the proportion of its electricity the stages take (at that plant's factor per MWh supplied, as
the run passes it on to the units it supplies: calc/captive.py) and an upstream stage's lines again in liquid aluminium, in the
proportion of that stage's output the smelters consumed. So every column adds up to its view's
total; where a view's total holds an amount no line accounts for (a value entered rather than
calculated from sources), a line says so, and the column still adds up.

A line read from a figure that leaves out a source it should include carries that figure's
incomplete mark (calc/incomplete.py), and so does a column whose view total or any of whose
lines has one: the ETS method difference and an unmatched difference rest on the view's total.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from esgledger.calc.captive import supplier as captive_supplier, supplying_plants
from esgledger.calc.consolidate import Consolidation, to_decimal
from esgledger.calc.ghg import (ETS_POWER_SOURCES, ETS_SOURCES, PLANT_SOURCES, PRODUCT_STAGES, UPSTREAM_USE,
                                ets_enterprises)
from esgledger.calc.incomplete import is_incomplete, merge
from esgledger.calc.views import GUIDELINE, view_table
from esgledger.model.types import Dims
from esgledger.model.units import UNITS, plain

VIEW_NAMES = {"inventory": {"zh": "清单", "en": "inventory"}, "ets": {"zh": "全国碳市场", "en": "national ETS"},
              "product": {"zh": "产品", "en": "product"}}
INVENTORY = (("scope1_emissions", {"zh": "范围一", "en": "Scope 1"}),
             ("scope2_location", {"zh": "范围二（基于位置）", "en": "Scope 2 (location)"}),
             ("scope2_market", {"zh": "范围二（基于市场）", "en": "Scope 2 (market)"}),
             ("scope3_emissions", {"zh": "范围三", "en": "Scope 3"}))
# a note's text by key, then its parameters
NOTES = {
    "inv_out": {"zh": "不计入：该主体本期不在报告主体的清单边界内（份额为 0）",
                "en": "not counted: the entity is outside the reporting root's inventory for the period (share 0)"},
    "inv_method": {"zh": "不计入：清单按 IPCC 各槽型系数计算 PFC，此行只是全国碳市场口径的差额",
                   "en": "not counted: the inventory takes IPCC's PFC coefficients by cell technology; this line is "
                         "only the ETS view's difference"},
    "ets_in": {"zh": "计入 {entry} 的条目（{guideline}）", "en": "counted in {entry}'s entry ({guideline})"},
    "ets_no_entry": {"zh": "不计入：该主体不属于全国碳市场覆盖的企业（电解铝或发电企业、自备电厂）",
                     "en": "not counted: the entity is in no enterprise the ETS covers (a smelter or power company, "
                           "a captive plant)"},
    "ets_source": {"zh": "不计入：{guideline}不涵盖该排放源", "en": "not counted: the {guideline} does not cover this source"},
    "ets_aux": {"zh": "不计入：外购电力是 {entry} 报告中的辅助项（calc run --view ets）",
                "en": "not counted: purchased electricity is an auxiliary item of {entry}'s report (calc run --view ets)"},
    "ets_scope2": {"zh": "不计入：外购电力和热力不计入全国碳市场排放量",
                   "en": "not counted: purchased electricity and heat are not in the ETS emissions"},
    "ets_scope3": {"zh": "不计入：范围三不在全国碳市场边界内", "en": "not counted: Scope 3 is outside the ETS boundary"},
    "ets_method": {"zh": "方法差异：{entry} 的 PFC 按指南系数（斜率 0.143，C2F6/CF4 = 0.1）计算，减去清单按 IPCC 各槽型系数的计算值",
                   "en": "method difference: {entry}'s PFC at the guideline's coefficients (slope 0.143, C2F6/CF4 = 0.1) "
                         "less the inventory's at IPCC's by cell technology"},
    "prod_stage": {"zh": "计入{product}", "en": "counted in {product}"},
    "prod_liquid": {"zh": "并计入{liquid}", "en": "and in {liquid}"},
    "prod_upstream": {"zh": "并按比例计入{liquid}：电解消耗 {used} 吨 / 产出 {made} 吨",
                      "en": "and in {liquid} in the proportion the smelters consumed: {used} t of {made} t made"},
    "prod_power": {"zh": "经自备电厂供电按比例计入：各工序取用 {taken} 兆瓦时，按 {ef} 吨/兆瓦时（电厂供电 {supplied} 兆瓦时）",
                   "en": "counted via the captive plant's electricity, in proportion: the stages take {taken} MWh at "
                         "{ef} t/MWh (of {supplied} MWh supplied)"},
    "prod_power_none": {"zh": "不计入：本期没有产品工序取用该电厂的电力",
                        "en": "not counted: no product stage takes this plant's electricity in the period"},
    "prod_generation": {"zh": "不直接计入：发电排放经所供电力计入产品",
                        "en": "not counted directly: power generation reaches products through the electricity supplied"},
    "prod_not_stage": {"zh": "不计入：该主体不是产品的生产工序（{ptype}）",
                       "en": "not counted: the entity is not a process stage of a product ({ptype})"},
    "prod_no_figure": {"zh": "不计入：本期没有{product}的数值（未填报产量）",
                       "en": "not counted: the period has no {product} figure (no output reported)"},
    "prod_electricity": {"zh": "计入{product}：电网电力按剩余组合因子、绿电为零、外购热力按热力因子（即基于市场的范围二）",
                         "en": "counted in {product}: grid electricity at the residual mix, green power at "
                               "zero, bought heat at the heat factor (the market-based Scope 2)"},
    "prod_scope3": {"zh": "不计入：集团外部的上游排放；产品碳足迹为集团内摇篮到大门",
                    "en": "not counted: upstream outside the group; the footprint is cradle-to-gate inside the group"},
    "prod_method": {"zh": "不计入：产品口径采用清单的 PFC", "en": "not counted: the product view takes the inventory's PFC"},
    "unmatched": {"zh": "该口径合计中没有对应行的部分（直接填报而非由排放源计算的数值）",
                  "en": "the part of the view's total no line accounts for (a value entered rather than calculated "
                        "from sources)"},
}
ITEM_LABELS = {"scope2": {"zh": "外购电力和热力", "en": "Purchased electricity and heat"},
               "ets_method": {"zh": "全国碳市场 PFC 方法差异", "en": "ETS PFC method difference"},
               "unmatched": {"zh": "未对应的差额", "en": "unmatched difference"}}
# the printed table's headings (esgledger calc reconcile)
LEGEND = {"entity": {"zh": "主体", "en": "entity"}, "item": {"zh": "项目", "en": "line"},
          "share": {"zh": "计入清单比例", "en": "share in the inventory"}, "notes": {"zh": "说明", "en": "notes"},
          "total": {"zh": "合计", "en": "total"},
          "view_total": {"zh": "口径合计（calc run --view）", "en": "the view's total (calc run --view)"}}
PROCESS_TYPE = {"zh": "生产类型 {0}", "en": "process type {0}"}
TOLERANCE = Decimal("0.005")  # t CO2e: below this, a column and its view's total are the same figure


@dataclass(frozen=True)
class Column:
    """One view's total: ``key`` is ``view:figure`` (``inventory:scope1_emissions``,
    ``ets:TLYX``, ``product:alumina``)."""

    key: str
    view: str
    label: str


@dataclass
class Line:
    entity: str
    item: str                  # an emission source, "scope2", "scope3:<category>", "ets_method", "unmatched"
    label: str
    share: Fraction            # how much of the entity the inventory counts (approach, dates)
    values: dict[str, Decimal] = field(default_factory=dict)   # column key -> amount counted
    notes: dict[str, str] = field(default_factory=dict)        # view -> why it counts the line or not
    mark: str | None = None    # the incomplete mark of the figure it is read from (calc/incomplete.py)


@dataclass
class Reconciliation:
    period: str
    approach: str
    columns: list[Column] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    view_totals: dict[str, Decimal | None] = field(default_factory=dict)  # what `calc run --view` prints
    view_marks: dict[str, str] = field(default_factory=dict)  # the incomplete marks of those totals

    def totals(self) -> dict[str, Decimal]:
        """Each column's sum over the lines."""
        return {c.key: sum((ln.values.get(c.key, Decimal(0)) for ln in self.lines), Decimal(0))
                for c in self.columns}

    def column_marks(self) -> dict[str, str | None]:
        """Each column's incomplete mark: its view total's, merged with those of its lines."""
        return {c.key: merge([self.view_marks.get(c.key)] + [ln.mark for ln in self.lines if c.key in ln.values])
                for c in self.columns}

    def as_json(self) -> dict:
        tot, marks = self.totals(), self.column_marks()
        return {"period": self.period, "approach": self.approach,
                "columns": [{"key": c.key, "view": c.view, "label": c.label, "total": plain(tot[c.key]),
                             "view_total": None if self.view_totals.get(c.key) is None
                             else plain(self.view_totals[c.key]), "incomplete": marks[c.key]} for c in self.columns],
                "lines": [{"entity": ln.entity, "item": ln.item, "label": ln.label,
                           "share": str(to_decimal(ln.share)),
                           "values": {k: plain(v) for k, v in ln.values.items()}, "notes": ln.notes,
                           "incomplete": ln.mark}
                          for ln in self.lines]}


def inventory_shares(ws, period: str, approach: str) -> dict[str, Fraction]:
    """How much of each entity the corporate inventory of the reporting root counts: along every
    path from the root, the product of each membership's weight for the period (operational
    control: the part of the period under control; equity: that × the equity share), summed
    over the paths an entity took during the period, and where links at two levels of a path
    changed inside the period, the share held day by day (the root's structure corrections).
    The consolidation uses the same weights."""
    cons = Consolidation(ws.store, ws.library, ws.tree, period, approach, facts=[])
    root = ws.root()
    shares: dict[str, Fraction] = {root: Fraction(1)}
    for e in reversed(cons.order):  # parents before their children
        w = shares.get(e)
        if not w:
            continue
        for child, cw in cons.children_of.get(e, ()):
            shares[child] = shares.get(child, Fraction(0)) + w * cw
    for d, delta in cons.corrections.get(root, ()):
        shares[d] = shares.get(d, Fraction(0)) + delta
    return shares


def reconcile(ws, period: str, lang: str = "en", approach: str | None = None) -> Reconciliation:
    """The shared lines of the three views for ``period`` from the ledger's calculated facts
    (as far as the signed-in user may read them), labels and notes in ``lang``."""
    lang = lang if lang in ("zh", "en") else "en"
    approach = approach or ws.approach
    tree, lib = ws.tree, ws.library
    out = Reconciliation(period, approach)

    def note(key: str, **kw) -> str:
        return NOTES[key][lang].format(**kw)

    def product_name(p: str) -> str:
        return lib.dimension_member_label("product", p, lang)

    # the columns, and the totals the views print
    root = ws.root()
    inv = {r.key: r for r in view_table(ws, period, "inventory", approach, lang).rows}.get(root)
    for ind, label in INVENTORY:
        out.columns.append(Column(f"inventory:{ind}", "inventory", label[lang]))
        out.view_totals[f"inventory:{ind}"] = inv.values.get(ind) if inv else None
        if inv and ind in inv.marks:
            out.view_marks[f"inventory:{ind}"] = inv.marks[ind]
    for r in view_table(ws, period, "ets", approach, lang).rows:
        guide = GUIDELINE.get(tree.entities[r.key].process_type, {}).get(lang, "")
        out.columns.append(Column(f"ets:{r.key}", "ets", f"{r.key}（{guide}）" if lang == "zh" else f"{r.key} ({guide})"))
        out.view_totals[f"ets:{r.key}"] = r.values["ets_emissions"]
        if "ets_emissions" in r.marks:
            out.view_marks[f"ets:{r.key}"] = r.marks["ets_emissions"]
    for r in view_table(ws, period, "product", approach, lang).rows:
        out.columns.append(Column(f"product:{r.key}", "product", r.label))
        out.view_totals[f"product:{r.key}"] = r.values["product_emissions"]
        if "product_emissions" in r.marks:
            out.view_marks[f"product:{r.key}"] = r.marks["product_emissions"]
    keys = {c.key for c in out.columns}

    facts = {(f.entity, f.indicator, f.dims): f for f in ws.access.iter_current(period=period, basis="own")}

    def num(entity: str, indicator: str, dims: str = "") -> Decimal | None:
        f = facts.get((entity, indicator, dims))
        return None if f is None else Decimal(f.value)

    def tonnes(entity: str, indicator: str) -> Decimal | None:
        v = num(entity, indicator)
        return None if v is None else UNITS.convert(v, lib[indicator].unit, "吨")

    shares = inventory_shares(ws, period, approach)

    def counted(entity: str, value: Decimal) -> Decimal:
        share = shares.get(entity, Fraction(0))
        return value if share == 1 else to_decimal(Fraction(value) * share)

    # the product view's stages, as the run computes them (calc.ghg GhgRun._products)
    stage_of: dict[str, str] = {}         # entity -> its stage's product
    stage_codes: dict[str, list[str]] = {}
    for product, ptype, _out in PRODUCT_STAGES:
        stage_codes[product] = sorted(c for c, e in tree.entities.items() if e.process_type == ptype)
        for c in stage_codes[product]:
            stage_of[c] = product
    liquid = "product:liquid_aluminium" in keys
    # an upstream stage's share in liquid aluminium: the smelters' consumption / the stage's output
    in_liquid: dict[str, tuple[Decimal, Decimal]] = {}
    smelters = stage_codes["aluminium_electrolysis"]
    for product, ptype, out_ind in PRODUCT_STAGES:
        use = UPSTREAM_USE.get(product)
        if not liquid or use is None or f"product:{product}" not in keys:
            continue
        used = [tonnes(c, use) for c in smelters if num(c, use) is not None]
        made = [tonnes(c, out_ind) for c in stage_codes[product] if num(c, out_ind) is not None]
        if used and made and sum(made) != 0:
            in_liquid[product] = (sum(used, Decimal(0)), sum(made, Decimal(0)))

    def add(line: Line, key: str, value: Decimal) -> None:
        line.values[key] = line.values.get(key, Decimal(0)) + value

    def into_products(line: Line, product: str, value: Decimal, how: str) -> None:
        """Count ``value`` of a stage entity's line in its stage, and in liquid aluminium."""
        if f"product:{product}" not in keys:
            line.notes["product"] = note("prod_no_figure", product=product_name(product))
            return
        add(line, f"product:{product}", value)
        sep = "；" if lang == "zh" else "; "
        if product == "aluminium_electrolysis" and liquid:
            add(line, "product:liquid_aluminium", value)
            how += sep + note("prod_liquid", liquid=product_name("liquid_aluminium"))
        elif product in in_liquid:
            used, made = in_liquid[product]
            add(line, "product:liquid_aluminium", value * used / made)
            how += sep + note("prod_upstream", liquid=product_name("liquid_aluminium"), used=plain(used),
                              made=plain(made))
        line.notes["product"] = how

    # the captive plants with a factor, and the electricity each stage takes from each: a stage
    # entity's captive electricity at the factor of the plant that supplies it, as the run
    # chooses it (calc/captive.py); electricity without its plant is not counted, as in the run
    plants = sorted(c for c in tree.entities if num(c, "captive_plant_ef") is not None)
    candidates = supplying_plants(tree, lambda c: num(c, "captive_plant_ef") is not None
                                  or num(c, "power_supplied") is not None)
    captive_taken: dict[str, dict[str, Decimal]] = {p: {} for p in plants}  # plant -> product -> MWh
    for product, codes in stage_codes.items():
        for c in codes:
            mwh = num(c, "electricity_received", "supplier=captive")
            plant = captive_supplier(tree, c, candidates).plant
            if mwh is not None and plant in captive_taken:
                captive_taken[plant][product] = captive_taken[plant].get(product, Decimal(0)) + mwh
    plant_sum = {p: sum((num(p, "emissions_by_source", f"emission_source={s}") or Decimal(0)
                         for s in PLANT_SOURCES), Decimal(0)) for p in plants}

    entries = ets_enterprises(tree)
    entry_of = {m: top for top, members in entries.items() for m in members}

    def guideline(entry: str) -> str:
        return GUIDELINE.get(tree.entities[entry].process_type, {}).get(lang, "")

    def ets_part(line: Line, entity: str, src: str | None, value: Decimal | None = None) -> None:
        entry = entry_of.get(entity)
        if entry is None or f"ets:{entry}" not in keys:
            line.notes["ets"] = note("ets_no_entry")
            return
        if src is None:  # bought electricity and heat
            smelter = tree.entities[entry].process_type == "smelter"
            line.notes["ets"] = note("ets_aux", entry=entry) if smelter else note("ets_scope2")
            return
        covered = ETS_POWER_SOURCES if tree.entities[entry].process_type == "power_plant" else ETS_SOURCES
        if src in covered:
            line.values[f"ets:{entry}"] = value
            line.notes["ets"] = note("ets_in", entry=entry, guideline=guideline(entry))
        else:
            line.notes["ets"] = note("ets_source", guideline=guideline(entry))

    def inventory_part(line: Line, entity: str, column: str, value: Decimal) -> None:
        if line.share:
            line.values[f"inventory:{column}"] = counted(entity, value)
        else:
            line.notes["inventory"] = note("inv_out")

    def ptype_of(entity: str) -> str:
        return PROCESS_TYPE[lang].format(tree.entities[entity].process_type or "—")

    ordered = sorted(facts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
    # Scope 1: every direct source of every entity
    for (entity, ind, dims), f in ordered:
        if ind != "emissions_by_source" or entity not in tree.entities:
            continue
        src = dict(Dims.parse(dims))["emission_source"]
        value = Decimal(f.value)
        line = Line(entity, src, lib.dimension_member_label("emission_source", src, lang),
                    shares.get(entity, Fraction(0)))
        inventory_part(line, entity, "scope1_emissions", value)
        ets_part(line, entity, src, value)
        if src in PLANT_SOURCES and entity in plants:
            taken_by = captive_taken[entity]
            if not any(taken_by.values()):
                line.notes["product"] = note("prod_power_none")
            elif plant_sum[entity]:
                ef = num(entity, "captive_plant_ef")
                taken = Decimal(0)
                for product, _pt, _o in PRODUCT_STAGES:
                    mwh = taken_by.get(product, Decimal(0))
                    if mwh and f"product:{product}" in keys:
                        taken += mwh
                        # the line's part of the stage's E = MWh × EF: its share of the plant's
                        # emissions (line / plant_sum) of MWh × EF (domain reference §2.5)
                        into_products(line, product, value * mwh * ef / plant_sum[entity], "")
                line.notes["product"] = note("prod_power", taken=plain(taken), ef=plain(round(ef, 6)),
                                             supplied=plain(num(entity, "power_supplied") or Decimal(0)))
        elif src in ("power_generation", "desulphurisation"):
            line.notes["product"] = note("prod_generation")
        elif entity in stage_of:
            p = stage_of[entity]
            into_products(line, p, value, note("prod_stage", product=product_name(p)))
        else:
            line.notes["product"] = note("prod_not_stage", ptype=ptype_of(entity))
        out.lines.append(line)
    # the ETS view's PFC at the guideline's coefficients: one line of the difference per entry
    for entry in sorted(entries):
        key = f"ets:{entry}"
        if key not in keys or tree.entities[entry].process_type != "smelter":
            continue
        diff = out.view_totals[key] - sum((ln.values.get(key, Decimal(0)) for ln in out.lines), Decimal(0))
        if diff:
            out.lines.append(Line(entry, "ets_method", ITEM_LABELS["ets_method"][lang], shares.get(entry, Fraction(0)),
                                  {key: diff}, {"inventory": note("inv_method"), "ets": note("ets_method", entry=entry),
                                                "product": note("prod_method")}))
    # Scope 2: each entity's electricity and heat bought from outside the group
    for code in sorted(tree.entities):
        loc, market = num(code, "scope2_location"), num(code, "scope2_market")
        if loc is None and market is None:
            continue
        line = Line(code, "scope2", ITEM_LABELS["scope2"][lang], shares.get(code, Fraction(0)))
        for column, v in (("scope2_location", loc), ("scope2_market", market)):
            if v is not None:
                inventory_part(line, code, column, v)
        ets_part(line, code, None)
        if code in stage_of and market is not None:
            p = stage_of[code]
            into_products(line, p, market, note("prod_electricity", product=product_name(p)))
        else:
            line.notes["product"] = note("prod_not_stage", ptype=ptype_of(code))
        out.lines.append(line)
    # Scope 3: each category of each entity
    for (entity, ind, dims), f in ordered:
        if ind != "scope3_emissions" or not dims or entity not in tree.entities:
            continue
        cat = dict(Dims.parse(dims)).get("scope3_category")
        if cat is None:
            continue
        label = f"{INVENTORY[3][1][lang]} {lib.dimension_member_label('scope3_category', cat, lang)}"
        line = Line(entity, f"scope3:{cat}", label, shares.get(entity, Fraction(0)))
        inventory_part(line, entity, "scope3_emissions", Decimal(f.value))
        line.notes["ets"] = note("ets_scope3")
        line.notes["product"] = note("prod_scope3")
        out.lines.append(line)
    # what a view's total holds that no line accounts for
    tot = out.totals()
    for c in out.columns:
        want = out.view_totals.get(c.key)
        if want is not None and abs(want - tot[c.key]) > TOLERANCE:
            out.lines.append(Line(root if c.view != "ets" else c.key.split(":", 1)[1], "unmatched",
                                  ITEM_LABELS["unmatched"][lang], Fraction(1), {c.key: want - tot[c.key]},
                                  {c.view: note("unmatched")}))
    _mark_lines(out, facts)
    return out


def _mark_lines(rec: Reconciliation, facts: dict) -> None:
    """Each line's incomplete mark: that of the calculated figures it is read from; the ETS
    method difference and an unmatched difference rest on their view's total."""
    def mark(entity: str, indicator: str, dims: str = "") -> str | None:
        f = facts.get((entity, indicator, dims))
        return f.comment if f is not None and f.status == "calculated" and is_incomplete(f.comment) else None

    for ln in rec.lines:
        if ln.item == "scope2":
            ln.mark = merge([mark(ln.entity, "scope2_location"), mark(ln.entity, "scope2_market")])
        elif ln.item.startswith("scope3:"):
            ln.mark = mark(ln.entity, "scope3_emissions", f"scope3_category={ln.item.split(':', 1)[1]}")
        elif ln.item in ("ets_method", "unmatched"):
            ln.mark = merge(rec.view_marks.get(k) for k in ln.values)
        else:
            ln.mark = mark(ln.entity, "emissions_by_source", f"emission_source={ln.item}")


__all__ = ["LEGEND", "VIEW_NAMES", "Column", "Line", "Reconciliation", "inventory_shares", "reconcile"]
