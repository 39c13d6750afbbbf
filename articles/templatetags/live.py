from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def is_live(article) -> bool:
    """Whether the article's live coverage is running (the "مباشر" badge). Cards come with
    their coverage (`with_card_data`), so this asks nothing of the database."""
    try:
        coverage = article.live
    except ObjectDoesNotExist:
        return False
    return coverage is not None and coverage.is_live
