"""The national ETS view of a GHG run: each covered enterprise's emissions under its guideline
(the aluminium guideline's sources, PFC coefficients and GWP set, or the power-generation
guideline's for a captive plant), its auxiliary electricity and production basis, and which
entities report together (:func:`ets_enterprises`). A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

from esgledger.calc.ghg.common import Source, _factors
from esgledger.calc.methods import CalcError
from esgledger.calc.methods import aluminium as m_al
from esgledger.model.tree import EntityTree

ETS_SOURCES = ("combustion", "anode", "pfc", "carbonate")          # MEE aluminium guideline §5
# the national ETS view's coefficients: the 2024 guideline's, then its 2013 predecessor's
ETS_PREFER = ("cn_aluminium_mee2024", "cn_aluminium_ndrc2013")
ETS_POWER_SOURCES = ("power_generation", "desulphurisation", "combustion")  # MEE 发电设施 guideline
EQ_ETS = {"smelter": "E = E_combustion + E_anode + E_PFC + E_carbonate (MEE CETS-AG-04.01-V01-2024 §5); "
                     "purchased electricity is an auxiliary item, not counted",
          "power_plant": "E = E_combustion + E_desulphurisation (MEE 发电设施 guideline; the captive plant "
                         "reports on its own)"}
EQ_ETS_AUX = "purchased electricity, MWh (MEE CETS-AG-04.01-V01-2024: auxiliary item, not in the total)"
EQ_ETS_PRODUCTION = ("P = Σ liquid aluminium (铝液) tapped by the enterprise's lines, t (MEE CETS-AG-04.01-V01-2024 "
                     "§8: the production basis)")
EQ_ETS_INTENSITY = "intensity = the enterprise's ETS emissions / its liquid aluminium output (t CO2e per t)"


class _Ets:
    """GhgRun's national ETS figures."""

    def ets_gwp(self) -> str:
        """The GWP set of the national ETS aluminium view for the run's year: the one the
        guideline's factor set declares (``gwp_set:`` of the first set of ETS_PREFER with a value
        for the year, the set its PFC coefficients come from: ``cn_aluminium_mee2024``, AR5, CF4
        6630 / C2F6 11100, from 2024; ``cn_aluminium_ndrc2013``, SAR, 6500 / 9200, before it;
        domain reference §2.1, §2.3, §4), whatever the report's GWP set (which the inventory
        follows: AR6 for CDP is legitimate there, not in a compliance figure). The report's set
        only where none of them declares one."""
        if self._ets_gwp is None:
            start, end = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
            self._ets_gwp = self.gwp
            for name in ETS_PREFER:
                fs = self.factors.sets.get(name)
                if fs is not None and any(v.applies(start, end) for v in fs.values):
                    self._ets_gwp = fs.gwp_set or self.gwp
                    break
        return self._ets_gwp

    def _ets_company(self, code: str) -> None:
        e = self.tree.entities[code]
        members = self.ets_of_company()[code]
        smelter = e.process_type != "power_plant"
        wanted = ETS_SOURCES if smelter else ETS_POWER_SOURCES
        # the aluminium guideline's GWP set; the power-generation guideline's sources are CO2
        gwp = self.ets_gwp() if smelter else self.gwp
        total, ins, used = Decimal(0), [], []
        for m in members:
            for src in wanted:
                source = self.sources.get(m, {}).get(src)
                if src == "pfc" and source is not None:
                    source = self._ets_pfc(m, source, gwp)
                if source is not None:
                    r = source.result
                    if r.gwp_set not in (None, gwp):
                        r = r.with_gwp(gwp, self.fx(m))
                    total += r.total
                    ins += source.reads
                    used += _factors(r)
        mark, lost_reads = self.left_out(members, wanted)
        emissions = None
        if ins or mark:
            emissions = self.emit(code, "ets_emissions", "", total, ins + lost_reads, None, f"ets.{e.process_type}",
                                  "ets", factors=used, equation=EQ_ETS.get(e.process_type), comment=mark, gwp=gwp)
        if not smelter:
            return
        grid = [self.fact(m, "electricity_received", "supplier=grid") for m in members]
        grid = [g for g in grid if g is not None]
        mwh = sum((Decimal(g.value) for g in grid), Decimal(0))
        for m in members:  # purchased electricity counted as grid electricity (ESG-CALC-013)
            rest, purchased = self.purchased_as_grid(m)
            if purchased is not None:
                mwh += rest
                grid.append(purchased)
        if grid:
            self.emit(code, "ets_aux_electricity", "", mwh, grid, None,
                      "ets.auxiliary_electricity", "ets", equation=EQ_ETS_AUX, gwp=gwp)
        # the guideline's production basis, liquid aluminium (铝液产量: aluminium_output, the
        # metal tapped from the pots) of the enterprise's lines, and its emissions per tonne
        made = [f for f in (self.fact(m, "aluminium_output") for m in members) if f is not None]
        if not made:
            return
        tonnes = sum((self.tonnes(f.entity, "aluminium_output") for f in made), Decimal(0))
        basis = self.emit(code, "ets_liquid_aluminium", "", tonnes, made, None, "ets.production", "ets",
                          equation=EQ_ETS_PRODUCTION, gwp=gwp)
        if emissions is not None and tonnes:
            with localcontext() as ctx:
                ctx.prec = 34
                self.emit(code, "ets_intensity", "", total / tonnes, [emissions, basis], None, "ets.intensity",
                          "ets", factors=used, equation=EQ_ETS_INTENSITY, comment=mark, gwp=gwp)

    def _ets_pfc(self, code: str, source: Source, gwp: str) -> Source:
        """A line's PFC as the national ETS guideline computes it: the same method and activity
        data as the inventory's, with the guideline's coefficients first (MEE CETS-AG-04.01-V01-2024
        as implemented, then NDRC 2013 for years before it: slope 0.143 for every technology,
        EF_C2F6 = 0.1 × EF_CF4, 0.034 / 0.0034 kg/t without anode-effect data; domain reference
        §2.1, §2.3), where the inventory takes IPCC 2006's coefficients by cell technology
        (CWPB: C2F6/CF4 0.121), and the guideline's GWP set ``gwp`` (:meth:`ets_gwp`). A
        coefficient the guideline does not give (the overvoltage coefficient) stays IPCC's; the
        lineage names the set of every value."""
        kind = source.result.method.split(":")[-1]
        prod_t = self.tonnes(code, "aluminium_output")
        tech = self.attr(code, "cell_technology") or "CWPB"
        kw = {"on": self.year, "prefer": ETS_PREFER}
        try:
            if kind == "pfc_slope":
                r = m_al.pfc_slope(prod_t, self.num(code, "anode_effect_minutes"), tech, self.fx(code), gwp, **kw)
            elif kind == "pfc_overvoltage":
                r = m_al.pfc_overvoltage(prod_t, self.num(code, "anode_effect_overvoltage"),
                                         self.num(code, "current_efficiency"), tech, self.fx(code), gwp, **kw)
            elif kind == "pfc_tier1":
                r = m_al.pfc_tier1(prod_t, tech, self.fx(code), gwp, **kw)
            else:
                return source
        except CalcError:
            return source  # the inventory's own computation already reported what is wrong
        return Source(r, source.reads)


def ets_enterprises(tree: EntityTree) -> dict[str, list[str]]:
    """The national ETS entries and their members, by the entity that reports.

    * a smelter or power-plant company with its own sites and units (not its subsidiary
      companies);
    * a captive power plant that is a site or unit of another company (or of the group), with
      its own sites and units: it reports under the power-generation guideline on its own
      (MEE CETS-AG-04.01-V01-2024: an aluminium enterprise's power-generation facilities are
      accounted under their own sector's guideline), so it is not a member of the company's
      entry."""
    kids: dict[str, set[str]] = {}
    for ch, ms in tree.memberships.items():
        for m in ms:
            if m.parent is not None:
                kids.setdefault(m.parent, set()).add(ch)

    def plant(code: str) -> bool:
        e = tree.entities[code]
        return e.level in ("site", "unit") and e.process_type == "power_plant"

    def members(top: str, power: bool) -> list[str]:
        out, todo = {top}, [top]
        while todo:
            for ch in sorted(kids.get(todo.pop(), ())):
                if ch in out or tree.entities[ch].level not in ("site", "unit"):
                    continue
                if plant(ch) and not power:
                    continue  # a captive plant: an entry of its own
                out.add(ch)
                todo.append(ch)
        return sorted(out)

    out = {code: members(code, e.process_type == "power_plant") for code, e in sorted(tree.entities.items())
           if e.level == "company" and e.process_type in ("smelter", "power_plant")}
    in_power = {m for top, ms in out.items() if tree.entities[top].process_type == "power_plant" for m in ms}
    for code in sorted(tree.entities):
        if not plant(code) or code in in_power:
            continue
        if any(m.parent is not None and plant(m.parent) for m in tree.memberships.get(code, [])):
            continue  # a unit of a captive plant site: a member of the plant's entry
        out[code] = members(code, True)
        in_power.update(out[code])
    return dict(sorted(out.items()))
