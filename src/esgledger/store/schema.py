"""The relational schema (SQLAlchemy Core). Migrations in ``migrations/`` create it.

Facts are append-only: a correction is a new row with the next ``revision``; the current value
of a fact is its highest revision. Values are exact decimal text, never binary floats.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

entity = Table(
    "entity", metadata,
    Column("code", String(64), primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("process_type", String(32), nullable=False),
    Column("province", Text),
    Column("grid_region", String(16)),
    Column("attrs", Text, nullable=False, default="{}"),  # JSON object
)

membership = Table(
    "membership", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(64), ForeignKey("entity.code"), nullable=False, index=True),
    Column("parent", String(64), ForeignKey("entity.code")),
    Column("equity_share", String(40), nullable=False, default="100"),
    Column("operational_control", Boolean, nullable=False, default=True),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
)

batch = Table(
    "batch", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),       # import | calc | api | demo
    Column("source", Text),                            # file path, command, API caller
    Column("author", Text),
    Column("created_at", String(32), nullable=False),
    Column("rows", Integer, nullable=False, default=0),
    Column("note", Text),
)

fact = Table(
    "fact", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(64), nullable=False),
    Column("indicator", String(96), nullable=False),
    Column("period", String(10), nullable=False),
    Column("dims", Text, nullable=False, default=""),
    Column("basis", String(8), nullable=False, default="own"),
    Column("revision", Integer, nullable=False),
    Column("value", Text, nullable=False),
    Column("unit", String(40)),
    Column("value_entered", Text),
    Column("unit_entered", String(40)),
    Column("status", String(12), nullable=False),
    # who wrote it and when: the batch's (author, created_at), since migration 0007
    Column("batch_id", Integer, ForeignKey("batch.id"), nullable=False),
    Column("location", Text),
    Column("comment", Text),
)
# The fact key: one row per (entity, indicator, period, dims, basis, revision). A unique index,
# not a table constraint, since migration 0005: a large import into a small SQLite ledger drops
# it and builds it once after the load (Store.append_stream).
Index("uq_fact_key_rev", fact.c.entity, fact.c.indicator, fact.c.period, fact.c.dims, fact.c.basis,
      fact.c.revision, unique=True)
# No index on (indicator, period) since migration 0004: the unique key serves lookups by
# entity, indicator and period, and every extra index slows each insert of a bulk import.
# The facts of a batch, on PostgreSQL only since migration 0006: on SQLite the appends find the
# ids they wrote above the highest id before them, and every insert is cheaper without it.
Index("ix_fact_batch", fact.c.batch_id).ddl_if(dialect="postgresql")

fact_input = Table(
    "fact_input", metadata,
    Column("fact_id", Integer, ForeignKey("fact.id"), nullable=False, index=True),
    Column("input_fact_id", Integer, ForeignKey("fact.id"), nullable=False),
    Column("role", String(64)),
    Column("weight", String(40)),  # share applied (equity consolidation), else NULL
)

# How each calculated fact was calculated: a *method use* (method, version, view, GWP set,
# equation) with the factor values it applied, in order. Since migration 0008 each factor value
# and each method use is stored once (``digest`` names its content, see
# :mod:`esgledger.store.lineage`) and a calculated fact points at its use (``fact_calc``): the
# demo's 1,060 factor rows held 43 distinct values, and one input changed rewrote ~130 of them.
factor_value = Table(
    "factor_value", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("factor_set", String(64), nullable=False),
    Column("factor_key", String(128), nullable=False),
    Column("edition", String(64)),
    Column("value", String(40), nullable=False),
    Column("unit", String(48)),
    Column("source", Text),
    Column("confidence", String(12)),
)

method_use = Table(
    "method_use", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    # NULL only for factors a ledger written before 0008 recorded without a method
    Column("method", String(64)),
    Column("version", String(16)),
    Column("view", String(16)),
    Column("gwp_set", String(8)),
    Column("detail", Text),  # JSON: the equation cited
)

method_use_factor = Table(
    "method_use_factor", metadata,
    Column("method_use_id", Integer, ForeignKey("method_use.id"), primary_key=True),
    Column("pos", Integer, primary_key=True, autoincrement=False),
    Column("factor_value_id", Integer, ForeignKey("factor_value.id"), nullable=False),
)

fact_calc = Table(
    "fact_calc", metadata,
    Column("fact_id", Integer, ForeignKey("fact.id"), primary_key=True, autoincrement=False),
    Column("method_use_id", Integer, ForeignKey("method_use.id"), nullable=False),
)

# The lineage as readers see it, one row per fact (and per factor of a fact): views over the
# tables above (migration 0008), with the columns the tables of these names had before. Read
# only; they live in a MetaData of their own so that nothing creates them as tables.
views = MetaData()

fact_method = Table(
    "fact_method", views,
    Column("fact_id", Integer, primary_key=True),
    Column("method", String(64)),
    Column("version", String(16)),
    Column("view", String(16)),
    Column("gwp_set", String(8)),
    Column("detail", Text),
)

fact_factor = Table(
    "fact_factor", views,
    Column("fact_id", Integer),
    Column("pos", Integer),  # the factor's place in its fact's list
    Column("factor_set", String(64)),
    Column("factor_key", String(128)),
    Column("edition", String(64)),
    Column("value", String(40)),
    Column("unit", String(48)),
    Column("source", Text),
    Column("confidence", String(12)),
)
