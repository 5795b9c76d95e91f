"""Aggregated answers, as Figures: through the same small-number rule as every other figure."""

import random
import statistics

from django.db.models import Count
from django.utils.translation import gettext as _

from kansrijk.monitoring.figures import Figure, statistic
from kansrijk.monitoring.suppression import enough_for_statistic

from .models import Answer, Response
from .questionnaires import QUESTIONNAIRES


def responses(questionnaire_key: str, *, year: int, municipality_ids=None, region_ids=None):
    qs = Response.objects.filter(questionnaire=questionnaire_key, month__year=year)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    return qs


def figures(questionnaire_key: str, response_qs) -> tuple[int, list[Figure]]:
    questionnaire = QUESTIONNAIRES[questionnaire_key]
    counts: dict = {}
    for question, choice, n in (
        Answer.objects.filter(response__in=response_qs.values("pk"))
        .exclude(choice="")
        .values_list("question", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(question, choice)] = n
    total = response_qs.count()
    out = []
    for q in questionnaire.questions:
        if q.kind == "text":
            continue
        values = [counts.get((q.key, value), 0) for value, _label in q.choices]
        figure = Figure.counts(
            key=f"{questionnaire_key}_{q.key}",
            title=str(q.text),
            definition=_("Answers in the chosen year. Every answer counts once; no one can be recognised."),
            row_header=_("Answer"),
            rows=[str(label) for _value, label in q.choices],
            columns=[_("Answers")],
            counts=[[n] for n in values],
            chart="bars",
        )
        if q.kind == "scale":
            scores = [int(value) for (value, _label), n in zip(q.choices, values, strict=True) for _i in range(n)]
            mean = statistic(statistics.mean(scores) if scores else None, len(scores), decimals=1)
            if mean.number is not None:
                figure.notes.append(_("Average score: %(mean)s out of 5.") % {"mean": mean.text})
        out.append(figure)
    return total, out


def free_texts(response_qs, *, organisation_ids) -> list[str]:
    """The open answers of the organisations' parents, shuffled, without dates — only with enough responses."""
    qs = response_qs.filter(organisation_id__in=organisation_ids)
    if not enough_for_statistic(qs.count()):
        return []
    texts = list(Answer.objects.filter(response__in=qs.values("pk")).exclude(text="").values_list("text", flat=True))
    random.Random(len(texts)).shuffle(texts)
    return texts
