"""The vraagbaak: the public question form (no login, six languages) and the staff queue that answers it.

Public: `ask` (the form) and `ask_done` (the confirmation, reached with a signed token holding the
reference; it shows no personal data). Staff: `queue` (open, answered, set aside; each question
shown is written to the audit log) and `detail` (read, answer or set aside one question).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_each

from . import selectors_questions as selectors
from . import services_questions as services
from .forms_questions import AnswerForm, AskForm, SetAsideForm
from .models import AnswerChannel, Question, QuestionStatus
from .public import RATE_LIMIT_MESSAGE, public_form, public_page, submission_key_from
from .selectors_pages import page_text

TOKEN_SALT = "kansrijk.desk.ask"
PAGE_SIZE = 50


def done_token(reference: str) -> str:
    return signing.dumps(reference, salt=TOKEN_SALT)


# --- Public ----------------------------------------------------------------------------------


@public_form("ask")
@require_http_methods(["GET", "POST"])
def ask(request):
    status = 200
    rate_limited = False
    if request.method == "POST":
        form = AskForm(request.POST)
        submission_key = submission_key_from(request)
        if request.limited:
            form.is_valid()  # show what is wrong as well, but store nothing
            rate_limited = True
            status = 429
        elif form.is_valid():
            question = services.ask_question(
                request, data=form.cleaned_data, submission_key=submission_key, language=get_language()
            )
            return redirect("desk:ask_done", token=done_token(question.reference))
    else:
        form = AskForm()
        submission_key = submission_key_from(request)
    intro, intro_is_fallback = page_text("ask")
    return render(
        request,
        "desk/questions/ask.html",
        {
            "form": form,
            "submission_key": submission_key,
            "intro": intro,
            "intro_is_fallback": intro_is_fallback,
            "rate_limit_message": RATE_LIMIT_MESSAGE if rate_limited else None,
            "answer_days": settings.KANSRIJK_QUESTION_ANSWER_DAYS,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET"])
def ask_done(request, token: str):
    try:
        reference = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise Http404 from None
    channel = Question.objects.filter(reference=reference).values_list("channel", flat=True).first()
    if channel is None:
        raise Http404
    return render(
        request,
        "desk/questions/ask_done.html",
        {
            "reference": reference,
            "by_email": channel == AnswerChannel.EMAIL,
            "answer_days": settings.KANSRIJK_QUESTION_ANSWER_DAYS,
        },
    )


# --- Staff -----------------------------------------------------------------------------------

TABS = [
    (QuestionStatus.OPEN, QuestionStatus.OPEN.label),
    (QuestionStatus.ANSWERED, QuestionStatus.ANSWERED.label),
    (QuestionStatus.SET_ASIDE, QuestionStatus.SET_ASIDE.label),
]


@login_required
@require_http_methods(["GET"])
def queue(request):
    access.require(access.can_answer_questions(request.user), "desk questions queue")
    status = request.GET.get("status", QuestionStatus.OPEN)
    if status not in QuestionStatus.values:
        status = QuestionStatus.OPEN
    now = timezone.now()
    page = Paginator(selectors.queue(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    questions = [selectors.describe(q, now=now) for q in page]
    audit_log_each(
        request,
        action=Action.LIST,
        entries=[
            (
                f"desk question {q.reference} in the questions queue ({status})",
                access.membership_for_question(request.user, q),
            )
            for q in questions
        ],
    )
    summary = selectors.summary(request.user, now=now)
    return render(
        request,
        "desk/questions/queue.html",
        {
            "status": status,
            "tabs": [(value, label, summary.count(value)) for value, label in TABS],
            "page": page,
            "questions": questions,
            "summary": summary,
            "oldest_waiting": selectors.duration_text(now - summary.oldest_open_at) if summary.oldest_open_at else "",
            "median": selectors.duration_text(summary.median_time_to_answer),
            "median_days": selectors.MEDIAN_DAYS,
        },
    )


def _done_message(question: Question) -> str:
    if question.status == QuestionStatus.SET_ASIDE:
        return _("The question has been set aside. The asker gets no message.")
    if question.channel == AnswerChannel.EMAIL:
        return _("The answer has been sent by e-mail.")
    return _("Your note of the phone call has been saved.")


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    action = Action.UPDATE if request.method == "POST" else Action.READ
    question = access.get_question(request, pk, action=action)
    answer_form = set_aside_form = None
    conflict = unsaved_text = None
    if question.status == QuestionStatus.OPEN:
        initial = {"version": question.version}
        answer_form = AnswerForm(initial=initial, channel=question.channel, prefix="answer")
        set_aside_form = SetAsideForm(initial=initial, prefix="aside")
    if request.method == "POST":
        what = request.POST.get("action")
        if what == "set_aside":
            set_aside_form = SetAsideForm(request.POST, prefix="aside")
            form = set_aside_form
        else:
            answer_form = AnswerForm(request.POST, channel=question.channel, prefix="answer")
            form = answer_form
        if form.is_valid():
            try:
                if form is set_aside_form:
                    services.set_question_aside(
                        request=request,
                        question=question,
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                    )
                else:
                    services.answer_question(
                        request=request,
                        question=question,
                        answer=form.cleaned_data["answer"],
                        expected_version=form.cleaned_data["version"],
                    )
            except services.QuestionAlreadyHandled as exc:
                conflict = exc.messages[0]
                question = Question.objects.select_related("municipality", "answered_by").get(pk=question.pk)
                if question.status != QuestionStatus.OPEN:
                    # Handled by someone else: her own text is shown, unsent, so nothing she typed is lost.
                    unsaved_text = form.cleaned_data.get("answer") or form.cleaned_data.get("reason")
                else:
                    # Changed, but still open: her text stays, with the version she has now seen.
                    data = request.POST.copy()
                    data[form.add_prefix("version")] = str(question.version)
                    form.data = data
            else:
                messages.success(request, _done_message(question))
                return redirect(reverse("desk:question_detail", args=[question.pk]))
    selectors.describe(question)
    return render(
        request,
        "desk/questions/detail.html",
        {
            "question": question,
            "language_name": selectors.language_name(question.language),
            "asker_language_is_staff": question.language in settings.KANSRIJK_STAFF_LANGUAGES,
            "is_open": question.status == QuestionStatus.OPEN,
            "answer_form": answer_form,
            "set_aside_form": set_aside_form,
            "conflict": conflict,
            "unsaved_text": unsaved_text,
            "by_email": question.channel == AnswerChannel.EMAIL,
        },
    )
