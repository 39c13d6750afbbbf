from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_agency_feeds"),
        ("articles", "0014_merge_readership"),
    ]

    operations = []
