"""Each revision's own review (RevisionReview), and answers no longer frozen by a
rejected re-draft.

Before this, rejecting a re-draft of a published answer left the answer
`rejected` with its live revision still public, and nothing could move it
again. Such answers are put back to `approved` on their live revision (their
rejected re-draft keeps its outcome in its own review, filled in by
editorial migration 0015 from the audit trail), then the constraint that keeps
published content out of the never-published states is added.

The reviews are filled in by editorial 0015, which reads the audit trail.
"""

import answers.clock
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


def unfreeze_rejected_redrafts(apps, schema_editor):
    Answer = apps.get_model("answers", "Answer")
    Answer.objects.filter(status="rejected", live_revision__isnull=False).update(status="approved")


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0006_revision_external_id_per_submitter'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RevisionReview',
            fields=[
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='review', serialize=False, to='answers.revision')),
                ('state', django_fsm.FSMField(choices=[('submitted', 'Submitted'), ('under_review', 'Under review'), ('changes_requested', 'Changes requested'), ('rejected', 'Rejected'), ('approved', 'Approved'), ('withdrawn', 'Withdrawn')], db_index=True, default='submitted', max_length=50, protected=True)),
                ('changed_at', models.DateTimeField(default=answers.clock.now)),
            ],
            options={
                'verbose_name': 'revision review',
            },
        ),
        migrations.RemoveConstraint(
            model_name='answer',
            name='review_due_only_when_approved',
        ),
        migrations.AddConstraint(
            model_name='answer',
            constraint=models.CheckConstraint(condition=models.Q(('review_due', False), ('live_revision__isnull', False), _connector='OR'), name='review_due_only_when_live'),
        ),
        migrations.RunPython(unfreeze_rejected_redrafts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='answer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['new', 'rejected']), _negated=True), ('live_revision__isnull', True), _connector='OR'), name='never_published_states_have_no_live_revision'),
        ),
        migrations.AddField(
            model_name='revisionreview',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
