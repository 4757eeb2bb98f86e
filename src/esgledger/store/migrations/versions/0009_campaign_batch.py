"""campaign_batch: the campaign each batch of a submission or review was written for

The audit trail's fact rows had no campaign: a batch names its source and note, not the
campaign it was written for. ``status_event.batch_id`` links a batch to its campaign when the
batch moved the entity's status (a first import, a submission, an approval, a return), but a
re-import while the entity stays in progress moves nothing. From now on every batch a
campaign writes gets a row here; existing ledgers get one for each batch a status event names
(the re-imports written before this migration stay without a campaign: nothing recorded it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_batch",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batch.id"), primary_key=True, autoincrement=False),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaign.id"), nullable=False),
    )
    op.create_index("ix_campaign_batch_campaign", "campaign_batch", ["campaign_id"])
    # a batch belongs to one campaign (its submission's or review's); MIN only guards a ledger
    # written by other means
    op.execute("INSERT INTO campaign_batch (batch_id, campaign_id) "
               "SELECT batch_id, MIN(campaign_id) FROM status_event WHERE batch_id IS NOT NULL "
               "GROUP BY batch_id")


def downgrade() -> None:
    op.drop_index("ix_campaign_batch_campaign", table_name="campaign_batch")
    op.drop_table("campaign_batch")
