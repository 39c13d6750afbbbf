"""drf-spectacular hooks: the schema lists each path once (the `.json` / `.ninjs` suffixes are
the same operations, documented in docs/api.md)."""


def without_format_suffixes(endpoints):
    return [endpoint for endpoint in endpoints if "{format}" not in endpoint[0]]
