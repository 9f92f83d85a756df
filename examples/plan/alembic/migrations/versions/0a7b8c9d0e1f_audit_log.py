"""audit log, on its own branch

Revision ID: 0a7b8c9d0e1f
Revises: c3d2e4f5a6b7

expand · no-down: a new table, and the downgrade was never written.
"""
import sqlalchemy as sa
from alembic import op

revision = "0a7b8c9d0e1f"
down_revision = "c3d2e4f5a6b7"
branch_labels = ("audit",)
depends_on = None


def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id"), nullable=False, index=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade():
    pass
