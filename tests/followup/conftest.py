"""Follow-up fixtures: offers on the social map (built here, not by the socialmap app) and
follow-up referrals put straight into a given status, to test what happens next."""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from kansrijk.followup.models import FollowUp, FollowUpStatus
from kansrijk.socialmap.models import Offer

from ..conftest import make_case
from ..factories import MembershipFactory, OrganisationFactory, UserFactory


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Aanbod {n}")
    provider_name = factory.LazyAttribute(lambda o: o.provider.name if o.provider else "Buurtaanbieder")
    description = "Steun voor gezinnen in de eerste 1000 dagen."
    languages = factory.LazyFunction(lambda: ["nl"])

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.domains.set(extracted)


@pytest.fixture
def offer(world):
    """An offer of `world.provider_org` serving Maastricht and Heerlen, for the first domain."""
    return OfferFactory(
        region=world.region,
        provider=world.provider_org,
        name="Steunouders",
        municipalities=[world.maastricht, world.heerlen],
        domains=[world.domains[0]],
    )


@pytest.fixture
def other_provider(world):
    """A user of another provider organisation, with an offer of her own."""
    org = OrganisationFactory(name="Ander Aanbieder", kind="provider", region=world.region)
    user = UserFactory(email="other-provider@example.org")
    MembershipFactory(user=user, organisation=org, role="provider")
    user.offer = OfferFactory(region=world.region, provider=org, name="Ander aanbod", municipalities=[world.maastricht])
    return user


def put_follow_up(world, *, offer, status=FollowUpStatus.SENT, case=None, **fields) -> FollowUp:
    """A follow-up referral in `status`, with what that status needs (arranged directly, for tests)."""
    case = case or make_case(world, "follow_up")
    now = timezone.now()
    values = {"status_changed_at": now}
    if status not in (FollowUpStatus.PROPOSED, FollowUpStatus.DECLINED_FAMILY):
        values.update(sent_at=now, shared_with_provider="Wil graag een steunouder.", share_phone=True)
    if status == FollowUpStatus.WAITING_LIST:
        values["expected_start"] = timezone.localdate() + timedelta(weeks=4)
    if status in (FollowUpStatus.DECLINED_FAMILY, FollowUpStatus.DECLINED_PROVIDER):
        values["decline_reason"] = "Geen plek."
    values.update(fields)
    return FollowUp.objects.create(case=case, offer=offer, status=status, created_by=world.nurse, **values)
