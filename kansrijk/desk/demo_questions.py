"""Demo questions for the vraagbaak, in six languages. Written for this project. Idempotent.

Residents and professionals ask through `ask_question` as the public form does; the demo planner
answers some of them (by e-mail or by phone) and sets one aside. Each question has a fixed
submission key, so a second run finds it and adds nothing. The times are moved into the past
afterwards (`created_at` is set on creation), so the queue shows real waiting times and the median
time to answer means something.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .models import AnswerChannel, AskerKind, Question
from .services_questions import answer_question, ask_question, set_question_aside


@dataclass(frozen=True)
class DemoQuestion:
    key: str
    language: str
    asker_kind: str
    name: str
    channel: str
    contact: str  # the e-mail address or phone number
    municipality: str | None  # a demo municipality's name, or None
    text: str
    asked_ago: timedelta
    #: Answered (or set aside) this long after asking; None while open.
    answered_after: timedelta | None = None
    answer: str = ""
    set_aside: bool = False


QUESTIONS = [
    DemoQuestion(
        key="q1-evening",
        language="nl",
        asker_kind=AskerKind.RESIDENT,
        name="Sanne de Vries",
        channel=AnswerChannel.EMAIL,
        contact="sanne.devries@example.org",
        municipality="Maastricht",
        text=(
            "Hallo,\n\nIk werk overdag en mijn vriend ook. Kan de verpleegkundige ook aan het eind van de middag "
            "langskomen?\n\nGroet, Sanne"
        ),
        asked_ago=timedelta(hours=3, minutes=20),
    ),
    DemoQuestion(
        key="q2-interpreter",
        language="tr",
        asker_kind=AskerKind.RESIDENT,
        name="Elif Yıldız",
        channel=AnswerChannel.PHONE,
        contact="06 21 43 65 87",
        municipality="Heerlen",
        text=(
            "Merhaba. Hollandaca biraz konuşuyorum ama iyi değil. Ev ziyaretinde bir tercüman olabilir mi? "
            "Eşim de evde olacak."
        ),
        asked_ago=timedelta(days=1, hours=6),
    ),
    DemoQuestion(
        key="q3-ukraine",
        language="uk",
        asker_kind=AskerKind.RESIDENT,
        name="Olena Kovalenko",
        channel=AnswerChannel.PHONE,
        contact="+31 6 1357 2468",
        municipality="Maastricht",
        text=(
            "Добрий день. Я з України і живу в Маастрихті пів року. Чи можу я теж отримати домашній візит? "
            "Я ще погано розмовляю нідерландською."
        ),
        asked_ago=timedelta(days=2, hours=2),
    ),
    DemoQuestion(
        key="q4-free",
        language="ar",
        asker_kind=AskerKind.RESIDENT,
        name="Fatima Haddad",
        channel=AnswerChannel.EMAIL,
        contact="fatima.haddad@example.org",
        municipality=None,
        text="مرحبا. هل الزيارة المنزلية مجانية؟ وهل يجب أن يكون لدي تأمين صحي؟",
        asked_ago=timedelta(days=12, hours=5),
        answered_after=timedelta(hours=5, minutes=30),
        answer=(
            "مرحبا فاطمة،\n\nنعم، الزيارة المنزلية مجانية. لا تدفعين أي شيء، ولا نسأل عن التأمين الصحي.\n\n"
            "يمكنك التسجيل بنفسك على موقعنا، أو اطلبي من القابلة أن تسجّلك.\n\nمع التحية، الرعاية الصحية للشباب"
        ),
    ),
    DemoQuestion(
        key="q5-partner",
        language="pl",
        asker_kind=AskerKind.RESIDENT,
        name="Katarzyna Nowak",
        channel=AnswerChannel.EMAIL,
        contact="k.nowak@example.org",
        municipality="Heerlen",
        text="Dzień dobry, czy mój partner może być przy wizycie domowej? Pracuje do godziny 17.",
        asked_ago=timedelta(days=20),
        answered_after=timedelta(days=1, hours=2),
        answer=(
            "Dzień dobry,\n\nTak, partner jest mile widziany. Możemy umówić wizytę późnym popołudniem. "
            "Kiedy zadzwonimy w sprawie terminu, proszę powiedzieć, które dni Państwu pasują.\n\n"
            "Pozdrawiamy, JGZ"
        ),
    ),
    DemoQuestion(
        key="q6-refer",
        language="en",
        asker_kind=AskerKind.PROFESSIONAL,
        name="Laura Smeets, maternity nurse",
        channel=AnswerChannel.PHONE,
        contact="043 765 43 21",
        municipality="Maastricht",
        text=(
            "I work for a maternity care agency. One of our future clients speaks only English. "
            "How can I refer her for the home visit, and can the visit be in English?"
        ),
        asked_ago=timedelta(days=35),
        answered_after=timedelta(hours=26),
        answer=(
            "Called her back. Explained that she can refer through Kansrijk (login for professionals) or the woman "
            "can register herself on the desk in English. The nurse can do the visit in English."
        ),
    ),
    DemoQuestion(
        key="q7-leaflet",
        language="nl",
        asker_kind=AskerKind.PROFESSIONAL,
        name="Tom Peeters",
        channel=AnswerChannel.EMAIL,
        contact="t.peeters@example.org",
        municipality="Maastricht",
        text=(
            "Ik ben praktijkondersteuner bij een huisarts. "
            "Hebben jullie een folder in het Arabisch die ik kan meegeven?"
        ),
        asked_ago=timedelta(days=60),
        answered_after=timedelta(hours=7),
        answer=(
            "Beste Tom,\n\nJa. Op de pagina 'Voor professionals' staat de folder in zes talen, ook in het Arabisch. "
            "U kunt hem downloaden en printen.\n\nMet vriendelijke groet,\nJGZ"
        ),
    ),
    DemoQuestion(
        key="q8-advert",
        language="nl",
        asker_kind=AskerKind.PROFESSIONAL,
        name="Zonnig Voordeel",
        channel=AnswerChannel.EMAIL,
        contact="info@example.com",
        municipality=None,
        text="Goedkope zonnepanelen voor uw organisatie! Reageer nu en krijg 20% korting.",
        asked_ago=timedelta(days=4),
        answered_after=timedelta(hours=1),
        answer="Reclame, geen vraag.",
        set_aside=True,
    ),
]


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kansrijk-demo-desk-question-{name}")


def load(context) -> None:
    planner = context.users["planner"]
    now = timezone.now()
    for item in QUESTIONS:
        key = _key(item.key)
        if Question.objects.filter(submission_key=key).exists():
            continue
        question = ask_question(
            context.request_for(None),
            data={
                "asker_kind": item.asker_kind,
                "name": item.name,
                "channel": item.channel,
                "email": item.contact if item.channel == AnswerChannel.EMAIL else "",
                "phone": item.contact if item.channel == AnswerChannel.PHONE else "",
                "text": item.text,
                "municipality": context.municipalities[item.municipality] if item.municipality else None,
            },
            submission_key=key,
            language=item.language,
            notify=False,
        )
        asked_at = now - item.asked_ago
        Question.objects.filter(pk=question.pk).update(created_at=asked_at)
        if item.answered_after is None:
            continue
        request = context.request_for(planner)
        if item.set_aside:
            set_question_aside(
                request=request, question=question, reason=item.answer, expected_version=question.version
            )
        else:
            answer_question(
                request=request, question=question, answer=item.answer, expected_version=question.version, notify=False
            )
        Question.objects.filter(pk=question.pk).update(answered_at=min(asked_at + item.answered_after, now))
