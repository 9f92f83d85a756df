# twoway plan: the code step before step 1: ship it with the release whose models no longer have the fields.
# Django's state forgets them; the database keeps the columns until the contract step drops them.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_rename_order_total")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="customer", name="fax"),
            ],
            database_operations=[],
        ),
    ]
