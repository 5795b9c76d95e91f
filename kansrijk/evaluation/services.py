"""Invitations and answers. A response never records who answered; a professional's participation is kept
apart from her answers, only to stop a second response in the same round."""

import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Answer, Invitation, Participation, Response
from .questionnaires import PARENT_QUESTIONNAIRE, PROFESSIONAL_QUESTIONNAIRE

INVITATION_DAYS = 60


class AlreadyAnswered(Exception):
    pass


class Expired(Exception):
    pass


def current_round(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def create_invitation(*, visit, language: str, user) -> Invitation:
    case = visit.case
    local = timezone.localtime(visit.scheduled_at).date()
    return Invitation.objects.create(
        token=secrets.token_urlsafe(12),
        language=language,
        municipality=case.municipality,
        organisation=case.organisation,
        visit_form=visit.form,
        month=local.replace(day=1),
        created_by=user,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )


def open_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def _store(response: Response, questionnaire, data: dict) -> None:
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=q.key,
                choice="" if q.kind == "text" else data[q.key],
                text=(data.get(q.key) or "").strip() if q.kind == "text" else "",
            )
            for q in questionnaire.questions
            if q.kind != "text" or (data.get(q.key) or "").strip()
        ]
    )


@transaction.atomic
def answer_as_parent(token: str, data: dict) -> Response:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(token=token)
    if invitation.used_at is not None:
        raise AlreadyAnswered
    if invitation.expires_at < timezone.now():
        raise Expired
    response = Response.objects.create(
        questionnaire=PARENT_QUESTIONNAIRE.key,
        version=PARENT_QUESTIONNAIRE.version,
        region_id=invitation.organisation.region_id,
        municipality=invitation.municipality,
        organisation=invitation.organisation,
        visit_form=invitation.visit_form,
        month=invitation.month,
    )
    _store(response, PARENT_QUESTIONNAIRE, data)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    return response


def has_answered(user, round_: str | None = None) -> bool:
    return Participation.objects.filter(user=user, round=round_ or current_round()).exists()


def answer_as_professional(*, user, membership, data: dict) -> Response:
    round_ = current_round()
    try:
        with transaction.atomic():
            Participation.objects.create(user=user, round=round_)
            response = Response.objects.create(
                questionnaire=PROFESSIONAL_QUESTIONNAIRE.key,
                version=PROFESSIONAL_QUESTIONNAIRE.version,
                region_id=membership.organisation.region_id,
                role=membership.role,
                month=timezone.localdate().replace(day=1),
                round=round_,
            )
            _store(response, PROFESSIONAL_QUESTIONNAIRE, data)
    except IntegrityError:
        raise AlreadyAnswered from None
    return response
