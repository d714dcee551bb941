"""Full-text indexes for the reader's search, on PostgreSQL only.

`answers.selectors.answer_list` narrows a search to the questions and live
texts that contain one of the query's words through these two GIN indexes
before ranking, instead of building a text vector for every published answer
(about 4 s a search with 100,000 answers, found by bench/load.py). The
expressions are exactly the SQL of Django's `SearchVector(field, config="english")`,
so the planner uses them. SQLite has no full-text vectors; it searches with LIKE.
"""

from django.db import migrations

INDEXES = {
    "answers_question_text_search": ("answers_question", "text"),
    "answers_section_body_search": ("answers_section", "body"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('english'::regconfig, COALESCE({column}, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("answers", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
