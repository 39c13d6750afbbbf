"""The admin's "view on site" door (/admin/r/<content type>/<id>/), narrowed.

Django's shortcut view redirects any staff member to any object's URL. For an article that
would hand out the URL of a draft, whose slug is its headline, to a colleague who may not see
it: an article goes through only when it is public, or the user may see it at the desk
(`workflow.visible_articles`). Other objects (sections, authors, sources) keep Django's view.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path

from articles.desk import workflow
from articles.models import Article


def view_on_site(request, content_type_id, object_id):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is not None and content_type.model_class() is Article:
        article = Article.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if article is None or not (article.is_public or workflow.can_view(request.user, article)):
            raise Http404
    return shortcut(request, content_type_id, object_id)


urlpatterns = [
    path(
        "r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="desk_view_on_site",
    ),
]
