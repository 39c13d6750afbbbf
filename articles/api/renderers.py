"""IPTC ninjs as a media type of its own: `Accept: application/ninjs+json`, `?format=ninjs`
or the `.ninjs` suffix. The views pick the ninjs serialisation when this renderer is chosen."""

from rest_framework.renderers import JSONRenderer

NINJS = "ninjs"


class NinjsRenderer(JSONRenderer):
    media_type = "application/ninjs+json"
    format = NINJS


def wants_ninjs(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) == NINJS
