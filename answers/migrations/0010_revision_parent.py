"""Edits by the board: a revision's `parent` (the revision a board member or editor
edited to write it) and the `superseded` review state of the revision an edit replaced."""

import django.db.models.deletion
import django_fsm
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0009_risk_tier'),
    ]

    operations = [
        migrations.AddField(
            model_name='revision',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='edits', to='answers.revision'),
        ),
        migrations.AlterField(
            model_name='revisionreview',
            name='state',
            field=django_fsm.FSMField(choices=[('submitted', 'Submitted'), ('under_review', 'Under review'), ('changes_requested', 'Changes requested'), ('rejected', 'Rejected'), ('approved', 'Approved'), ('withdrawn', 'Withdrawn'), ('superseded', 'Superseded by an edit')], db_index=True, default='submitted', max_length=50, protected=True),
        ),
    ]
