"""The readers' full-text search document, kept by PostgreSQL itself.

Each answer with live (approved) content has one row in `AnswerSearch`: the
question's words (weight A) and the live revision's section bodies (weight
B) as a stored tsvector under a GIN index. Searching then reads stored
vectors instead of parsing every matching answer's text on each request.

Triggers keep the row in step (declared on the models with django-pgtrigger,
so they are migrated like the audit trail's): when an answer is written with
a different live revision or question, and when a question's text changes.
Retracting (no live revision) removes the row. `rebuild()` recomputes every
row in one statement, for bulk loads that write answers before their
sections (`generate_report_data`) and for operators (`manage.py
rebuild_search`). On SQLite there are no triggers and no rows: the reader
search falls back to a simple scan there.
"""

from django.db import connection

# The document of one answer, from its question and the revision readers see;
# created by migration answers/0003_answer_search.
FUNCTION = "answers_search_document"

# Trigger bodies (plpgsql), run after a row of answers_answer / answers_question is written.
ON_ANSWER = f"""
IF NEW.live_revision_id IS NULL THEN
    DELETE FROM answers_answersearch WHERE answer_id = NEW.id;
ELSE
    INSERT INTO answers_answersearch (answer_id, document)
    VALUES (NEW.id, {FUNCTION}(NEW.question_id, NEW.live_revision_id))
    ON CONFLICT (answer_id) DO UPDATE SET document = EXCLUDED.document;
END IF;
RETURN NULL;
"""
ON_QUESTION = f"""
UPDATE answers_answersearch s SET document = {FUNCTION}(a.question_id, a.live_revision_id)
FROM answers_answer a
WHERE a.question_id = NEW.id AND s.answer_id = a.id AND a.live_revision_id IS NOT NULL;
RETURN NULL;
"""

REBUILD = [
    f"""
    INSERT INTO answers_answersearch (answer_id, document)
    SELECT a.id, {FUNCTION}(a.question_id, a.live_revision_id)
    FROM answers_answer a WHERE a.live_revision_id IS NOT NULL
    ON CONFLICT (answer_id) DO UPDATE SET document = EXCLUDED.document
    """,
    """
    DELETE FROM answers_answersearch s
    WHERE NOT EXISTS (SELECT 1 FROM answers_answer a WHERE a.id = s.answer_id AND a.live_revision_id IS NOT NULL)
    """,
]


def rebuild(schema_editor=None) -> int:
    """Recompute every answer's search document; returns the number of rows now indexed (0 off PostgreSQL)."""
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        for statement in REBUILD:
            cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM answers_answersearch")
        return cursor.fetchone()[0]
