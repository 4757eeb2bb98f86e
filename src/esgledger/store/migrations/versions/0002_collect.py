"""users, role grants, access log, collection campaigns, assignments, entity status, review
comments, evidence

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.Text),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("lang", sa.String(4)),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64)),
        sa.UniqueConstraint("username", name="uq_app_user_username"),
    )
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(64)),
        sa.Column("granted_at", sa.String(32), nullable=False),
        sa.Column("granted_by", sa.String(64)),
    )
    op.create_index("ix_role_grant_user_id", "role_grant", ["user_id"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("opened_by", sa.String(64)),
        sa.Column("opened_at", sa.String(32), nullable=False),
        sa.Column("closed_at", sa.String(32)),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "assignment",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaign.id"), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(96), nullable=False),
        sa.UniqueConstraint("campaign_id", "entity", "indicator", name="uq_assignment"),
    )
    op.create_index("ix_assignment_campaign_entity", "assignment", ["campaign_id", "entity"])
    op.create_table(
        "entity_status",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaign.id"), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(64)),
        sa.UniqueConstraint("campaign_id", "entity", name="uq_entity_status"),
    )
    op.create_table(
        "status_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaign.id"), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("old_status", sa.String(16)),
        sa.Column("new_status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(64)),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batch.id")),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_status_event_campaign_entity", "status_event", ["campaign_id", "entity"])
    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaign.id"), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(96)),
        sa.Column("period", sa.String(10)),
        sa.Column("dims", sa.Text),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id")),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("author", sa.String(64)),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_review_comment_campaign_entity", "review_comment", ["campaign_id", "entity"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100)),
        sa.Column("stored_path", sa.Text, nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(96)),
        sa.Column("period", sa.String(10)),
        sa.Column("dims", sa.Text),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("fact.id")),
        sa.Column("uploaded_by", sa.String(64)),
        sa.Column("uploaded_at", sa.String(32), nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_evidence_entity", "evidence", ["entity", "indicator", "period"])


def downgrade() -> None:
    for name in ("evidence", "review_comment", "status_event", "entity_status", "assignment",
                 "campaign", "access_log", "role_grant", "app_user"):
        op.drop_table(name)
