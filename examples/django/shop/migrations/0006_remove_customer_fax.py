# contract · irreversible: the fax numbers are gone; Django's reverse re-adds an empty column.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_rename_order_total")]

    operations = [
        migrations.RemoveField(model_name="customer", name="fax"),
    ]
