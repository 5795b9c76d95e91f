"""The application's draft of a feedback message, written from the case.

Only what the woman's consent to feedback covers: the stage the case reached and
its general outcome. Never the assessment, the domains, the plan, the names of
follow-up offers or anything the family told the nurse. The nurse reads and edits
the draft before she sends it.
"""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kansrijk.cases.models import Case, CloseReason
from kansrijk.referrals.models import Referral

from .models import Moment


def _day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment).date(), "j F Y")


def _closing_sentence(case: Case) -> str:
    return {
        CloseReason.COMPLETED: _(
            "The prenatal home visit has been completed and the case has been closed. After the birth, "
            "the regular youth health care (consultatiebureau) will be there for the family."
        ),
        CloseReason.MOVED: _("The family has moved out of our area, so the case has been closed here."),
        CloseReason.ALREADY_IN_CARE: _(
            "The family already receives fitting support elsewhere, so the case has been closed."
        ),
        CloseReason.NOT_IN_TARGET_GROUP: _(
            "After looking at the referral carefully, the JGZ concluded that the prenatal home visit is not the "
            "fitting offer for this family at the moment, so the case has been closed."
        ),
    }.get(case.close_reason, _("The case has been closed."))


def _body(case: Case, moment: str, happened_at: datetime | None) -> list[str]:
    if moment == Moment.FIRST_CONTACT:
        return [
            _(
                "On %(date)s the youth nurse made contact with the family. "
                "She will plan a home visit together with them."
            )
            % {"date": _day(happened_at)}
        ]
    if moment == Moment.VISIT_HELD:
        return [
            _(
                "On %(date)s the youth nurse held the prenatal home visit. Together with the family she looked at "
                "their situation, their wishes and the support that would help them."
            )
            % {"date": _day(happened_at)}
        ]
    if moment == Moment.FOLLOW_UP:
        return [_("Together with the family, follow-up support has been arranged, and it has started.")]
    if moment == Moment.DECLINED:
        if case.close_reason == CloseReason.UNREACHABLE:
            return [
                _(
                    "Despite several attempts, the youth nurse could not reach the family, so the case has been "
                    "closed. If you are in touch with the family, you could encourage them to contact the JGZ; a "
                    "new referral is always possible."
                )
            ]
        return [
            _(
                "The family has decided not to take up the prenatal home visit, and we respect that choice. If you "
                "see the family again, you may tell them that they are welcome to contact the JGZ at any time."
            )
        ]
    return [_closing_sentence(case)]


def draft_text(*, case: Case, referral: Referral, moment: str, happened_at: datetime | None, sender) -> str:
    """A calm message for the referrer about one moment of the case, in the language of the page."""
    referrer_name = referral.referrer.display_name if referral.referrer else ""
    organisation = case.organisation.name if case.organisation else _("the JGZ")
    paragraphs = [
        _("Dear %(name)s,") % {"name": referrer_name} if referrer_name else _("Dear colleague,"),
        _("Thank you for your referral of %(date)s to the prenatal home visit of %(organisation)s.")
        % {"date": _day(referral.created_at), "organisation": organisation},
        *_body(case, moment, happened_at),
        _("If you have a question about this, please contact us."),
        _("Kind regards,") + "\n" + f"{sender.display_name}\n{organisation}",
    ]
    return "\n\n".join(paragraphs)
