"""Core types of esgledger: entities, indicators, facts, periods, units, problems."""
from esgledger.model.errors import CATALOGUE, Location, Problem, ProblemList, Severity
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import (
    Dims,
    EntityRecord,
    FactRecord,
    Membership,
)

__all__ = [
    "CATALOGUE", "Location", "Problem", "ProblemList", "Severity",
    "Period", "PeriodError", "Dims", "EntityRecord", "FactRecord", "Membership",
]
