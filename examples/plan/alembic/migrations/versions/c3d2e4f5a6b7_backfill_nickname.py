"""backfill nickname from name

Revision ID: c3d2e4f5a6b7
Revises: b2e1d3c4f5a6

data · irreversible: rewrites existing rows, and no downgrade could restore them.
"""
from alembic import op

revision = "c3d2e4f5a6b7"
down_revision = "b2e1d3c4f5a6"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        UPDATE accounts
           SET nickname = split_part(name, ' ', 1)
         WHERE nickname IS NULL
        """
    )


def downgrade():
    pass
