"""Two women of the demo region who registered themselves at the desk. Invented people. Idempotent.

Each registration goes through `register_self`, as the public form does, with a fixed submission
key: a second run finds it and adds nothing. Afterwards the registration is moved a few hours into
the past, so the planner's intake queue shows them waiting.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kansrijk.cases.models import Case, CaseEvent
from kansrijk.referrals.models import Referral

from .models import ContactChannel, ContactTime, SelfRegistration
from .services_register import register_self


def demo_key(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kansrijk-demo-desk-register-{key}")


@dataclass(frozen=True)
class DemoRegistration:
    key: str
    form_language: str
    first_name: str
    last_name: str
    age: int
    postcode: str
    channel: str
    phone: str
    email: str
    times: tuple[str, ...]
    note: str
    language: str
    interpreter: bool
    weeks_until_due: int
    worries: str
    hours_ago: int


REGISTRATIONS = [
    DemoRegistration(
        key="r1-heerlen-tr",
        form_language="tr",
        first_name="Zeynep",
        last_name="Aydemir",
        age=24,
        postcode="6411 EJ",
        channel=ContactChannel.TEXT,
        phone="06 48 27 19 53",
        email="zeynep.aydemir@example.org",
        times=(ContactTime.EVENING,),
        note="Akşam 18.00'den sonra.",
        language="tr",
        interpreter=True,
        weeks_until_due=22,
        worries="İlk bebeğim. Burada ailem yok ve biraz yalnız hissediyorum.",
        hours_ago=5,
    ),
    DemoRegistration(
        key="r2-maastricht-ar",
        form_language="ar",
        first_name="Rasha",
        last_name="Darwish",
        age=31,
        postcode="6224 BK",
        channel=ContactChannel.PHONE,
        phone="06 31 75 40 82",
        email="",
        times=(ContactTime.MORNING,),
        note="",
        language="ar",
        interpreter=False,
        weeks_until_due=15,
        worries="",
        hours_ago=26,
    ),
]


def load(context) -> None:
    today = timezone.localdate()
    request = context.request_for(AnonymousUser())
    for r in REGISTRATIONS:
        key = demo_key(r.key)
        if SelfRegistration.objects.filter(submission_key=key).exists():
            continue
        result = register_self(
            request,
            data={
                "first_name": r.first_name,
                "last_name": r.last_name,
                "date_of_birth": today.replace(year=today.year - r.age, day=1) - timedelta(days=40),
                "postcode": r.postcode,
                "contact_channel": r.channel,
                "phone": r.phone,
                "email": r.email,
                "contact_times": list(r.times),
                "contact_note": r.note,
                "language": r.language,
                "interpreter_needed": r.interpreter,
                "due_date": today + timedelta(weeks=r.weeks_until_due),
                "worries": r.worries,
            },
            submission_key=key,
            language=r.form_language,
            notify=False,
        )
        if not result.created:
            continue
        # As if she registered some hours ago (the queue shows how long she has been waiting).
        at = timezone.now() - timedelta(hours=r.hours_ago)
        registration = result.registration
        referral = registration.referral
        SelfRegistration.objects.filter(pk=registration.pk).update(created_at=at)
        Referral.objects.filter(pk=referral.pk).update(created_at=at, consent_recorded_at=at)
        if not result.joined_existing_case:
            Case.objects.filter(pk=referral.case_id).update(received_at=at)
            CaseEvent.objects.filter(case_id=referral.case_id).update(at=at)
