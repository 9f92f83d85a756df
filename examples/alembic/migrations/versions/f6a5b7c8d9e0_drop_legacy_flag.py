"""drop accounts.legacy_flag

Revision ID: f6a5b7c8d9e0
Revises: e5f4a6b7c8d9

contract · irreversible: the values are gone; the downgrade only brings back an empty column.
"""
import sqlalchemy as sa
from alembic import op

revision = "f6a5b7c8d9e0"
down_revision = "e5f4a6b7c8d9"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("accounts", "legacy_flag")


def downgrade():
    op.add_column("accounts", sa.Column("legacy_flag", sa.Boolean(), server_default=sa.false(), nullable=False))
