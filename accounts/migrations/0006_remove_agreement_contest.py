# Second step, in a transaction of its own: PostgreSQL refuses to alter a table with the
# foreign-key checks of the rows 0005 updated still pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_agreement_scope'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='agreement',
            name='contest',
        ),
        migrations.AlterField(
            model_name='agreement',
            name='scope_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='scope_id',
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AlterModelOptions(
            name='agreement',
            options={'ordering': ['scope_type', 'scope_id', 'kind', '-version'], 'verbose_name': 'agreement', 'verbose_name_plural': 'agreements'},
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.UniqueConstraint(fields=('scope_type', 'scope_id', 'kind', 'version'), name='unique_agreement_version'),
        ),
    ]
