import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.credit_code import ALPHABET, check_character
from accounts.enums import ADMIN_ROLES, AgreementKind, OrganisationKind, RoleCode
from accounts.models import Agreement, AgreementSignature, Membership, Organisation, Role


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
            # As accounts.services.grant_role does: admin roles make the user staff.
            if any(code in ADMIN_ROLES for code in extracted):
                self.is_staff = True
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


class AgreementFactory(factory.django.DjangoModelFactory):
    """A published agreement of the current contest (pass ``published_at=None`` for a draft)."""

    class Meta:
        model = Agreement

    scope = factory.SubFactory("tests.factories.contests.ContestFactory")
    kind = AgreementKind.NDA
    version = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"{AgreementKind(o.kind).label} v{o.version}")
    body = factory.LazyAttribute(
        lambda o: f"第{o.version}版：参赛各方对在挑战赛中获知的技术需求与解决方案负有保密义务。")
    published_at = factory.LazyFunction(timezone.now)


class AgreementSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementSignature

    user = factory.SubFactory(UserFactory)
    agreement = factory.SubFactory(AgreementFactory)
    ip_address = "203.0.113.7"
    text_hash = factory.LazyAttribute(lambda o: o.agreement.text_hash)


def sign_current_agreements(user, contest=None, kinds=tuple(AgreementKind)):
    """Arrange a user who passes the agreement gate: publish a current version of each kind for
    the contest (the current one by default) where none exists, and sign them."""
    from accounts.agreements import current_agreement
    from tests.factories.contests import ContestFactory

    contest = contest or ContestFactory()
    signatures = []
    for kind in kinds:
        agreement = current_agreement(contest, kind) or AgreementFactory(scope=contest, kind=kind)
        signatures.append(AgreementSignature.objects.get_or_create(
            user=user, agreement=agreement,
            defaults={"text_hash": agreement.text_hash, "ip_address": "203.0.113.7"})[0])
    return signatures


__all__ = ["ALPHABET", "RoleCode", "UserFactory", "OrganisationFactory", "MembershipFactory",
           "AgreementFactory", "AgreementSignatureFactory", "credit_code",
           "sign_current_agreements"]
