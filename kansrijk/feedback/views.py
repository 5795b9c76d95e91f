"""Feedback to the referrer, the birth and the handover summary: the nurse's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kansrijk import access
from kansrijk.audit.models import Action

from . import selectors
from .forms import BirthForm, DraftForm, FeedbackForm
from .handover import handover_summary, render_pdf
from .models import FeedbackStatus
from .services import AlreadySent, birth_record, feedback_draft, feedback_save, feedback_send


def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


@login_required
@require_POST
def draft(request, pk: int):
    case = access.get_case(request, pk, action=Action.UPDATE, description="feedback draft")
    form = DraftForm(request.POST)
    referral = case.referrals.filter(pk=form.cleaned_data["referral"]).first() if form.is_valid() else None
    if referral is None:
        messages.error(request, _("This action is not possible for this case now."))
        return redirect(case)
    try:
        feedback, _created = feedback_draft(
            request=request, case=case, referral=referral, moment=form.cleaned_data["moment"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect(case)
    return redirect("feedback:edit", pk=case.pk, feedback_pk=feedback.pk)


@login_required
def edit(request, pk: int, feedback_pk: int):
    action = Action.UPDATE if request.method == "POST" else Action.READ
    case = access.get_case(request, pk, action=action, description="feedback to the referrer")
    feedback = selectors.case_feedback_item(case, feedback_pk)
    if feedback is None:
        raise Http404(_("No such feedback."))
    may_edit = selectors.can_give_feedback(request.user, case) and feedback.status == FeedbackStatus.DRAFT
    form = FeedbackForm(request.POST or None, initial={"version": feedback.version, "text": feedback.text})
    if request.method == "POST":
        if not may_edit:
            if feedback.status == FeedbackStatus.DRAFT:
                messages.error(request, _("You may not change or send this feedback."))
            else:
                messages.info(request, _("This feedback has already been sent; it was not sent again."))
            return redirect(case)
        if form.is_valid():
            service = feedback_send if request.POST.get("send") else feedback_save
            try:
                service(
                    request=request,
                    feedback=feedback,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except AlreadySent as error:
                messages.info(request, _error_text(error))
                return redirect(case)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error)
            else:
                if request.POST.get("send"):
                    messages.success(
                        request,
                        _(
                            "The feedback has been sent. The referrer gets an e-mail that there is news in Kansrijk; "
                            "the message itself can only be read in Kansrijk."
                        ),
                    )
                    return redirect(case)
                messages.success(request, _("The draft has been saved."))
                return redirect("feedback:edit", pk=case.pk, feedback_pk=feedback.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "feedback/feedback_form.html",
        {"case": case, "client": case.client, "feedback": feedback, "form": form, "may_edit": may_edit},
        status=status,
    )


@login_required
@require_POST
def birth(request, pk: int):
    case = access.get_case(request, pk, action=Action.UPDATE, description="record the birth")
    form = BirthForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(case)
    try:
        birth_record(
            request=request,
            case=case,
            birth_date=form.cleaned_data["birth_date"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect(case)
    messages.success(request, _("The birth has been recorded. The handover summary is ready."))
    return redirect(case)


def _case_with_birth(request, pk: int, *, action: str, description: str):
    case = access.get_case(request, pk, action=action, description=description)
    if case.birth_date is None:
        # Nothing was handed over: the transaction (and its audit row) is rolled back with the 404.
        raise Http404(_("The handover summary is available once the birth has been recorded."))
    return case


@login_required
def handover(request, pk: int):
    case = _case_with_birth(request, pk, action=Action.PRINT, description="handover summary (print)")
    return render(
        request,
        "feedback/handover.html",
        {"h": handover_summary(case, user=request.user), "case": case, "client": case.client},
    )


@login_required
def handover_pdf(request, pk: int):
    case = _case_with_birth(request, pk, action=Action.EXPORT, description="handover summary (PDF)")
    response = HttpResponse(render_pdf(handover_summary(case, user=request.user)), content_type="application/pdf")
    # No client name in the file name: downloads folders are not private.
    response["Content-Disposition"] = f'attachment; filename="overdracht-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
