"""merge the audit branch

Revision ID: 1b8c9d0e1f2a
Revises: f6a5b7c8d9e0, 0a7b8c9d0e1f
"""
revision = "1b8c9d0e1f2a"
down_revision = ("f6a5b7c8d9e0", "0a7b8c9d0e1f")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
