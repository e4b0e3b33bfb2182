"""A production deploy runs collectstatic with the manifest storage, which rewrites every
reference inside CSS and JS files and refuses one to a missing file (a vendored library's
source map, say). The whole static tree must go through it."""

import pytest
from django.core.management import call_command

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.mark.xdist_group("collectstatic")
def test_collectstatic_with_the_production_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}

    call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/quill/quill.*.js"))
