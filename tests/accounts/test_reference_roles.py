import pytest
from django.core.management import call_command

from accounts.enums import RoleCode
from accounts.models import Role


@pytest.mark.django_db(transaction=True)
def test_roles_exist_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)

    assert sorted(Role.objects.values_list("code", flat=True)) == sorted(RoleCode.values)
