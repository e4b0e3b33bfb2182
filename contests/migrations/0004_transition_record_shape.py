"""WorkPlanTransition takes the one shape of every workflow's history
(common.TransitionRecord): the columns are renamed, so every existing row is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0003_work_plans_notices_channels"),
    ]

    operations = [
        migrations.RenameField("workplantransition", "comment", "reason"),
        migrations.RenameField("workplantransition", "created_at", "at"),
        migrations.AlterModelOptions(
            name="workplantransition",
            options={"ordering": ["at", "pk"], "verbose_name": "work plan transition",
                     "verbose_name_plural": "work plan transitions"},
        ),
    ]
