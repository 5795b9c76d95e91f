"""Evaluation: the nurse invites a family after a held visit; the family answers on the public desk in her
language; professionals answer once per half year; officers, coordinators and planners read the results."""

from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.care import selectors as care_selectors
from kansrijk.desk.public import public_page

from . import results, services
from .forms import InvitationForm, QuestionnaireForm
from .models import Invitation
from .questionnaires import PARENT, PARENT_QUESTIONNAIRE, PROFESSIONAL, PROFESSIONAL_QUESTIONNAIRE


def _public_languages():
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


@login_required
def invite(request, visit_pk: int):
    visit = care_selectors.get_visit(request, visit_pk, action=Action.READ, description="evaluation invitation")
    access.require(access.can_work_on(request.user, visit.case) and visit.status == "held", "evaluation invitation")
    languages = _public_languages()
    preferred = visit.case.client.preferred_language
    initial = preferred if preferred in dict(languages) else "nl"
    form = InvitationForm(request.POST or None, languages=languages, initial={"language": initial})
    if request.method == "POST" and form.is_valid():
        invitation = services.create_invitation(visit=visit, language=form.cleaned_data["language"], user=request.user)
        return redirect("evaluation:card", invitation.pk)
    return render(request, "evaluation/invite.html", {"form": form, "visit": visit})


@login_required
def card(request, pk: int):
    """The card to hand over or send: the short link and its QR code. Only for the nurse who made it."""
    invitation = Invitation.objects.filter(pk=pk, created_by=request.user).first()
    if invitation is None:
        raise access.AccessDenied("evaluation invitation card")
    from kansrijk.desk.views_pages import _qr_svg

    url = request.build_absolute_uri(reverse("evaluation:parent", args=[invitation.token]))
    from kansrijk.desk.questionnaire_parent import CARD_TEXT, CARD_TITLE

    with translation.override(invitation.language):
        card_title, card_text = str(CARD_TITLE), str(CARD_TEXT)
    return render(
        request,
        "evaluation/card.html",
        {
            "invitation": invitation,
            "url": url,
            "qr_svg": _qr_svg(url),
            "card_title": card_title,
            "card_text": card_text,
            "card_lang": invitation.language,
        },
    )


@public_page
def parent(request, token: str):
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "desk/evaluation/parent_closed.html", {"reason": "unknown"}, status=404)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in dict(settings.LANGUAGES) else invitation.language
    with translation.override(language):
        if invitation.used_at is not None:
            return render(request, "desk/evaluation/parent_closed.html", {"reason": "answered"})
        if invitation.expires_at < timezone.now():
            return render(request, "desk/evaluation/parent_closed.html", {"reason": "expired"}, status=410)
        form = QuestionnaireForm(request.POST or None, questionnaire=PARENT_QUESTIONNAIRE)
        if request.method == "POST" and form.is_valid():
            try:
                services.answer_as_parent(token, form.cleaned_data)
            except services.AlreadyAnswered:
                return render(request, "desk/evaluation/parent_closed.html", {"reason": "answered"})
            except services.Expired:
                return render(request, "desk/evaluation/parent_closed.html", {"reason": "expired"}, status=410)
            return render(request, "desk/evaluation/parent_closed.html", {"reason": "thanks"})
        response = render(
            request,
            "desk/evaluation/parent.html",
            {"form": form},
            status=400 if request.method == "POST" else 200,
        )
    return response


@login_required
def professional(request):
    membership = access.evaluation_professional_membership(request.user)
    access.require(membership is not None, "professional questionnaire")
    if services.has_answered(request.user):
        return render(request, "evaluation/professional.html", {"answered": True, "round": services.current_round()})
    form = QuestionnaireForm(request.POST or None, questionnaire=PROFESSIONAL_QUESTIONNAIRE)
    if request.method == "POST" and form.is_valid():
        with suppress(services.AlreadyAnswered):  # a second tab or a double click: the first answers count
            services.answer_as_professional(user=request.user, membership=membership, data=form.cleaned_data)
        messages.success(request, _("Thank you. Your answers are stored without your name."))
        return redirect("evaluation:professional")
    return render(
        request,
        "evaluation/professional.html",
        {"form": form, "round": services.current_round()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def results_page(request):
    municipalities, regions, free_text_orgs = access.evaluation_results_scope(request.user)
    access.require(bool(municipalities or regions), "evaluation results")
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", this_year))
    except ValueError:
        year = this_year
    if not this_year - 10 <= year <= this_year:
        year = this_year
    parents_qs = results.responses(PARENT, year=year, municipality_ids=municipalities)
    professionals_qs = results.responses(PROFESSIONAL, year=year, region_ids=regions)
    parent_total, parent_figures = results.figures(PARENT, parents_qs)
    professional_total, professional_figures = results.figures(PROFESSIONAL, professionals_qs)
    from kansrijk.monitoring import exports
    from kansrijk.monitoring.figures import Figure

    totals = Figure.counts(
        key="evaluation_totals",
        title=_("Responses"),
        definition=_("Questionnaires filled in during the year."),
        row_header=_("Questionnaire"),
        rows=[_("Parents, after the home visit"), _("Professionals in the chain")],
        columns=[_("Responses")],
        counts=[[parent_total], [professional_total]],
        totals=False,
        chart=None,
    )
    every = [totals, *parent_figures, *professional_figures]
    wanted = request.GET.get("export", "")
    if wanted == "xlsx":
        return exports.xlsx_response(
            every, f"kansrijk-evaluatie-{year}.xlsx", title=_("Evaluation results"), subtitle=str(year)
        )
    if wanted:
        figure = next((f for f in every if f.key == wanted), None)
        if figure is not None:
            return exports.csv_response(figure, f"kansrijk-evaluatie-{year}-{figure.key}.csv")
    return render(
        request,
        "evaluation/results.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 4, -1)),
            "totals": totals,
            "parent_figures": parent_figures,
            "professional_figures": professional_figures,
            "free_texts": results.free_texts(parents_qs, organisation_ids=free_text_orgs) if free_text_orgs else None,
            "can_answer": access.evaluation_professional_membership(request.user) is not None
            and not services.has_answered(request.user),
        },
    )
