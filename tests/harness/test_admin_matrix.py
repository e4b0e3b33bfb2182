"""The admin half of the permission matrix: every model registered in Django admin declares how
it is scoped (``ADMIN`` in its app's ``matrix.py``), and a host organiser of unit A is tried
against unit B's rows on every admin page of the model — list (rows and filter choices),
change, delete, history, actions — and through every autocomplete. Torch staff see every row;
nobody opens a row declared hidden. Checks known to fail today are strict xfails, named in the
declaration, so a fix turns them into failures to remove.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.harness.conftest import checksum, client_for, rolled_back
from tests.harness.discovery import admin_entry_for
from tests.harness.world import FOREIGN_MARK

CHECKS = (
    "visitor",
    "list",
    "change_foreign",
    "change_foreign_404",
    "post_foreign",
    "history_foreign",
    "actions_foreign",
    "torch_sees_all",
    "hidden",
)


def _models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def _cases():
    cases = []
    for model in _models():
        entry = admin_entry_for(model)
        for check in CHECKS:
            marks = []
            if entry is not None and check in entry.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=entry.xfail[check]))
            cases.append(pytest.param(model, check, marks=marks, id=f"{model._meta.label}-{check}"))
    return cases


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _row(world, path):
    return world.resolve(path) if path else None


def _listed_pks(response):
    changelist = response.context and response.context.get("cl")
    if changelist is None:
        return set()
    return {row.pk for row in changelist.result_list}


@pytest.mark.parametrize("model, check", _cases())
def test_admin_cell(harness, model, check):
    entry = admin_entry_for(model)
    assert entry is not None, f"{model._meta.label} has no ADMIN entry in its app's matrix.py"
    own, foreign, hidden = (
        _row(harness, entry.own),
        _row(harness, entry.foreign),
        _row(harness, entry.hidden),
    )
    changelist = _admin_url(model, "changelist")

    if check == "visitor":
        for persona in ("visitor", "owner", "challenger", "expert_assigned", "agency"):
            with rolled_back():
                response = client_for(harness, persona).get(changelist)
            assert response.status_code == 302, (persona, response.status_code)
            assert reverse("admin:login") in response["Location"]
        return

    if check == "list":
        with rolled_back():
            response = client_for(harness, "host").get(changelist)
        html = response.content.decode()
        if entry.scope in ("torch", "superuser"):
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            if own is not None:
                assert own.pk in _listed_pks(response), "the host organiser's own row is missing"
        if foreign is not None and entry.scope == "host":
            assert foreign.pk not in _listed_pks(response), "another unit's row is listed"
        assert FOREIGN_MARK not in html, "another unit's data shows (a row or a filter choice)"
        return

    if check == "torch_sees_all":
        with rolled_back():
            response = client_for(harness, "torch").get(changelist)
        if entry.scope == "superuser":
            assert response.status_code == 403
            return
        assert response.status_code == 200
        listed = _listed_pks(response)
        for row in (own, foreign):
            if row is not None:
                assert row.pk in listed
        return

    if check == "hidden":
        if hidden is None:
            return
        for persona in ("host", "torch"):
            with rolled_back():
                client = client_for(harness, persona)
                listed = _listed_pks(client.get(changelist))
                change = client.get(_admin_url(model, "change", hidden.pk))
            assert hidden.pk not in listed, f"{persona} lists the hidden row"
            assert change.status_code != 200, f"{persona} opens the hidden row"
        return

    if entry.scope == "shared" or foreign is None:
        return  # every host organiser may see shared rows; nothing foreign to try

    if check == "change_foreign":
        with rolled_back():
            response = client_for(harness, "host").get(_admin_url(model, "change", foreign.pk))
        assert response.status_code != 200
        assert FOREIGN_MARK not in response.content.decode()
        return

    if check == "change_foreign_404":
        with rolled_back():
            response = client_for(harness, "host").get(_admin_url(model, "change", foreign.pk))
        # Torch-only models answer 403 to host staff (they may not open the model at all);
        # a host-scoped model's row of another unit must look like no row: 404.
        expected = 403 if entry.scope in ("torch", "superuser") else 404
        assert response.status_code == expected
        return

    if check == "history_foreign":
        with rolled_back():
            response = client_for(harness, "host").get(_admin_url(model, "history", foreign.pk))
        assert response.status_code != 200
        assert FOREIGN_MARK not in response.content.decode()
        return

    if check == "post_foreign":
        for view, data in (("change", {"name": "越权"}), ("delete", {"post": "yes"})):
            with rolled_back():
                before = checksum()
                response = client_for(harness, "host").post(
                    _admin_url(model, view, foreign.pk), data
                )
                after = checksum()
            assert before == after, f"{view} POST on another unit's row changed the database"
            assert response.status_code != 200 or FOREIGN_MARK not in response.content.decode()
        return

    if check == "actions_foreign":
        model_admin = admin.site._registry[model]
        for name in list(model_admin.actions or []) + ["delete_selected"]:
            action = name if isinstance(name, str) else name.__name__
            with rolled_back():
                before = checksum()
                client_for(harness, "host").post(
                    changelist,
                    {"action": action, "_selected_action": [foreign.pk], "index": 0, "post": "yes"},
                )
                after = checksum()
            assert before == after, f"action {action} on another unit's row changed the database"
        return

    raise AssertionError(f"unknown check {check}")


def _autocomplete_cases():
    cases = []
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        for field_name in model_admin.get_autocomplete_fields(None) or ():
            cases.append(pytest.param(model, field_name, id=f"{model._meta.label}.{field_name}"))
    return cases


@pytest.mark.parametrize("model, field_name", _autocomplete_cases())
def test_admin_autocomplete_shows_no_foreign_row(harness, model, field_name):
    try:
        url = reverse("admin:autocomplete")
    except NoReverseMatch:
        pytest.fail("the admin autocomplete view is gone")
    with rolled_back():
        response = client_for(harness, "host").get(
            url,
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": "",
            },
        )
    assert response.status_code in (200, 403)
    assert FOREIGN_MARK not in response.content.decode()
