"""The desk's wire import page as a browser drives it: its URL, a preview, the confirm step."""

import re
from html import unescape

from django.urls import reverse

URL = reverse("admin:articles_article_import_wire")


def text_of(response):
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def preview(client, text="", files=(), **fields):
    return client.post(URL, {"text": text, "files": list(files), "preview": "1", **fields})


def confirm_fields(response):
    """The hidden fields the preview hands to the save step."""
    html = response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.pop("csrfmiddlewaretoken", None)
    return {name: unescape(value) for name, value in fields.items()}
