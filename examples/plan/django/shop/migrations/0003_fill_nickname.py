# data: RunPython is application code; twoway never runs it and counts it as a data step.
from django.db import migrations


def fill_nickname(apps, schema_editor):
    Customer = apps.get_model("shop", "Customer")
    for customer in Customer.objects.filter(nickname__isnull=True).iterator():
        customer.nickname = customer.name.split(" ")[0]
        customer.save(update_fields=["nickname"])


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_customer_nickname")]

    operations = [
        migrations.RunPython(fill_nickname, reverse_code=migrations.RunPython.noop),
    ]
