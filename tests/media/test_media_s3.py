"""Media on S3-compatible object storage (MEDIA_STORAGE=s3, django-storages), against a local
S3 endpoint: moto's server, in a thread of the test process, speaking real HTTP.

The storage settings are the ones newsroom/settings.py builds from the environment (read in a
subprocess with MEDIA_STORAGE=s3 and the endpoint's address), so the settings block is tested
too; each test then gets its own bucket.
"""

import io
import json
import re
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.settings_process import settings_under

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test"}


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_storage_settings(s3_endpoint):
    """STORAGES["default"] as newsroom/settings.py makes it from the environment."""
    return settings_under(
        {
            **CREDENTIALS,
            "SECRET_KEY": "x",
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
        },
        "settings.STORAGES['default']",
    )


def public_read_policy(name):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }


@pytest.fixture
def bucket(s3_endpoint, s3_storage_settings, settings):
    """A fresh bucket, and the site's media stored in it."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    # Public media: anyone may read objects (deploy/README.md sets the same policy).
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    storage = json.loads(json.dumps(s3_storage_settings))
    storage["OPTIONS"]["bucket_name"] = name
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    # No manifest remembered from another storage: conftest's `_fresh_cache` forgets them.
    return client, name


def keys(bucket):
    client, name = bucket
    return {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}


def photo(colour=(200, 40, 40), size=(1000, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read()


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


def publish_with_image(desk, title, filename, data):
    add_url = reverse("admin:articles_article_add")
    form = change_form_data(desk.get(add_url), title_ar=title, slug=uuid.uuid4().hex[:8])
    form["status"] = "published"
    form["lead_image"] = SimpleUploadedFile(filename, data, content_type="image/jpeg")
    response = desk.post(add_url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(title_ar=title)


def srcset_urls(html):
    return [
        candidate.strip().split(" ")[0]
        for srcset in re.findall(r'srcset="([^"]+)"', html)
        for candidate in srcset.split(",")
    ]


def test_media_storage_s3_selects_django_storages_with_public_cacheable_urls(
    s3_storage_settings, s3_endpoint
):
    options = s3_storage_settings["OPTIONS"]
    assert s3_storage_settings["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "newsroom-media"
    assert options["endpoint_url"] == s3_endpoint
    assert options["querystring_auth"] is False  # no signatures that expire in cached pages
    assert options["file_overwrite"] is False
    assert options["object_parameters"]["CacheControl"].startswith("public, max-age=")


def test_default_storage_follows_the_settings(bucket):
    assert default_storage.bucket_name == bucket[1]
    name = default_storage.save("probe/hello.txt", io.BytesIO(b"salam"))
    assert name in keys(bucket)
    assert Article._meta.get_field("lead_image").storage.exists(name)


@pytest.mark.django_db
def test_desk_upload_stores_the_original_and_its_renditions_in_the_bucket(bucket, desk, client):
    filename = f"gaza-{uuid.uuid4().hex[:6]}.jpg"
    article = publish_with_image(desk, "صورة في الحاوية", filename, photo())

    stored = keys(bucket)
    assert article.lead_image.name in stored
    renditions = {key for key in stored if key.startswith("renditions/")}
    assert {key.rsplit(".", 1)[-1] for key in renditions} == {"webp", "jpg", "json"}
    assert sum(key.endswith(".webp") for key in renditions) == 3  # 480, 800 and 1000 px

    html = client.get(article.get_absolute_url()).content.decode()
    urls = srcset_urls(html)
    _, name = bucket
    assert len(urls) == 6
    assert all(url.startswith(f"{bucket[0].meta.endpoint_url}/{name}/renditions/") for url in urls)
    assert "?" not in "".join(urls)  # plain, cacheable URLs

    for url in urls:
        headers, body = fetch(url)
        if url.endswith(".webp"):
            assert headers["Content-Type"] == "image/webp" and body[8:12] == b"WEBP"
        else:
            assert headers["Content-Type"] == "image/jpeg" and body[:3] == b"\xff\xd8\xff"
        assert headers["Cache-Control"].startswith("public, max-age=")
        assert Image.open(io.BytesIO(body)).width in (480, 800, 1000)


@pytest.mark.django_db
def test_two_uploads_with_the_same_name_do_not_replace_each_other(bucket, desk):
    filename = f"same-{uuid.uuid4().hex[:6]}.jpg"
    first = publish_with_image(desk, "الأولى", filename, photo((200, 0, 0)))
    second = publish_with_image(desk, "الثانية", filename, photo((0, 0, 200)))

    assert first.lead_image.name != second.lead_image.name
    with first.lead_image.open() as handle:
        assert Image.open(handle).getpixel((10, 10))[0] > 150  # still the red one


@pytest.mark.django_db
def test_replacing_and_removing_a_lead_image_as_on_disk(
    bucket, desk, client, django_capture_on_commit_callbacks
):
    """As on disk: the replaced image and its renditions leave the bucket once the change is
    committed; clearing the image empties it."""
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_with_image(
            desk, "تبديل الصورة", f"old-{uuid.uuid4().hex[:6]}.jpg", photo()
        )
    old_name = article.lead_image.name
    old_keys = keys(bucket)
    # original, renditions, the shared image, manifest
    assert old_name in old_keys and len(old_keys) == 1 + 6 + 1 + 1
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    form = change_form_data(desk.get(change_url))
    form["lead_image"] = SimpleUploadedFile(
        f"new-{uuid.uuid4().hex[:6]}.jpg", photo((0, 150, 0), (700, 400)), "image/jpeg"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(change_url, form).status_code == 302
    article.refresh_from_db()
    new_keys = keys(bucket)
    assert article.lead_image.name != old_name and article.lead_image.name in new_keys
    assert not old_keys & new_keys  # the old original, renditions and manifest are gone
    assert len(new_keys) == 1 + 4 + 1 + 1  # 480 and 700 px in WebP and JPEG, shared
    html = client.get(article.get_absolute_url()).content.decode()
    assert all(Image.open(io.BytesIO(fetch(u)[1])).width <= 700 for u in srcset_urls(html))

    form = change_form_data(desk.get(change_url))
    form["lead_image-clear"] = "on"
    form.pop("lead_image", None)
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(change_url, form).status_code == 302
    article.refresh_from_db()
    assert not article.lead_image
    assert "<picture" not in client.get(article.get_absolute_url()).content.decode()
    assert keys(bucket) == set()


def test_deploy_check_warns_until_the_csp_allows_the_bucket(bucket, s3_endpoint, settings):
    """Images from a bucket the Content-Security-Policy does not name would be refused by
    every reader's browser: `check` says so, with the setting to add."""
    from newsroom.security import media_origin_is_allowed

    settings.CSP_MEDIA_ORIGINS = []
    [warning] = media_origin_is_allowed()
    assert warning.id == "newsroom.W001"
    assert warning.hint == f"Set CSP_MEDIA_ORIGINS={s3_endpoint}"

    settings.CSP_MEDIA_ORIGINS = [s3_endpoint]
    assert media_origin_is_allowed() == []
