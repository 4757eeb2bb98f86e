"""Derived indicators and consolidation up the entity tree.

:class:`Consolidation` is in :mod:`esgledger.calc.consolidate.run`, with the design notes (the
rules by aggregation, the bases the results are stored with); its parts by concern are in the
modules beside it:

* :mod:`.values`: a value in the run, and exact rationals as decimals;
* :mod:`.structure`: the period's bounds and the tree as the period sees it (link weights,
  structure corrections, the order of consolidation);
* :mod:`.formulas`: formula indicators (compiled, shares over the covered entities, the
  formulas reading what moved, unit factors);
* :mod:`.writing`: appending the values that changed with their lineage.

The names are re-exported here: ``from esgledger.calc.consolidate import Consolidation,
RunResult, APPROACHES, …``.
"""
from esgledger.calc.consolidate.formulas import formula_factor, formula_factor_for
from esgledger.calc.consolidate.run import APPROACHES, Consolidation, RunResult, no_longer_produced
from esgledger.calc.consolidate.structure import (membership_weights, period_bounds, period_end_weights,
                                                  structure_segments)
from esgledger.calc.consolidate.values import Value, to_decimal
from esgledger.calc.consolidate.writing import run_source

__all__ = ["APPROACHES", "Consolidation", "RunResult", "Value", "formula_factor", "formula_factor_for",
           "membership_weights", "no_longer_produced", "period_bounds", "period_end_weights", "run_source",
           "structure_segments", "to_decimal"]
