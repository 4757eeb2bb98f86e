"""The inventory part of a GHG run: each entity's direct emission sources by the methodologies
of its process type (fuels, carbonates, the potlines' anodes, PFC and Søderberg paste, the anode
plant's pitch volatiles and packing coke, the captive plant's coal and desulphurisation), and
its emissions by source and Scope 1, in total and by gas. A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Iterable

from esgledger.calc.ghg.common import FUEL_INDICATORS, PASTE_INDICATOR, Source, _factors, _members
from esgledger.calc.ghg.memo import _Calls
from esgledger.calc.methods import CalcError, InvalidInput
from esgledger.calc.methods import alumina as m_alumina
from esgledger.calc.methods import aluminium as m_al
from esgledger.calc.methods import anode_plant as m_anode
from esgledger.calc.methods import combustion as m_comb
from esgledger.calc.methods import power_plant as m_power
from esgledger.calc.methods.result import Result, combine
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.types import FactRecord

GAS_DIMS = {"CO2": "co2", "CF4": "cf4", "C2F6": "c2f6", "CH4": "ch4", "N2O": "n2o"}
# the equations of figures that add up methodology results (recorded in their lineage, as a
# methodology's result records its own)
EQ_SCOPE1 = "Scope 1 = Σ sources' CO2e (GHG Protocol Corporate Standard; ISO 14064-1:2018)"
EQ_SCOPE1_GAS = "E_gas = Σ sources' mass of the gas × its GWP (GHG Protocol Corporate Standard)"
# an emission source none of whose parts could run (ESG-CALC-005): written at 0, marked incomplete,
# its lineage naming the facts its methodology could not take (GhgRun._inventory)
SOURCE_LEFT_OUT = "inventory.source_left_out"
EQ_SOURCE_LEFT_OUT = ("E_source = Σ of its parts whose methodology could run: none could (ESG-CALC-005), so 0, "
                      "marked incomplete: the figure leaves the source out")
# the gases each emission source's methodologies account (every method of a source gives the same
# ones: the anode-effect PFC methods CF4 and C2F6, IPCC 2006 Vol.3 §4.4.2.4; every other source
# CO2 under the NDRC 2013 aluminium guideline and IPCC 2006 Vol.3 ch.4); a source none of whose
# parts could run still has a per-gas part, at 0 and marked, for each of them
SOURCE_GASES = {"pfc": ("CF4", "C2F6")}
OTHER_SOURCE_GASES = ("CO2",)


class _Inventory:
    """GhgRun's emission sources and inventory figures."""

    def _sources(self, code: str) -> dict[str, Source]:
        """Direct emission sources of one entity, by methodology, each with the facts it read."""
        fx = self.fx(code)  # the factor library as asked for this entity
        out: dict[str, list[tuple[Result, list[FactRecord]]]] = {}
        pt = self.process_type(code)
        calls = self._calls[(code, "sources")] = _Calls(self._calls.get((code, "sources")))
        lost = self.missing[code] = []

        def not_run(source: str, what: str, exc: Exception, reads: Iterable[FactRecord | None]) -> None:
            """A source whose methodology cannot run: its problem (ESG-CALC-005), and the totals
            that should include it are marked incomplete."""
            self.problem(code, what, exc)
            lost.append((source, "ESG-CALC-005", [f for f in reads if f is not None]))

        def add(source: str, fn, *args, what: str, reads: Iterable[FactRecord | None], **kw) -> bool:
            """Run one methodology; False (and its problem reported) if it cannot run."""
            reads = list(reads)
            try:
                r = calls(fn, *args, **kw)
            except CalcError as exc:
                not_run(source, what, exc, reads)
                return False
            out.setdefault(source, []).append((r, [f for f in reads if f is not None]))
            return True

        on = self.year
        # fuels (the captive plant's coal is power generation, below)
        for ind_code, fuel in FUEL_INDICATORS.items():
            amount = self.fact(code, ind_code)
            if amount is not None:
                density = None
                if self.lib[ind_code].unit in ("升", "立方米") and fuel != "natural_gas":
                    # a liquid fuel metered by volume: its density from the factor sets (cited)
                    density = fx.find("fuel.density", on, fuel=fuel)
                add("combustion", m_comb.fuel_combustion_co2, amount.value, fuel=fuel, density=density,
                    amount_unit=amount.unit, factors=fx, on=on, what=ind_code, reads=[amount])
        ind_code = "solid_fuel_consumption"
        for dims in self.dims(code, ind_code):
            f = self.facts[(code, ind_code, dims)]
            fuel = _members(dims).get("fuel")
            ncv = self.num(code, "fuel_ncv_measured", dims)
            cc = self.num(code, "fuel_carbon_content_measured", dims)
            reads = [f, self.fact(code, "fuel_ncv_measured", dims), self.fact(code, "fuel_carbon_content_measured", dims)]
            if pt == "power_plant":
                # labelled with the fuel its facts name, which Scope 3 cat.3a reads
                add("power_generation", m_power.coal_combustion_co2, f.value, ncv=ncv, carbon_content=cc,
                    factors=fx, on=on, label=fuel or "coal", what=f"{ind_code}[{dims}]", reads=reads)
            else:
                add("combustion", m_comb.fuel_combustion_co2, f.value, fuel=fuel, amount_unit=f.unit, ncv=ncv,
                    carbon_content=cc, factors=fx, on=on, what=f"{ind_code}[{dims}]", reads=reads)
        limestone = self.fact(code, "limestone_consumption")
        if limestone is not None:
            if pt == "power_plant":  # the sorbent's CaCO3 content as measured, else 100 % (the method's default)
                purity = self.fact(code, "desulph_sorbent_purity")
                add("desulphurisation", m_power.desulphurisation_co2, limestone.value,
                    **({"purity_pct": purity.value} if purity is not None else {}), factors=fx,
                    what="limestone_consumption", reads=[limestone, purity])
            else:
                add("carbonate", m_alumina.limestone_co2, limestone.value, factors=fx, on=on,
                    what="limestone_consumption", reads=[limestone])
        soda = self.fact(code, "soda_ash_consumption")
        if soda is not None:
            add("carbonate", m_alumina.soda_ash_co2, soda.value, factors=fx, what="soda_ash_consumption",
                reads=[soda])
        # aluminium electrolysis (IPCC 2006 Vol.3 Eq.4.21; Eq.4.26/4.27)
        prod_t = self.tonnes(code, "aluminium_output")
        if prod_t is not None and pt == "smelter":
            production = self.fact(code, "aluminium_output")
            nac_total = self.tonnes(code, "net_anode_consumption")
            s, a = self.num(code, "anode_sulphur_content"), self.num(code, "anode_ash_content")
            tech = self.attr(code, "cell_technology") or "CWPB"
            try:
                soderberg = m_al.cell_technology(tech) in m_al.SODERBERG
            except CalcError:
                soderberg = False  # the PFC method names the unknown technology, below
            if soderberg:
                self._soderberg_anode(code, prod_t, production, add)
            elif nac_total is not None and prod_t == 0 and nac_total != 0:
                # a potline at a standstill that still reports anodes consumed (start-up, a
                # correction): Eq.4.21 works per tonne of aluminium, so it cannot say what they emitted
                not_run("anode", "net_anode_consumption", InvalidInput(
                    f"aluminium output is 0 t but {nac_total} t of anodes were consumed: the prebake "
                    "anode equation needs the net anode consumption per tonne of aluminium",
                    zh=f"原铝产量为 0 吨，但消耗阳极 {nac_total} 吨：预焙阳极排放公式需要吨铝阳极净耗"),
                        [production, self.fact(code, "net_anode_consumption")])
            elif nac_total is not None:
                with localcontext() as ctx:
                    ctx.prec = 34
                    nac = nac_total / prod_t if prod_t else Decimal(0)  # no metal, no anode: 0 t
                tier = 3 if s is not None and a is not None else 2
                add("anode", m_al.anode_co2_prebake, prod_t, nac, s, a, tier=tier, factors=fx,
                    on=on, what="net_anode_consumption",
                    reads=[production, self.fact(code, "net_anode_consumption"),
                           self.fact(code, "anode_sulphur_content"), self.fact(code, "anode_ash_content")])
            else:
                if add("anode", m_al.anode_co2_prebake, prod_t, tier=2, factors=fx, on=on,
                       prefer=("cn_aluminium_ndrc2013",), what="aluminium_output", reads=[production]):
                    self.defaulted(code, "net_anode_consumption", Bilingual(
                        "阳极净耗按 NDRC 2013 缺省值计", "net anode consumption at the NDRC 2013 default"),
                        Bilingual("阳极净耗量 net_anode_consumption（及硫分、灰分）",
                                  "the line's net_anode_consumption (and anode sulphur and ash)"))
            aem = self.num(code, "anode_effect_minutes")
            aeo, ce = self.num(code, "anode_effect_overvoltage"), self.num(code, "current_efficiency")
            if aeo is not None and ce is not None:
                if add("pfc", m_al.pfc_overvoltage, prod_t, aeo, ce, tech, fx, self.gwp, on=on,
                       what="anode_effect_overvoltage",
                       reads=[production, self.fact(code, "anode_effect_overvoltage"),
                              self.fact(code, "current_efficiency")]) and aem is not None:
                    self._method_chosen(code)
            elif aem is not None:
                add("pfc", m_al.pfc_slope, prod_t, aem, tech, fx, self.gwp, on=on,
                    what="anode_effect_minutes", reads=[production, self.fact(code, "anode_effect_minutes")])
            else:
                # no anode-effect data: centre-worked prebake lines (all of China's) take the
                # national guideline's default 0.034 / 0.0034 kg/t, as their anodes take its NAC
                # default; IPCC Table 4.14's Tier 1 (0.4 / 0.04 for CWPB) reflects 1990s cells
                # (domain reference §1.2, §2.1); other technologies take Table 4.14
                national = _technology_or_none(tech) == "CWPB"
                if add("pfc", m_al.pfc_tier1, prod_t, tech, fx, self.gwp, on=on, what="aluminium_output",
                       prefer=("cn_aluminium_ndrc2013",) if national else (), reads=[production]):
                    self.defaulted(code, "anode_effect_minutes", Bilingual(
                        "全氟化碳按缺省排放因子计（" + ("NDRC 2013" if national else "IPCC 2006 表 4.14") + "）",
                        "PFC at default factors (" + ("NDRC 2013" if national else "IPCC 2006 Table 4.14") + ")"),
                        Bilingual("阳极效应分钟数 anode_effect_minutes，或阳极效应过电压与电流效率",
                                  "the line's anode_effect_minutes, or its anode-effect overvoltage and current "
                                  "efficiency"))
        # anode plant (IPCC Eq.4.22, 4.23)
        green, baked = self.num(code, "green_anode_input"), self.tonnes(code, "anode_output")
        if pt == "anode_plant" and baked is not None:
            baked_f = self.fact(code, "anode_output")
            if green is not None:
                add("pitch_volatiles", m_anode.pitch_volatiles_co2, green, baked, factors=fx, on=on,
                    what="green_anode_input", reads=[self.fact(code, "green_anode_input"), baked_f])
            pcc_t = self.num(code, "packing_coke_consumption")
            if pcc_t is not None and baked == 0 and pcc_t != 0:
                # Eq.4.23 works per tonne of baked anode: coke burnt with no anode baked has no rate
                not_run("packing_coke", "packing_coke_consumption", InvalidInput(
                    f"no anode baked (0 t) but {pcc_t} t of packing coke consumed: the packing coke "
                    "equation needs the consumption per tonne of baked anode",
                    zh=f"焙烧阳极产量为 0 吨，但消耗填充焦 {pcc_t} 吨：填充焦排放公式需要吨焙烧阳极的填充焦消耗"),
                        [baked_f, self.fact(code, "packing_coke_consumption")])
            else:
                pcc = None if pcc_t is None else pcc_t / baked if baked else Decimal(0)  # 0 t of both
                add("packing_coke", m_anode.packing_coke_co2, baked, pcc=pcc, factors=fx, on=on,
                    what="anode_output", reads=[baked_f, self.fact(code, "packing_coke_consumption")])
        return {src: Source(rs[0][0] if len(rs) == 1 else calls(combine, tuple(r for r, _f in rs), label=src),
                            [f for _r, fs in rs for f in fs]) for src, rs in out.items()}

    def _method_chosen(self, code: str) -> None:
        """Anode-effect minutes on file beside the overvoltage and current efficiency: the PFC
        takes the overvoltage method (IPCC 2006 Vol.3 Eq.4.27) and the minutes are not used. Both
        are Tier 2/3 methods (Eq.4.26, 4.27); which one fits depends on what the cells' process
        control records (the overvoltage: Pechiney-type control; domain reference §1.2), and one
        source takes one method. The run says which it took and which data it left aside
        (ESG-CALC-016)."""
        self.res.problems.append(Problem("ESG-CALC-016", Location(field=f"{code}/anode_effect_minutes"), {
            "entity": code, "indicator": "anode_effect_minutes", "period": self.period,
            "field": Bilingual("全氟化碳（PFC）排放", "the PFC"),
            "found": Bilingual("过电压法（IPCC 2006 式 4.27，按阳极效应过电压 anode_effect_overvoltage 和电流效率 "
                               "current_efficiency）",
                               "the overvoltage method (IPCC 2006 Eq.4.27, from anode_effect_overvoltage and "
                               "current_efficiency)"),
            "expected": Bilingual("斜率法（IPCC 2006 式 4.26，按阳极效应分钟数）",
                                  "the slope method (IPCC 2006 Eq.4.26, from the anode-effect minutes)")}))

    def _soderberg_anode(self, code: str, prod_t: Decimal, production: FactRecord, add) -> None:
        """Process CO2 of Søderberg cells (VSS, HSS): the paste-consumption balance (IPCC 2006
        Vol.3 Eq.4.24; 40 CFR 98 Eq.F-8) when the line's paste consumption is given, else the
        Tier 1 default for Søderberg, 1.7 t CO2/t Al (Eq.4.19, Table 4.10). Never the prebake
        anode equation: prebaked anodes' NAC, S and ash do not describe paste."""
        tech = m_al.cell_technology(self.attr(code, "cell_technology"))
        paste = self.fact(code, PASTE_INDICATOR)
        if self.fact(code, "net_anode_consumption") is not None:
            self.problem(code, "net_anode_consumption", CalcError(
                f"{tech} cells consume paste, not prebaked anodes: net anode consumption is not used "
                f"(give {PASTE_INDICATOR} for IPCC Eq.4.24)",
                zh=f"{tech} 自焙槽消耗阳极糊而非预焙阳极：阳极净耗量不参与计算（请填报阳极糊消耗量 "
                   f"{PASTE_INDICATOR}，按 IPCC 式 4.24 核算）"))
        if paste is not None:
            with localcontext() as ctx:
                ctx.prec = 34
                pc = self.tonnes(code, PASTE_INDICATOR) / prod_t if prod_t else Decimal(0)
            add("anode", m_al.paste_co2_soderberg, prod_t, pc, technology=tech,
                paste=self.attr(code, "paste_type") or "dry", factors=self.fx(code), on=self.year,
                what=PASTE_INDICATOR, reads=[production, paste])
        else:
            add("anode", m_al.anode_co2_tier1, prod_t, "soderberg", factors=self.fx(code), on=self.year,
                what="aluminium_output", reads=[production])

    def _inventory(self, code: str, srcs: dict[str, Source]) -> None:
        """The entity's emissions by source and its Scope 1 (and by gas); those that leave out a
        source whose methodology could not run are marked incomplete, and a Scope 1 is written
        (0 if nothing else) when every source failed, so that the totals above it carry the mark.
        A source none of whose parts could run is written too, at 0 and marked (the part of it
        that could be computed: nothing), so that the parent's figure of that source, which
        consolidation sums from its entities', carries the mark instead of being silently low;
        so do its gases' parts of Scope 1 (:data:`SOURCE_GASES`), at 0 where no source gives them."""
        mark, lost_reads = self.left_out([code])
        total = Decimal(0)
        by_gas: dict[str, Decimal] = {}
        used: list = []  # the factors of every source, for the total's lineage
        gas_used: dict[str, list] = {}  # and of the sources of each gas, with its GWP
        for src, source in srcs.items():
            r = source.result
            if r.gwp_set not in (None, self.gwp):
                r = r.with_gwp(self.gwp, self.fx(code))
            co2e, r_used = r.total, _factors(r)
            self._source_out[(code, src)] = self.emit(
                code, "emissions_by_source", f"emission_source={src}", co2e, source.reads, source.result,
                source.result.method, "inventory", factors=r_used if r is not source.result else (),
                comment=self.left_out([code], (src,))[0] if mark else None)
            total += co2e
            used += r_used
            for gas, mass in r.values.items():
                g = GAS_DIMS.get(gas)
                if g is None:
                    continue
                gas_used.setdefault(g, []).extend(r_used)
                if gas == "CO2":
                    w = Decimal(1)
                else:
                    gwp = self.fx(code).gwp(gas, self.gwp)
                    w = gwp.value
                    gas_used[g].append(gwp)
                by_gas[g] = by_gas.get(g, Decimal(0)) + mass * w
        for src in sorted({s for s, _c, _r in self.missing.get(code, ()) if s not in srcs}):
            self._source_out.pop((code, src), None)
            self.emit(code, "emissions_by_source", f"emission_source={src}", Decimal(0),
                      [f for s, _c, rs in self.missing[code] if s == src for f in rs], None, SOURCE_LEFT_OUT,
                      "inventory", equation=EQ_SOURCE_LEFT_OUT, comment=self.left_out([code], (src,))[0])
            # and so the parent's figure of each of its gases carries the mark, even a gas no
            # other source of the entity emits (the Søderberg line's CF4 and C2F6)
            for gas in SOURCE_GASES.get(src, OTHER_SOURCE_GASES):
                gas_used.setdefault(GAS_DIMS[gas], [])
                by_gas.setdefault(GAS_DIMS[gas], Decimal(0))
        if srcs or mark:
            inputs = [f for source in srcs.values() for f in source.reads] + lost_reads
            self.emit(code, "scope1_emissions", "", total, inputs, None, "inventory.scope1", "inventory",
                      factors=used, equation=EQ_SCOPE1, comment=mark)
            for g, v in sorted(by_gas.items()):
                self.emit(code, "scope1_emissions", f"gas={g}", v, inputs, None, "inventory.scope1", "inventory",
                          factors=gas_used[g], equation=EQ_SCOPE1_GAS, comment=mark)


def _technology_or_none(text: str) -> str | None:
    try:
        return m_al.cell_technology(text)
    except CalcError:
        return None  # the PFC method names the unknown technology
