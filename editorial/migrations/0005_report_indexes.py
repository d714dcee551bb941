"""Indexes the editorial reports read, on PostgreSQL only.

Both are partial (state changes only) and covering, so the reports' window
queries read them in (answer, id) order with an index-only scan instead of
visiting the wide audit rows. They live outside AuditEvent.Meta because
SQLite has no INCLUDE and the core model is not the reports' to change.
"""

from django.db import migrations

STATE_ACTIONS = (
    "'vetted.answer.submit', 'vetted.answer.start_review', 'vetted.answer.approve', "
    "'vetted.answer.request_changes', 'vetted.answer.reject', 'vetted.answer.retract'"
)
INDEXES = {
    "editorial_audit_state_by_answer": (
        "(answer_id, id) INCLUDE (action, created_at, actor_id, from_state, to_state, revision_id)"
    ),
    "editorial_audit_state_by_time": "(created_at) INCLUDE (answer_id, action, actor_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON editorial_auditevent {columns} "
            f"WHERE action IN ({STATE_ACTIONS})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("editorial", "0004_report_exports")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
