from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_readership"),
        ("articles", "0013_merge_live_and_corrections"),
    ]

    operations = []
