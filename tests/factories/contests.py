import factory

from contests.models import Contest, Event, HostMembership, HostUnit, IndustryField


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest
        django_get_or_create = ("edition",)

    edition = 6
    name = "第六届中国创新挑战赛"
    document_number = "国科发火〔2021〕138号"
    year = 2021
    is_current = True


class IndustryFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"产业领域{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("contest", "number")

    contest = factory.SubFactory(ContestFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第六届中国创新挑战赛（赛事{o.number}）")


class HostUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostUnit
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"示例市人民政府{n}")
    slug = factory.Sequence(lambda n: f"host-{n}")
    region = "610100"
    region_name = "西安"

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.add(*(extracted or [IndustryFieldFactory()]))


class HostMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostMembership

    user = factory.SubFactory("tests.factories.accounts.UserFactory", roles=["host_organiser"])
    host_unit = factory.SubFactory(HostUnitFactory)
