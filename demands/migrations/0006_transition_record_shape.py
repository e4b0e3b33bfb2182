"""DemandTransition takes the one shape of every workflow's history (common.TransitionRecord):
the columns are renamed, so every existing row is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0005_stored_search_vectors"),
    ]

    operations = [
        migrations.RenameField("demandtransition", "from_status", "from_state"),
        migrations.RenameField("demandtransition", "to_status", "to_state"),
        migrations.RenameField("demandtransition", "comment", "reason"),
        migrations.RenameField("demandtransition", "created_at", "at"),
        migrations.AlterModelOptions(
            name="demandtransition",
            options={"ordering": ["at", "pk"], "verbose_name": "status change",
                     "verbose_name_plural": "status changes"},
        ),
    ]
