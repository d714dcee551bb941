"""A citation verdict carries its citation's revision, for the draft quality report.

The column is added empty, filled from each verdict's citation in one UPDATE,
then made required. Citations never change revision, so the copy cannot go
stale. Reversing drops the column.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    CitationVerdict = apps.get_model("editorial", "CitationVerdict")
    Citation = apps.get_model("answers", "Citation")
    revision = Citation.objects.filter(pk=OuterRef("citation_id")).values("revision_id")[:1]
    CitationVerdict.objects.using(schema_editor.connection.alias).filter(revision__isnull=True).update(
        revision_id=Subquery(revision)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0001_initial"),
        ("editorial", "0006_drafting_api"),
    ]

    operations = [
        migrations.AddField(
            model_name="citationverdict",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="answers.revision",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="citationverdict",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="answers.revision",
            ),
        ),
    ]
