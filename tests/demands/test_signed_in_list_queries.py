"""The signed-in public list (announcement days: many signed-in challengers) costs a fixed
number of queries, whatever the rows, cold and warm: its body comes from the shared cache,
the layout around it is rendered per user."""

import pytest
from django.urls import reverse

from demands.enums import DemandStatus
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory


@pytest.mark.parametrize("count", [1, 3])
def test_signed_in_list_query_count_is_pinned(client, challenger, host_unit, count,
                                              django_assert_num_queries):
    for _ in range(count):
        publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    client.force_login(challenger)
    client.get(reverse("accounts:dashboard"))  # the session and its cached rows are warm
    # cold body: the session's user, its roles (menu), the unread count, the contest, the
    # filter choices (3), the count and the page
    with django_assert_num_queries(9):
        response = client.get(reverse("demands:list"))
    assert response.status_code == 200
    # warm body (the shared cache): the user, roles, unread count only
    with django_assert_num_queries(3):
        client.get(reverse("demands:list"))
