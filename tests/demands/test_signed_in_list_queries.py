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
    # cold body: the contest, the filter choices (3), the count and the page; the user, its
    # roles (menu) and unread count come from the cache (accounts.identity)
    with django_assert_num_queries(6):
        response = client.get(reverse("demands:list"))
    assert response.status_code == 200
    # warm body (the shared cache): no query at all
    with django_assert_num_queries(0):
        client.get(reverse("demands:list"))


def test_the_badge_counts_unread_notifications_read_with_the_roles(client, challenger,
                                                                   django_assert_num_queries):
    from notifications.models import Notification

    Notification.objects.create(recipient=challenger, kind="demand.published", text="新需求",
                                idempotency_key="badge-test")
    client.force_login(challenger)
    client.get(reverse("demands:list"))
    with django_assert_num_queries(0):
        response = client.get(reverse("demands:list"))
    assert response.context["unread_notifications"] == 1
    assert response.context["user_roles"] == challenger.role_codes()
