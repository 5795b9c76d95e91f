"""Asking and answering desk questions (vraagbaak).

- `ask_question`: a visitor asks; stored once per submission key, routed by her municipality to
  the JGZ organisation that serves it, audited, and (only when she wants the answer by e-mail) a
  receipt with nothing but her reference and when the answer comes.
- `answer_question`: a JGZ colleague answers. By e-mail the answer goes out with her own question
  quoted; by phone the colleague calls and notes what she said, nothing is sent.
- `set_question_aside`: spam or not a question; a short reason is kept, nothing is sent.

The answer and set-aside are guarded by the question's `version`: when someone else handled it
after the page was opened, `QuestionAlreadyHandled` says who and when, and nothing is written.
"""

import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.organisations.selectors import jgz_organisation_for

from .models import AnswerChannel, Question, QuestionStatus, new_reference

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "VR"
_REFERENCE_ATTEMPTS = 5


class QuestionAlreadyHandled(ValidationError):
    """Someone else answered (or set aside) the question after this person opened it."""


def _language(code: str | None) -> str:
    known = {c for c, _name in settings.LANGUAGES}
    code = (code or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in known else settings.LANGUAGE_CODE


@transaction.atomic
def ask_question(
    request: HttpRequest | None, *, data: dict, submission_key: uuid.UUID, language: str, notify: bool = True
) -> Question:
    """Store a visitor's question (once per `submission_key`) and route it by her municipality.

    `data` holds the question form's cleaned fields: asker_kind, name, channel, email, phone,
    text, municipality (a Municipality or None). Returns the question; a second submit of the
    same form returns the first one and does nothing else.
    """
    existing = Question.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing

    municipality = data.get("municipality")
    organisation = jgz_organisation_for(municipality)
    channel = data["channel"]
    values = {
        "asker_kind": data["asker_kind"],
        "name": data["name"],
        "channel": channel,
        "email": data.get("email", "") if channel == AnswerChannel.EMAIL else "",
        "phone": data.get("phone", "") if channel == AnswerChannel.PHONE else "",
        "text": data["text"],
        "municipality": municipality,
        "organisation": organisation,
        "region": municipality.region if municipality is not None else None,
        "language": _language(language),
        "submission_key": submission_key,
    }
    question = None
    for attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                question = Question.objects.create(reference=new_reference(REFERENCE_PREFIX), **values)
            break
        except IntegrityError:
            # Either the same form was sent twice at the same moment (the first one won), or the
            # new reference was already taken: then draw another one.
            first = Question.objects.filter(submission_key=submission_key).first()
            if first is not None:
                return first
            if attempt == _REFERENCE_ATTEMPTS - 1:
                raise

    audit_log(
        request,
        action=Action.CREATE,
        description=f"desk question {question.reference} asked",
        user=getattr(request, "user", None),
    )
    if question.channel == AnswerChannel.EMAIL and notify:  # the demo loader asks without e-mailing
        transaction.on_commit(
            partial(send_receipt, email=question.email, reference=question.reference, language=question.language)
        )
    return question


def _send(*, email: str, language: str, subject: str, template: str, context: dict) -> None:
    with translation.override(language):
        body = render_to_string(template, context)
        subject = str(subject)
    send_mail(subject, body, None, [email])


def send_receipt(*, email: str, reference: str, language: str) -> None:
    """Tell the asker we have her question: her reference and when the answer comes. Nothing else."""
    days = settings.KANSRIJK_QUESTION_ANSWER_DAYS
    with translation.override(language):
        subject = _("We received your question (%(reference)s)") % {"reference": reference}
    try:
        _send(
            email=email,
            language=language,
            subject=subject,
            template="desk/email/question_received.txt",
            context={"reference": reference, "days": days},
        )
    except Exception:  # the question is stored and will be answered; the receipt is only a courtesy
        logger.exception("The receipt of a desk question could not be e-mailed.")


def send_answer(*, email: str, reference: str, language: str, question_text: str, answer: str) -> None:
    """The answer by e-mail, with her own question quoted and her reference."""
    with translation.override(language):
        subject = _("Answer to your question (%(reference)s)") % {"reference": reference}
    try:
        _send(
            email=email,
            language=language,
            subject=subject,
            template="desk/email/question_answer.txt",
            context={
                "reference": reference,
                "answer": answer,
                "quoted_question": "\n".join(f"> {line}" if line else ">" for line in question_text.splitlines()),
            },
        )
    except Exception:  # the answer is stored; the log tells the administrator to resend it by hand
        logger.exception("The answer to desk question %s could not be e-mailed.", reference)


def _handled_message(question: Question) -> str:
    """Who handled the question, and when: for the person who came second."""
    who = question.answered_by.display_name if question.answered_by else _("Someone")
    when = formats.date_format(timezone.localtime(question.answered_at), "DATETIME_FORMAT")
    if question.status == QuestionStatus.SET_ASIDE:
        return _("%(who)s set this question aside at %(when)s. Nothing was saved.") % {"who": who, "when": when}
    return _("%(who)s answered this question at %(when)s. Nothing was saved or sent.") % {"who": who, "when": when}


def _check(request: HttpRequest, question: Question) -> None:
    if not access.visible_questions(request.user).filter(pk=question.pk).exists():
        raise PermissionDenied(_("You may not answer this question."))


def _save_guarded(question: Question, expected_version: int, **changes) -> None:
    """Write `changes` only while the question is open and nobody changed it since `expected_version`."""
    updated = Question.objects.filter(pk=question.pk, version=expected_version, status=QuestionStatus.OPEN).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        current = Question.objects.select_related("answered_by").get(pk=question.pk)
        if current.status != QuestionStatus.OPEN:
            raise QuestionAlreadyHandled(_handled_message(current), code="handled")
        raise QuestionAlreadyHandled(
            _("Someone else changed this question while you were working on it. Nothing was saved; try again."),
            code="changed",
        )
    for name, value in changes.items():
        setattr(question, name, value)
    question.version = expected_version + 1


@transaction.atomic
def answer_question(
    *, request: HttpRequest, question: Question, answer: str, expected_version: int, notify: bool = True
) -> Question:
    """Record the answer. By e-mail it is sent (after the commit) in the asker's language; by phone
    the colleague has called her and this is her note of what she said."""
    _check(request, question)
    _save_guarded(
        question,
        expected_version,
        answer=answer,
        status=QuestionStatus.ANSWERED,
        answered_at=timezone.now(),
        answered_by=request.user,
    )
    how = "by e-mail" if question.channel == AnswerChannel.EMAIL else "by phone"
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"desk question {question.reference} answered {how}",
        membership=access.membership_for_question(request.user, question),
    )
    if question.channel == AnswerChannel.EMAIL and notify:
        transaction.on_commit(
            partial(
                send_answer,
                email=question.email,
                reference=question.reference,
                language=question.language,
                question_text=question.text,
                answer=answer,
            )
        )
    return question


@transaction.atomic
def set_question_aside(*, request: HttpRequest, question: Question, reason: str, expected_version: int) -> Question:
    """Spam, or not a question for the JGZ: closed with a short reason; the asker gets nothing."""
    _check(request, question)
    _save_guarded(
        question,
        expected_version,
        answer=reason,
        status=QuestionStatus.SET_ASIDE,
        answered_at=timezone.now(),
        answered_by=request.user,
    )
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"desk question {question.reference} set aside",
        membership=access.membership_for_question(request.user, question),
    )
    return question
