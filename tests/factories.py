"""Factories for tests. Build data through services where a rule is involved."""

import uuid
from datetime import date, timedelta

import factory
from django.utils import timezone

from kansrijk.accounts.models import User
from kansrijk.cases.models import Case
from kansrijk.clients.models import Client
from kansrijk.organisations.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    PostcodeRange,
    Region,
)
from kansrijk.referrals.models import VulnerabilityDomain

PASSWORD = "a-strong-test-password"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class PostcodeRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeRange

    municipality = factory.SubFactory(MunicipalityFactory)
    start = 6200
    end = 6229


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.JGZ
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "nurse"


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VulnerabilityDomain

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"domain-{n}")
    name_nl = factory.Sequence(lambda n: f"Domein {n}")
    name_en = factory.Sequence(lambda n: f"Domain {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = "Lotte"
    last_name = factory.Sequence(lambda n: f"Janssen{n}")
    date_of_birth = date(1998, 5, 17)
    postcode = "6211 AB"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    client = factory.SubFactory(ClientFactory)
    region = factory.SubFactory(RegionFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=20))


def new_key() -> uuid.UUID:
    return uuid.uuid4()
