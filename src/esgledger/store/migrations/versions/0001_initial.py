"""initial ledger: entities, memberships, batches, facts, fact inputs

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("process_type", sa.String(32), nullable=False),
        sa.Column("province", sa.Text),
        sa.Column("grid_region", sa.String(16)),
        sa.Column("attrs", sa.Text, nullable=False),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(64), sa.ForeignKey("entity.code"), nullable=False),
        sa.Column("parent", sa.String(64), sa.ForeignKey("entity.code")),
        sa.Column("equity_share", sa.String(40), nullable=False),
        sa.Column("operational_control", sa.Boolean, nullable=False),
        sa.Column("valid_from", sa.String(10)),
        sa.Column("valid_to", sa.String(10)),
    )
    op.create_index("ix_membership_entity", "membership", ["entity"])
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "fact",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(96), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("dims", sa.Text, nullable=False),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("value_entered", sa.Text),
        sa.Column("unit_entered", sa.String(40)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batch.id")),
        sa.Column("location", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("entity", "indicator", "period", "dims", "basis", "revision",
                            name="uq_fact_key_rev"),
    )
    op.create_index("ix_fact_indicator_period", "fact", ["indicator", "period"])
    op.create_index("ix_fact_batch", "fact", ["batch_id"])
    op.create_table(
        "fact_input",
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id"), nullable=False),
        sa.Column("input_fact_id", sa.Integer, sa.ForeignKey("fact.id"), nullable=False),
        sa.Column("role", sa.String(64)),
        sa.Column("weight", sa.String(40)),
    )
    op.create_index("ix_fact_input_fact_id", "fact_input", ["fact_id"])


def downgrade() -> None:
    op.drop_table("fact_input")
    op.drop_table("fact")
    op.drop_table("batch")
    op.drop_table("membership")
    op.drop_table("entity")
