"""The handover summary for the regular JGZ care after the birth (printable, and as PDF).

Reads the other apps' models directly, in a fixed number of queries. The field
labels follow the Basisdataset JGZ where a counterpart exists; the mapping is in
docs/handover-bdsjgz.md.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kansrijk.care.models import Assessment, AssessmentDomain, ContactAttempt, PlanAction, PlanGoal, Visit
from kansrijk.cases.models import Case
from kansrijk.cases.selectors import case_referrals
from kansrijk.followup.models import FollowUp, Gap


@dataclass(frozen=True)
class BdsElement:
    """Where a field of the handover sits in the Basisdataset JGZ: its name and, when verified, its number."""

    name: str
    number: str = ""

    def __str__(self) -> str:
        return f"{self.number} {self.name}" if self.number else self.name


#: Our field -> its BDS JGZ counterpart. Names are the standard's own (Dutch) terms, so not translated.
#: Numbers only where we could check them; see docs/handover-bdsjgz.md.
BDS = {
    "last_name": BdsElement("Geslachtsnaam (ouder/verzorger)"),
    "first_name": BdsElement("Voornamen (ouder/verzorger)"),
    "date_of_birth": BdsElement("Geboortedatum (ouder/verzorger)"),
    "bsn": BdsElement("Burgerservicenummer (ouder/verzorger)"),
    "street": BdsElement("Straatnaam", "11"),
    "house_number": BdsElement("Huisnummer", "12"),
    "postcode": BdsElement("Postcode", "16"),
    "city": BdsElement("Gemeentedeel (woonplaats)", "10"),
    "phone": BdsElement("Telefoonnummer", "609"),
    "email": BdsElement("E-mailadres", "698"),
    "language": BdsElement("Taal in het gezin; tolk"),
    "child_birth_date": BdsElement("Geboortedatum", "20"),
    "organisation": BdsElement("Uitvoerende JGZ-organisatie (groep G085)"),
    "activity_kind": BdsElement("Soort activiteit", "494"),
    "activity_date": BdsElement("Datum activiteit", "724"),
    "activity_status": BdsElement("Status activiteit", "725"),
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    bds: BdsElement | None = None


def _day(value) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


def mother_facts(case: Case) -> list[Fact]:
    client = case.client
    language = client.get_preferred_language_display()
    if client.interpreter_needed:
        language = f"{language} — {_('interpreter needed')}"
    return [
        Fact(_("Last name"), client.last_name, BDS["last_name"]),
        Fact(_("First name"), client.first_name, BDS["first_name"]),
        Fact(_("Date of birth"), _day(client.date_of_birth), BDS["date_of_birth"]),
        # In full: the regular JGZ needs it to find the family in its own dossier (DD JGZ).
        Fact(_("BSN"), client.bsn or "—", BDS["bsn"]),
        Fact(_("Street"), client.street or "—", BDS["street"]),
        Fact(_("House number"), client.house_number or "—", BDS["house_number"]),
        Fact(_("Postcode"), client.postcode or "—", BDS["postcode"]),
        Fact(_("Place"), client.city or "—", BDS["city"]),
        Fact(_("Phone"), client.phone or "—", BDS["phone"]),
        Fact(_("E-mail"), client.email or "—", BDS["email"]),
        Fact(_("Language"), language, BDS["language"]),
    ]


def baby_facts(case: Case) -> list[Fact]:
    status = case.get_status_display()
    if case.close_reason:
        status = f"{status}: {case.get_close_reason_display()} ({_day(timezone.localtime(case.closed_at).date())})"
    return [
        Fact(_("Date of birth of the baby"), _day(case.birth_date), BDS["child_birth_date"]),
        Fact(_("Due date"), _day(case.due_date)),
        Fact(_("JGZ organisation"), case.organisation.name if case.organisation else "—", BDS["organisation"]),
        Fact(_("Nurse"), case.nurse.display_name if case.nurse else "—"),
        Fact(_("Case status"), status),
    ]


@dataclass
class Handover:
    case: Case
    mother: list[Fact]
    baby: list[Fact]
    referrals: list
    contacts: list
    visits: list
    assessment: Assessment | None
    goals: list
    follow_ups: list
    gaps: list
    made_at: object
    made_by: object
    bds: dict


def handover_summary(case: Case, *, user) -> Handover:
    assessment = (
        Assessment.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("domains", queryset=AssessmentDomain.objects.select_related("domain").order_by("domain__order"))
        )
        .order_by("-number")
        .first()
    )
    return Handover(
        case=case,
        mother=mother_facts(case),
        baby=baby_facts(case),
        referrals=list(case_referrals(case)),
        contacts=list(ContactAttempt.objects.filter(case=case).order_by("at", "pk")),
        visits=list(Visit.objects.filter(case=case).select_related("nurse").order_by("scheduled_at", "pk")),
        assessment=assessment,
        goals=list(
            PlanGoal.objects.filter(case=case)
            .select_related("domain")
            .prefetch_related(Prefetch("actions", queryset=PlanAction.objects.order_by("due_date", "pk")))
            .order_by("created_at", "pk")
        ),
        follow_ups=list(
            FollowUp.objects.filter(case=case).select_related("offer", "domain").order_by("created_at", "pk")
        ),
        gaps=list(Gap.objects.filter(case=case).select_related("domain").order_by("created_at", "pk")),
        made_at=timezone.now(),
        made_by=user,
        bds=BDS,
    )


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF is made from our own HTML and CSS only; nothing is fetched from anywhere."""
    raise ValueError(f"not fetched: {url[:60]}")


def render_pdf(handover: Handover) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("feedback/handover_pdf.html", {"h": handover, "case": handover.case})
    css = render_to_string("feedback/handover_pdf.css")
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[CSS(string=css)])
