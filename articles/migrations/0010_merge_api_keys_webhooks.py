"""Joins the two migrations of issue 15, made side by side: API keys and webhooks."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_api_keys"), ("articles", "0009_webhooks")]
    operations = []
