"""Demo answers (invented, deterministic) so the results page shows something. Idempotent."""

import random
from datetime import date

from django.utils import timezone

from .models import Answer, Response
from .questionnaires import PARENT_QUESTIONNAIRE, PROFESSIONAL_QUESTIONNAIRE

BETTER = [
    "Ik had graag eerder contact gehad.",
    "Fijn dat de verpleegkundige een tolk regelde.",
    "Meer informatie over geldzaken.",
    "Het huisbezoek was te kort.",
    "Alles was goed, dank jullie wel.",
    "Graag een avondafspraak, mijn partner werkt overdag.",
]


def _answers(questionnaire, rng, weights):
    out = []
    for q in questionnaire.questions:
        if q.kind == "text":
            if rng.random() < 0.35:
                out.append((q.key, "", rng.choice(BETTER)))
            continue
        values = [value for value, _label in q.choices]
        w = weights[: len(values)] if q.kind == "scale" else [6, 2, 1][: len(values)]
        out.append((q.key, rng.choices(values, weights=w)[0], ""))
    return out


def load(context) -> None:
    if Response.objects.filter(region=context.region).exists():
        return
    rng = random.Random(5)
    today = timezone.localdate()
    jgz = context.organisations["jgz"]
    rows = []
    for year, n in ((today.year - 1, 34), (today.year, 28)):
        last_month = 12 if year < today.year else today.month
        for _i in range(n):
            municipality = rng.choices(list(context.municipalities.values()), weights=[6, 4, 1])[0]
            response = Response(
                questionnaire=PARENT_QUESTIONNAIRE.key,
                version=PARENT_QUESTIONNAIRE.version,
                region=context.region,
                municipality=municipality,
                organisation=jgz,
                visit_form=rng.choice(["home", "home", "home", "video"]),
                month=date(year, rng.randint(1, last_month), 1),
            )
            rows.append((response, _answers(PARENT_QUESTIONNAIRE, rng, [1, 1, 3, 8, 10])))
        for _i in range(n // 3):
            response = Response(
                questionnaire=PROFESSIONAL_QUESTIONNAIRE.key,
                version=PROFESSIONAL_QUESTIONNAIRE.version,
                region=context.region,
                role=rng.choice(["referrer", "referrer", "nurse", "planner", "provider"]),
                month=date(year, rng.randint(1, last_month), 1),
                round=f"{year}-H{rng.choice([1, 2]) if year < today.year else (1 if today.month <= 6 else 2)}",
            )
            rows.append((response, _answers(PROFESSIONAL_QUESTIONNAIRE, rng, [1, 2, 4, 6, 3])))
    for response, answers in rows:
        response.save()
        Answer.objects.bulk_create([Answer(response=response, question=k, choice=c, text=t) for k, c, t in answers])
