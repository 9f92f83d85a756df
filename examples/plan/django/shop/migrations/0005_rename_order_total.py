# breaking · reversible: the release still running reads shop_order.total.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0004_product_name_longer")]

    operations = [
        migrations.RenameField(model_name="order", old_name="total", new_name="amount"),
    ]
