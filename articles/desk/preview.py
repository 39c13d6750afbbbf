"""Signed, expiring preview links: a draft seen exactly as readers will see it, by the desk only.

The link carries the article id signed with a timestamp (django.core.signing), so it cannot be
guessed or altered and stops working after PREVIEW_MAX_AGE. Even a valid link shows nothing to
anyone but a logged-in desk member who may see that article (and has given the second sign-in
step when it is asked of them): to everyone else it is a 404, exactly like an article that does
not exist.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.desk import workflow
from articles.desk.two_factor import policy as two_factor
from articles.models import Article
from articles.site.views import article_page_context

SALT = "articles.desk.preview"
PREVIEW_MAX_AGE = getattr(settings, "NEWSROOM_PREVIEW_MAX_AGE", 60 * 60 * 24)


def preview_token(article) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(article.pk))


def preview_url(article) -> str:
    return reverse("articles:preview", args=[preview_token(article)])


def article_for_token(token: str):
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise Http404 from error
    return Article.objects.with_page_data().filter(pk=int(pk)).first()


@never_cache
@require_GET
def preview_article(request, token):
    user = request.user
    if not user.is_authenticated or not user.is_staff or two_factor.must_verify(user):
        raise Http404
    article = article_for_token(token)
    if article is None or not workflow.can_view(user, article):
        raise Http404
    response = render(request, "articles/article_detail.html", article_page_context(article))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
