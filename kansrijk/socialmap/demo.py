"""Demo data of the social map, loaded by `manage.py load_demo`. Idempotent.

A realistic, invented set for the Demo-regio, in Dutch and in our own words. Offers are made
through `services.offer_create` by their maintainer: the municipality officer (gemeente@) for
offers only for Maastricht, the functional administrator (beheer@) for the rest. Two offers
belong to the demo provider (organisation key "aanbieder"), so follow-up referrals can be sent
to it. One offer was last checked more than a year ago and shows as "to check".
"""

from datetime import timedelta

from django.utils import timezone

from kansrijk.referrals.models import VulnerabilityDomain

from .models import Costs, Offer
from .services import OfferData, offer_create

M, H, B = "Maastricht", "Heerlen", "Beek"
ALL = (M, H, B)

#: The names of the demo provider's offers (other demo loaders may look them up).
PROVIDER_OFFERS = ("Steunouders", "Mama-maatje")

#: name, provider organisation key (or None), provider name, days since last check, and the rest of the offer.
DEMO_OFFERS = [
    {
        "name": "VoorZorg",
        "org": "jgz",
        "provider_name": "JGZ Zuid-Limburg (demo)",
        "checked_days_ago": 35,
        "description": (
            "Een vaste jeugdverpleegkundige komt vanaf de zwangerschap tot de peuter twee jaar is regelmatig "
            "thuis. Samen werken moeder en verpleegkundige aan een gezonde zwangerschap, aan zelfvertrouwen en "
            "aan de band met de baby. Ook het netwerk en de toekomstplannen van de moeder komen aan bod."
        ),
        "target_group": (
            "Jonge vrouwen (tot ongeveer 25 jaar), zwanger van hun eerste kind, "
            "met meerdere zorgen; start uiterlijk rond 28 weken."
        ),
        "domains": ["psychological", "social", "lifestyle", "relationship"],
        "phases": (True, True),
        "municipalities": ALL,
        "languages": ["nl", "en"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Bespreek het met de zwangere en meld haar met toestemming aan bij het VoorZorg-team van de JGZ. "
            "De verpleegkundige belt binnen een week voor een kennismaking thuis."
        ),
        "contact_person": "Team VoorZorg",
        "phone": "043-000 11 00",
        "email": "voorzorg@demo.kansrijk.nl",
        "website": "https://example.org/voorzorg",
        "wait": 2,
        "recognised": True,
    },
    {
        "name": "Stevig Ouderschap",
        "org": "jgz",
        "provider_name": "JGZ Zuid-Limburg (demo)",
        "checked_days_ago": 60,
        "description": (
            "Huisbezoeken door een speciaal opgeleide jeugdverpleegkundige voor ouders die onzeker zijn over het "
            "ouderschap of het zwaar hebben. Ouders praten over hun eigen jeugd, hun verwachtingen en de omgang "
            "met hun baby, en krijgen steun bij wat lastig is."
        ),
        "target_group": "Ouders van een eerste kind met risicofactoren; aanmelden kan al tijdens de zwangerschap.",
        "domains": ["psychological", "relationship", "network"],
        "phases": (True, True),
        "municipalities": ALL,
        "languages": ["nl", "en"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Aanmelden via de JGZ; de jeugdverpleegkundige plant het eerste huisbezoek rond zes weken na de geboorte."
        ),
        "contact_person": "Planning JGZ",
        "phone": "043-000 11 01",
        "email": "stevigouderschap@demo.kansrijk.nl",
        "website": "https://example.org/stevig-ouderschap",
        "wait": 4,
        "recognised": True,
    },
    {
        "name": "Schuldhulpverlening",
        "org": "gemeente",
        "provider_name": "Gemeente Maastricht (demo)",
        "checked_days_ago": 20,
        "description": (
            "De gemeente helpt bij geldzorgen en schulden: een gesprek over inkomsten en uitgaven, afspraken met "
            "schuldeisers, en zo nodig een schuldregeling of budgetbeheer. Bij een zwangerschap krijgt de "
            "aanvraag voorrang."
        ),
        "target_group": "Inwoners van Maastricht met betalingsachterstanden of schulden.",
        "domains": ["financial"],
        "phases": (True, True),
        "municipalities": (M,),
        "languages": ["nl", "en", "ar"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Het gezin meldt zich zelf, of u belt samen met de ouders het Geldpunt. Neem loonstroken, "
            "rekeningoverzichten en brieven van schuldeisers mee naar het eerste gesprek."
        ),
        "contact_person": "Geldpunt, afdeling Schuldhulp",
        "phone": "043-000 22 00",
        "email": "geldpunt@demo.kansrijk.nl",
        "website": "https://example.org/maastricht/schuldhulp",
        "wait": 3,
        "recognised": False,
    },
    {
        "name": "Steunouders",
        "org": "aanbieder",
        "provider_name": "Stichting Steunouders Limburg (demo)",
        "checked_days_ago": 45,
        "description": (
            "Een getraind vrijwillig steunouder-gezin vangt het kind af en toe op, bijvoorbeeld een middag per "
            "week of een weekend per maand. Ouders krijgen zo even rust en een extra vertrouwd adres in de buurt."
        ),
        "target_group": "Gezinnen met weinig mensen om zich heen die af en toe ontlast willen worden.",
        "domains": ["network", "social"],
        "phases": (False, True),
        "municipalities": ALL,
        "languages": ["nl", "en", "ar", "tr"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Verwijs via Kansrijk naar de stichting. Een coördinator maakt kennis met het gezin en zoekt een "
            "steunouder die past."
        ),
        "contact_person": "Anouk, coördinator",
        "phone": "045-000 33 00",
        "email": "steunouders@demo.kansrijk.nl",
        "website": "https://example.org/steunouders",
        "wait": 6,
        "recognised": False,
    },
    {
        "name": "Mama-maatje",
        "org": "aanbieder",
        "provider_name": "Stichting Steunouders Limburg (demo)",
        "checked_days_ago": 90,
        "description": (
            "Een vrijwilliger die zelf moeder is trekt een jaar lang op met een zwangere of jonge moeder: "
            "samen naar de verloskundige of het consultatiebureau, de weg vinden in de wijk, en iemand om mee "
            "te praten."
        ),
        "target_group": "Zwangere vrouwen en jonge moeders met een klein netwerk, ook nieuwkomers.",
        "domains": ["network", "language", "social"],
        "phases": (True, True),
        "municipalities": (M, H),
        "languages": ["nl", "en", "ar", "ti", "uk"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Verwijs via Kansrijk. De coördinator koppelt binnen enkele "
            "weken een maatje, zo mogelijk met dezelfde taal."
        ),
        "contact_person": "Anouk, coördinator",
        "phone": "045-000 33 01",
        "email": "mamamaatje@demo.kansrijk.nl",
        "website": "https://example.org/mama-maatje",
        "wait": 3,
        "recognised": False,
    },
    {
        "name": "Sociaal wijkteam Maastricht",
        "org": None,
        "provider_name": "Wijkteams Maastricht (demo)",
        "checked_days_ago": 15,
        "description": (
            "Het wijkteam is het eerste adres voor vragen over geld, wonen, opvoeden, relaties en zorg. Een "
            "vaste contactpersoon kijkt met het gezin naar het geheel en regelt zo nodig verdere hulp."
        ),
        "target_group": "Alle inwoners van Maastricht.",
        "domains": ["social", "housing", "financial", "relationship", "network"],
        "phases": (True, True),
        "municipalities": (M,),
        "languages": ["nl", "en", "fr", "de"],
        "costs": Costs.FREE,
        "how_to_refer": "Bel het wijkteam van de wijk waar het gezin woont, of maak samen met het gezin een afspraak.",
        "contact_person": "Centrale toegang wijkteams",
        "phone": "043-000 44 00",
        "email": "wijkteam@demo.kansrijk.nl",
        "website": "https://example.org/maastricht/wijkteam",
        "wait": 1,
        "recognised": False,
    },
    {
        "name": "Wijkteam Heerlen",
        "org": None,
        "provider_name": "Sociaal Domein Heerlen (demo)",
        "checked_days_ago": 120,
        "description": (
            "Generalisten van het wijkteam helpen bij alles wat het dagelijks leven lastig maakt: schulden, "
            "huisvesting, spanningen thuis. Ze komen op huisbezoek en werken samen met de JGZ."
        ),
        "target_group": "Inwoners van Heerlen.",
        "domains": ["social", "housing", "financial", "relationship"],
        "phases": (True, True),
        "municipalities": (H,),
        "languages": ["nl", "de"],
        "costs": Costs.FREE,
        "how_to_refer": "Aanmelden via het centrale nummer; bij spoed dezelfde dag contact.",
        "contact_person": "Servicepunt wijkteam",
        "phone": "045-000 44 10",
        "email": "wijkteam.heerlen@demo.kansrijk.nl",
        "website": "https://example.org/heerlen/wijkteam",
        "wait": 2,
        "recognised": False,
    },
    {
        "name": "Sociaal team Beek",
        "org": None,
        "provider_name": "Gemeente Beek (demo)",
        "checked_days_ago": 200,
        "description": (
            "Een klein team dat de inwoners van Beek persoonlijk kent. Het team helpt bij aanvragen, denkt mee "
            "over wonen en inkomen en brengt gezinnen in contact met vrijwilligers in het dorp."
        ),
        "target_group": "Inwoners van Beek.",
        "domains": ["social", "housing", "financial", "network"],
        "phases": (True, True),
        "municipalities": (B,),
        "languages": ["nl"],
        "costs": Costs.FREE,
        "how_to_refer": "Bel of mail het sociaal team; het gezin kan ook zelf binnenlopen op het spreekuur.",
        "contact_person": "Sociaal team",
        "phone": "046-000 44 20",
        "email": "sociaalteam.beek@demo.kansrijk.nl",
        "website": "https://example.org/beek/sociaal-team",
        "wait": 1,
        "recognised": False,
    },
    {
        "name": "Kraamzorg Plus",
        "org": "kraam",
        "provider_name": "Kraamzorg Limburg (demo)",
        "checked_days_ago": 75,
        "description": (
            "Extra kraamzorg voor gezinnen die het zwaar hebben: al voor de bevalling een huisbezoek om het "
            "kraambed voor te bereiden, en na de geboorte meer uren en een langere periode dan gewoonlijk. De "
            "kraamverzorgende let extra op voeding, hechting en veiligheid en draagt over aan de JGZ."
        ),
        "target_group": "Gezinnen met een verhoogd risico die meer nodig hebben dan de gewone kraamweek.",
        "domains": ["medical", "lifestyle", "network"],
        "phases": (True, True),
        "municipalities": ALL,
        "languages": ["nl", "en", "pl"],
        "costs": Costs.INSURED,
        "costs_note": "De gewone kraamzorg valt onder de basisverzekering; de extra uren betaalt de gemeente",
        "how_to_refer": (
            "Vraag het aan bij de kraamzorgorganisatie vóór 34 weken zwangerschap, met een korte toelichting."
        ),
        "contact_person": "Intake Kraamzorg Plus",
        "phone": "046-000 55 00",
        "email": "kraamzorgplus@demo.kansrijk.nl",
        "website": "https://example.org/kraamzorg-plus",
        "wait": 0,
        "recognised": False,
    },
    {
        "name": "Positief Opvoeden (Triple P)",
        "org": None,
        "provider_name": "Opvoedsteunpunt Zuid-Limburg (demo)",
        "checked_days_ago": 150,
        "description": (
            "Korte, praktische opvoedondersteuning: een paar gesprekken of een groepsbijeenkomst over slapen, "
            "huilen en dagritme, en over zorgen voor jezelf als ouder."
        ),
        "target_group": "Ouders van baby's en jonge kinderen met opvoedvragen.",
        "domains": ["psychological", "relationship", "social"],
        "phases": (False, True),
        "municipalities": ALL,
        "languages": ["nl", "en", "tr", "ar"],
        "costs": Costs.FREE,
        "how_to_refer": "Ouders melden zich zelf aan via de website of u meldt aan met hun toestemming.",
        "contact_person": "Opvoedsteunpunt",
        "phone": "043-000 66 00",
        "email": "opvoeden@demo.kansrijk.nl",
        "website": "https://example.org/positief-opvoeden",
        "wait": 2,
        "recognised": True,
    },
    {
        "name": "Taalcafé voor aanstaande moeders",
        "org": None,
        "provider_name": "Bibliotheek Parkstad (demo)",
        "checked_days_ago": 40,
        "description": (
            "Elke week oefenen zwangere vrouwen en jonge moeders samen Nederlands, met woorden die ze nodig "
            "hebben bij de verloskundige, in het ziekenhuis en op het consultatiebureau. Kinderen mogen mee."
        ),
        "target_group": "Anderstalige zwangeren en moeders die Nederlands willen leren.",
        "domains": ["language", "network"],
        "phases": (True, True),
        "municipalities": (H, B),
        "languages": ["nl", "ar", "ti", "uk", "pl"],
        "costs": Costs.FREE,
        "how_to_refer": "Gewoon binnenlopen op donderdagochtend; aanmelden hoeft niet.",
        "contact_person": "Taalcoach van de bibliotheek",
        "phone": "045-000 77 00",
        "email": "taalcafe@demo.kansrijk.nl",
        "website": "https://example.org/taalcafe",
        "wait": 0,
        "recognised": False,
    },
    {
        "name": "Tolk bij huisbezoek en consult",
        "org": None,
        "provider_name": "Tolkenservice Limburg (demo)",
        "checked_days_ago": 10,
        "description": (
            "Een professionele tolk via de telefoon of beeldverbinding, of zo nodig aan huis, zodat het gezin "
            "en de hulpverlener elkaar goed begrijpen. De tolk heeft geheimhoudingsplicht."
        ),
        "target_group": "Gezinnen die het Nederlands onvoldoende beheersen voor een gesprek over zorg.",
        "domains": ["language"],
        "phases": (True, True),
        "municipalities": ALL,
        "languages": ["ar", "tr", "pl", "uk", "ti", "ber", "fr", "en", "de"],
        "costs": Costs.FREE,
        "costs_note": "De JGZ betaalt de tolk",
        "how_to_refer": "Boek de tolk minstens twee werkdagen van tevoren via het boekingsnummer van de JGZ.",
        "contact_person": "Boekingen",
        "phone": "088-000 88 00",
        "email": "tolken@demo.kansrijk.nl",
        "website": "https://example.org/tolken",
        "wait": 0,
        "recognised": False,
    },
    {
        "name": "Perinatale GGZ-poli",
        "org": None,
        "provider_name": "Perinatale GGZ Zuid-Limburg (demo)",
        "checked_days_ago": 100,
        "description": (
            "Specialistische psychische zorg rond zwangerschap en bevalling: bij somberheid, angst, een eerdere "
            "psychose of een traumatische bevalling. Psychiater, psycholoog en verpleegkundige werken samen met "
            "verloskundige en JGZ."
        ),
        "target_group": "Zwangeren en moeders tot een jaar na de bevalling met psychische klachten.",
        "domains": ["psychological", "medical"],
        "phases": (True, True),
        "municipalities": ALL,
        "languages": ["nl", "en", "de"],
        "costs": Costs.INSURED,
        "costs_note": "Vergoed uit de basisverzekering; het eigen risico geldt",
        "how_to_refer": (
            "Verwijzing door huisarts, verloskundige of gynaecoloog nodig. Bij spoed eerst telefonisch overleggen."
        ),
        "contact_person": "Secretariaat poli",
        "phone": "043-000 99 00",
        "email": "perinatale-ggz@demo.kansrijk.nl",
        "website": "https://example.org/perinatale-ggz",
        "wait": 8,
        "recognised": False,
    },
    {
        "name": "Voedselbank Parkstad",
        "org": None,
        "provider_name": "Voedselbank Parkstad (demo)",
        # Deliberately not checked for more than a year: the demo's offer "to check".
        "checked_days_ago": 430,
        "description": (
            "Wekelijks een pakket met levensmiddelen voor huishoudens die rond moeten komen van heel weinig. "
            "Voor baby's zijn er luiers en flesvoeding als die er zijn."
        ),
        "target_group": "Huishoudens onder de bestedingsnorm van de voedselbank.",
        "domains": ["financial"],
        "phases": (True, True),
        "municipalities": (H, B),
        "languages": ["nl"],
        "costs": Costs.FREE,
        "how_to_refer": "Aanmelden via het wijkteam of de schuldhulp; zij toetsen het inkomen.",
        "contact_person": "Intake voedselbank",
        "phone": "045-000 12 34",
        "email": "intake@voedselbank.demo.kansrijk.nl",
        "website": "https://example.org/voedselbank",
        "wait": 1,
        "recognised": False,
    },
    {
        "name": "Babyspullenregeling",
        "org": "gemeente",
        "provider_name": "Gemeente Maastricht (demo)",
        "checked_days_ago": 25,
        "description": (
            "Een bijdrage van de gemeente voor een bedje, kinderwagen en de eerste kleding, voor gezinnen met "
            "een laag inkomen. Een deel kan ook als tweedehands pakket via een kringloopwinkel."
        ),
        "target_group": "Gezinnen in Maastricht met een inkomen tot 120% van het sociaal minimum.",
        "domains": ["financial"],
        "phases": (True, False),
        "municipalities": (M,),
        "languages": ["nl", "en"],
        "costs": Costs.FREE,
        "how_to_refer": (
            "Aanvragen met het formulier van de gemeente vanaf 20 weken zwangerschap; het wijkteam helpt erbij."
        ),
        "contact_person": "Team inkomensondersteuning",
        "phone": "043-000 22 10",
        "email": "minima@demo.kansrijk.nl",
        "website": "https://example.org/maastricht/babyspullen",
        "wait": 2,
        "recognised": False,
    },
]


def load(context) -> None:
    region = context.region
    domains = {d.code: d for d in VulnerabilityDomain.objects.filter(region=region)}
    today = timezone.localdate()
    for item in DEMO_OFFERS:
        if Offer.objects.filter(region=region, name=item["name"], provider_name=item["provider_name"]).exists():
            continue
        only_maastricht = tuple(item["municipalities"]) == (M,)
        maintainer = context.users["gemeente"] if only_maastricht else context.users["beheer"]
        offer_create(
            request=context.request_for(maintainer),
            region=region,
            data=OfferData(
                name=item["name"],
                provider_name=item["provider_name"],
                provider=context.organisations[item["org"]] if item["org"] else None,
                description=item["description"],
                target_group=item["target_group"],
                domains=[domains[code] for code in item["domains"]],
                municipalities=[context.municipalities[name] for name in item["municipalities"]],
                for_pregnancy=item["phases"][0],
                for_after_birth=item["phases"][1],
                languages=item["languages"],
                costs=item["costs"],
                costs_note=item.get("costs_note", ""),
                how_to_refer=item["how_to_refer"],
                contact_person=item["contact_person"],
                phone=item["phone"],
                email=item["email"],
                website=item["website"],
                typical_wait_weeks=item["wait"],
                recognised_intervention=item["recognised"],
                maintainer=maintainer,
            ),
            checked_on=today - timedelta(days=item["checked_days_ago"]),
            via="demo",
        )
