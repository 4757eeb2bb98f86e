"""drop the fact index on (indicator, period): imports are faster without it

Every insert into the fact table also updates each of its indexes; the unique key (entity,
indicator, period, dims, basis, revision) already serves the queries that looked up facts by
indicator and period (the store now looks up the latest revisions of an append by entity,
indicator and period on the unique key). Without the index a 1,000,000-row import appends about
0.9 s faster (bench/RESULTS.md, issue 2).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_fact_indicator_period", table_name="fact")


def downgrade() -> None:
    op.create_index("ix_fact_indicator_period", "fact", ["indicator", "period"])
