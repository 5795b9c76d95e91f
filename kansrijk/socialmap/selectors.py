"""Reading the social map. It holds no client data, so reading it writes no audit row."""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from kansrijk import access
from kansrijk.organisations.models import Membership, Municipality, Organisation, Region, Role
from kansrijk.referrals.models import VulnerabilityDomain

from .models import Offer, check_due_before

#: What a list of offers shows on every row, fetched in a fixed number of queries.
_ROW_RELATIONS = ("provider", "last_checked_by", "maintainer")


def _with_relations(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    return offers.select_related(*_ROW_RELATIONS).prefetch_related("domains", "municipalities")


def search_offers(
    *,
    region,
    municipality: Municipality | None = None,
    postcode: str = "",
    domain=None,
    phase: str = "",
    language: str = "",
    query: str = "",
) -> QuerySet[Offer]:
    """Active offers of the region, narrowed by municipality (or postcode), domain, phase and language.

    `phase` is "pregnancy" or "after_birth". An unknown postcode narrows to nothing. Domains,
    municipalities, provider and who checked it last come along (a fixed number of queries for any
    number of offers), so a list can show them without a query per row.
    """
    offers = Offer.objects.filter(region=region, is_active=True)
    if postcode and municipality is None:
        municipality = municipality_for_search(postcode)
        if municipality is None:
            return offers.none()
    # Many-to-many filters as EXISTS, so no offer appears twice and no DISTINCT is needed.
    if municipality is not None:
        offers = offers.filter(
            Exists(Offer.municipalities.through.objects.filter(offer_id=OuterRef("pk"), municipality=municipality))
        )
    if domain is not None:
        offers = offers.filter(
            Exists(Offer.domains.through.objects.filter(offer_id=OuterRef("pk"), vulnerabilitydomain=domain))
        )
    if phase == "pregnancy":
        offers = offers.filter(for_pregnancy=True)
    elif phase == "after_birth":
        offers = offers.filter(for_after_birth=True)
    if language:
        # A text match on the JSON list works the same on SQLite and PostgreSQL.
        offers = offers.filter(languages__icontains=f'"{language}"')
    query = query.strip()
    if query:
        offers = offers.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(provider_name__icontains=query)
            | Q(target_group__icontains=query)
        )
    return _with_relations(offers).order_by("name", "pk")


def offer_serves(offer: Offer, municipality: Municipality | None) -> bool:
    """Whether the offer serves the client's municipality (a follow-up outside it needs a reason)."""
    if municipality is None:
        return False
    return any(m.pk == municipality.pk for m in offer.municipalities.all())


def municipality_for_search(postcode: str) -> Municipality | None:
    """The municipality of a Dutch postcode ("6211 AB", "6211ab" or just "6211"), or None."""
    value = (postcode or "").strip()
    if len(value) == 4 and value.isdigit():
        value += "AA"  # the four digits decide the municipality
    try:
        normalised = stdnum_postcode.validate(value)
    except StdnumError:
        return None
    from kansrijk.organisations.selectors import municipality_for_postcode

    return municipality_for_postcode(normalised)


def region_for(user) -> Region | None:
    """The region whose social map the user works with: that of her first organisation."""
    region_ids = access.social_map_region_ids(user)
    for m in access.memberships(user):
        if m.organisation.region_id in region_ids:
            return m.organisation.region
    return None


def municipalities_of(region) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region=region).order_by("name")


def domains_of(region) -> QuerySet[VulnerabilityDomain]:
    return VulnerabilityDomain.objects.filter(region=region, is_active=True).order_by("order", "name_nl")


def provider_organisations(region) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region=region).order_by("name")


def municipality_choices(user, region) -> QuerySet[Municipality]:
    """The municipalities the user may put on an offer: all of her region for an administrator, her own
    for a municipality officer."""
    allowed = access.offer_municipality_ids_for(user, region.pk)
    municipalities = municipalities_of(region)
    return municipalities if allowed is None else municipalities.filter(pk__in=allowed)


def possible_maintainers(region):
    """People who can look after an offer of the region: its functional administrators and municipality officers."""
    from kansrijk.accounts.models import User

    memberships = Membership.objects.filter(
        is_active=True,
        organisation__region=region,
        role__in=[Role.ADMINISTRATOR, Role.MUNICIPALITY_OFFICER],
    )
    return User.objects.filter(is_active=True, memberships__in=memberships).distinct().order_by("full_name", "email")


def maintained_offers(user, *, show: str = "active") -> QuerySet[Offer]:
    """The offers the user maintains: `show` is "active", "inactive" or "to_check"."""
    offers = access.maintainable_offers(user)
    if show == "inactive":
        offers = offers.filter(is_active=False)
    elif show == "to_check":
        return offers_to_check(user)
    else:
        offers = offers.filter(is_active=True)
    return _with_relations(offers).order_by("name", "pk")


def offers_to_check(user) -> QuerySet[Offer]:
    """Active offers the user maintains that were never checked or not for `KANSRIJK_OFFER_CHECK_DAYS`;
    those she is the maintainer of first, then the longest unchecked."""
    offers = access.maintainable_offers(user).filter(is_active=True)
    offers = offers.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=check_due_before()))
    offers = offers.annotate(
        not_mine=Case(When(maintainer_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    return _with_relations(offers).order_by("not_mine", F("last_checked_at").asc(nulls_first=True), "name", "pk")


def offers_for_export(user) -> QuerySet[Offer]:
    """The active offers the user maintains, in the import/export layout's order."""
    return maintained_offers(user, show="active")


def find_offer_for_import(region, *, name: str, provider_name: str) -> Offer | None:
    """The offer an import row updates: same region, name and provider (not case-sensitive)."""
    return (
        Offer.objects.filter(region=region, name__iexact=name, provider_name__iexact=provider_name)
        .prefetch_related("municipalities")
        .first()
    )
