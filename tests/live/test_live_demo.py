"""load_demo shows both features right after `make run`: a live coverage and a correction."""

import json

import pytest
from django.core.management import call_command

from articles.live.models import Correction, LiveCoverage, LiveEntry

pytestmark = pytest.mark.django_db


def test_load_demo_adds_a_live_coverage_and_a_corrected_article_once(client):
    call_command("load_demo")
    call_command("load_demo")
    coverage = LiveCoverage.objects.get()
    assert coverage.is_live
    entries = LiveEntry.objects.public().of(coverage.article)
    assert entries.count() >= 10
    assert entries.filter(key_event=True).count() == 1
    assert coverage.pinned_entry_id in set(entries.values_list("pk", flat=True))
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    assert "الأحداث الرئيسية" in page and "مثبّت" in page
    assert "مباشر" in client.get("/").content.decode()
    poll = json.loads(client.get(f"/live/{coverage.article_id}/poll/").content)
    assert poll["state"] == "live" and len(poll["entries"]) >= 10 and poll["older"]
    [note] = Correction.objects.all()
    assert note.kind == "correction"
    assert note.text in client.get("/corrections/").content.decode()
