from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_live_and_corrections"),
        ("articles", "0012_merge_focal_point_tag_cleanup"),
    ]

    operations = []
