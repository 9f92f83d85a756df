"""drop accounts legacy flag

Revision ID: f6a5b7c8d9e0
Revises: e5f4a6b7c8d9
"""
# twoway plan: step 1 of 1, release 2, contract.
# twoway: contract
# Ship first, in the release before this revision: the SQLAlchemy models no longer map accounts.legacy_flag.
# Between this step and the next: the archive twoway_archive.accounts__drop_accounts_legacy_flag keeps the values until `twoway plan --cleanup` drops it.
# The revision id of f6a5b7c8d9e0_drop_legacy_flag.py, which later revisions revise: delete that file before running this one.
from alembic import op

# revision identifiers, used by Alembic.
revision = "f6a5b7c8d9e0"
down_revision = "e5f4a6b7c8d9"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SCHEMA IF NOT EXISTS twoway_archive;")
    op.execute("CREATE TABLE twoway_archive.accounts__drop_accounts_legacy_flag AS SELECT id, legacy_flag FROM accounts;")
    op.execute("ALTER TABLE accounts DROP COLUMN legacy_flag;")


def downgrade():
    op.execute("ALTER TABLE accounts ADD COLUMN legacy_flag bool DEFAULT false;")
    op.execute("UPDATE accounts SET legacy_flag = a.legacy_flag FROM twoway_archive.accounts__drop_accounts_legacy_flag a WHERE accounts.id = a.id;")
    op.execute("ALTER TABLE accounts ALTER COLUMN legacy_flag SET NOT NULL;")
    op.execute("DROP TABLE twoway_archive.accounts__drop_accounts_legacy_flag;")
    op.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;")
