"""Reading the social map for the public desk ("Find support").

Built on the professionals' selectors (`kansrijk.socialmap.selectors`); this module only narrows
what a visitor may see: active offers, and of each offer only its public fields (never who maintains
it, when it was checked, its contact person or how professionals refer). The social map holds no
client data, so nothing here writes an audit row.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from kansrijk.clients.models import Language
from kansrijk.organisations.models import Municipality
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Costs, Offer, Phase
from kansrijk.socialmap.selectors import search_offers

#: The fields of an offer a visitor may see. Everything else stays with the professionals.
PUBLIC_OFFER_FIELDS = (
    "id",
    "region_id",
    "name",
    "provider_name",
    "description",
    "target_group",
    "for_pregnancy",
    "for_after_birth",
    "languages",
    "costs",
    "costs_note",
    "phone",
    "email",
    "website",
    "typical_wait_weeks",
)

#: Costs in plain words for the family (the professionals' labels say it from the referrer's side).
COSTS_LABELS = {
    Costs.FREE: _("Free"),
    Costs.INSURED: _("Paid by your health insurance"),
    Costs.CONTRIBUTION: _("You pay a part yourself"),
    Costs.PAID: _("You pay for it yourself"),
}

#: When the support can start, in plain words (msgids shared with the social map).
PHASE_LABELS = {
    Phase.PREGNANCY: _("During pregnancy"),
    Phase.AFTER_BIRTH: _("After birth"),
}
BOTH_PHASES_LABEL = _("During pregnancy and after birth")


# --- Choices of the search form ---------------------------------------------------------------


def all_municipalities() -> QuerySet[Municipality]:
    """Every municipality of every region: the places this desk covers."""
    return Municipality.objects.order_by("name", "pk")


def subject_choices() -> list[tuple[str, str]]:
    """(code, plain name) of the active domains, in the catalogue's order; one per code.

    Subjects are chosen by code, so the same choice works in every region: the search looks up the
    domain with that code in the region of the place searched.
    """
    seen: dict[str, str] = {}
    for domain in VulnerabilityDomain.objects.filter(is_active=True).order_by("order", "name_nl", "pk"):
        seen.setdefault(domain.code, domain.public_name())
    return list(seen.items())


def has_own_name(code: str) -> bool:
    """Whether Django knows the language's own name (else it is shown with our label)."""
    try:
        get_language_info(code)
    except KeyError:
        return False
    return True


def language_name(code: str) -> str:
    """A language by its own name ("Türkçe", "Polski") where Django knows it, else our label."""
    try:
        own = get_language_info(code)["name_local"]
    except KeyError:
        return str(dict(Language.choices).get(code, code))
    return own[:1].upper() + own[1:]


def language_label(code: str) -> dict:
    """A language as a list shows it: its name, and the `lang` and `dir` of that name when it is its own."""
    try:
        info = get_language_info(code)
    except KeyError:
        return {"code": code, "name": language_name(code), "lang": "", "dir": ""}
    return {"code": code, "name": language_name(code), "lang": code, "dir": "rtl" if info["bidi"] else "ltr"}


def language_choices() -> list[tuple[str, str]]:
    """(code, own name) of every language an active offer is given in, in the order of `Language`."""
    used: set[str] = set()
    for languages in Offer.objects.filter(is_active=True).order_by().values_list("languages", flat=True).distinct():
        used.update(languages or [])
    order = [code for code, _label in Language.choices]
    codes = sorted(used, key=lambda c: (order.index(c) if c in order else len(order), c))
    return [(code, language_name(code)) for code in codes]


# --- Offers -----------------------------------------------------------------------------------


def _public(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Only the public fields, and none of the professionals' joins."""
    return offers.select_related(None).prefetch_related(None).only(*PUBLIC_OFFER_FIELDS)


def public_search(
    *, municipality: Municipality, subject: str = "", language: str = "", phase: str = ""
) -> QuerySet[Offer]:
    """Active offers serving the municipality (in its region), by subject code, language and phase."""
    domain = None
    if subject:
        domain = VulnerabilityDomain.objects.filter(
            region_id=municipality.region_id, code=subject, is_active=True
        ).first()
        if domain is None:
            return Offer.objects.none()
    offers = search_offers(
        region=municipality.region_id, municipality=municipality, domain=domain, language=language, phase=phase
    )
    return _public(offers)


def public_offer(pk: int) -> Offer | None:
    """One active offer with its public subjects (active domains) and municipalities, or None."""
    return (
        _public(Offer.objects.filter(pk=pk, is_active=True))
        .prefetch_related(
            Prefetch(
                "domains",
                queryset=VulnerabilityDomain.objects.filter(is_active=True).order_by("order", "name_nl"),
                to_attr="public_domains",
            ),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"), to_attr="served"),
        )
        .first()
    )


def describe(offer: Offer) -> Offer:
    """Put the visitor's words on an offer: languages by their own names, costs and phases in plain words."""
    offer.public_languages = [language_label(code) for code in offer.languages or []]
    offer.public_costs = COSTS_LABELS.get(offer.costs, "")
    if offer.for_pregnancy and offer.for_after_birth:
        offer.public_when = BOTH_PHASES_LABEL
    else:
        offer.public_when = PHASE_LABELS[Phase.PREGNANCY if offer.for_pregnancy else Phase.AFTER_BIRTH]
    offer.phone_link = "".join(ch for ch in offer.phone if ch.isdigit() or ch == "+")
    return offer
