from .models import Municipality, Organisation, OrganisationKind


def municipality_for_postcode(postcode: str) -> Municipality | None:
    """The municipality whose postcode range holds this (normalised) postcode, if any."""
    digits = int(postcode[:4])
    return (
        Municipality.objects.filter(postcode_ranges__start__lte=digits, postcode_ranges__end__gte=digits)
        .select_related("region")
        .first()
    )


def jgz_organisation_for(municipality: Municipality | None) -> Organisation | None:
    if municipality is None:
        return None
    return (
        Organisation.objects.filter(kind=OrganisationKind.JGZ, municipalities_served=municipality)
        .order_by("pk")
        .first()
    )
