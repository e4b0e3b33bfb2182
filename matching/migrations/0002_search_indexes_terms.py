"""GIN indexes on the achievements' stored search vectors (PostgreSQL), and the term table's
first load from matching/data/terms.csv (fields that do not exist yet are left empty: the entry
then applies to every field until ``manage.py load_terms`` runs again)."""

from django.db import migrations

INDEXES = {
    "achievement_search_title_vgin": "search_title_vector",
    "achievement_search_tokens_vgin": "search_tokens_vector",
    "achievement_search_bigrams_vgin": "search_bigrams_vector",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON matching_achievement USING gin ({column})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def load_terms(apps, schema_editor):
    from matching.terms import read_data_file

    TermEntry = apps.get_model("matching", "TermEntry")
    IndustryField = apps.get_model("contests", "IndustryField")
    fields = dict(IndustryField.objects.values_list("code", "pk"))
    for code, abbreviation, term in read_data_file():
        TermEntry.objects.update_or_create(
            abbreviation=abbreviation, term=term,
            defaults={"industry_field_id": fields.get(code)})


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
        migrations.RunPython(load_terms, migrations.RunPython.noop),
    ]
