"""Edits by the board: a verdict carried over to the edited revision (`carried_from`),
and the audit action `vetted.revision.edit`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0010_revision_parent'),
        ('editorial', '0016_high_alert_drugs_and_risk_change'),
    ]

    operations = [
        migrations.AddField(
            model_name='citationverdict',
            name='carried_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='answers.revision'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('vetted.answer.submit', 'Submitted a revision'), ('vetted.answer.assign', 'Assigned a reviewer'), ('vetted.answer.start_review', 'Started review'), ('vetted.answer.approve', 'Approved'), ('vetted.answer.reaffirm', 'Re-reviewed and re-approved'), ('vetted.answer.request_changes', 'Requested changes'), ('vetted.answer.reject', 'Rejected'), ('vetted.answer.retract', 'Retracted'), ('vetted.answer.review_due', 'Marked due for re-review'), ('vetted.citation.verdict', 'Recorded a citation verdict'), ('vetted.citation.waive', 'Waived a citation check'), ('vetted.comment.add', 'Commented'), ('vetted.followup.claim', 'A drafting system claimed a follow-up question'), ('vetted.signature.fail', 'Failed to sign (wrong password)'), ('vetted.profile.change', 'Changed a public reviewer profile'), ('vetted.revision.withdraw', 'Withdrew the pending revision with the retraction'), ('vetted.revision.risk', 'Changed the risk tier'), ('vetted.revision.edit', 'Edited the draft in review (a new revision)')], db_index=True, max_length=80),
        ),
    ]
