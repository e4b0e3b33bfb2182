import factory
from django.contrib.auth import get_user_model

from accounts.credit_code import ALPHABET, check_character
from accounts.enums import OrganisationKind, RoleCode
from accounts.models import Membership, Organisation, Role


def credit_code(n):
    """A valid unified social credit code, different for every n."""
    body = f"91110108{n:09d}"
    return body + check_character(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Portal-2026-pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.add(*Role.objects.filter(code__in=extracted))
            self.__dict__.pop("_role_codes", None)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"示例科技有限公司{n}")
    kind = OrganisationKind.ENTERPRISE
    credit_code = factory.Sequence(credit_code)
    region = "110000"
    address = "北京市海淀区中关村大街1号"
    verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "admin"
    state = "active"


__all__ = ["ALPHABET", "RoleCode", "UserFactory", "OrganisationFactory", "MembershipFactory",
           "credit_code"]
