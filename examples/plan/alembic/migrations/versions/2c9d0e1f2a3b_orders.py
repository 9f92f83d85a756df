"""orders, with a generated set of flag columns

Revision ID: 2c9d0e1f2a3b
Revises: 1b8c9d0e1f2a

The loop over FLAGS makes one column per flag: twoway reads it as the two add_column calls it runs.
"""
import sqlalchemy as sa
from alembic import op

revision = "2c9d0e1f2a3b"
down_revision = "1b8c9d0e1f2a"
branch_labels = None
depends_on = None

FLAGS = ("gift", "express")


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Numeric(10, 2), nullable=False),
    )
    with op.batch_alter_table("orders") as batch_op:
        batch_op.create_foreign_key("fk_orders_account", "accounts", ["account_id"], ["id"])
    for flag in FLAGS:
        op.add_column("orders", sa.Column(f"is_{flag}", sa.Boolean(), nullable=True))


def downgrade():
    raise NotImplementedError("orders cannot be rolled back: drop it by hand after archiving")
