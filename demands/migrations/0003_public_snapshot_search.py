"""The stored public projection and title search column, and the GIN indexes of Chinese search
(DESIGN.md §5). The expression indexes exist on PostgreSQL only; SQLite searches with LIKE."""

from django.db import migrations, models

INDEXES = {
    "demand_search_tokens_gin": "search_tokens",
    "demand_search_bigrams_gin": "search_bigrams",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON demands_demand "
            f"USING gin (to_tsvector('simple'::regconfig, {column}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("demands", "0002_draft_industry_field_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="search_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="demand",
            name="public_snapshot",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="demand",
            name="public_indexed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
