"""GHG and energy accounting over the ledger: activity facts → emissions, in three reconciled views.

:class:`GhgRun` is in :mod:`esgledger.calc.ghg.run`, with the design notes (what a run reads
and writes, the inventory, national ETS and product views); its parts by concern are in the
modules beside it, each holding the constants (equations, maps) its part uses:

* :mod:`.common`: the activity indicators a run reads, what it produces (:class:`Source`,
  :class:`Output`, :class:`GhgRunResult`);
* :mod:`.memo`: the factor lookups and methodology calls a kept run remembers;
* :mod:`.inventory`: emission sources by process type, emissions by source, Scope 1 by gas;
* :mod:`.scope23`: Scope 2 and Scope 3;
* :mod:`.energy`: energy consumption (GB/T 2589), per entity and per product stage;
* :mod:`.ets`: the national ETS view, and which entities report together;
* :mod:`.products`: the product view (captive plants' factor, stages, liquid aluminium, foil);
* :mod:`.writing`: appending the results with their lineage.

The names are re-exported here: ``from esgledger.calc.ghg import GhgRun, SOURCE_GASES, …``.
"""
from esgledger.calc.ghg.common import (BOUGHT_ELECTRICITY, FOIL_METAL_INDICATOR, FUEL_INDICATORS, GHG_INPUTS,
                                       HEAT_INDICATOR, PASTE_INDICATOR, PURCHASED_INDICATOR, STAGE_ELECTRICITY,
                                       GhgRunResult, Output, Source)
from esgledger.calc.ghg.energy import EQ_ENERGY_CARRIER
from esgledger.calc.ghg.ets import (EQ_ETS, EQ_ETS_AUX, EQ_ETS_INTENSITY, EQ_ETS_PRODUCTION, ETS_POWER_SOURCES,
                                    ETS_PREFER, ETS_SOURCES, ets_enterprises)
from esgledger.calc.ghg.inventory import (EQ_SCOPE1, EQ_SCOPE1_GAS, EQ_SOURCE_LEFT_OUT, GAS_DIMS, OTHER_SOURCE_GASES,
                                          SOURCE_GASES, SOURCE_LEFT_OUT)
from esgledger.calc.ghg.memo import MemoFactors
from esgledger.calc.ghg.products import (CHAINED, EQ_FOIL, EQ_FOOTPRINT, EQ_LIQUID_AL, EQ_PRODUCT, PLANT_SOURCES,
                                         PRODUCT_READS, PRODUCT_STAGES, UPSTREAM_USE, foil_cradle_to_gate)
from esgledger.calc.ghg.run import GhgRun
from esgledger.calc.ghg.scope23 import EQ_SCOPE3, FACTOR_MATERIAL, FACTOR_MODE, MAT, UPSTREAM_FUEL
from esgledger.calc.ghg.writing import METHOD_VERSION, run_source

__all__ = [
    "BOUGHT_ELECTRICITY", "CHAINED", "EQ_ENERGY_CARRIER", "EQ_ETS", "EQ_ETS_AUX", "EQ_ETS_INTENSITY",
    "EQ_ETS_PRODUCTION", "EQ_FOIL", "EQ_FOOTPRINT", "EQ_LIQUID_AL", "EQ_PRODUCT", "EQ_SCOPE1", "EQ_SCOPE1_GAS",
    "EQ_SCOPE3", "EQ_SOURCE_LEFT_OUT", "ETS_POWER_SOURCES", "ETS_PREFER", "ETS_SOURCES", "FACTOR_MATERIAL",
    "FACTOR_MODE", "FOIL_METAL_INDICATOR", "FUEL_INDICATORS", "GAS_DIMS", "GHG_INPUTS", "GhgRun", "GhgRunResult",
    "HEAT_INDICATOR", "MAT", "METHOD_VERSION", "MemoFactors", "OTHER_SOURCE_GASES", "Output", "PASTE_INDICATOR",
    "PLANT_SOURCES", "PRODUCT_READS", "PRODUCT_STAGES", "PURCHASED_INDICATOR", "SOURCE_GASES",
    "SOURCE_LEFT_OUT", "STAGE_ELECTRICITY", "Source", "UPSTREAM_FUEL", "UPSTREAM_USE", "ets_enterprises",
    "foil_cradle_to_gate", "run_source",
]
