"""Follow-up referrals and gaps: the nurse's pages (from a case) and the provider's pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_many
from kansrijk.clients.models import Language
from kansrijk.core.paging import page_of
from kansrijk.organisations.models import Role

from . import selectors
from .forms import CASE_DOMAINS, EVERY_DOMAIN, GapForm, OfferFilterForm, ReferForm, SendForm, StatusForm
from .models import FollowUpStatus
from .services import follow_up_change, follow_up_propose, follow_up_send, gap_record
from .workflow import CHANGES, changes_for


def _text(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _refuse_unless_workable(request, case):
    """None when the user may work on the case; else a redirect back to it with a message."""
    if access.can_work_on(request.user, case):
        return None
    messages.error(request, _("You cannot add follow-up referrals or gaps to this case."))
    return redirect(case)


# --- The nurse: choosing an offer in one step ---------------------------------------


def _offer_filters(request, case, domains) -> tuple[OfferFilterForm, dict]:
    client_language = case.client.preferred_language
    defaults = {
        "domain": CASE_DOMAINS,
        "phase": selectors.default_phase(case),
        "language": client_language if client_language != Language.OTHER else "",
    }
    form = OfferFilterForm(request.GET if "phase" in request.GET else defaults, domains=domains)
    data = form.cleaned_data if form.is_valid() else {**defaults, "everywhere": False}
    return form, data


def _render_picker(request, case, *, refer_errors=None, status=200):
    signalled = list(selectors.case_domains(case))
    form, data = _offer_filters(request, case, selectors.region_domains(case))
    if data["domain"] == CASE_DOMAINS:
        wanted = signalled or None
    elif data["domain"] == EVERY_DOMAIN:
        wanted = None
    else:
        wanted = [form.domains[data["domain"]]]
    offers = selectors.offers_for_case(
        case, domains=wanted, phase=data["phase"], language=data["language"], everywhere=data["everywhere"]
    )
    wanted_ids = {d.pk for d in wanted or ()}
    language_names = dict(Language.choices)
    for offer in offers:
        offer.language_names = [language_names.get(code, code) for code in offer.languages]
        offer.refer_domain = next((d for d in offer.domains.all() if d.pk in wanted_ids), None)
        offer.refer_errors = (refer_errors or {}).get(offer.pk, [])
    return render(
        request,
        "followup/pick_offer.html",
        {"case": case, "client": case.client, "form": form, "offers": offers, "signalled": signalled},
        status=status,
    )


@login_required
def pick_offer(request, case_pk: int):
    case = access.get_case(request, case_pk, description="follow-up offer picker")
    return _refuse_unless_workable(request, case) or _render_picker(request, case)


@login_required
@require_POST
def refer(request, case_pk: int):
    case = access.get_case(request, case_pk, action=Action.UPDATE, description="follow-up referral create")
    refused = _refuse_unless_workable(request, case)
    if refused:
        return refused
    form = ReferForm(request.POST)
    offer = selectors.offer_for_case(case, form.cleaned_data["offer"]) if form.is_valid() else None
    if offer is None:
        messages.error(request, _("Choose an offer from the list."))
        return redirect("followup:pick", case.pk)
    domain = selectors.domain_for_case(case, form.cleaned_data["domain"])
    try:
        follow_up, created = follow_up_propose(
            request=request,
            case=case,
            offer=offer,
            domain=domain,
            outside_area_reason=form.cleaned_data["outside_area_reason"],
        )
    except ValidationError as error:
        return _render_picker(request, case, refer_errors={offer.pk: error.messages}, status=400)
    except PermissionDenied as error:
        messages.error(request, _text(error))
        return redirect(case)
    if created:
        messages.success(
            request,
            _("Proposed: %(offer)s. Send it to the provider once the family agrees.") % {"offer": offer.name},
        )
    else:
        messages.info(request, _("This offer was already proposed for this case."))
    return redirect(follow_up)


# --- The nurse: one follow-up referral ------------------------------------------------


def _case_follow_up(request, case_pk: int, pk: int, *, action=Action.READ, description="follow-up referral page"):
    case = access.get_case(request, case_pk, action=action, description=description)
    follow_up = get_object_or_404(case.follow_ups.select_related("offer", "offer__provider", "domain"), pk=pk)
    follow_up.case = case
    return case, follow_up


def _render_detail(request, case, follow_up, *, send_form=None, status_form=None, status=200):
    user = request.user
    if send_form is None and access.can_change_follow_up(user, follow_up, CHANGES["send"]):
        send_form = SendForm(
            initial={"version": follow_up.version, "shared_with_provider": follow_up.shared_with_provider}
        )
    changes = [c for c in changes_for(access.follow_up_side(user, follow_up), follow_up.status) if not c.needs_consent]
    follow_up.is_stagnating = selectors.is_stagnating(follow_up)
    if status_form is None and changes:
        status_form = StatusForm(initial={"version": follow_up.version}, changes=changes)
    return render(
        request,
        "followup/follow_up_detail.html",
        {
            "case": case,
            "client": case.client,
            "follow_up": follow_up,
            "offer": follow_up.offer,
            "events": selectors.follow_up_events(follow_up),
            "send_form": send_form,
            "status_form": status_form,
            "stagnation_days": settings.KANSRIJK_STAGNATION_DAYS,
        },
        status=status,
    )


@login_required
def detail(request, case_pk: int, pk: int):
    case, follow_up = _case_follow_up(request, case_pk, pk)
    return _render_detail(request, case, follow_up)


@login_required
@require_POST
def send(request, case_pk: int, pk: int):
    case, follow_up = _case_follow_up(request, case_pk, pk, action=Action.UPDATE, description="follow-up referral send")
    form = SendForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, case, follow_up, send_form=form, status=400)
    status_before = case.status
    try:
        follow_up_send(
            request=request,
            follow_up=follow_up,
            shared_with_provider=form.cleaned_data["shared_with_provider"],
            share_phone=form.cleaned_data["share_phone"],
            consent=form.cleaned_data["consent"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _text(error))
        return redirect(follow_up)
    messages.success(request, _("Sent to %(provider)s.") % {"provider": follow_up.offer.provider_name})
    if case.status != status_before:
        messages.info(request, _("The case is now in follow-up."))
    return redirect(follow_up)


@login_required
@require_POST
def change(request, case_pk: int, pk: int):
    case, follow_up = _case_follow_up(
        request, case_pk, pk, action=Action.UPDATE, description="follow-up referral status"
    )
    side = access.follow_up_side(request.user, follow_up)
    changes = [c for c in changes_for(side, follow_up.status) if not c.needs_consent]
    if not changes:
        messages.error(request, _("You cannot change the status of this follow-up referral now."))
        return redirect(follow_up)
    form = StatusForm(request.POST, changes=changes)
    if not form.is_valid():
        return _render_detail(request, case, follow_up, status_form=form, status=400)
    if _apply_change(request, follow_up, form):
        messages.success(request, _("Status saved: %(status)s.") % {"status": follow_up.get_status_display()})
    return redirect(follow_up)


def _apply_change(request, follow_up, form) -> bool:
    data = form.cleaned_data
    try:
        follow_up_change(
            request=request,
            follow_up=follow_up,
            name=data["change"],
            reason=data.get("reason", ""),
            expected_start=data.get("expected_start"),
            note=data["note"],
            expected_version=data["version"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _text(error))
        return False
    return True


# --- The nurse: a gap ---------------------------------------------------------------


@login_required
def gap_new(request, case_pk: int):
    posted = request.method == "POST"
    case = access.get_case(
        request,
        case_pk,
        action=Action.UPDATE if posted else Action.READ,
        description="gap record" if posted else "gap form",
    )
    refused = _refuse_unless_workable(request, case)
    if refused:
        return refused
    form = GapForm(request.POST if posted else None, region=case.region)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            gap_record(
                request=request,
                case=case,
                domain=data["domain"],
                need=data["need"],
                reason=data["reason"],
                explanation=data["explanation"],
                submission_key=data["submission_key"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _text(error))
        else:
            messages.success(request, _("The gap has been recorded."))
            return redirect(case)
    return render(
        request,
        "followup/gap_form.html",
        {"case": case, "client": case.client, "form": form},
        status=400 if posted else 200,
    )


# --- The provider ------------------------------------------------------------------

PROVIDER_STATUSES = [c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.PROPOSED]


@login_required
def provider_list(request):
    access.require(access.has_role(request.user, Role.PROVIDER), "follow-up referrals (provider)")
    status = request.GET.get("status", selectors.PROVIDER_CURRENT)
    if status not in dict(PROVIDER_STATUSES) and status != selectors.PROVIDER_ALL:
        status = selectors.PROVIDER_CURRENT
    page = page_of(request, selectors.provider_follow_ups(request.user, status=status))
    follow_ups = list(page)
    memberships = {m.organisation_id: m for m in access.memberships_with(request.user, Role.PROVIDER)}
    audit_log_many(
        request,
        action=Action.LIST,
        description="follow-up referrals (provider)",
        rows=[(f.case.client_id, f.case_id, memberships.get(f.offer.provider_id)) for f in follow_ups],
    )
    return render(
        request,
        "followup/provider_list.html",
        {"follow_ups": follow_ups, "page": page, "statuses": PROVIDER_STATUSES, "status": status},
    )


@login_required
def provider_detail(request, pk: int):
    posted = request.method == "POST"
    follow_up = access.get_follow_up_for_provider(request, pk, action=Action.UPDATE if posted else Action.READ)
    side = access.follow_up_side(request.user, follow_up)
    changes = [c for c in changes_for(side, follow_up.status) if not c.needs_consent]
    form = StatusForm(request.POST if posted else None, initial={"version": follow_up.version}, changes=changes)
    if posted and form.is_valid():
        if _apply_change(request, follow_up, form):
            messages.success(request, _("Status saved: %(status)s.") % {"status": follow_up.get_status_display()})
        return redirect("followup:provider_detail", follow_up.pk)
    return render(
        request,
        "followup/provider_detail.html",
        {
            "follow_up": follow_up,
            "client": follow_up.case.client,
            "offer": follow_up.offer,
            "sent_by": selectors.sent_by(follow_up),
            "jgz": follow_up.case.organisation,
            "history": selectors.provider_history(follow_up),
            "form": form if changes else None,
        },
        status=400 if posted else 200,
    )
