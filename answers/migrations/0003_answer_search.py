"""Stored search documents for the reader search (answers/search.py), on PostgreSQL only.

The SQL is copied here, frozen, as migrations should be. The document
function comes before the triggers that call it; the existing answers are
indexed once; the two GIN indexes of 0002 that built vectors from the text
at query time are no longer read, and every section insert paid for them.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION answers_search_document(question bigint, revision bigint) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce((SELECT text FROM answers_question WHERE id = question), '')), 'A')
        || setweight(to_tsvector('english', coalesce(
            (SELECT string_agg(body, ' ' ORDER BY position) FROM answers_section WHERE revision_id = revision), ''
        )), 'B')
$$
"""
OLD_INDEXES = {
    "answers_section_body_search": (
        "answers_section USING gin (to_tsvector('english'::regconfig, COALESCE((body)::text, ''::text)))"
    ),
    "answers_question_text_search": (
        "answers_question USING gin (to_tsvector('english'::regconfig, COALESCE((text)::text, ''::text)))"
    ),
}


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS answers_answersearch_document ON answers_answersearch USING gin (document)"
        )


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS answers_answersearch_document")
        schema_editor.execute("DROP FUNCTION IF EXISTS answers_search_document(bigint, bigint)")


def index_answers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """INSERT INTO answers_answersearch (answer_id, document)
        SELECT a.id, answers_search_document(a.question_id, a.live_revision_id)
        FROM answers_answer a WHERE a.live_revision_id IS NOT NULL
        ON CONFLICT (answer_id) DO UPDATE SET document = EXCLUDED.document"""
    )
    schema_editor.execute("ANALYZE answers_answersearch")  # the planner's word statistics
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_old_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in OLD_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0002_search_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnswerSearch',
            fields=[
                ('answer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search', serialize=False, to='answers.answer')),
                ('document', django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                'verbose_name': 'search document',
            },
        ),
        migrations.RunPython(create_function, drop_function, elidable=False),
        pgtrigger.migrations.AddTrigger(
            model_name='answer',
            trigger=pgtrigger.compiler.Trigger(name='answer_search_document_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\nIF NEW.live_revision_id IS NULL THEN\n    DELETE FROM answers_answersearch WHERE answer_id = NEW.id;\nELSE\n    INSERT INTO answers_answersearch (answer_id, document)\n    VALUES (NEW.id, answers_search_document(NEW.question_id, NEW.live_revision_id))\n    ON CONFLICT (answer_id) DO UPDATE SET document = EXCLUDED.document;\nEND IF;\nRETURN NULL;\n', hash='a12879054955ba2744d38786845b662ebf2ab8fa', operation='INSERT', pgid='pgtrigger_answer_search_document_insert_163d5', table='answers_answer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='answer',
            trigger=pgtrigger.compiler.Trigger(name='answer_search_document_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."live_revision_id" IS DISTINCT FROM (NEW."live_revision_id") OR OLD."question_id" IS DISTINCT FROM (NEW."question_id"))', func='\nIF NEW.live_revision_id IS NULL THEN\n    DELETE FROM answers_answersearch WHERE answer_id = NEW.id;\nELSE\n    INSERT INTO answers_answersearch (answer_id, document)\n    VALUES (NEW.id, answers_search_document(NEW.question_id, NEW.live_revision_id))\n    ON CONFLICT (answer_id) DO UPDATE SET document = EXCLUDED.document;\nEND IF;\nRETURN NULL;\n', hash='d29ef6346d9655b30ca76ff0a09205bdf3204b8d', operation='UPDATE', pgid='pgtrigger_answer_search_document_update_2a3be', table='answers_answer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='question',
            trigger=pgtrigger.compiler.Trigger(name='question_search_document', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."text" IS DISTINCT FROM (NEW."text"))', func='\nUPDATE answers_answersearch s SET document = answers_search_document(a.question_id, a.live_revision_id)\nFROM answers_answer a\nWHERE a.question_id = NEW.id AND s.answer_id = a.id AND a.live_revision_id IS NOT NULL;\nRETURN NULL;\n', hash='b0ac18a0390d51522434ea2efccd2146fe1b4408', operation='UPDATE', pgid='pgtrigger_question_search_document_f104f', table='answers_question', when='AFTER')),
        ),
        migrations.RunPython(index_answers, restore_old_indexes, elidable=False),
    ]
