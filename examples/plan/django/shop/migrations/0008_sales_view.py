# expand · no-down: RunSQL without reverse_sql, Django cannot migrate back past it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0007_order_status_index")]

    operations = [
        migrations.RunSQL(
            """
            CREATE VIEW shop_daily_sales AS
            SELECT date_trunc('day', c.created_at) AS day, sum(o.amount) AS amount
              FROM shop_order o JOIN shop_customer c ON c.id = o.customer_id
             GROUP BY 1;
            """
        ),
    ]
