# expand · reversible: built concurrently, so the migration is not atomic.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("shop", "0006_remove_customer_fax")]

    operations = [
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(fields=["status"], name="shop_order_status_idx"),
        ),
    ]
