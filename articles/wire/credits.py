"""Who a wire story credits, as the newsroom's records: agencies and outlets (Source, matched
by any of their names and aliases: أ ف ب = فرانس برس = AFP) and authors from the byline."""

from django.db.models import Q

from articles.models import Author, Source
from articles.slugs import free_slug, unicode_slug
from articles.wire.story import name_key


def split_tags(text: str) -> list[str]:
    """'وسم١,وسم٢' or 'وسم١، وسم٢' -> ['وسم١', 'وسم٢']."""
    names = []
    for name in text.replace("،", ",").split(","):
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    return names


class SourceRegistry:
    """Sources by matching key of their names and aliases, loaded once per importer.

    A name matches whatever its hamza, ya, ta marbuta, diacritics or spacing
    ("أ ف ب" = "ا.ف.ب"). Sources created inside a transaction that rolls back are
    forgotten with it.
    """

    def __init__(self):
        self._by_key: dict[str, Source] | None = None
        self._new: dict[str, Source] = {}

    def reload(self) -> None:
        by_key: dict[str, Source] = {}
        for source in Source.objects.all():
            names = [source.name_ar, source.name_en, source.name, *source.aliases]
            for name in names:
                key = name_key(name or "")
                if key:
                    by_key.setdefault(key, source)
        self._by_key = by_key

    def find(self, name: str) -> Source | None:
        if self._by_key is None:
            self.reload()
        key = name_key(name)
        return self._new.get(key) or self._by_key.get(key)

    def create(self, name: str) -> Source:
        # Another process may have added it since we loaded: look again before creating.
        self.reload()
        source = self.find(name)
        if source is None:
            source = Source(name_ar=name, slug=free_slug(Source, unicode_slug(name, 150)))
            source.save()
            self._new[name_key(name)] = source
        return source

    def commit(self) -> None:
        if self._by_key is not None:
            self._by_key.update(self._new)
        self._new = {}

    def rollback(self) -> None:
        self._new = {}


def authors_of(byline: str) -> list[Author]:
    authors = []
    for name in split_tags(byline):
        name = name[: Author._meta.get_field("name").max_length]
        author = Author.objects.filter(Q(name_ar=name) | Q(name_en=name)).first()
        if author is None:
            author = Author(name_ar=name, slug=free_slug(Author, unicode_slug(name, 150)))
            author.save()
        authors.append(author)
    return authors
