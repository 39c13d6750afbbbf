"""/api/v1/most-read/: the site's most-read lists, as readers see them on the pages
(articles/readership/lists.py; docs/most-read.md). Read from the cached lists: no query while
they are cached."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.api.serializers import absolute
from articles.api.views import LANG, ApiViewMixin
from articles.models import Section
from articles.readership import lists

PERIODS = {"24h": "day", "7d": "week"}

MOST_READ = inline_serializer(
    "MostRead",
    {
        "period": serializers.ChoiceField(choices=list(PERIODS)),
        "section": serializers.CharField(allow_null=True),
        "results": inline_serializer(
            "MostReadArticle",
            {
                "rank": serializers.IntegerField(),
                "id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "url": serializers.URLField(),
                "reads": serializers.IntegerField(),
            },
            many=True,
        ),
    },
)


class MostReadView(ApiViewMixin, APIView):
    """The most-read public articles of the last 24 hours (period=24h, the default) or 7 days
    (period=7d), site-wide or in one section (section=<slug>), most read first. `reads`
    counts readers once per article per hour; the lists follow each roll-up of the counts."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=list(PERIODS), description="24h (default) or 7d"),
            OpenApiParameter("section", str, description="Section slug"),
            LANG,
        ],
        responses={200: MOST_READ},
    )
    def get(self, request, *args, **kwargs):
        period = request.query_params.get("period", "24h")
        if period not in PERIODS:
            raise ValidationError({"period": [_("Either 24h or 7d.")]}, code="invalid")
        slug = request.query_params.get("section")
        section = Section.objects.filter(slug=slug).first() if slug else None
        if slug and section is None:
            raise NotFound(_("No such section."))
        listed = lists.for_scope(section.pk if section else None)[PERIODS[period]]
        return Response(
            {
                "period": period,
                "section": section.slug if section else None,
                "results": [
                    {
                        "rank": rank,
                        "id": entry.id,
                        "title": entry.title,
                        "url": absolute(entry.get_absolute_url()),
                        "reads": entry.reads,
                    }
                    for rank, entry in enumerate(listed, start=1)
                ],
            }
        )
