"""Demo agreements of the demo region (content in Dutch: it is data). Idempotent by title."""

from datetime import timedelta

from django.utils import timezone

from .models import Agreement, Evaluation

AGREEMENTS = [
    # title, topic, text, municipalities, parties, owner, agreed days ago, review in days, evaluation
    (
        "Signaleren met Samen Starten in de verloskundigenpraktijk",
        "signalling",
        "Verloskundigen gebruiken bij de intake rond 12 weken het gespreksinstrument Samen Starten en melden met "
        "toestemming aan bij de JGZ als er zorgen zijn op twee of meer domeinen.",
        ["Maastricht"],
        ["vlk1", "jgz"],
        "gemeente",
        400,
        -12,
        "Werkt goed bij De Maas; Parkstad gebruikt het nog niet standaard. Navragen bij het volgende MDO.",
    ),
    (
        "Terugkoppeling aan de verwijzer binnen 10 werkdagen",
        "feedback",
        "De JGZ koppelt binnen 10 werkdagen na de aanmelding terug aan de verwijzer, binnen de toestemming van de "
        "vrouw: contact gelegd, huisbezoek gepland of niet bereikbaar.",
        [],
        ["jgz", "vlk1", "vlk2", "kraam", "ha"],
        "planner",
        200,
        20,
        "",
    ),
    (
        "Warme overdracht naar Steunouders",
        "follow_up",
        "Bij een doorverwijzing naar Steunouders belt de jeugdverpleegkundige de coördinator en plant het eerste "
        "gesprek samen met het gezin in.",
        ["Maastricht", "Heerlen"],
        ["jgz", "aanbieder"],
        "planner",
        150,
        120,
        "",
    ),
    (
        "Gegevens delen alleen via Kansrijk, niet per e-mail",
        "data_sharing",
        "Aanmeldingen en terugkoppeling gaan via Kansrijk. Geen gezondheidsgegevens in e-mail; in een e-mail staat "
        "alleen dat er nieuws is.",
        [],
        ["jgz", "vlk1", "vlk2", "kraam", "ha", "aanbieder"],
        "gemeente",
        300,
        240,
        "",
    ),
]


def load(context) -> None:
    today = timezone.localdate()
    for title, topic, text, places, parties, owner, agreed_ago, review_in, evaluation in AGREEMENTS:
        if Agreement.objects.filter(region=context.region, title=title).exists():
            continue
        user = context.users[owner]
        agreement = Agreement.objects.create(
            region=context.region,
            topic=topic,
            title=title,
            text=text,
            owner=user,
            meeting="Lokaal MDO Kansrijke Start (demo)",
            agreed_on=today - timedelta(days=agreed_ago),
            next_review_on=today + timedelta(days=review_in),
            created_by=user,
            updated_by=user,
        )
        agreement.municipalities.set([context.municipalities[name] for name in places])
        agreement.parties.set([context.organisations[key] for key in parties])
        if evaluation:
            Evaluation.objects.create(
                agreement=agreement,
                on=today - timedelta(days=agreed_ago - 180),
                notes=evaluation,
                next_review_on=agreement.next_review_on,
                by=user,
            )
