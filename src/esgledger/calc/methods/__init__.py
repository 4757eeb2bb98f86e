"""Methodologies: one module per family, pure functions on Decimal that cite their equations.

combustion, electricity, power_plant, aluminium, anode_plant, alumina, scope3, energy; the
shared result records are in ``result``. Programmer errors (an unknown cell technology, a
float where a decimal belongs, a fraction where a percentage belongs) raise a ``CalcError``.

A ``CalcError`` carries its text in English and in Chinese: ``str(exc)`` is the English,
``exc.message`` a :class:`~esgledger.model.errors.Bilingual` that a :class:`Problem`
parameter renders in the reader's language (ESG-CALC-005).

>>> exc = MissingInput("give the NCV", zh="请给出低位发热量")
>>> str(exc), exc.zh
('give the NCV', '请给出低位发热量')
>>> Problem("ESG-CALC-005", params={"entity": "P", "indicator": "coal", "period": "2024",
...                                 "found": exc.message}).message("zh")
'核算方法无法执行：P 2024 的 coal：请给出低位发热量'
"""
from __future__ import annotations

from esgledger.model.errors import Bilingual, EsgledgerError, Problem


class CalcError(EsgledgerError, ValueError):
    """A methodology was called wrongly.

    ``CalcError(en, zh=...)``: ``str(exc)`` is ``en``; ``zh`` is the same text in Chinese
    (every raise in ``esgledger.calc.methods`` gives one; without it the English stands in)."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = en if zh is None else zh

    def __reduce__(self):
        return type(self), (self.en, self.zh)

    @property
    def message(self) -> Bilingual:
        """The text in both languages, for a Problem parameter."""
        return Bilingual(self.zh, self.en)

    @staticmethod
    def message_of(exc: BaseException) -> Bilingual | str:
        """The text of any exception a methodology run may meet, in both languages where it
        has them: a CalcError's own, a catalogued problem's (``FactorLookupError.problem``)
        rendered in each language, else ``str(exc)``."""
        if isinstance(exc, CalcError):
            return exc.message
        problem = getattr(exc, "problem", None)
        if isinstance(problem, Problem):
            return Bilingual(problem.render("zh"), problem.render("en"))
        return str(exc)


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
