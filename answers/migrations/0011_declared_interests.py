"""Declared interests of board members (issue 15, conflicts of interest): `answers.DeclaredInterest`."""

import answers.clock
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0010_revision_parent'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeclaredInterest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('company', 'Company'), ('drug', 'Drug')], max_length=10)),
                ('name', models.CharField(help_text='The company or drug, as texts name it (e.g. Pfizer).', max_length=200)),
                ('start', models.DateField(verbose_name='from')),
                ('end', models.DateField(blank=True, help_text='Empty while the interest is current.', null=True, verbose_name='to')),
                ('statement', models.TextField(help_text='What the interest is (e.g. consulting fees), shown publicly.')),
                ('pattern', models.CharField(editable=False, max_length=1200)),
                ('changed_at', models.DateTimeField(default=answers.clock.now, editable=False)),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interests', to='answers.reviewerprofile')),
            ],
            options={
                'ordering': ['start', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='declared_interest_ends_after_it_starts', violation_error_message='The to-date comes before the from-date.')],
            },
        ),
    ]
