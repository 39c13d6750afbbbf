"""The lead image as other sites and readers see it: feed enclosures, Open Graph, Twitter
cards and JSON-LD all use one JPEG, 1200 × 630 (less for a small original) cut around the
image's focal point, with its absolute URL, size and byte length."""

import logging
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from articles.media.images import focus_of, make_renditions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SharedImage:
    url: str  # absolute, from SITE_URL
    length: int  # bytes
    mime_type: str
    width: int | None = None
    height: int | None = None


def shared_image(field_file) -> SharedImage | None:
    """The image to share for a lead image: its shared rendition (large enough for a
    "summary_large_image" card; every feed reader and social network reads JPEG), the byte
    size read from the rendition manifest (kept in memory per process, so a feed of 30 items
    does not open 30 files); the original when it has no renditions; None when it is missing."""
    if not field_file or not field_file.name:
        return None
    try:
        manifest = make_renditions(field_file.name, focus=focus_of(field_file))
        width, height, path = manifest["share"]
        length = manifest.get("bytes", {}).get(path)
        if length is None:  # a manifest written before byte sizes were recorded
            length = default_storage.size(path)
        url = settings.SITE_URL + default_storage.url(path)
        return SharedImage(url, length, "image/jpeg", width, height)
    except (OSError, ValueError, KeyError, Image.DecompressionBombError) as error:
        logger.warning("no rendition to share for %s: %s", field_file.name, error)
    try:
        length = default_storage.size(field_file.name)
    except OSError:
        return None
    mime_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    return SharedImage(settings.SITE_URL + default_storage.url(field_file.name), length, mime_type)
