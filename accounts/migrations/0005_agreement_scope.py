# An agreement version no longer names contests.Contest: it applies to a scope (content type and
# id). Every existing version keeps its row, its number and its signatures; its scope is the
# contest it belonged to.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def contest_to_scope(apps, schema_editor):
    Agreement = apps.get_model("accounts", "Agreement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Agreement.objects.exists():
        return
    contest_type, _created = ContentType.objects.get_or_create(app_label="contests",
                                                               model="contest")
    Agreement.objects.update(scope_type=contest_type, scope_id=F("contest_id"))


def scope_to_contest(apps, schema_editor):
    Agreement = apps.get_model("accounts", "Agreement")
    Agreement.objects.filter(scope_type__app_label="contests",
                             scope_type__model="contest").update(contest_id=F("scope_id"))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_decided_by_published_by'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='agreement',
            name='unique_agreement_version',
        ),
        migrations.AddField(
            model_name='agreement',
            name='scope_type',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='scope_id',
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='contest',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='contests.contest', verbose_name='contest'),
        ),
        migrations.RunPython(contest_to_scope, scope_to_contest),
    ]
