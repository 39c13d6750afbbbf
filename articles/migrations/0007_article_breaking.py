from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_related_postings"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="breaking",
            field=models.BooleanField(
                default=False,
                db_default=False,
                help_text="Shown in the home page's breaking-news ticker while it is fresh.",
                verbose_name="breaking news",
            ),
        ),
    ]
