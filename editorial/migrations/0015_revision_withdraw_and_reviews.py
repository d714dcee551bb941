"""The audit action for a revision withdrawn with a retraction, and every existing
revision's own review, read from where the answer stands and the audit trail."""

from django.db import migrations, models

# The last decision event about a revision gives its outcome.
OUTCOMES = {
    "vetted.answer.approve": "approved",
    "vetted.answer.reaffirm": "approved",
    "vetted.answer.request_changes": "changes_requested",
    "vetted.answer.reject": "rejected",
    "vetted.answer.start_review": "under_review",
}
OPEN = {"submitted": "submitted", "under_review": "under_review", "changes_requested": "changes_requested"}


def fill_reviews(apps, schema_editor):
    Revision = apps.get_model("answers", "Revision")
    RevisionReview = apps.get_model("answers", "RevisionReview")
    AuditEvent = apps.get_model("editorial", "AuditEvent")
    last = {}
    for revision_id, action, actor_id in (
        AuditEvent.objects.filter(action__in=OUTCOMES, revision_id__isnull=False)
        .order_by("id")
        .values_list("revision_id", "action", "actor_id")
        .iterator()
    ):
        last[revision_id] = (OUTCOMES[action], actor_id)
    reviews = []
    for revision in (
        Revision.objects.filter(review__isnull=True)
        .values("pk", "answer__status", "answer__pending_revision_id", "answer__live_revision_id")
        .iterator()
    ):
        state, decided_by = last.get(revision["pk"], ("withdrawn", None))
        if revision["answer__pending_revision_id"] == revision["pk"]:
            state = OPEN.get(revision["answer__status"], state)
        elif revision["answer__live_revision_id"] == revision["pk"]:
            state = "approved"
        elif state in ("submitted", "under_review"):
            state = "withdrawn"  # no longer pending and never decided
        reviews.append(RevisionReview(revision_id=revision["pk"], state=state, decided_by_id=decided_by))
    RevisionReview.objects.bulk_create(reviews, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('editorial', '0014_audit_action_profile_change'),
        ('answers', '0007_revision_review'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('vetted.answer.submit', 'Submitted a revision'), ('vetted.answer.assign', 'Assigned a reviewer'), ('vetted.answer.start_review', 'Started review'), ('vetted.answer.approve', 'Approved'), ('vetted.answer.reaffirm', 'Re-reviewed and re-approved'), ('vetted.answer.request_changes', 'Requested changes'), ('vetted.answer.reject', 'Rejected'), ('vetted.answer.retract', 'Retracted'), ('vetted.answer.review_due', 'Marked due for re-review'), ('vetted.citation.verdict', 'Recorded a citation verdict'), ('vetted.citation.waive', 'Waived a citation check'), ('vetted.comment.add', 'Commented'), ('vetted.followup.claim', 'A drafting system claimed a follow-up question'), ('vetted.signature.fail', 'Failed to sign (wrong password)'), ('vetted.profile.change', 'Changed a public reviewer profile'), ('vetted.revision.withdraw', 'Withdrew the pending revision with the retraction')], db_index=True, max_length=80),
        ),
        migrations.RunPython(fill_reviews, migrations.RunPython.noop),
    ]
