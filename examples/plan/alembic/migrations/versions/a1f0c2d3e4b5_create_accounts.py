"""create accounts

Revision ID: a1f0c2d3e4b5
Revises:
Create Date: 2026-01-12 09:14:02

expand · reversible: a new table, dropped again by the downgrade.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a1f0c2d3e4b5"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(100), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("legacy_flag", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("plan", sa.Enum("free", "pro", name="plan"), server_default="free", nullable=False),
        sa.Column("settings", postgresql.JSONB(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index(op.f("ix_accounts_email"), "accounts", ["email"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_accounts_email"), table_name="accounts")
    op.drop_table("accounts")
    sa.Enum(name="plan").drop(op.get_bind())
