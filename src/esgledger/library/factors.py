"""Factor sets: versioned, cited emission and conversion factors, and their lookup.

Factor set files are data (``library/data/factors/*.yaml``, plus a workspace's own folders).
Each file is one set: a name, a version, and a list of values, every value with its key,
dimensions, exact decimal value, unit, source, edition, validity and confidence tag
(V, V-calc, S, R, R-low — see the domain reference §0); ``editions`` says how each edition
its values record is cited in zh and en (:mod:`esgledger.library.editions`). ``keys.yaml`` is
the key catalogue: what quantity each key is (its unit must fit) and which dimensions qualify it.

Loading is one function from files to ``(library, problems)``; a file with a missing citation,
a unit that does not fit, overlapping validity or any other problem is rejected with its file
and line (``ESG-FACTOR-001…008``, 011, 013, 014), and no half-loaded library is returned
(:mod:`esgledger.library.factor_files`).

Lookup picks one value and says which: the user's own sets first, then the shipped ones, each
kind with the sets named in ``prefer`` first and then by ``priority``; inside a set, the value
whose dimensions are the most specific, valid on the date asked, and for the nearest entity. A
value that leaves a dimension out is a default for every member of it, so a supplier-specific
factor wins over the generic one; a value for some entities (a plant's measured value) applies
only to them and everything under them (:mod:`esgledger.library.factor_library`).

This module hands on the names of those two, the ones the rest of esgledger imports.

>>> lib = load_factor_sets()
>>> v = lib.lookup("grid.ef", 2022, basis="average", area="national")
>>> (v.value, v.unit, v.confidence, v.set_name)
(Decimal('0.5366'), 'tCO2/MWh', 'V', 'cn_grid')
>>> lib.lookup("gwp", gas="CF4", gwp_set="AR5").value
Decimal('6630')
"""
from esgledger.library.factor_files import KEY_CATALOGUE, load_factor_sets, load_factor_sets_from
from esgledger.library.factor_library import (CONFIDENCE, STATUSES, Confidence, FactorError, FactorKey,
                                              FactorLibrary, FactorLookupError, FactorSet, FactorValue, Status,
                                              Text, validity_text)


__all__ = ["CONFIDENCE", "KEY_CATALOGUE", "STATUSES", "Confidence", "FactorError", "FactorKey", "FactorLibrary",
           "FactorLookupError", "FactorSet", "FactorValue", "Status", "Text", "load_factor_sets",
           "load_factor_sets_from", "validity_text"]
