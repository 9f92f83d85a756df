# twoway plan: step 1 of 1, release 2, contract.
# twoway: contract
# Between this step and the next: the archive twoway_archive.shop_customer__drop_shop_customer_fax keeps the values until `twoway plan --cleanup` drops it.
# Stands for 0006_remove_customer_fax (replaces), which later migrations depend on: delete it before migrating.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0009_remove_fax_from_state")]
    replaces = [("shop", "0006_remove_customer_fax")]

    operations = [
        migrations.RunSQL(
            sql=["CREATE SCHEMA IF NOT EXISTS twoway_archive;", "CREATE TABLE twoway_archive.shop_customer__drop_shop_customer_fax AS SELECT id, fax FROM shop_customer;", "ALTER TABLE shop_customer DROP COLUMN fax;"],
            reverse_sql=["ALTER TABLE shop_customer ADD COLUMN fax varchar(30);", "UPDATE shop_customer SET fax = a.fax FROM twoway_archive.shop_customer__drop_shop_customer_fax a WHERE shop_customer.id = a.id;", "DROP TABLE twoway_archive.shop_customer__drop_shop_customer_fax;", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;"],
        ),
    ]
