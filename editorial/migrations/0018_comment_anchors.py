"""Comments anchored to a section or a quoted sentence of the revision they were written on,
resolved and reopened (two new audit actions). Existing comments get the revision of their
answer that was the newest when they were written (none when the answer had none yet)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_revisions(apps, schema_editor):
    Comment = apps.get_model("editorial", "Comment")
    Revision = apps.get_model("answers", "Revision")
    newest = Revision.objects.filter(answer_id=OuterRef("answer_id"), created_at__lte=OuterRef("created_at"))
    Comment.objects.filter(revision__isnull=True).update(
        revision=Subquery(newest.order_by("-created_at", "-number").values("pk")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0007_revision_review'),
        ('editorial', '0017_revision_edit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='quote',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='comment',
            name='resolved_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='comment',
            name='resolved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='comment',
            name='revision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='answers.revision'),
        ),
        migrations.AddField(
            model_name='comment',
            name='section',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='answers.section'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('vetted.answer.submit', 'Submitted a revision'), ('vetted.answer.assign', 'Assigned a reviewer'), ('vetted.answer.start_review', 'Started review'), ('vetted.answer.approve', 'Approved'), ('vetted.answer.reaffirm', 'Re-reviewed and re-approved'), ('vetted.answer.request_changes', 'Requested changes'), ('vetted.answer.reject', 'Rejected'), ('vetted.answer.retract', 'Retracted'), ('vetted.answer.review_due', 'Marked due for re-review'), ('vetted.citation.verdict', 'Recorded a citation verdict'), ('vetted.citation.waive', 'Waived a citation check'), ('vetted.comment.add', 'Commented'), ('vetted.comment.resolve', 'Resolved a comment'), ('vetted.comment.reopen', 'Reopened a comment'), ('vetted.followup.claim', 'A drafting system claimed a follow-up question'), ('vetted.signature.fail', 'Failed to sign (wrong password)'), ('vetted.profile.change', 'Changed a public reviewer profile'), ('vetted.revision.withdraw', 'Withdrew the pending revision with the retraction'), ('vetted.revision.risk', 'Changed the risk tier'), ('vetted.revision.edit', 'Edited the draft in review (a new revision)')], db_index=True, max_length=80),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['revision', 'resolved_at'], name='comment_revision_open'),
        ),
        migrations.AddConstraint(
            model_name='comment',
            constraint=models.CheckConstraint(condition=models.Q(('quote', ''), ('section__isnull', False), _connector='OR'), name='comment_quote_in_a_section'),
        ),
        migrations.AddConstraint(
            model_name='comment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('resolved_at__isnull', True), ('resolved_by__isnull', True)), models.Q(('resolved_at__isnull', False), ('resolved_by__isnull', False)), _connector='OR'), name='comment_resolved_by_someone'),
        ),
        migrations.RunPython(fill_revisions, migrations.RunPython.noop),
    ]
