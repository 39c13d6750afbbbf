from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Author, Section, Source


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "lead_image_caption")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Author)
class AuthorTranslation(TranslationOptions):
    fields = ("name", "bio")


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("name",)
