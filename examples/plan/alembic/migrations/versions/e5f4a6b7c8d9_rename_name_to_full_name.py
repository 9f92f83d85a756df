"""rename accounts.name to full_name

Revision ID: e5f4a6b7c8d9
Revises: d4e3f5a6b7c8

breaking · reversible: the release still running reads accounts.name.
"""
import sqlalchemy as sa
from alembic import op

revision = "e5f4a6b7c8d9"
down_revision = "d4e3f5a6b7c8"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("accounts", "name", new_column_name="full_name", existing_type=sa.String(120))


def downgrade():
    op.alter_column("accounts", "full_name", new_column_name="name", existing_type=sa.String(120))
