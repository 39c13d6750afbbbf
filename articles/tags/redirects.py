"""Old tag addresses: the slug of a renamed or merged tag answers 301 to the tag that took it
over, on its page and its feed (`TagRedirect`, kept by the desk's tag clean-up)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from taggit.models import Tag

from articles.related import public_postings
from articles.tags.models import TagRedirect


class TagMoved(Exception):
    """The slug asked for is an old address of `tag`."""

    def __init__(self, tag):
        super().__init__(tag.slug)
        self.tag = tag

    def response(self, request, view_name):
        url = reverse(view_name, args=[self.tag.slug])
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def tag_by_slug(slug):
    """The tag with this slug; `TagMoved` for an old slug of a tag with public articles (a
    redirect must not name a tag whose page would answer 404); else 404. The live tag's own
    lookup comes first, so its page costs no more than before."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is not None:
        return tag
    moved = TagRedirect.objects.select_related("tag").filter(old_slug=slug).first()
    if moved is not None and public_postings(moved.tag).exists():
        raise TagMoved(moved.tag)
    raise Http404
