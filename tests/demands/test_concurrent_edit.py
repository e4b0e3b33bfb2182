"""Two authors editing the same demand from forms opened at the same time: the second save is
refused with a message, keeps what was typed and overwrites nothing (common.concurrency)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import ActivityLog
from common.concurrency import StaleEdit, edit_token
from demands import services
from demands.models import Demand
from tests.demands.collection import *  # noqa: F403


def _opened(client, demand):
    """Open the edit page as a browser would; the version it carries."""
    html = client.get(reverse("demands:edit", kwargs={"ref": demand.ref})).content.decode()
    return re.search(r'name="edit_token" value="(\d+)"', html).group(1)


def _save(client, demand, token, title, key_problem):
    data = {
        "action": "draft",
        "host_unit": demand.host_unit_id,
        "title": title,
        "key_problem": key_problem,
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "响应时间",
        "indicators-0-target_value": "≤10ms",
    }
    if token is not None:
        data["edit_token"] = token
    return client.post(reverse("demands:edit", kwargs={"ref": demand.ref}), data)


def _signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # messages are asserted in English
    client.force_login(user)
    return client


@pytest.fixture
def two_authors(request, make_demand, demand_owner, co_member, host_organiser):
    """(demand, first author's client, second author's client): the company's two members, or
    the company's member and the host organiser who entered the demand on its behalf."""
    if request.param == "owner":
        return make_demand(), _signed_in(demand_owner), _signed_in(co_member)
    demand = make_demand(entered_by_host=True, created_by=host_organiser)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=host_organiser, type=Authenticator.Type.TOTP, data={"secret": "test-only"}
    )
    return demand, _signed_in(host_organiser), _signed_in(demand_owner)


@pytest.mark.parametrize("two_authors", ["owner", "host on behalf"], indirect=True)
def test_second_save_from_a_form_opened_at_the_same_time_is_refused(two_authors):
    demand, first, second = two_authors
    first_token, second_token = _opened(first, demand), _opened(second, demand)

    saved = _save(first, demand, first_token, "第一位作者的标题", "第一位作者的问题")
    refused = _save(second, demand, second_token, "第二位作者的标题", "第二位作者的问题")

    assert saved.status_code == 302
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Someone else saved this" in refused.context["form"].non_field_errors()[0]
    assert "Someone else saved this" in html
    assert "第二位作者的标题" in html and "第二位作者的问题" in html and "≤10ms" in html
    stored = Demand.objects.get(pk=demand.pk)
    assert (stored.title, stored.key_problem) == ("第一位作者的标题", "第一位作者的问题")
    assert (
        ActivityLog.objects.filter(action="portal.demand.update", object_id=str(demand.pk)).count()
        == 1
    )


@pytest.mark.parametrize("two_authors", ["owner"], indirect=True)
def test_refused_form_carries_the_current_version_so_saving_again_replaces_it(two_authors):
    demand, first, second = two_authors
    first_token, second_token = _opened(first, demand), _opened(second, demand)
    _save(first, demand, first_token, "第一位作者的标题", "第一位作者的问题")

    refused = _save(second, demand, second_token, "第二位作者的标题", "第二位作者的问题")
    current = re.search(r'name="edit_token" value="(\d+)"', refused.content.decode()).group(1)
    assert current == edit_token(Demand.objects.get(pk=demand.pk)) != second_token
    again = _save(second, demand, current, "第二位作者的标题", "第二位作者的问题")

    assert again.status_code == 302
    assert Demand.objects.get(pk=demand.pk).title == "第二位作者的标题"


@pytest.mark.parametrize("two_authors", ["owner"], indirect=True)
def test_a_form_without_its_version_is_refused(two_authors):
    demand, first, _second = two_authors

    response = _save(first, demand, None, "没有版本的标题", "没有版本的问题")

    assert response.status_code == 200
    assert "没有版本的标题" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).title == demand.title


def test_unchanged_demand_saves_with_its_version(client, make_demand, demand_owner):
    demand = make_demand()
    client.force_login(demand_owner)

    response = _save(client, demand, _opened(client, demand), "新的标题", "新的问题")

    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).title == "新的标题"


def test_service_refuses_a_stale_version_before_writing(make_demand, demand_owner, co_member):
    demand = make_demand()
    opened = edit_token(demand)
    services.update_demand(
        demand, actor=co_member, fields={"title": "先保存的标题"}, edit_token=opened
    )

    with pytest.raises(StaleEdit) as refused:
        services.update_demand(
            demand,
            actor=demand_owner,
            fields={"title": "后保存的标题"},
            indicators=[],
            edit_token=opened,
        )

    stored = Demand.objects.get(pk=demand.pk)
    assert stored.title == "先保存的标题"
    assert stored.indicators.exists()
    assert refused.value.current_token == edit_token(stored)
    assert refused.value.code == "stale_edit"


def test_service_without_a_version_does_not_check(make_demand, demand_owner):
    """Callers without a form (the standard-format import) edit without a version."""
    demand = make_demand()
    Demand.objects.filter(pk=demand.pk).update(title="别处改过")

    services.update_demand(demand, actor=demand_owner, fields={"title": "导入的标题"})

    assert Demand.objects.get(pk=demand.pk).title == "导入的标题"
