import pytest

from audit.selectors import entries_for_object
from audit.services import log_action
from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_entries_for_object_lists_only_that_objects_entries_newest_first(challenger, expert):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    first = log_action("portal.organisation.view_hidden", actor=challenger, obj=organisation)
    log_action("portal.organisation.view_hidden", actor=challenger, obj=other)
    second = log_action("portal.organisation.view_hidden", actor=expert, obj=organisation)

    entries = list(entries_for_object(organisation))

    assert entries == [second, first]
    assert [entry.actor for entry in entries] == [expert, challenger]


def test_entries_for_object_filters_by_action(challenger):
    organisation = OrganisationFactory()
    log_action("portal.organisation.verify", actor=challenger, obj=organisation)
    wanted = log_action("portal.organisation.view_hidden", actor=challenger, obj=organisation)

    assert list(entries_for_object(organisation,
                                   actions=["portal.organisation.view_hidden"])) == [wanted]
