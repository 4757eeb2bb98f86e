"""The typed shape of the indicator library's data files (pydantic v2, frozen)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_CODE = r"^[a-z][a-z0-9_]*$"
Level = Literal["group", "company", "site", "unit"]  # entity levels (model.types.LEVELS)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Validation(_Frozen):
    min: float | None = None
    max: float | None = None
    integer: bool = False
    change_threshold_pct: float | None = Field(
        default=None, description="warn when the value changes from last year by more than this")


class Frameworks(_Frozen):
    szse17: list[int] = []          # article numbers of SZSE No.17 (= SSE No.14 numbering)
    gri: list[str] = []              # GRI disclosure codes, e.g. "305-1"
    cass: list[str] = []             # CASS-ESG 6.0 codes (level 2 inferred where not public)
    issb_s2: list[str] = []          # IFRS S2 paragraphs, e.g. "29(a)(i)"
    sasb: list[str] = []             # SASB EM-MM codes
    sdg: list[int] = []


class AsReportedCheck(_Frozen):
    """A published figure that is input as reported but should equal a formula (ESG-VAL-002)."""

    formula: str
    tolerance: float = 0.0  # absolute, in the indicator's unit, after rounding at its precision


class Indicator(_Frozen):
    code: str = Field(pattern=_CODE)
    name: Text
    definition: Text | None = None
    dimension: Literal["E", "S", "G"]
    topic: str
    unit: str | None = None
    value_type: Literal["number", "category"] = "number"
    values: list[str] = []                    # allowed values of a category indicator
    kind: Literal["input", "formula", "method"] = "input"
    formula: str | None = None
    method: str | None = None                 # methodology that computes it (calc engine)
    aggregation: Literal["sum", "recompute", "weighted_mean", "not_additive"] = "sum"
    weight: str | None = None                 # weighting indicator for weighted_mean
    # ``period``: a flow over the period (emissions, energy, revenue), consolidated with each
    # membership weighed by its days in the period; ``period_end``: a stock measured on the
    # period's last day (employees on the payroll, patents in force), consolidated with the
    # memberships in force on that day only (a plant sold on 30 June adds none of its staff)
    measured_at: Literal["period", "period_end"] = "period"
    dimensions: list[str] = []
    breakdown_sums: bool = True               # members of each dimension add up to the total
    # decimals every figure of the indicator is shown with (one per KPI row: 809.00 beside
    # 686.07); not given: its unit's default (model/units.yaml: 0 for head counts and counts, else 2)
    precision: int = Field(default=2, ge=0, le=8)
    frequency: Literal["annual", "monthly"] = "annual"
    process_types: list[str] = []             # empty: applies to every entity
    # entity levels a collection campaign asks it of; empty: its topic's ``levels``, and where
    # the topic has none, every level (governance: group and company, not a potline)
    levels: list[Level] = []
    # for a dimension it takes, the only members it is broken down by (solid fuels: coals,
    # coke, petroleum coke; not electricity or diesel); a dimension not named: every member
    members: dict[str, list[str]] = {}
    validation: Validation = Validation()
    check: AsReportedCheck | None = None
    frameworks: Frameworks = Frameworks()

    @field_validator("formula")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return v.strip() if isinstance(v, str) else v

    @model_validator(mode="before")
    @classmethod
    def _precision_from_unit(cls, data: Any) -> Any:
        """An indicator that gives no ``precision`` takes its unit's (a head count in 人: 0)."""
        if isinstance(data, dict) and data.get("precision") is None and isinstance(data.get("unit"), str):
            from esgledger.model.units import UNITS

            data = {**data, "precision": UNITS.default_precision(data["unit"])}
        return data

    def label(self, lang: str) -> str:
        return self.name.get(lang)


class Member(_Frozen):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    name: Text
    # For a member of a dimension reported within another (a supplier, ``vendor`` within
    # ``material``): the members of that one it is reported within (the materials the supplier
    # sells); absent: every member. A collection workbook asks only those pairs, and an import
    # refuses another (ESG-IMPORT-011).
    within: tuple[str, ...] | None = Field(default=None, min_length=1)


class Dimension(_Frozen):
    code: str = Field(pattern=_CODE)
    name: Text
    members: list[Member]
    # Members of this dimension are reported within each member of ``within`` where an
    # indicator has both: a supplier within a material (``vendor`` within ``material``), so a
    # collection workbook asks for material × supplier rows, not for suppliers alone.
    within: str | None = None


class UserDimension(_Frozen):
    """An entry of a workspace's own ``dimensions.yaml``: members added to a shipped dimension
    (e.g. the group's suppliers under ``vendor``), or a new dimension (then ``name`` is needed)."""

    code: str = Field(pattern=_CODE)
    name: Text | None = None
    members: list[Member]


class Topic(_Frozen):
    code: str = Field(pattern=_CODE)
    name: Text
    dimension: Literal["E", "S", "G"]
    szse17_topic: int | None = None      # index topic number 1–21 of SZSE No.17's appendix
    szse17: list[int] = []               # articles that the topic answers
    levels: list[Level] = []             # entity levels its indicators are asked of (empty: all)
