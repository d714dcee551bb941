"""Indexes for the reader's full-text search and the draft intake's question lookup, on PostgreSQL only.

The expressions match, character for character, what `SearchVector(field,
config="english")` and `MD5("text")` compile to, so the planner uses them.
SQLite has no GIN; there the reader search falls back to a simple scan.
"""

from django.db import migrations

INDEXES = {
    "answers_section_body_search": (
        "answers_section USING gin (to_tsvector('english'::regconfig, COALESCE((body)::text, ''::text)))"
    ),
    "answers_question_text_search": (
        "answers_question USING gin (to_tsvector('english'::regconfig, COALESCE((text)::text, ''::text)))"
    ),
    # Question.text has no length limit, too long for a btree: look it up by its digest.
    "answers_question_text_md5": "answers_question (md5(text))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("answers", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
