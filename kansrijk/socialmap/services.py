"""Changing the social map: offers, their periodic check, activity and the import.

Who may change which offer is decided in `kansrijk.access` (`can_maintain_offer`,
`can_deactivate_offer`, `offer_municipality_ids_for`). Every change writes an audit row
(no client: `client_id` stays empty). Edits are version-guarded: the second of two people
editing one offer is refused and nothing is overwritten.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.clients.models import Language
from kansrijk.organisations.models import Municipality, Organisation, Region
from kansrijk.referrals.models import VulnerabilityDomain

from . import selectors
from .models import Costs, Offer, Phase

#: The longest typical waiting time an offer can state, in weeks.
MAX_WAIT_WEEKS = 104


@dataclass(frozen=True)
class OfferData:
    """What a maintainer states about an offer (the edit form and an import row both give this)."""

    name: str
    provider_name: str
    description: str
    domains: Sequence[VulnerabilityDomain]
    municipalities: Sequence[Municipality]
    for_pregnancy: bool = True
    for_after_birth: bool = True
    provider: Organisation | None = None
    target_group: str = ""
    languages: Sequence[str] = ("nl",)
    costs: str = Costs.FREE
    costs_note: str = ""
    how_to_refer: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    typical_wait_weeks: int | None = None
    recognised_intervention: bool = False
    #: Who looks after the offer; None keeps the current one (a new offer: the person creating it).
    maintainer: object | None = None

    @classmethod
    def from_cleaned(cls, data: dict, **fields) -> "OfferData":
        """From a form's cleaned data with the fields' own names and `phases` as a list (the edit form and
        an import row); `fields` gives what the form names differently."""
        same = [name for name in cls.__dataclass_fields__ if name in data and name not in fields]
        return cls(
            **{name: data[name] for name in same},
            for_pregnancy=Phase.PREGNANCY in data["phases"],
            for_after_birth=Phase.AFTER_BIRTH in data["phases"],
            **fields,
        )


class ConcurrentOfferEdit(ValidationError):
    """Someone else changed the offer after this person opened it."""


#: The plain fields of `OfferData` that are written to `Offer` as they are.
_PLAIN_FIELDS = (
    "name",
    "provider_name",
    "description",
    "provider",
    "target_group",
    "for_pregnancy",
    "for_after_birth",
    "costs",
    "costs_note",
    "how_to_refer",
    "contact_person",
    "phone",
    "email",
    "website",
    "typical_wait_weeks",
    "recognised_intervention",
)


def _names(municipalities: Iterable[Municipality]) -> str:
    return ", ".join(sorted(m.name for m in municipalities))


def _resulting_municipalities(user, region: Region, data: OfferData, offer: Offer | None) -> list[Municipality]:
    """The municipalities the offer serves after this change.

    A municipality officer may add only her own municipalities; the ones she does not maintain stay as they
    were, whatever she sends (she cannot see them in her form, and an export she re-imports may list them)."""
    allowed = access.offer_municipality_ids_for(user, region.pk)
    existing = {m.pk: m for m in offer.municipalities.all()} if offer is not None else {}
    requested = {m.pk: m for m in data.municipalities}
    if allowed is None:
        return list(requested.values())
    not_allowed = [m for pk, m in requested.items() if pk not in existing and pk not in allowed]
    if not_allowed:
        raise ValidationError(
            {"municipalities": _("You do not maintain the social map of %(names)s.") % {"names": _names(not_allowed)}}
        )
    kept = {pk: m for pk, m in existing.items() if pk not in allowed}
    return list({**kept, **requested}.values())


def _validate(user, region: Region, data: OfferData, offer: Offer | None) -> list[Municipality]:
    """Check the rules an offer keeps; answer the municipalities it will serve. Errors are keyed by the
    name of the edit form's field (`phases` for the two phase flags)."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the offer a name.")
    if not data.provider_name.strip():
        errors["provider_name"] = _("Say who provides the offer.")
    if not data.description.strip():
        errors["description"] = _("Describe the offer in a few sentences.")
    if not data.domains:
        errors["domains"] = _("Choose at least one domain the offer addresses.")
    elif any(d.region_id != region.pk for d in data.domains):
        errors["domains"] = _("Choose domains of this region.")
    if not (data.for_pregnancy or data.for_after_birth):
        errors["phases"] = _("Choose at least one phase: during pregnancy, after birth or both.")
    if any(m.region_id != region.pk for m in data.municipalities):
        errors["municipalities"] = _("Choose municipalities of this region.")
    if data.provider is not None and data.provider.region_id != region.pk:
        errors["provider"] = _("Choose an organisation of this region.")
    if not data.languages:
        errors["languages"] = _("Choose at least one language in which the offer is available.")
    elif set(data.languages) - set(Language.values):
        errors["languages"] = _("Unknown language code: %(codes)s.") % {
            "codes": ", ".join(sorted(set(data.languages) - set(Language.values)))
        }
    if data.costs not in Costs.values:
        errors["costs"] = _("Choose what the offer costs the family.")
    if data.typical_wait_weeks is not None and not 0 <= data.typical_wait_weeks <= MAX_WAIT_WEEKS:
        errors["typical_wait_weeks"] = _("A waiting time is between 0 and %(max)s weeks.") % {"max": MAX_WAIT_WEEKS}
    if errors:
        raise ValidationError(errors)

    municipalities = _resulting_municipalities(user, region, data, offer)
    if not municipalities:
        raise ValidationError({"municipalities": _("Choose at least one municipality the offer serves.")})
    same = Offer.objects.filter(region=region, name__iexact=data.name, provider_name__iexact=data.provider_name)
    if offer is not None:
        same = same.exclude(pk=offer.pk)
    if same.exists():
        raise ValidationError({"name": _("The region already has an offer with this name from this provider.")})
    if data.maintainer is not None:
        ids = {m.pk for m in municipalities}
        if access.offer_maintenance_membership(data.maintainer, region_id=region.pk, municipality_ids=ids) is None:
            raise ValidationError(
                {
                    "maintainer": _(
                        "%(name)s cannot maintain this offer: choose an administrator of the region or an "
                        "officer of a municipality it serves."
                    )
                    % {"name": data.maintainer.display_name}
                }
            )
    return municipalities


def _audit(request: HttpRequest, offer: Offer, *, action: str, what: str, municipality_ids=None) -> None:
    ids = municipality_ids if municipality_ids is not None else {m.pk for m in offer.municipalities.all()}
    audit_log(
        request,
        action=action,
        description=f"social map offer {offer.pk} {what}",
        membership=access.offer_maintenance_membership(request.user, region_id=offer.region_id, municipality_ids=ids),
    )


def _unique_name_error() -> ValidationError:
    return ValidationError({"name": _("The region already has an offer with this name from this provider.")})


@transaction.atomic
def offer_create(
    *, request: HttpRequest, region: Region, data: OfferData, checked_on: date | None, via: str = "form"
) -> Offer:
    """A new offer on the region's social map. `checked_on`: when its details were last checked (the form
    gives today; an import the file's date, or None: never checked, so it is flagged at once)."""
    user = request.user
    if not access.can_maintain_social_map(user):
        raise PermissionDenied(_("You do not maintain the social map."))
    municipalities = _validate(user, region, data, None)
    ids = {m.pk for m in municipalities}
    if access.offer_maintenance_membership(user, region_id=region.pk, municipality_ids=ids) is None:
        raise PermissionDenied(_("You do not maintain the social map of this region."))
    if checked_on is not None and checked_on > timezone.localdate():
        raise ValidationError({"last_checked": _("The date of the last check lies in the future.")})
    offer = Offer(
        region=region,
        languages=list(dict.fromkeys(data.languages)),
        maintainer=data.maintainer or user,
        last_checked_at=checked_on,
        last_checked_by=user if checked_on is not None else None,
        **{name: _clean(getattr(data, name)) for name in _PLAIN_FIELDS},
    )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise _unique_name_error()
    offer.domains.set(data.domains)
    offer.municipalities.set(municipalities)
    _audit(request, offer, action=Action.CREATE, what=f"created ({via})", municipality_ids=ids)
    return offer


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _save_guarded(offer: Offer, expected_version: int, **changes) -> None:
    """Write `changes` only if nobody changed the offer since `expected_version`."""
    changes["updated_at"] = timezone.now()
    try:
        with transaction.atomic():
            updated = Offer.objects.filter(pk=offer.pk, version=expected_version).update(
                version=F("version") + 1, **changes
            )
    except IntegrityError:
        raise _unique_name_error()
    if updated != 1:
        raise ConcurrentOfferEdit(
            _(
                "Someone else changed this offer while you were working on it. Nothing was saved; "
                "look at the offer as it is now and make your change again."
            )
        )
    for name, value in changes.items():
        setattr(offer, name, value)
    offer.version = expected_version + 1


@transaction.atomic
def offer_update(
    *,
    request: HttpRequest,
    offer: Offer,
    data: OfferData,
    expected_version: int,
    checked_on: date | None = None,
    via: str = "form",
) -> Offer:
    """Change an offer the user maintains. `checked_on` (e.g. today, when she ticks that she checked it)
    moves the last check forward, never back."""
    user = request.user
    if not access.can_maintain_offer(user, offer):
        raise PermissionDenied(_("You do not maintain this offer."))
    if checked_on is not None and checked_on > timezone.localdate():
        raise ValidationError({"last_checked": _("The date of the last check lies in the future.")})
    before_ids = {m.pk for m in offer.municipalities.all()}
    municipalities = _validate(user, offer.region, data, offer)
    changes = {name: _clean(getattr(data, name)) for name in _PLAIN_FIELDS}
    changes["languages"] = list(dict.fromkeys(data.languages))
    if data.maintainer is not None:
        changes["maintainer"] = data.maintainer
    if checked_on is not None and (offer.last_checked_at is None or checked_on > offer.last_checked_at):
        changes["last_checked_at"] = checked_on
        changes["last_checked_by"] = user
    _save_guarded(offer, expected_version, **changes)
    offer.domains.set(data.domains)
    offer.municipalities.set(municipalities)
    # Audited through the membership that allowed the change (before it: an officer may take hers off).
    _audit(request, offer, action=Action.UPDATE, what=f"changed ({via})", municipality_ids=before_ids)
    return offer


@transaction.atomic
def offer_mark_checked(*, request: HttpRequest, offer: Offer) -> Offer:
    """The maintainer confirms the details are still right: last checked today, by her.

    Not version-guarded: it touches only the two check fields, which no edit form holds, so it cannot
    overwrite anyone's edit (and two people confirming on one day is harmless)."""
    user = request.user
    if not access.can_maintain_offer(user, offer):
        raise PermissionDenied(_("You do not maintain this offer."))
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(last_checked_at=today, last_checked_by=user)
    offer.last_checked_at, offer.last_checked_by = today, user
    _audit(request, offer, action=Action.UPDATE, what="marked as checked")
    return offer


@transaction.atomic
def offer_set_active(*, request: HttpRequest, offer: Offer, active: bool, expected_version: int) -> Offer:
    """Take an offer off the social map (it stays for the follow-ups that used it) or put it back."""
    if not access.can_deactivate_offer(request.user, offer):
        raise PermissionDenied(
            _(
                "You may not switch this offer off: it also serves municipalities you do not maintain. "
                "Take your municipalities off the offer instead, or ask the region's administrator."
            )
        )
    if offer.is_active == active:
        return offer  # a repeated click: nothing to do
    _save_guarded(offer, expected_version, is_active=active)
    _audit(request, offer, action=Action.UPDATE, what="reactivated" if active else "deactivated")
    return offer


# --- Import ------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: offers created and updated, and every rejected row with its reasons."""

    dry_run: bool = False
    created: list[Offer] = field(default_factory=list)
    updated: list[Offer] = field(default_factory=list)
    #: (row number, column, reason)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rejected_row_count(self) -> int:
        return len({row for row, _column, _reason in self.rejected})


class _DryRun(Exception):
    """Rolls back a trial import."""


#: Errors of the services are keyed by edit-form field; an import reports them by column.
_COLUMN_OF_FIELD = {"provider_name": "provider", "provider": "provider", "maintainer": "", "__all__": ""}


def _rejections(number: int, error: ValidationError) -> list[tuple[int, str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (number, _COLUMN_OF_FIELD.get(key, key), message)
            for key, messages in error.message_dict.items()
            for message in messages
        ]
    return [(number, "", message) for message in error.messages]


@transaction.atomic
def offer_import(*, request: HttpRequest, region: Region, rows: Sequence, dry_run: bool = False) -> ImportReport:
    """Import parsed rows (`importing.read_offers`): each valid row creates its offer or updates the one with
    the same name and provider in the region, on its own (all or nothing per row); the other rows are
    reported. With `dry_run` nothing is kept: the report says what would happen."""
    if not access.can_maintain_social_map(request.user):
        raise PermissionDenied(_("You do not maintain the social map."))
    report = ImportReport(dry_run=dry_run, rows_read=len(rows))
    seen: dict[tuple[str, str], int] = {}
    try:
        with transaction.atomic():
            for row in rows:
                _import_row(request, region, row, report, seen)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_row(request, region, row, report: ImportReport, seen: dict) -> None:
    if row.errors:
        report.rejected += [(row.number, column, reason) for column, reason in row.errors]
        return
    data: OfferData = row.data
    key = (data.name.strip().lower(), data.provider_name.strip().lower())
    if key in seen:
        report.rejected.append(
            (
                row.number,
                "name",
                _("The same offer (name and provider) is already on row %(row)s.") % {"row": seen[key]},
            )
        )
        return
    seen[key] = row.number
    existing = selectors.find_offer_for_import(region, name=data.name.strip(), provider_name=data.provider_name.strip())
    try:
        with transaction.atomic():
            if existing is None:
                report.created.append(
                    offer_create(request=request, region=region, data=data, checked_on=row.checked_on, via="import")
                )
            elif not access.can_maintain_offer(request.user, existing):
                report.rejected.append(
                    (
                        row.number,
                        "name",
                        _(
                            "This offer is on the social map, but you do not maintain it: "
                            "it serves none of your municipalities."
                        ),
                    )
                )
            else:
                if data.provider is None:  # the layout has no column for the link: keep it
                    data = replace(data, provider=existing.provider)
                report.updated.append(
                    offer_update(
                        request=request,
                        offer=existing,
                        data=data,
                        expected_version=existing.version,
                        checked_on=row.checked_on,
                        via="import",
                    )
                )
    except ValidationError as error:
        report.rejected += _rejections(row.number, error)
    except PermissionDenied as error:
        report.rejected.append((row.number, "municipalities", str(error)))
