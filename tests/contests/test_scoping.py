import pytest
from django.contrib.auth.models import AnonymousUser

from contests import services
from contests.models import HostMembership
from contests.permissions import is_host_staff_of, staffed_host_unit_ids
from contests.selectors import host_units_of
from tests.factories.accounts import UserFactory
from tests.factories.contests import ChallengeNoticeFactory, HostUnitFactory

pytestmark = pytest.mark.django_db


def test_is_host_staff_of_accepts_a_unit_its_pk_or_an_object_of_the_unit(
        host_unit, other_host_unit, host_organiser):
    notice = ChallengeNoticeFactory(host_unit=host_unit)
    other_notice = ChallengeNoticeFactory(host_unit=other_host_unit)

    assert is_host_staff_of(host_organiser, host_unit)
    assert is_host_staff_of(host_organiser, host_unit.pk)
    assert is_host_staff_of(host_organiser, notice)
    assert not is_host_staff_of(host_organiser, other_host_unit)
    assert not is_host_staff_of(host_organiser, other_notice)
    assert not is_host_staff_of(host_organiser, None)


def test_is_host_staff_of_is_false_for_everyone_else(host_unit, torch_staff, stranger):
    assert not is_host_staff_of(torch_staff, host_unit)
    assert not is_host_staff_of(stranger, host_unit)
    assert not is_host_staff_of(AnonymousUser(), host_unit)


def test_is_host_staff_of_is_false_for_an_inactive_member(host_unit, host_organiser):
    host_organiser.is_active = False
    assert not is_host_staff_of(host_organiser, host_unit)


def test_host_units_of_gives_torch_staff_every_unit(host_unit, other_host_unit, torch_staff):
    assert set(host_units_of(torch_staff)) == {host_unit, other_host_unit}


def test_host_units_of_gives_host_staff_their_own_units(host_unit, other_host_unit,
                                                        host_organiser):
    third = HostUnitFactory()
    HostMembership.objects.create(user=host_organiser, host_unit=third)
    host_organiser.__dict__.pop("_host_unit_ids", None)

    assert set(host_units_of(host_organiser)) == {host_unit, third}


def test_host_units_of_is_empty_for_strangers_and_visitors(host_unit, stranger):
    assert list(host_units_of(stranger)) == []
    assert list(host_units_of(AnonymousUser())) == []


def test_staffed_unit_ids_are_read_once_per_user(host_unit, host_organiser,
                                                 django_assert_num_queries):
    host_organiser.__dict__.pop("_host_unit_ids", None)
    with django_assert_num_queries(1):
        for _ in range(5):
            staffed_host_unit_ids(host_organiser)


def test_add_host_member_makes_a_staff_host_organiser(host_unit, torch_staff):
    user = UserFactory()

    services.add_host_member(host_unit, user, actor=torch_staff)
    services.add_host_member(host_unit, user, actor=torch_staff)

    user.refresh_from_db()
    assert user.is_staff is True
    assert "host_organiser" in user.role_codes()
    assert HostMembership.objects.filter(user=user).count() == 1
    assert is_host_staff_of(user, host_unit)


def test_add_host_member_is_for_torch_staff_only(host_unit, host_organiser):
    newcomer = UserFactory()
    with pytest.raises(Exception) as error:
        services.add_host_member(host_unit, newcomer, actor=host_organiser)
    assert error.typename == "PermissionDenied"
    assert not HostMembership.objects.filter(user=newcomer).exists()
