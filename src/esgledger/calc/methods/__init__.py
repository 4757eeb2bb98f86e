"""Methodologies: one module per family, pure functions on Decimal that cite their equations.

combustion, electricity, power_plant, aluminium, anode_plant, alumina, scope3, energy; the
shared result records are in ``result``. Programmer errors (an unknown cell technology, a
float where a decimal belongs, a fraction where a percentage belongs) raise a ``CalcError``.
"""
from esgledger.model.errors import EsgledgerError


class CalcError(EsgledgerError, ValueError):
    """A methodology was called wrongly."""


class InvalidInput(CalcError):
    """An input is of the wrong type, negative, or outside its range."""


class MissingInput(CalcError):
    """A value the chosen tier or method needs was not given and has no default."""


class UnknownTechnology(CalcError):
    """A cell technology (or cell type, carbonate, transport mode) that the method does not know."""


class FactorUnitMismatch(CalcError):
    """A factor's unit cannot be converted to the unit the equation needs."""


class MixedGwpSets(CalcError):
    """Results computed with different GWP sets cannot be added."""


__all__ = ["CalcError", "FactorUnitMismatch", "InvalidInput", "MissingInput", "MixedGwpSets",
           "UnknownTechnology"]
