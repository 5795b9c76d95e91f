"""The whole chain through the browser, and what the privacy officer sees of it afterwards (NEN 7513)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import demo_email
from .flows import (
    Woman,
    midwife_refers,
    midwife_sees_it_in_my_referrals,
    nurse_records_first_contact,
    planner_assigns,
    privacy_officer_opens_access_report,
)

pytestmark = pytest.mark.browser


def test_privacy_officer_sees_who_looked_at_the_file(log_in):
    woman = Woman(first_name="Fenna", last_name="Keten")
    midwife = log_in("verloskundige")
    midwife_refers(midwife, woman)
    midwife_sees_it_in_my_referrals(midwife, woman)
    planner_assigns(log_in("planner"), woman)
    nurse_records_first_contact(log_in("jvp1"), woman)

    rows = privacy_officer_opens_access_report(log_in("privacy"), woman)
    for local in ["verloskundige", "planner", "jvp1"]:
        expect(rows.filter(has_text=demo_email(local)).first).to_be_visible()
    # The officer's own search and report are logged too, and nobody else looked.
    users = {email for row in rows.all_inner_texts() for email in re.findall(r"[\w.-]+@demo\.kansrijk\.nl", row)}
    assert users == {demo_email(local) for local in ["verloskundige", "planner", "jvp1", "privacy"]}
