"""A lead image no article uses any more (replaced, cleared, its article deleted) is deleted with
its renditions and manifest, but only once the change is committed, never while another
article still shows it, and a storage error never costs the editor the save."""

import io
import logging
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from articles.desk import revisions
from articles.media import images
from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article, stored_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Media in a fresh folder (no manifest is remembered: conftest's `_fresh_cache`)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


def photo(colour=(200, 40, 40), size=(1000, 600), name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def stored_files(name):
    """The original and every rendition/manifest file of the image `name` still stored, at
    every focal point."""
    found = set()
    folders = [images.image_dir(name)]
    while folders:
        directory = folders.pop()
        try:
            subfolders, files = default_storage.listdir(directory)
        except FileNotFoundError:
            continue
        found |= {f"{directory}/{file}" for file in files}
        folders += [f"{directory}/{folder}" for folder in subfolders]
    if default_storage.exists(name):
        found.add(name)
    return found


def with_renditions(name):
    images.make_renditions(name)
    files = stored_files(name)
    # original, 3 widths × 2 types, the shared image, the manifest
    assert name in files and len(files) == 1 + 6 + 1 + 1
    return files


def save_in_desk(desk, article, **changes):
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    form = change_form_data(desk.get(change_url))
    form.pop("lead_image", None)
    form.update(changes)
    response = desk.post(change_url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def publish_in_desk(desk, title, upload):
    add_url = reverse("admin:articles_article_add")
    form = change_form_data(
        desk.get(add_url), title_ar=title, slug=uuid.uuid4().hex[:8], lead_image=upload
    )
    response = desk.post(add_url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(title_ar=title)


def test_replacing_the_lead_image_in_the_desk_deletes_the_old_one_with_its_renditions(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in_desk(desk, "خبر مصور", photo())
    old = article.lead_image.name
    old_files = stored_files(old)
    assert len(old_files) == 9 and images.remembers_manifest(old)  # made by the desk at upload

    with django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, article, lead_image=photo((0, 150, 0), (700, 400), "new.jpg"))

    new = article.lead_image.name
    assert new != old
    assert stored_files(old) == set()
    assert not any(default_storage.exists(path) for path in old_files)
    assert not images.remembers_manifest(old)
    new_files = stored_files(new)
    assert new in new_files and f"{images.rendition_dir(new)}/manifest.json" in new_files
    assert len(new_files) == 1 + 2 * 2 + 1 + 1  # 480 and 700 px, WebP and JPEG; shared
    assert images.picture_for(article.lead_image).width == 700


def test_clearing_the_lead_image_in_the_desk_deletes_it(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in_desk(desk, "خبر بلا صورة بعد الآن", photo())
    name = article.lead_image.name

    with django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, article, **{"lead_image-clear": "on"})

    assert not article.lead_image
    assert stored_files(name) == set()
    assert not images.remembers_manifest(name)


def test_an_image_two_articles_share_is_kept_until_the_last_one_lets_go(
    django_capture_on_commit_callbacks,
):
    name = stored_jpeg("lead/shared.jpg", (1000, 600))
    first = make_article("الأولى", lead_image=name)
    second = make_article("الثانية", lead_image=name)
    files = with_renditions(name)

    with django_capture_on_commit_callbacks(execute=True):
        first.lead_image = ""
        first.save()
    assert stored_files(name) == files
    assert images.picture_for(Article.objects.get(pk=second.pk).lead_image) is not None

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert stored_files(name) == set()


def test_a_rolled_back_change_deletes_nothing(django_capture_on_commit_callbacks):
    name = stored_jpeg("lead/kept.jpg", (1000, 600))
    article = make_article("خبر", lead_image=name)
    files = with_renditions(name)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            article.lead_image = ""
            article.save()
            assert stored_files(name) == files  # nothing deleted before the commit
            raise RuntimeError("the save fails after the row was written")
        with pytest.raises(RuntimeError), transaction.atomic():
            Article.objects.get(pk=article.pk).delete()
            raise RuntimeError("so does the delete")
    assert callbacks == []
    assert stored_files(name) == files
    assert Article.objects.get(pk=article.pk).lead_image.name == name


def test_deleting_the_article_deletes_its_image(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in_desk(desk, "خبر يحذف", photo())
    name = article.lead_image.name
    assert len(stored_files(name)) == 9

    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert stored_files(name) == set()


def test_saving_other_fields_keeps_the_image(django_capture_on_commit_callbacks):
    name = stored_jpeg("lead/unchanged.jpg", (1000, 600))
    article = make_article("خبر", lead_image=name)
    files = with_renditions(name)
    with django_capture_on_commit_callbacks(execute=True):
        article.title_ar = "خبر بعنوان جديد"
        article.save()
    assert stored_files(name) == files


def test_a_storage_error_is_logged_and_the_editors_save_stands(
    desk, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in_desk(desk, "خبر والتخزين معطل", photo())
    name = article.lead_image.name

    def broken_delete(path):
        raise OSError("storage unavailable")

    monkeypatch.setattr(default_storage, "delete", broken_delete)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, article, **{"lead_image-clear": "on"})

    assert not Article.objects.get(pk=article.pk).lead_image  # the save stands
    assert f"could not delete the unused image {name}" in caplog.text
    monkeypatch.undo()
    assert name in stored_files(name)  # left for a later clean-up, nothing half-trusted
    assert not images.remembers_manifest(name)


def test_restoring_a_revision_whose_image_was_deleted_keeps_todays_image(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in_desk(desk, "خبر بصورتين", photo())
        first_image = article.lead_image.name
        save_in_desk(desk, article, lead_image=photo((0, 0, 200), name="second.jpg"))
    second_image = article.lead_image.name
    assert stored_files(first_image) == set()
    first_revision = revisions.versions_of(article).last()

    with django_capture_on_commit_callbacks(execute=True):
        restored = revisions.restore(article, first_revision, None)

    assert restored.lead_image.name == second_image
    assert len(stored_files(second_image)) == 9
