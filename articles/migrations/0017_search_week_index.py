"""A second GIN index for search, over each article's stems tagged with its week (`<week>:<stem>`,
weeks counted from the Unix epoch): the newest matches of a common word are read from a few
weeks' posting lists instead of the word's whole posting list, which grows with the archive
(docs/search.md, "Queries and ranking"; articles/search/candidates.py).

The index is on an expression, so it lives outside the model state (a functional index in the
model could not name a function of ours). The function is IMMUTABLE (an instant's epoch does not
depend on the time zone); its COST tells the planner that calling it per row, as a filter
instead of through the index, is out of the question. Not partial (on status): the planner never
ANDs two partial indexes on the same predicate, and a window's date range is best read from
article_public_idx, partial on status. Built CONCURRENTLY (a non-atomic migration), so writes go
on while it is built (3 min 48 s at 1,000,000 articles on the busy bench machine).
"""

from django.db import migrations

# The lexemes joined by spaces with the week in front of each, then split again: string functions
# only (unnest() into an array took twice as long: 32 against 16 us an article). A lexeme of ours
# never holds a space: to_tsvector splits words there.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION article_search_week_terms(vector tsvector, published timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
  SELECT CASE WHEN length(vector) = 0 THEN vector ELSE array_to_tsvector(string_to_array(
    floor(extract(epoch FROM published) / 604800)::bigint || ':' || array_to_string(
      tsvector_to_array(vector), ' ' || floor(extract(epoch FROM published) / 604800)::bigint || ':'
    ), ' ')) END
$$
"""

# A CREATE INDEX CONCURRENTLY that failed (or was interrupted) leaves an invalid index behind,
# which IF NOT EXISTS would then keep: drop it first, so running the migration again builds it.
DROP_INVALID_INDEX = """
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE c.relname = 'article_search_week_idx' AND NOT i.indisvalid) THEN
    DROP INDEX article_search_week_idx;
  END IF;
END
$$
"""

CREATE_INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search_week_idx ON articles_article
USING gin (article_search_week_terms(search_vector, published_at))
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0016_breaking_index"),
    ]

    operations = [
        migrations.RunSQL(
            CREATE_FUNCTION,
            "DROP FUNCTION IF EXISTS article_search_week_terms(tsvector, timestamptz)",
        ),
        migrations.RunSQL(DROP_INVALID_INDEX, migrations.RunSQL.noop),
        migrations.RunSQL(
            CREATE_INDEX, "DROP INDEX CONCURRENTLY IF EXISTS article_search_week_idx"
        ),
    ]
