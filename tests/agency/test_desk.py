"""The desk's agency pages through Django's test client: feeds and their health line, the
incoming queue grouped by story and filtered, picking a version, new versions with their diff
to accept, kill notices, and the import page taking NewsML-G2 files."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles import actions
from articles.agency.models import AgencyFeed, AgencyStory, IncomingItem, StoryGroup
from articles.models import Article
from tests.agency.feed_server import news_item
from tests.agency.stories import EARTHQUAKE, ELECTIONS, FLOODS
from tests.factories import make_section, make_source
from tests.wire_forms import confirm_fields, preview

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "wire" / "fixtures"
QUEUE = reverse("admin:articles_storygroup_changelist")


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def item_xml(guid, agency, headline, paragraphs, version=1, status="usable", language="ar"):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" xml:lang="{language}">
  <itemMeta><provider><name>{agency}</name></provider><pubStatus qcode="stat:{status}"/></itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
  <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>
</newsItem>"""


def import_files(tmp_path, *documents, section=None):
    paths = []
    for number, document in enumerate(documents):
        path = tmp_path / f"item-{number}.xml"
        path.write_text(document)
        paths.append(str(path))
    args = [*paths, *(["--section", section] if section else [])]
    call_command("import_wire", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def agencies():
    return {
        "afp": make_source("فرانس برس", aliases=["أ ف ب", "AFP"]),
        "reuters": make_source("رويترز", aliases=["Reuters"]),
        "aa": make_source("الأناضول", aliases=["وكالة الأناضول"]),
    }


@pytest.fixture
def three_stories(tmp_path, agencies):
    documents = [
        item_xml(f"urn:quake:{number}", agency, headline, paragraphs)
        for number, (agency, headline, paragraphs) in enumerate(EARTHQUAKE)
    ]
    documents += [
        item_xml("urn:floods:1", *FLOODS),
        item_xml("urn:elections:1", *ELECTIONS),
    ]
    import_files(tmp_path, *documents, section=make_section("دولي", slug="world").slug)


def test_three_agencies_on_one_event_are_one_group_and_other_events_are_not(three_stories):
    quake = IncomingItem.objects.filter(guid__startswith="urn:quake:")
    assert quake.count() == 3 and len({item.group_id for item in quake}) == 1
    others = IncomingItem.objects.exclude(guid__startswith="urn:quake:")
    groups = {item.group_id for item in others}
    assert len(groups) == 2 and quake[0].group_id not in groups
    assert StoryGroup.objects.count() == 3


def test_queue_lists_stories_newest_first_and_filters_them(editor_client, three_stories, agencies):
    page = text_of(editor_client.get(QUEUE))
    assert page.index(ELECTIONS[1]) < page.index(FLOODS[1]) < page.index(EARTHQUAKE[2][1])
    assert "الأناضول، رويترز، فرانس برس" in page  # the agencies of the quake group
    by_agency = text_of(editor_client.get(QUEUE, {"agency": agencies["aa"].pk}))
    assert EARTHQUAKE[2][1] in by_agency and FLOODS[1] not in by_agency
    assert ELECTIONS[1] not in by_agency
    assert FLOODS[1] not in text_of(editor_client.get(QUEUE, {"language": "en"}))
    section = IncomingItem.objects.first().section
    assert ELECTIONS[1] in text_of(editor_client.get(QUEUE, {"section": section.pk}))


def test_an_editor_opens_a_group_and_picks_the_version_to_work_from(
    desk_editor_client, three_stories
):
    group = IncomingItem.objects.get(guid="urn:quake:1").group
    page = desk_editor_client.get(reverse("admin:articles_storygroup_change", args=[group.pk]))
    assert page.status_code == 200
    assert all(headline in text_of(page) for _agency, headline, _p in EARTHQUAKE)
    reuters = IncomingItem.objects.get(guid="urn:quake:1")
    response = desk_editor_client.post(
        reverse("admin:articles_storygroup_pick", args=[group.pk, reuters.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_change", args=[reuters.article_id]
    )
    group.refresh_from_db()
    assert group.picked == reuters


def test_a_reporter_cannot_pick_a_colleagues_article(client, django_user_model, three_stories):
    from tests.desk_forms import make_member

    client.force_login(make_member(django_user_model, "sami", "reporter"))
    item = IncomingItem.objects.get(guid="urn:quake:0")
    assert client.get(QUEUE).status_code == 200  # reporters see the queue
    response = client.post(reverse("admin:articles_storygroup_pick", args=[item.group_id, item.pk]))
    assert response.status_code == 403
    assert StoryGroup.objects.get(pk=item.group_id).picked is None


def test_new_version_of_a_touched_article_shows_a_diff_the_editor_accepts(
    tmp_path, desk_editor, desk_editor_client, agencies
):
    headline, paragraphs = EARTHQUAKE[0][1], EARTHQUAKE[0][2]
    import_files(tmp_path, item_xml("urn:quake:afp", "أ ف ب", headline, paragraphs))
    article = Article.objects.get()
    actions.publish_now(article, desk_editor)
    corrected = [paragraphs[0].replace("12 شخصاً", "14 شخصاً"), paragraphs[1]]
    import_files(tmp_path, item_xml("urn:quake:afp", "أ ف ب", headline, corrected, version=2))
    tracked = AgencyStory.objects.get()
    assert tracked.pending is not None

    change = desk_editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    version_page = reverse("admin:articles_agencystory_change", args=[tracked.pk])
    assert f'<a href="{version_page}">' in change.content.decode()  # the notice links to it
    page = desk_editor_client.get(reverse("admin:articles_agencystory_change", args=[tracked.pk]))
    html = page.content.decode()
    assert re.search(r'class="removed">[^<]*12 شخصاً', html)
    assert re.search(r'class="added">[^<]*14 شخصاً', html)

    response = desk_editor_client.post(
        reverse("admin:articles_agencystory_change", args=[tracked.pk]), {"accept": "1"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "14 شخصاً" in article.body_ar and article.is_public
    assert AgencyStory.objects.get().pending is None
    assert (
        desk_editor_client.get(reverse("admin:articles_agencystory_changelist")).status_code == 200
    )


def test_a_kill_shows_on_the_queue_and_on_the_article(tmp_path, editor_client, agencies):
    headline, paragraphs = FLOODS[1], FLOODS[2]
    import_files(tmp_path, item_xml("urn:floods:9", "رويترز", headline, paragraphs))
    article = Article.objects.get()
    import_files(tmp_path, item_xml("urn:floods:9", "رويترز", headline, paragraphs, 2, "withheld"))
    queue = editor_client.get(QUEUE).content.decode()
    assert 'class="agency-kills' in queue
    assert reverse("admin:articles_article_change", args=[article.pk]) in queue
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'class="errornote agency-notice"' in change.content.decode()


def test_feed_admin_saves_a_feed_and_shows_its_health(editor_client, tmp_path):
    add = reverse("admin:articles_agencyfeed_add")
    response = editor_client.post(
        add,
        {
            "name": "وام",
            "kind": "http",
            "url": "https://feeds.example.org/wam.xml",
            "folder": "",
            "username": "desk",
            "password": "secret-1",
            "interval_minutes": "5",
            "section": "",
            "source": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, text_of(response)
    feed = AgencyFeed.objects.get()
    assert feed.password == "secret-1"
    # The password is never shown again, and an empty field keeps it.
    change = reverse("admin:articles_agencyfeed_change", args=[feed.pk])
    assert "secret-1" not in editor_client.get(change).content.decode()
    editor_client.post(
        change,
        {
            "name": "وام",
            "kind": "http",
            "url": feed.url,
            "folder": "",
            "username": "desk",
            "password": "",
            "interval_minutes": "10",
            "section": "",
            "source": "",
            "active": "on",
        },
    )
    feed.refresh_from_db()
    assert (feed.password, feed.interval_minutes) == ("secret-1", 10)
    # A folder feed needs a folder that exists; the error is on the field.
    bad = editor_client.post(
        add,
        {
            "name": "مجلد",
            "kind": "folder",
            "url": "",
            "folder": str(tmp_path / "none"),
            "interval_minutes": "5",
            "active": "on",
        },
    )
    assert bad.status_code == 200 and "folder" in bad.context["adminform"].form.errors
    # The health line: last success, last error, items today.
    from django.utils import timezone

    AgencyFeed.objects.filter(pk=feed.pk).update(
        last_success_at=timezone.now(), last_error_at=timezone.now(), last_error="HTTP 500 from x"
    )
    listing = text_of(editor_client.get(reverse("admin:articles_agencyfeed_changelist")))
    assert "HTTP 500 from x" in listing


def test_import_page_accepts_a_newsml_file(editor_client, agencies):
    upload = SimpleUploadedFile(
        "afp.xml", (FIXTURES / "afp-ar-newsitem-v1.xml").read_bytes(), content_type="text/xml"
    )
    response = preview(editor_client, files=[upload])
    page = text_of(response)
    assert "أمطار غزيرة تغرق شوارع القاهرة وتعطل حركة المرور" in page
    assert "urn:newsml:afp.com:20260502:TX-SGE-ABC12" in page
    saved = editor_client.post(
        reverse("admin:articles_article_import_wire"), {**confirm_fields(response), "save": "1"}
    )
    article = Article.objects.get()
    assert saved.status_code == 302
    assert list(article.sources.all()) == [agencies["afp"]]
    assert AgencyStory.objects.get().article == article


def test_import_page_refuses_malicious_xml_and_writes_nothing(editor_client):
    upload = SimpleUploadedFile(
        "lol.xml", (FIXTURES / "billion-laughs.xml").read_bytes(), content_type="text/xml"
    )
    response = preview(editor_client, files=[upload])
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Article.objects.count() == 0


def test_feed_items_are_credited_to_the_feeds_source_when_they_name_none(tmp_path):
    source = make_source("وكالة الأنباء السعودية", aliases=["واس"])
    feed = AgencyFeed.objects.create(name="واس", kind="folder", folder=str(tmp_path), source=source)
    (tmp_path / "a.xml").write_bytes(
        news_item("urn:spa:1", 1, "خبر", "نص.").replace(
            b'<provider qcode="nprov:AFP"><name>\xd8\xa3 \xd9\x81 \xd8\xa8</name></provider>', b""
        )
    )
    from articles.agency.polling import poll_feed

    poll_feed(feed.pk)
    assert IncomingItem.objects.get().agency == source
    assert list(Article.objects.get().sources.all()) == [source]


def test_a_reporter_is_not_told_the_headline_of_a_colleagues_killed_draft(
    tmp_path, client, django_user_model, agencies
):
    from tests.desk_forms import make_member

    headline, paragraphs = FLOODS[1], FLOODS[2]
    import_files(tmp_path, item_xml("urn:floods:7", "رويترز", headline, paragraphs))
    article = Article.objects.get()
    article.title_ar = "عنوان داخلي لم يُنشر"
    article.save()
    import_files(tmp_path, item_xml("urn:floods:7", "رويترز", headline, paragraphs, 2, "canceled"))
    client.force_login(make_member(django_user_model, "rami", "reporter"))
    queue = client.get(QUEUE).content.decode()
    assert "عنوان داخلي لم يُنشر" not in queue and 'class="agency-kills' not in queue


def test_import_page_previews_a_kill_notice_and_applies_it(editor_client, agencies):
    call_command(
        "import_wire",
        str(FIXTURES / "afp-ar-newsitem-v1.xml"),
        "--publish",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    article = Article.objects.get()
    upload = SimpleUploadedFile(
        "kill.xml", (FIXTURES / "afp-ar-newsitem-kill.xml").read_bytes(), content_type="text/xml"
    )
    response = preview(editor_client, files=[upload])
    assert "إشعار سحب: تسحب الوكالة المادة urn:newsml:afp.com:20260502:TX-SGE-ABC12" in text_of(
        response
    )
    assert Article.objects.get().is_public  # the preview changed nothing
    editor_client.post(
        reverse("admin:articles_article_import_wire"), {**confirm_fields(response), "save": "1"}
    )
    article.refresh_from_db()
    assert not article.is_public
