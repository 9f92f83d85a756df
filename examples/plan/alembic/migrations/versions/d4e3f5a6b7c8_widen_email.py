"""widen accounts.email to text

Revision ID: d4e3f5a6b7c8
Revises: c3d2e4f5a6b7

expand · lossy: widening is safe, but the downgrade narrows back to varchar(100)
and fails on (or would cut) the longer emails written since.
"""
import sqlalchemy as sa
from alembic import op

revision = "d4e3f5a6b7c8"
down_revision = "c3d2e4f5a6b7"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("accounts", "email", existing_type=sa.String(100), type_=sa.Text(), existing_nullable=False)


def downgrade():
    op.alter_column("accounts", "email", existing_type=sa.Text(), type_=sa.String(100), existing_nullable=False)
