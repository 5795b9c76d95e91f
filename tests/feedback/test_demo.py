"""The demo region gives every role feedback work: news waiting for the midwife, feedback for the
nurses to write, and a closed case whose handover can be printed."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kansrijk.accounts.models import User
from kansrijk.cases.models import Case, Status
from kansrijk.feedback.models import Feedback, FeedbackStatus
from kansrijk.worklist.selectors import nurse_day


def load_demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()


def user(local):
    return User.objects.get(email=f"{local}@demo.kansrijk.nl")


def test_feedback_waits_unread_for_the_midwife(demo):
    waiting = Feedback.objects.filter(
        status=FeedbackStatus.SENT, read_at__isnull=True, referral__referrer=user("verloskundige")
    )
    assert waiting.exists()
    assert all(f.referral.consent_feedback for f in waiting)
    assert [m.to for m in mail.outbox] == [["verloskundige@demo.kansrijk.nl"]] * len(mail.outbox)


def test_the_nurses_have_feedback_to_write(demo):
    assert Feedback.objects.filter(status=FeedbackStatus.DRAFT).exists()
    assert nurse_day(user("jvp1")).feedback_due


def test_a_closed_case_with_a_birth_has_its_handover(demo):
    case = Case.objects.get(status=Status.CLOSED, birth_date__isnull=False)
    browser = Client()
    browser.force_login(case.nurse, backend="django.contrib.auth.backends.ModelBackend")
    response = browser.get(f"/terugkoppeling/traject/{case.pk}/overdracht.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_loading_again_adds_no_feedback_and_sends_no_mail(demo, django_capture_on_commit_callbacks):
    before = list(Feedback.objects.values_list("pk", "status", "version"))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert list(Feedback.objects.values_list("pk", "status", "version")) == before
    assert len(mail.outbox) == sent
    assert Case.objects.filter(birth_date__isnull=False).count() == 1
