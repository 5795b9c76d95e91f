"""The language switch in the header turns the page English and back, and the choice sticks across pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .flows import nav_to, nl, url

pytestmark = pytest.mark.browser


def switch_language(page, code: str):
    page.locator("#language-select").select_option(code)
    page.locator("form.language-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_language_switch_changes_the_page_to_english_and_back(log_in):
    page = log_in("verloskundige")
    nav_to(page, "referrals:list")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text(nl("My referrals"))

    switch_language(page, "en")
    expect(page).to_have_url(url("referrals:list"))  # she stays on the same page
    expect(page.locator("h1")).to_have_text("My referrals")
    new_referral = page.locator(f'nav.site-nav a[href="{reverse("referrals:new")}"]')
    expect(new_referral).to_have_text("New referral")
    nav_to(page, "referrals:new")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Refer a pregnant woman to the JGZ")

    switch_language(page, "nl")
    expect(page).to_have_url(url("referrals:new"))
    expect(page.locator("h1")).to_have_text(nl("Refer a pregnant woman to the JGZ"))
    expect(new_referral).to_have_text(nl("New referral"))


def test_language_switch_works_before_logging_in(demo, new_page):
    page = new_page()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    switch_language(page, "en")
    expect(page).to_have_url(url("login"))
    expect(page.locator("h1")).to_have_text("Log in")
