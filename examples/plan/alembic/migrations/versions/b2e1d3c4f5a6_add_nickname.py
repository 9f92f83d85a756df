"""add accounts.nickname, indexed without blocking writes

Revision ID: b2e1d3c4f5a6
Revises: a1f0c2d3e4b5

expand · reversible: a nullable column and a concurrent index (outside the transaction).
"""
import sqlalchemy as sa
from alembic import op

revision = "b2e1d3c4f5a6"
down_revision = "a1f0c2d3e4b5"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("nickname", sa.String(50), nullable=True))
    with op.get_context().autocommit_block():
        op.create_index("ix_accounts_nickname", "accounts", ["nickname"], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_accounts_nickname", table_name="accounts", postgresql_concurrently=True)
    op.drop_column("accounts", "nickname")
