"""The agreements register: read by the partners, kept by officers, coordinators, planners and administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.core.paging import page_of
from kansrijk.organisations.models import Municipality, Region

from . import services
from .forms import AgreementForm, EvaluationForm
from .models import Agreement, AgreementStatus, Evaluation, Topic


def _require_reader(request):
    access.require(bool(access.agreement_region_ids(request.user)), "agreements register")


def _get(request, pk: int) -> Agreement:
    agreement = access.visible_agreements(request.user).filter(pk=pk).select_related("region", "owner").first()
    if agreement is None:
        raise access.AccessDenied("agreement")
    return agreement


#: The fields a row of the register shows (title, topic, where, owner, next review and its state).
LIST_FIELDS = (
    "title",
    "topic",
    "status",
    "next_review_on",
    "owner_name",
    "owner__full_name",
    "owner__email",
    "region__name",
)


def _where(agreement) -> str:
    """The municipalities an agreement is for, or its whole region (from the prefetched municipalities)."""
    names = [m.name for m in agreement.municipalities.all()]
    return ", ".join(names) if names else _("Whole region %(region)s") % {"region": agreement.region.name}


@login_required
def agreement_list(request):
    _require_reader(request)
    agreements = (
        access.visible_agreements(request.user)
        .select_related("owner", "region")
        .prefetch_related("municipalities")  # the list names where; the parties are on the agreement's page
        # What the rows show, not the agreements' texts nor their owners' accounts (50 a page).
        .only(*LIST_FIELDS)
        .order_by("next_review_on", "pk")
    )
    topic = request.GET.get("onderwerp", "")
    status = request.GET.get("status", AgreementStatus.ACTIVE)
    municipality = request.GET.get("gemeente", "")
    if topic in Topic.values:
        agreements = agreements.filter(topic=topic)
    if status in AgreementStatus.values:
        agreements = agreements.filter(status=status)
    if municipality.isdigit():
        agreements = agreements.filter(municipalities__pk=municipality)
    if request.GET.get("review") == "1":
        agreements = services.due(agreements)
    today = timezone.localdate()
    page = page_of(request, agreements)
    topic_labels = dict(Topic.choices)  # once, not get_topic_display() per row
    rows = [(a, topic_labels.get(a.topic, a.topic), _where(a), *services.review_state(a, today)) for a in page]
    regions = access.agreement_region_ids(request.user)
    return render(
        request,
        "agreements/list.html",
        {
            "rows": rows,
            "page": page,
            "topics": Topic.choices,
            "statuses": AgreementStatus.choices,
            "municipalities": Municipality.objects.filter(region_id__in=regions),
            "filters": {
                "topic": topic,
                "status": status,
                "municipality": municipality,
                "review": request.GET.get("review"),
            },
            "can_add": bool(access.agreement_region_ids(request.user, edit=True)),
            "agreements_due": services.due_for(request.user),
        },
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = _get(request, pk)
    agreement = (
        Agreement.objects.filter(pk=agreement.pk)
        .select_related("owner", "region", "created_by", "updated_by")
        .prefetch_related("municipalities", "parties", Prefetch("evaluations", Evaluation.objects.select_related("by")))
        .get()
    )
    state, days = services.review_state(agreement)
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "where": _where(agreement),
            "state": state,
            "days": days,
            "can_edit": access.can_edit_agreement(request.user, agreement),
            "evaluation_form": EvaluationForm(),
        },
    )


def _region_for_new(request) -> Region:
    regions = access.agreement_region_ids(request.user, edit=True)
    access.require(bool(regions), "new agreement")
    return Region.objects.filter(pk__in=regions).order_by("name").first()


def _values(form) -> tuple[dict, list, list]:
    data = form.cleaned_data
    fields = [f for f in AgreementForm.Meta.fields if f not in ("municipalities", "parties")]
    return {f: data[f] for f in fields}, list(data["municipalities"]), list(data["parties"])


@login_required
def agreement_new(request):
    region = _region_for_new(request)
    form = AgreementForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        values, municipalities, parties = _values(form)
        agreement = services.create(
            user=request.user,
            region=region,
            values=values,
            municipalities=municipalities,
            parties=parties,
            submission_key=form.cleaned_data["submission_key"],
        )
        messages.success(request, _("The agreement is in the register."))
        return redirect("agreements:detail", agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "region": region})


@login_required
def agreement_edit(request, pk: int):
    agreement = _get(request, pk)
    access.require(access.can_edit_agreement(request.user, agreement), "change agreement")
    form = AgreementForm(
        request.POST or None, instance=agreement, region=agreement.region, initial={"version": agreement.version}
    )
    if request.method == "POST" and form.is_valid():
        values, municipalities, parties = _values(form)
        try:
            services.update(
                Agreement.objects.get(pk=agreement.pk),
                user=request.user,
                version=form.cleaned_data.get("version") or 0,
                values=values,
                municipalities=municipalities,
                parties=parties,
            )
        except services.StaleVersion as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement is changed."))
            return redirect("agreements:detail", agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "region": agreement.region, "agreement": agreement})


@login_required
def agreement_evaluate(request, pk: int):
    agreement = _get(request, pk)
    access.require(access.can_edit_agreement(request.user, agreement), "evaluate agreement")
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.evaluate(agreement, user=request.user, **form.cleaned_data)
        messages.success(request, _("The review is recorded."))
        return redirect("agreements:detail", agreement.pk)
    state, days = services.review_state(agreement)
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "where": _where(agreement),
            "state": state,
            "days": days,
            "can_edit": True,
            "evaluation_form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
