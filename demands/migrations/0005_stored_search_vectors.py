"""Stored tsvector columns for Chinese search and GIN indexes on them (PostgreSQL), replacing
the expression indexes of 0003, whose matches recomputed ``to_tsvector`` for every row they
rechecked and ranked; and the partial index of the public list's order and count."""

import common.search
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


OLD_INDEXES = {
    "demand_search_tokens_gin": "search_tokens",
    "demand_search_bigrams_gin": "search_bigrams",
}
NEW_INDEXES = {
    "demand_search_title_vgin": "search_title_vector",
    "demand_search_tokens_vgin": "search_tokens_vector",
    "demand_search_bigrams_vgin": "search_bigrams_vector",
}


def use_vector_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, column in NEW_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON demands_demand USING gin ({column})")


def use_expression_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NEW_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, column in OLD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON demands_demand "
            f"USING gin (to_tsvector('simple'::regconfig, {column}))")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_decided_by_published_by'),
        ('contests', '0003_work_plans_notices_channels'),
        ('demands', '0004_transition_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='demand',
            name='search_bigrams_vector',
            field=models.GeneratedField(db_persist=True, expression=common.search.SimpleVector('search_bigrams'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='demand',
            name='search_title_vector',
            field=models.GeneratedField(db_persist=True, expression=common.search.SimpleVector('search_title'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='demand',
            name='search_tokens_vector',
            field=models.GeneratedField(db_persist=True, expression=common.search.SimpleVector('search_tokens'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(condition=models.Q(('public_indexed_at__isnull', False), ('status__in', ['published', 'closed'])), fields=['-published_at', '-id'], name='demand_public_newest'),
        ),
        migrations.RunPython(use_vector_indexes, use_expression_indexes, elidable=False),
    ]
