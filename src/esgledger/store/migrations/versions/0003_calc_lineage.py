"""method and factor lineage of calculated facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_method",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), primary_key=True),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("gwp_set", sa.String(8)),
        sa.Column("detail", sa.Text),  # JSON: tier, technology, equation cited
    )
    op.create_table(
        "fact_factor",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), nullable=False),
        sa.Column("factor_set", sa.String(64), nullable=False),
        sa.Column("factor_key", sa.String(128), nullable=False),
        sa.Column("edition", sa.String(64)),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(48)),
        sa.Column("source", sa.Text),
        sa.Column("confidence", sa.String(12)),
    )
    op.create_index("ix_fact_factor_fact_id", "fact_factor", ["fact_id"])


def downgrade() -> None:
    op.drop_table("fact_factor")
    op.drop_table("fact_method")
