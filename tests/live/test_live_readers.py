"""What readers may get of a live coverage: only published, undeleted entries of a public
article, anywhere (page, poll, load more, JSON-LD); hostile markup inert; a long coverage in
pages of 20 at a fixed number of queries; the poll's cache headers; the live badge."""

import json
import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.live import actions
from articles.live.models import LiveEntry
from articles.live.queries import ENTRIES_PER_PAGE
from articles.models import Article
from tests.factories import make_article
from tests.hostile import PAYLOADS, assert_nothing_executable, page_text
from tests.live.conftest import post

pytestmark = pytest.mark.django_db


def poll_json(client, article, prefix=""):
    response = client.get(f"{prefix}/live/{article.pk}/poll/")
    assert response.status_code == 200
    return json.loads(response.content)


def json_ld(html):
    block = re.search(
        r'<script id="news-article-ld" type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(block.group(1))


def everything_a_reader_gets(client, article):
    """The article page, its JSON-LD, the poll answer and every "load more" page, as text."""
    page = client.get(article.get_absolute_url()).content.decode()
    texts = [page, json.dumps(json_ld(page), ensure_ascii=False)]
    data = poll_json(client, article)
    texts.append(json.dumps(data, ensure_ascii=False))
    more = re.search(r'data-more-url="([^"]+)"', page)
    url = more.group(1) if more else None
    while url:
        chunk = json.loads(client.get(url).content)
        texts.append(chunk["html"])
        url = chunk["next"]
    return "\n".join(texts), data


def test_draft_and_deleted_entries_never_reach_readers(client, live_article, editor):
    shown = post(live_article, editor, "<p>مدخل منشور للقراء</p>")
    draft = post(live_article, editor, "<p>مسودة سرية لم تنشر</p>", status=LiveEntry.Status.DRAFT)
    deleted = post(live_article, editor, "<p>مدخل حذف بعد نشره</p>", headline="عنوان محذوف")
    deleted.key_event = True
    actions.save_entry(deleted, editor)
    actions.pin_entry(live_article, deleted, editor)
    actions.delete_entry(deleted, editor)
    text, data = everything_a_reader_gets(client, live_article)
    assert "مدخل منشور للقراء" in text
    assert "مسودة سرية" not in text
    assert "حذف بعد نشره" not in text and "عنوان محذوف" not in text
    # the poll tells open pages to drop the deleted entry; a draft was never seen, not named
    assert data["removed"] == [deleted.pk]
    assert draft.pk not in data["removed"]
    assert [item["id"] for item in data["entries"]] == [shown.pk]
    assert data["pinned"] == ""


def test_an_unpublished_story_takes_its_coverage_with_it(client, live_article, editor):
    post(live_article, editor, "<p>مدخل</p>")
    Article.objects.filter(pk=live_article.pk).update(status=Article.Status.DRAFT)
    assert client.get(f"/live/{live_article.pk}/poll/").status_code == 404
    assert client.get(live_article.get_absolute_url()).status_code == 404
    assert not LiveEntry.objects.public().exists()


def test_poll_of_an_article_without_coverage_is_404(client):
    article = make_article()
    assert client.get(f"/live/{article.pk}/poll/").status_code == 404
    assert client.get(f"/live/{article.pk}/after/1-1/").status_code == 404


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_hostile_markup_in_entries_is_inert(client, live_article, editor, name):
    payload = PAYLOADS[name]
    entry = post(
        live_article,
        editor,
        f"<p>{payload}</p><p><a href='javascript:alert(1)'>رابط</a></p>",
        headline=payload,
        key_event=True,
    )
    entry.image_caption = payload
    actions.save_entry(entry, editor)
    actions.pin_entry(live_article, entry, editor)
    page = client.get(live_article.get_absolute_url()).content.decode()
    assert_nothing_executable(page, name)
    data = poll_json(client, live_article)
    for fragment in [data["pinned"], data["key_events"], *(e["html"] for e in data["entries"])]:
        assert_nothing_executable(fragment, name, document=False)
    if name == "template syntax":  # shown as typed, never evaluated
        assert "{{ 7|add:7 }}" in page_text(page)


def make_entries(article, count):
    """`count` published entries in bulk (a 1,000-entry coverage posted one by one would
    take minutes), then what the write path does after entries change."""
    now = timezone.now()
    LiveEntry.objects.bulk_create(
        LiveEntry(
            article=article,
            body=f"<p>المدخل رقم {i}</p>",
            key_event=i % 100 == 0,
            headline=f"حدث رقم {i}" if i % 100 == 0 else "",
            posted_at=now - timezone.timedelta(seconds=count - i),
            updated_at=now,
        )
        for i in range(count)
    )
    actions.coverage_changed(article.pk, now)
    actions.pages_changed(article.pk)


def test_a_thousand_entries_render_twenty_and_load_more_at_a_fixed_cost(client, live_article):
    make_entries(live_article, 1000)
    client.get("/")  # the section menu is cached from here on
    with CaptureQueriesContext(connection) as first:
        page = client.get(live_article.get_absolute_url()).content.decode()
    assert page.count('<article class="live-entry') == ENTRIES_PER_PAGE
    assert "المدخل رقم 999<" in page and "المدخل رقم 979<" not in page
    seen = re.findall(r'id="entry-(\d+)"', page)
    url = re.search(r'data-more-url="([^"]+)"', page).group(1)
    costs = []
    while url:
        with CaptureQueriesContext(connection) as more:
            chunk = json.loads(client.get(url).content)
        costs.append(len(more.captured_queries))
        ids = re.findall(r'id="entry-(\d+)"', chunk["html"])
        assert len(ids) == ENTRIES_PER_PAGE
        seen += ids
        url = chunk["next"]
    assert len(seen) == 1000 == len(set(seen))
    assert len(costs) == 49 and len(set(costs)) == 1, costs
    # without JavaScript: ?page=N pages through the same entries at the same cost as page 1
    with CaptureQueriesContext(connection) as last:
        old = client.get(live_article.get_absolute_url() + "?page=50").content.decode()
    assert "المدخل رقم 0<" in old and 'class="live__more"' not in old
    assert len(last.captured_queries) <= len(first.captured_queries)
    assert client.get(live_article.get_absolute_url() + "?page=51").status_code == 404


def test_a_coverage_of_twenty_or_a_thousand_entries_costs_the_same_queries(client, editor):
    costs = []
    for count in (25, 1000):
        article = make_article(f"تغطية بـ {count} مدخلاً")
        actions.start_coverage(article, editor)
        make_entries(article, count)
        client.get("/")
        with CaptureQueriesContext(connection) as page:
            client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as poll:
            client.get(f"/live/{article.pk}/poll/")
        costs.append((len(page.captured_queries), len(poll.captured_queries)))
    assert costs[0] == costs[1]


@pytest.mark.django_db(transaction=True)
def test_two_editors_posting_at_the_same_moment_keep_both_entries(editor, django_user_model):
    from tests.desk_forms import make_member

    colleague = make_member(django_user_model, "huda", "editor")
    article = make_article("تغطية ليلة الانتخابات")
    actions.start_coverage(article, editor)
    start = threading.Barrier(2)
    errors = []

    def post_as(user, text):
        try:
            start.wait(timeout=10)
            post(Article.objects.get(pk=article.pk), user, f"<p>{text}</p>")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post_as, args=(editor, "نتائج الدائرة الأولى")),
        threading.Thread(target=post_as, args=(colleague, "نتائج الدائرة الثانية")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bodies = sorted(LiveEntry.objects.filter(article=article).values_list("body", flat=True))
    assert bodies == ["<p>نتائج الدائرة الأولى</p>", "<p>نتائج الدائرة الثانية</p>"]
    assert {e.created_by_id for e in LiveEntry.objects.all()} == {editor.pk, colleague.pk}


def test_posting_an_entry_does_not_stale_an_open_article_form(editor_client, live_article, editor):
    """An editor has the article's form open while a colleague posts entries: the form's save
    is not refused (entries do not move the article's version)."""
    version = Article.objects.get(pk=live_article.pk).version
    post(live_article, editor, "<p>مدخل أثناء التحرير</p>")
    assert Article.objects.get(pk=live_article.pk).version == version


def test_poll_carries_the_server_interval_and_shared_caches_keep_it_no_longer(
    client, live_article, settings
):
    settings.LIVE_POLL_SECONDS = 40
    response = client.get(f"/live/{live_article.pk}/poll/")
    assert json.loads(response.content)["interval"] == 40
    assert response["X-Poll-Interval"] == "40"
    assert "s-maxage=40" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    settings.LIVE_POLL_SECONDS = 10
    client.get("/")  # any page: the next poll is answered with the new interval once retired
    actions.pages_changed(live_article.pk)
    response = client.get(f"/live/{live_article.pk}/poll/")
    assert json.loads(response.content)["interval"] == 10
    assert "s-maxage=10" in response["Cache-Control"]


def test_ending_the_coverage_tells_the_poll_and_the_page(client, live_article, editor):
    post(live_article, editor)
    assert poll_json(client, live_article)["state"] == "live"
    actions.end_coverage(live_article, editor)
    assert poll_json(client, live_article)["state"] == "ended"
    page = client.get(live_article.get_absolute_url()).content.decode()
    assert 'data-state="ended"' in page
    data = json_ld(page)
    assert data["@type"] == "LiveBlogPosting" and "coverageEndTime" in data


def test_live_blog_posting_lists_the_public_entries(client, live_article, editor):
    post(
        live_article, editor, "<p>افتتاح مراكز الاقتراع</p>", headline="بدء التصويت", key_event=True
    )
    post(live_article, editor, "<p>مسودة</p>", status=LiveEntry.Status.DRAFT)
    data = json_ld(client.get(live_article.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"]
    assert "coverageEndTime" not in data
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting" and update["headline"] == "بدء التصويت"
    assert update["articleBody"] == "افتتاح مراكز الاقتراع"
    assert update["url"].endswith(f"#entry-{LiveEntry.objects.filter(key_event=True).get().pk}")


def test_key_events_and_the_pinned_entry_lead_the_page(client, live_article, editor):
    key = post(live_article, editor, "<p>تفاصيل</p>", headline="إعلان النتائج", key_event=True)
    pinned = post(live_article, editor, "<p>ملخص ما نعرفه حتى الآن</p>")
    post(live_article, editor, "<p>أحدث مدخل</p>")
    actions.pin_entry(live_article, pinned, editor)
    page = client.get(live_article.get_absolute_url()).content.decode()
    assert f'href="#entry-{key.pk}"' in page
    assert page.index("ملخص ما نعرفه") < page.index("أحدث مدخل")
    assert page.index("إعلان النتائج") < page.index("أحدث مدخل")


def test_a_key_event_needs_a_headline(live_article, editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        post(live_article, editor, key_event=True)
    assert not LiveEntry.objects.exists()


def test_home_and_ticker_carry_the_live_badge_until_the_coverage_ends(client, editor):
    live = make_article("تغطية حية للقمة", breaking=True, hours_ago=30)
    make_article("خبر عادي")
    actions.start_coverage(live, editor)
    home = client.get("/").content.decode()
    ticker = home[home.index('class="breaking"') : home.index("</section>")]
    assert "تغطية حية للقمة" in ticker and "مباشر" in ticker  # a day old, still live
    assert home.count('class="live-badge"') == 2  # ticker and card
    actions.end_coverage(live, editor)
    home = client.get("/").content.decode()
    assert 'class="live-badge"' not in home and 'class="breaking"' not in home


def test_entries_are_kept_in_the_article_revisions(editor_client, live_article, editor):
    entry = post(live_article, editor, "<p>أول مدخل</p>")
    actions.delete_entry(entry, editor)
    page = editor_client.get(f"/admin/articles/article/{live_article.pk}/revisions/")
    text = page.content.decode()
    assert "أول مدخل" in text
    from reversion.models import Version

    versions = Version.objects.get_for_object(entry)
    assert versions.count() == 2
    assert versions.first().field_dict["deleted_at"] is not None


def test_feeds_and_sitemaps_carry_the_latest_change(client, live_article, editor):
    from email.utils import parsedate_to_datetime

    before = Article.objects.get(pk=live_article.pk).updated_at
    entry = post(live_article, editor)
    changed = Article.objects.get(pk=live_article.pk).updated_at
    assert changed > before and changed == LiveEntry.objects.get(pk=entry.pk).updated_at
    index = client.get("/sitemap.xml").content.decode()
    lastmods = [
        timezone.datetime.fromisoformat(value)
        for value in re.findall(r"<lastmod>([^<]+)</lastmod>", index)
    ]
    assert changed.replace(microsecond=0) in [m.replace(microsecond=0) for m in lastmods]
    feed = client.get("/feeds/latest/").content.decode()
    built = parsedate_to_datetime(re.search(r"<lastBuildDate>([^<]+)<", feed).group(1))
    assert built == changed.replace(microsecond=0)
    item = re.search(r"<item>.*?</item>", feed, re.S).group(0)
    updated = re.search(r"<atom:updated>([^<]+)</atom:updated>", item).group(1)
    assert timezone.datetime.fromisoformat(updated) == changed


def test_english_pages_get_the_poll_in_english(client, live_article, editor):
    post(live_article, editor, "<p>entry</p>", headline="Polls open", key_event=True)
    data = poll_json(client, live_article, prefix="/en")
    assert "Key event" in data["entries"][0]["html"]
    arabic = poll_json(client, live_article)
    assert "Key event" not in arabic["entries"][0]["html"]


@pytest.mark.parametrize("cursor", ["abc", "1-", "-1", "99999999999999999999999-1", "1.5-2"])
def test_a_malformed_load_more_cursor_is_a_404(client, live_article, cursor):
    assert client.get(f"/live/{live_article.pk}/after/{cursor}/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0x2", "99", "0", "-3", "99999999999999999999999"])
def test_a_bad_page_of_entries_is_a_404_not_an_error(client, live_article, editor, page):
    post(live_article, editor)
    response = client.get(f"{live_article.get_absolute_url()}?page={page}")
    assert response.status_code == 404


def test_the_poll_sends_the_ten_newest_and_the_entries_edited_lately(client, live_article, editor):
    entries = [post(live_article, editor, f"<p>مدخل {i}</p>") for i in range(15)]
    data = poll_json(client, live_article)
    assert [item["id"] for item in data["entries"]] == [e.pk for e in reversed(entries[-10:])]
    assert data["older"] == entries[5].posted_at.isoformat()  # entries before it exist
    oldest = entries[0]
    oldest.body = "<p>مدخل قديم بعد تصحيحه</p>"
    actions.save_entry(oldest, editor)
    data = poll_json(client, live_article)
    assert data["entries"][-1]["id"] == oldest.pk
    assert "بعد تصحيحه" in data["entries"][-1]["html"]
    assert len(data["entries"]) == 11


def test_restoring_a_live_revision_brings_back_that_entry_and_leaves_later_ones(
    live_article, editor
):
    from articles.desk import revisions

    entry = post(live_article, editor, "<p>النص الأول</p>")
    later = post(live_article, editor, "<p>مدخل لاحق</p>")
    entry.body = "<p>النص بعد التعديل</p>"
    actions.save_entry(entry, editor)
    posted = next(
        version
        for version in revisions.versions_of(live_article)
        if "النص الأول" in version.revision.get_comment()
    )
    revisions.restore(live_article, posted, editor)
    assert LiveEntry.objects.get(pk=entry.pk).body == "<p>النص الأول</p>"
    assert LiveEntry.objects.filter(pk=later.pk, deleted_at__isnull=True).exists()
