"""The midwife's referral form in a real browser: a double click sends one referral; a missing consent loses nothing."""

import pytest
from playwright.sync_api import expect

from kansrijk.referrals.forms import ReferralForm
from kansrijk.referrals.models import Referral

from .flows import (
    ANY_PK,
    SELECTS,
    TEXT_FIELDS,
    Woman,
    fill_referral_form,
    midwife_refers,
    midwife_sees_it_in_my_referrals,
    nav_to,
    nl,
    url,
)

pytestmark = pytest.mark.browser


def test_midwife_refers_with_a_double_click_and_sees_one_referral_in_my_referrals(log_in):
    woman = Woman()
    page = log_in("verloskundige")

    midwife_refers(page, woman, double_click=True)

    referrals = Referral.objects.filter(case__client__last_name=woman.last_name)
    assert referrals.count() == 1
    referral = referrals.get()
    client = referral.case.client
    assert (client.first_name, client.postcode, client.email) == (woman.first_name, woman.postcode, woman.email)
    assert referral.due_date == woman.due_date
    assert sorted(referral.domains.values_list("code", flat=True)) == sorted(woman.domains)
    assert referral.consent_contact and referral.consent_feedback
    assert referral.reason.replace("\r\n", "\n") == woman.reason  # a textarea sends CRLF
    midwife_sees_it_in_my_referrals(page, woman)


def test_without_consent_the_form_explains_why_and_keeps_everything_typed(log_in):
    woman = Woman(last_name="Zonder-Toestemming")
    page = log_in("verloskundige")
    nav_to(page, "referrals:new")
    fill_referral_form(page, woman, consent_contact=False, consent_feedback=True)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()

    expect(page).to_have_url(url("referrals:new"))
    explanation = nl(ReferralForm.base_fields["consent_contact"].error_messages["required"])
    expect(page.locator("#id_consent_contact_error")).to_have_text(explanation)
    expect(page.locator(".field--error")).to_have_count(1)
    expect(page.locator("form.form [role=alert] p")).to_have_text(
        nl("Some fields need your attention. Nothing you typed has been lost.")
    )
    expect(page.locator("#id_consent_contact")).to_have_attribute("aria-invalid", "true")
    # The summary at the top links to the field that needs attention.
    expect(page.locator('form.form [role=alert] a[href="#id_consent_contact"]')).to_have_count(1)

    for name in TEXT_FIELDS:
        expect(page.locator(f"#id_{name}")).to_have_value(getattr(woman, name))
    for name in SELECTS:
        expect(page.locator(f"#id_{name}")).to_have_value(getattr(woman, name))
    expect(page.locator("#id_date_of_birth")).to_have_value(woman.date_of_birth)
    expect(page.locator("#id_due_date")).to_have_value(woman.due_date.isoformat())
    expect(page.locator("#due-date-weeks")).to_contain_text(f"{woman.weeks_pregnant}+0")
    for pk in woman.domain_ids():
        expect(page.locator(f'input[name="domains"][value="{pk}"]')).to_be_checked()
    expect(page.locator("#id_consent_feedback")).to_be_checked()
    expect(page.locator("#id_consent_contact")).not_to_be_checked()
    assert not Referral.objects.filter(case__client__last_name=woman.last_name).exists()

    # Ticking the box is all it takes now.
    page.locator("#id_consent_contact").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(url("referrals:detail", ANY_PK))
    assert Referral.objects.filter(case__client__last_name=woman.last_name).count() == 1
