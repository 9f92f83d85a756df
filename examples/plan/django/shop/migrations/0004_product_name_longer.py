# expand · lossy: varchar(100) → varchar(200) is safe; Django's reverse narrows it back and fails on longer names.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_fill_nickname")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="name",
            field=models.CharField(max_length=200),
        ),
    ]
