from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_many
from kansrijk.core.paging import page_of
from kansrijk.feedback.selectors import sent_feedback, unread_feedback_referrals, with_unread_feedback
from kansrijk.feedback.services import feedback_mark_read
from kansrijk.organisations.models import Role

from .forms import ReferralForm
from .services import ClientDetails, referral_create, referral_status_for_referrer

CLIENT_FIELDS = [f.name for f in ClientDetails.__dataclass_fields__.values()]


@login_required
def referral_new(request):
    referrer_memberships = access.memberships_with(request.user, Role.REFERRER)
    access.require(bool(referrer_memberships), "referral form")
    membership = referrer_memberships[0]
    if len(referrer_memberships) > 1 and request.POST.get("organisation"):
        membership = next(
            (m for m in referrer_memberships if str(m.organisation_id) == request.POST["organisation"]), membership
        )
    form = ReferralForm(request.POST or None, region=membership.organisation.region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = referral_create(
                request=request,
                referrer=request.user,
                membership=membership,
                details=ClientDetails(**{name: data[name] for name in CLIENT_FIELDS}),
                due_date=data["due_date"],
                urgency=data["urgency"],
                screening_instrument=data["screening_instrument"],
                domains=data["domains"],
                reason=data["reason"],
                consent_contact=data["consent_contact"],
                consent_feedback=data["consent_feedback"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not result.created:
                messages.info(request, _("This referral had already been sent; it was not sent twice."))
            elif result.joined_existing_case:
                messages.info(
                    request,
                    _("This woman is already known to the JGZ with an open case. Your referral has been added to it."),
                )
            elif result.routed_to_region:
                messages.warning(
                    request,
                    _(
                        "No JGZ organisation in the region serves this postcode yet. The referral has been sent to "
                        "the region's administrators, who will pass it on."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("The referral has been sent to %(org)s.") % {"org": result.referral.case.organisation.name},
                )
            return redirect("referrals:detail", pk=result.referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "referrer_memberships": referrer_memberships, "membership": membership},
    )


@login_required
def referral_list(request):
    access.require(access.has_role(request.user, Role.REFERRER), "my referrals")
    own = access.own_referrals(request.user)
    with_news = own.filter(pk__in=unread_feedback_referrals())
    only_news = request.GET.get("nieuw") == "1"
    page = page_of(
        request, (with_news if only_news else own).order_by("-created_at", "-pk").values_list("pk", flat=True)
    )
    # Only the page's rows are fetched, with their unread counts, and only they are logged.
    referrals = list(
        with_unread_feedback(own.filter(pk__in=list(page)))
        .select_related("case", "case__client", "referrer_organisation")
        .order_by("-created_at", "-pk")
    )
    audit_log_many(
        request,
        action=Action.LIST,
        description="my referrals (referrer)",
        rows=[
            (r.case.client_id, r.case_id, access.referrer_membership(request.user, r.referrer_organisation_id))
            for r in referrals
        ],
    )
    for referral in referrals:
        referral.status_for_referrer = referral_status_for_referrer(referral)
    return render(
        request,
        "referrals/referral_list.html",
        {"referrals": referrals, "page": page, "only_news": only_news, "with_news": with_news.count()},
    )


@login_required
def referral_detail(request, pk: int):
    referral = access.get_own_referral(request, pk)
    feedback = sent_feedback(referral)
    newly_read = {f.pk for f in feedback if f.read_at is None}
    feedback_mark_read(request=request, referral=referral, feedback=feedback)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "client": referral.case.client,
            "status_for_referrer": referral_status_for_referrer(referral),
            "domains": referral.domains.all(),
            "feedback": feedback,
            "newly_read": newly_read,
        },
    )
