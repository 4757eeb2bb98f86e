"""Plain immutable records: entities, memberships, facts, dimension keys."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

LEVELS = ("group", "company", "site", "unit")
PROCESS_TYPES = (
    "holding", "smelter", "alumina_refinery", "anode_plant", "power_plant",
    "high_purity_aluminium", "foil_mill", "mine", "office",
)
GRID_REGIONS = ("north", "northeast", "east", "central", "northwest", "south", "southwest", "overseas")
STATUSES = ("draft", "submitted", "approved", "rejected")
# the status of a revision that withdraws a fact: the key has no current value after it (the
# revision keeps the value it withdraws, so history shows what went); never imported
WITHDRAWN = "withdrawn"
# a fact's status as a reader names it
FACT_STATUS_NAMES = {
    "draft": {"zh": "草稿", "en": "draft"}, "submitted": {"zh": "已提交", "en": "submitted"},
    "approved": {"zh": "已批准", "en": "approved"}, "rejected": {"zh": "已驳回", "en": "rejected"},
    "calculated": {"zh": "计算值", "en": "calculated"}, "withdrawn": {"zh": "已撤回", "en": "withdrawn"},
}
# an entity's status in a collection campaign, and a campaign's own status, as a reader names them
ENTITY_STATUS_NAMES = {
    "not_started": {"zh": "未开始", "en": "not started"}, "in_progress": {"zh": "填报中", "en": "in progress"},
    "submitted": {"zh": "已提交", "en": "submitted"}, "returned": {"zh": "已退回", "en": "returned"},
    "approved": {"zh": "已批准", "en": "approved"},
}
CAMPAIGN_STATUS_NAMES = {"open": {"zh": "进行中", "en": "open"}, "closed": {"zh": "已关闭", "en": "closed"}}
# a potline's ``cell_technology`` attribute, as IPCC 2006 Vol.3 Ch.4.4 names them (PFPB: point-fed
# prebake, counted as CWPB; calc/methods/aluminium.py maps it)
CELL_TECHNOLOGIES = ("CWPB", "PFPB", "SWPB", "VSS", "HSS")
BASES = ("own", "control", "equity")
# the values of a category indicator as a reader names them, and the other words accepted for
# each on import (a yes/no indicator: 是/否 in a Chinese workbook's dropdown, yes/no in an
# English one; either language, and these spellings, read back in both)
CATEGORY_VALUE_NAMES = {"yes": {"zh": "是", "en": "yes"}, "no": {"zh": "否", "en": "no"}}
_CATEGORY_WORDS = {"yes": ("是", "y", "true", "对", "达成", "已达成"),
                   "no": ("否", "n", "false", "不是", "未达成")}


def category_label(value: str, lang: str) -> str:
    """A category value as the reader's language shows it (yes → 是 in Chinese); other
    values (ratings A–D) as they are."""
    names = CATEGORY_VALUE_NAMES.get(value)
    return names["zh" if lang == "zh" else "en"] if names else value


def category_value(values, text) -> str | None:
    """The value of ``values`` (a category indicator's) that ``text`` gives: the value itself,
    in any case (Yes, NO), or a word for it in either language (是/否); None if none."""
    t = str(text).strip()
    if t in values:
        return t
    folded = t.casefold()
    for v in values:
        if folded == str(v).casefold() or t in _CATEGORY_WORDS.get(v, ()) or folded in _CATEGORY_WORDS.get(v, ()):
            return v
    return None


class Dims(tuple):
    """A canonical, hashable set of dimension members: ``(("gender", "female"),)``.

    >>> Dims.parse("gender=female;age_band=lt30").key
    'age_band=lt30;gender=female'
    >>> Dims.parse("").key
    ''
    """

    def __new__(cls, items=()):
        if isinstance(items, Mapping):
            items = items.items()
        return super().__new__(cls, tuple(sorted((str(k), str(v)) for k, v in items)))

    @classmethod
    def parse(cls, key: str | None) -> "Dims":
        if not key:
            return cls()
        return cls(tuple(part.split("=", 1)) for part in key.split(";") if part)

    @property
    def key(self) -> str:
        return ";".join(f"{k}={v}" for k, v in self)

    def as_dict(self) -> dict[str, str]:
        return dict(self)

    def __repr__(self) -> str:
        return f"Dims({self.key!r})"


@dataclass(frozen=True)
class Membership:
    """A dated link of an entity to its parent, with the parent's equity share (%) and control."""

    entity: str
    parent: str | None
    equity_share: Decimal = Decimal(100)
    operational_control: bool = True
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # exclusive

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to)

    def overlaps(self, other: "Membership") -> bool:
        a0 = self.valid_from or dt.date.min
        a1 = self.valid_to or dt.date.max
        b0 = other.valid_from or dt.date.min
        b1 = other.valid_to or dt.date.max
        return a0 < b1 and b0 < a1


@dataclass(frozen=True)
class EntityRecord:
    code: str
    name_zh: str
    name_en: str
    level: str
    process_type: str
    province: str | None = None
    grid_region: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class FactRecord:
    """One revision of one fact. ``value`` is in the indicator's unit, exact decimal text."""

    entity: str
    indicator: str
    period: str
    dims: str
    value: str
    unit: str | None
    basis: str = "own"
    revision: int = 1
    status: str = "submitted"
    value_entered: str | None = None
    unit_entered: str | None = None
    source: str | None = None
    location: str | None = None
    comment: str | None = None
    author: str | None = None
    created_at: str | None = None
    id: int | None = None
    batch: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.entity, self.indicator, self.period, self.dims, self.basis)

    def decimal(self) -> Decimal:
        return Decimal(self.value)
