"""The stored tsvector of ``search_title`` weighs the demand's own title A and its keywords B
(``common.search.WeightedVector``), so PostgreSQL ranks a title match above a keyword-only
one. A generated column's expression cannot be altered: it is dropped and added again, which
recomputes it for every row, and its GIN index is built again."""

import django.contrib.postgres.search
from django.db import migrations, models

import common.search

INDEX = "demand_search_title_vgin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON demands_demand USING gin (search_title_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("demands", "0008_demand_matched_at"),
    ]

    operations = [
        migrations.RunPython(drop_index, create_index, elidable=False),
        migrations.RemoveField(model_name="demand", name="search_title_vector"),
        migrations.AddField(
            model_name="demand",
            name="search_title_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=common.search.WeightedVector("search_title", "A", "B"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
