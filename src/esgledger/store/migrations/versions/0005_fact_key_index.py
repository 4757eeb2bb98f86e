"""the fact key (uq_fact_key_rev) becomes a unique index instead of a table constraint

Same columns, same uniqueness; only its kind changes. A table constraint cannot be dropped in
SQLite, an index can: a large import into a small ledger drops the key, loads the rows and builds
the key once, sorted, instead of keeping it up row by row (``Store.append_stream``; about 1.5 s
less per million facts, bench/RESULTS.md, issue 2). SQLite rebuilds the table to change it
(``esgledger.store.engine.migrate`` runs migrations with foreign keys off and checks them after);
PostgreSQL drops the constraint and creates the index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KEY = ["entity", "indicator", "period", "dims", "basis", "revision"]


def upgrade() -> None:
    with op.batch_alter_table("fact") as b:
        b.drop_constraint("uq_fact_key_rev", type_="unique")
    op.create_index("uq_fact_key_rev", "fact", KEY, unique=True)


def downgrade() -> None:
    op.drop_index("uq_fact_key_rev", table_name="fact")
    with op.batch_alter_table("fact") as b:
        b.create_unique_constraint("uq_fact_key_rev", KEY)
