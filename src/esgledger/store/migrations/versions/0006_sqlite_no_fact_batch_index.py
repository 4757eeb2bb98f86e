"""SQLite ledgers drop the fact index on batch_id: every insert paid for it, few reads use it

What read facts by batch were the appends asking for the ids of the rows they had just
written; they now look above the highest id before the insert (a range of the table's own
key). The one other reader, a restricted user's view of a past batch, scans the table. A
million-fact import is about 0.3 s faster (bench/RESULTS.md, issue 2). PostgreSQL, where
concurrent writers make that reasoning weaker and the index costs the COPY less, keeps it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_fact_batch", table_name="fact")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_fact_batch", "fact", ["batch_id"])
