"""Shared arrangements of the solutions tests."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.enums import OrganisationKind
from demands.enums import DemandStatus
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.demands import DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def freeze(monkeypatch, moment):
    """Freeze ``timezone.now`` at ``moment`` (an aware datetime)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def owner_of(demand):
    return MembershipFactory(organisation=demand.organisation, role="admin",
                             user=UserFactory(roles=["demand_company"])).user


def challenger(demand=None, *, signed=True, kind=OrganisationKind.UNIVERSITY):
    """A challenger, member of its own organisation, who signed the current agreements of the
    demand's contest (unless ``signed=False``)."""
    user = UserFactory(roles=["challenger"])
    MembershipFactory(user=user, organisation=OrganisationFactory(kind=kind), role="admin")
    if signed and demand is not None:
        sign_current_agreements(user, demand.host_unit.event.contest)
    return user


def organisation_of(user):
    return user.memberships.first().organisation


def published_demand(**kwargs):
    kwargs.setdefault("status", DemandStatus.PUBLISHED)
    return DemandFactory(**kwargs)


def content(demand, **overrides):
    data = {"title": "微通道液冷均温方案", "summary": "概述", "approach": "技术路线", "trl": 5,
            "ip_status": "filed", "patent_numbers": ["ZL200310102344.5"], "team_lead": "李教授",
            "team_members": "", "team_institution": "挑战大学", "cost": 120,
            "duration_months": 10, "cooperation_mode": demand.cooperation_modes[0]}
    data.update(overrides)
    return data


def day_end(day):
    """The last minute of ``day`` in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=SHANGHAI)
