"""method uses and factor values stored once; fact_method and fact_factor become views

Every calculated fact had its own method row and its own copy of every factor value it used:
the demo's ledger held 1,060 factor rows with 43 distinct values (the largest table, larger
than the facts), and one changed input rewrote ~130 of them. Now each factor value
(``factor_value``) and each method use (``method_use``: method, version, view, GWP set,
equation, and its factor values in order, ``method_use_factor``) is one row, found by its
digest (:mod:`esgledger.store.lineage`), and a calculated fact points at its use
(``fact_calc``). ``fact_method`` and ``fact_factor`` become views with the columns they had
(``fact_factor`` gains ``pos``, the factor's place in its fact's list), so readers see the same
rows.

Existing rows move over in their order. Factor rows of a fact with no method row (not written
by esgledger) keep their factors under a method use with no method, which ``fact_method`` does
not show, as before. Measured: 200,000 calculated facts with 600,000 factor rows migrate in
3.3 s on SQLite and 6.3 s on PostgreSQL (the store's open included).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

from esgledger.store.lineage import record_methods

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FACT_METHOD_VIEW = (
    'CREATE VIEW fact_method AS SELECT c.fact_id AS fact_id, m.method AS method, m.version AS version, '
    'm."view" AS "view", m.gwp_set AS gwp_set, m.detail AS detail '
    'FROM fact_calc c JOIN method_use m ON m.id = c.method_use_id WHERE m.method IS NOT NULL')
FACT_FACTOR_VIEW = (
    'CREATE VIEW fact_factor AS SELECT c.fact_id AS fact_id, u.pos AS pos, v.factor_set AS factor_set, '
    'v.factor_key AS factor_key, v.edition AS edition, v.value AS value, v.unit AS unit, '
    'v.source AS source, v.confidence AS confidence '
    'FROM fact_calc c JOIN method_use_factor u ON u.method_use_id = c.method_use_id '
    'JOIN factor_value v ON v.id = u.factor_value_id')


def _factor_columns() -> list:
    """A factor value's columns: in factor_value now, in fact_factor before (and after a downgrade)."""
    return [sa.Column("factor_set", sa.String(64), nullable=False),
            sa.Column("factor_key", sa.String(128), nullable=False),
            sa.Column("edition", sa.String(64)),
            sa.Column("value", sa.String(40), nullable=False),
            sa.Column("unit", sa.String(48)),
            sa.Column("source", sa.Text),
            sa.Column("confidence", sa.String(12))]


def upgrade() -> None:
    op.create_table(
        "factor_value",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        *_factor_columns(),
    )
    op.create_table(
        "method_use",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("method", sa.String(64)),
        sa.Column("version", sa.String(16)),
        sa.Column("view", sa.String(16)),
        sa.Column("gwp_set", sa.String(8)),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "method_use_factor",
        sa.Column("method_use_id", sa.Integer, sa.ForeignKey("method_use.id"), primary_key=True),
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("factor_value_id", sa.Integer, sa.ForeignKey("factor_value.id"), nullable=False),
    )
    op.create_table(
        "fact_calc",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), primary_key=True, autoincrement=False),
        sa.Column("method_use_id", sa.Integer, sa.ForeignKey("method_use.id"), nullable=False),
    )
    conn = op.get_bind()
    order = "ctid" if conn.dialect.name == "postgresql" else "rowid"  # the order they were written in
    methods = {r[0]: tuple(r[1:]) for r in conn.execute(sa.text(
        'SELECT fact_id, method, version, "view", gwp_set, detail FROM fact_method'))}
    factors: dict[int, list[tuple]] = {}
    for r in conn.execute(sa.text(
            "SELECT fact_id, factor_set, factor_key, edition, value, unit, source, confidence "
            f"FROM fact_factor ORDER BY fact_id, {order}")):
        factors.setdefault(r[0], []).append(tuple(r[1:]))
    record_methods(conn, [(fid, *methods.get(fid, (None,) * 5), factors.get(fid, ()))
                          for fid in sorted(set(methods) | set(factors))])
    op.drop_index("ix_fact_factor_fact_id", table_name="fact_factor")
    op.drop_table("fact_factor")
    op.drop_table("fact_method")
    op.execute(FACT_METHOD_VIEW)
    op.execute(FACT_FACTOR_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW fact_factor")
    op.execute("DROP VIEW fact_method")
    op.create_table(
        "fact_method",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), primary_key=True),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("gwp_set", sa.String(8)),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "fact_factor",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), nullable=False),
        *_factor_columns(),
    )
    op.create_index("ix_fact_factor_fact_id", "fact_factor", ["fact_id"])
    op.execute('INSERT INTO fact_method (fact_id, method, version, "view", gwp_set, detail) '
               'SELECT c.fact_id, m.method, m.version, m."view", m.gwp_set, m.detail '
               'FROM fact_calc c JOIN method_use m ON m.id = c.method_use_id WHERE m.method IS NOT NULL '
               'ORDER BY c.fact_id')
    op.execute("INSERT INTO fact_factor (fact_id, factor_set, factor_key, edition, value, unit, source, confidence) "
               "SELECT c.fact_id, v.factor_set, v.factor_key, v.edition, v.value, v.unit, v.source, v.confidence "
               "FROM fact_calc c JOIN method_use_factor u ON u.method_use_id = c.method_use_id "
               "JOIN factor_value v ON v.id = u.factor_value_id ORDER BY c.fact_id, u.pos")
    op.drop_table("fact_calc")
    op.drop_table("method_use_factor")
    op.drop_table("method_use")
    op.drop_table("factor_value")
