import pytest
from django.core.management import call_command

from articles.models import Article, RelatedLink, Source

pytestmark = pytest.mark.django_db

SAMPLE_HEADLINE = "وزارة الدفاع الأذربيجانية: عملياتنا العسكرية في كاراباخ تستمر بنجاح"


def test_load_demo_fills_every_page_and_can_run_twice(client, capsys):
    call_command("load_demo")
    counts = Article.objects.count(), Source.objects.count(), RelatedLink.objects.count()
    call_command("load_demo")
    assert (Article.objects.count(), Source.objects.count(), RelatedLink.objects.count()) == counts
    assert Article.objects.published().count() >= 20
    assert Article.objects.exclude(title_en="").exclude(title_en=None).count() >= 5
    assert Source.objects.get(slug="أ-ف-ب").aliases[:2] == ["فرانس برس", "وكالة فرانس برس"]

    sample = Article.objects.published().get(title_ar=SAMPLE_HEADLINE)
    html = client.get(sample.get_absolute_url()).content.decode()
    assert "وكالات - مصدر الإخبارية" in html
    assert "اقرأ أيضاً" in html
    assert "هرتسوغ يتجه إلى أذربيجان في أول زيارة رسمية وسط مخاوف أمنية" in html
    assert sample.tags.count() >= 3

    for section_url in ("/", "/section/سياسة/", "/section/صحة/", "/en/"):
        assert client.get(section_url).status_code == 200


def test_editor_account_password_is_printed_once(capsys):
    call_command("ensure_editor")
    first = capsys.readouterr().out
    call_command("ensure_editor")
    second = capsys.readouterr().out
    password = first.split("password ")[-1].strip()
    assert len(password) >= 12
    assert "exists" in second
    assert password not in second
