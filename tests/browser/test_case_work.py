"""The JGZ side in a real browser: the planner assigns from the intake queue, the nurse records first contact.

The referral (and for the nurse, the assignment) is put in place through the services, so each test stands
alone; `test_chain.py` does the whole chain through the browser.
"""

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kansrijk.accounts.models import User
from kansrijk.cases.models import Status
from kansrijk.cases.services import case_transition
from kansrijk.organisations.models import Membership, Role
from kansrijk.referrals.models import ScreeningInstrument, Urgency, VulnerabilityDomain
from kansrijk.referrals.services import ClientDetails, referral_create

from .conftest import demo_email
from .flows import NURSE_NAME, Woman, action_form, nav_to, nurse_records_first_contact, planner_assigns, url

pytestmark = pytest.mark.browser


class _Request:
    META = {"REMOTE_ADDR": "127.0.0.1"}

    def __init__(self, user):
        self.user = user

    def get_full_path(self):
        return "tests/browser"


def user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def refer(woman: Woman):
    midwife = user("verloskundige")
    result = referral_create(
        request=_Request(midwife),
        referrer=midwife,
        membership=Membership.objects.get(user=midwife, role=Role.REFERRER),
        details=ClientDetails(
            first_name=woman.first_name,
            last_name=woman.last_name,
            date_of_birth=timezone.datetime.fromisoformat(woman.date_of_birth).date(),
            postcode=woman.postcode,
            street=woman.street,
            house_number=woman.house_number,
            city=woman.city,
            phone=woman.phone,
            email=woman.email,
            preferred_language=woman.preferred_language,
        ),
        due_date=woman.due_date,
        urgency=Urgency(int(woman.urgency)),
        screening_instrument=ScreeningInstrument(woman.screening_instrument),
        domains=VulnerabilityDomain.objects.filter(code__in=woman.domains),
        reason=woman.reason,
        consent_contact=True,
        consent_feedback=True,
        submission_key=uuid.uuid4(),
    )
    return result.referral.case


@pytest.fixture
def woman(demo):
    woman = Woman()
    refer(woman)
    return woman


def test_planner_assigns_the_referral_from_the_intake_queue(log_in, woman):
    page = log_in("planner")
    nav_to(page, "cases:intake")
    queue_row = page.locator("table.data tbody tr", has_text=woman.full_name)
    expect(queue_row).to_have_count(1)
    expect(queue_row.locator(".badge--high")).to_have_count(1)

    planner_assigns(page, woman, NURSE_NAME)

    case = woman.case()
    assert case.status == Status.ASSIGNED
    assert case.nurse == user("jvp1")
    assert case.assigned_at is not None


def test_assigning_without_the_target_group_check_is_refused(log_in, woman):
    page = log_in("planner")
    nav_to(page, "cases:intake")
    page.get_by_role("link", name=woman.full_name, exact=True).click()
    page.wait_for_url(url("cases:detail", woman.case().pk))
    case_url = page.url
    form = page.locator(action_form(woman, "assign"))
    form.locator("label", has_text=NURSE_NAME).locator("input[type=radio]").check()
    form.locator("button[type=submit]").click()

    # The box is required: the browser holds the form back and points at it; nothing was assigned.
    expect(form.locator('input[name="target_group_checked"]:invalid')).to_have_count(1)
    expect(page).to_have_url(case_url)
    assert woman.case().status == Status.RECEIVED


def test_nurse_opens_her_new_case_and_records_first_contact(log_in, woman):
    case = woman.case()
    planner = user("planner")
    case_transition(request=_Request(planner), case=case, name="assign", nurse=user("jvp1"))

    page = log_in("jvp1")
    nav_to(page, "cases:mine")
    expect(page.locator("table.data tbody tr", has_text=woman.full_name)).to_have_count(1)
    nurse_records_first_contact(page, woman)

    case.refresh_from_db()
    assert case.status == Status.IN_CONTACT
    assert case.first_contact_at is not None
